"""published target figures: the plan's targets of a month, frozen and append-only

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 06:45:00

``target_snapshot`` holds, per ward and month, the target figures as they were published
(with the month's ranking, or by "công bố tiến độ chỉ tiêu"): the public page reads only
these. It joins the ledger (``models.ledger``): hash-chained per ward, and the same
triggers as ``ranking_snapshot`` refuse UPDATE, DELETE (outside a purge), REPLACE and
TRUNCATE. A new table only: nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from models.dialects import ledger_guard_ddl, ledger_unguard_ddl

# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TABLE = ('target_snapshot',)


def upgrade() -> None:
    op.create_table(
        'target_snapshot',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('plan_version', sa.String(length=64), nullable=False),
        sa.Column('rows', JSON, nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('published_by', sa.Integer(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('row_hash', sa.String(length=64), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.ForeignKeyConstraint(['published_by'], ['app_user.id'],
                                name=op.f('fk_target_snapshot_published_by_app_user')),
        sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], ondelete='CASCADE',
                                name=op.f('fk_target_snapshot_ward_id_ward')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_snapshot')),
        sa.UniqueConstraint('ward_id', 'month', name=op.f('uq_target_snapshot_ward_id')),
    )
    op.create_index(op.f('ix_target_snapshot_ward_id'), 'target_snapshot', ['ward_id'],
                    unique=False)
    # The triggers' function exists since 0007; only this table's triggers are new.
    for statement in ledger_guard_ddl(op.get_bind().dialect.name, TABLE, function=False):
        op.execute(statement)


def downgrade() -> None:
    for statement in ledger_unguard_ddl(op.get_bind().dialect.name, TABLE, function=False):
        op.execute(statement)
    op.drop_index(op.f('ix_target_snapshot_ward_id'), table_name='target_snapshot')
    op.drop_table('target_snapshot')
