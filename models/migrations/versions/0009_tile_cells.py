"""point layers counted per z17 cell for low-zoom tiles, kept by triggers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:00:00

``tile_cell`` (``models.tile_cells``): per layer, ward and z17 Web Mercator tile, the
number of incidents or boarding houses in it, counted from the rows already there and
then kept by triggers on ``incident`` and ``boarding_house`` in the writes' own
transactions. Low-zoom tiles sum these cells instead of counting every point.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from models.tile_cells import COUNTED_TABLES, backfill_sql, drop_trigger_ddl, trigger_ddl

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ZOOM = 17  # the cells' zoom at this revision (models.tile_cells.CELL_ZOOM)


def upgrade() -> None:
    op.create_table(
        'tile_cell',
        sa.Column('layer', sa.String(length=32), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('x', sa.Integer(), nullable=False),
        sa.Column('y', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('layer', 'ward_id', 'x', 'y', name='pk_tile_cell'),
    )
    op.create_index('ix_tile_cell_position', 'tile_cell', ['layer', 'x', 'y'])
    for layer in COUNTED_TABLES:
        op.execute(backfill_sql(layer, ZOOM))
    for statement in trigger_ddl(op.get_bind().dialect.name, ZOOM):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_trigger_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_tile_cell_position', table_name='tile_cell')
    op.drop_table('tile_cell')
