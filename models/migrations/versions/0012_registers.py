"""registers a ward defines as data: register types and their entries

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:10:00

``register_type`` holds a ward's register definitions (``geo.registers``: fields, geometry
kind, symbol) as one JSON document; ``register_entry`` the things recorded in them, with
their attributes as JSON, a generic geometry in EPSG:4326 and the phone's UUID.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def _stamps():
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('register_type',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('geometry_kind', sa.String(length=16), nullable=False),
    sa.Column('definition', JSON, nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_register_type_created_by_app_user')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_register_type_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_type')),
    sa.UniqueConstraint('ward_id', 'code', name=op.f('uq_register_type_ward_id'))
    )
    with op.batch_alter_table('register_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_type_ward_id'), ['ward_id'], unique=False)

    op.create_geospatial_table('register_entry',
    sa.Column('register_type_id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('attributes', JSON, nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('geom', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    *_stamps(),
    sa.ForeignKeyConstraint(['register_type_id'], ['register_type.id'], name=op.f('fk_register_entry_register_type_id_register_type'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_register_entry_neighbourhood_id_neighbourhood'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_register_entry_created_by_app_user')),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], name=op.f('fk_register_entry_updated_by_app_user')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_register_entry_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entry')),
    sa.UniqueConstraint('ward_id', 'client_uuid', name=op.f('uq_register_entry_ward_id'))
    )
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_register_entry_geom', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_register_entry_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_entry_register_type_id'), ['register_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_entry_ward_id'), ['ward_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_entry_ward_id'))
        batch_op.drop_index(batch_op.f('ix_register_entry_register_type_id'))
        batch_op.drop_index(batch_op.f('ix_register_entry_neighbourhood_id'))
        batch_op.drop_geospatial_index('idx_register_entry_geom', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('register_entry')
    with op.batch_alter_table('register_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_type_ward_id'))
    op.drop_table('register_type')
