"""append-only, hash-chained audit log and rankings; ranking revisions; purge permits

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from models import ledger
from models.dialects import FIRST_LEDGER_TABLES, ledger_guard_ddl, ledger_unguard_ddl

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
# The columns the chains hash, as they are at this revision (not as models.tables may grow).
AUDIT = sa.table('audit_log', *(sa.column(n) for n in (
    'id', 'ward_id', 'user_id', 'action', 'entity', 'entity_id', 'prev_hash', 'row_hash')),
    sa.column('detail', JSON), sa.column('created_at', sa.DateTime()))
SNAPSHOT = sa.table('ranking_snapshot', *(sa.column(n) for n in (
    'id', 'ward_id', 'month', 'revision', 'rubric_version', 'content_hash', 'published_by',
    'supersedes_id', 'reason', 'prev_hash', 'row_hash')),
    sa.column('published_at', sa.DateTime()), sa.column('early', sa.Boolean()))


def _immutability_0003(create: bool) -> None:
    """0003's UPDATE-only guard on ranking_snapshot, which this revision replaces."""
    if op.get_bind().dialect.name == "postgresql":
        if create:
            op.execute("""CREATE FUNCTION ranking_snapshot_immutable() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'ranking_snapshot is immutable once published'; END; $$
                LANGUAGE plpgsql""")
            op.execute("""CREATE TRIGGER ranking_snapshot_immutable
                BEFORE UPDATE ON ranking_snapshot
                FOR EACH ROW EXECUTE FUNCTION ranking_snapshot_immutable()""")
        else:
            op.execute("DROP TRIGGER IF EXISTS ranking_snapshot_immutable ON ranking_snapshot")
            op.execute("DROP FUNCTION IF EXISTS ranking_snapshot_immutable()")
    elif create:
        op.execute("""CREATE TRIGGER ranking_snapshot_no_update BEFORE UPDATE
            ON ranking_snapshot BEGIN SELECT RAISE(ABORT, 'ranking_snapshot is immutable once
            published'); END""")
    else:
        op.execute("DROP TRIGGER IF EXISTS ranking_snapshot_no_update")


def _chain_existing_rows(table, fields) -> None:
    """Give the rows already there their links, in id order, one chain per ward."""
    bind = op.get_bind()
    heads: dict = {}
    for row in bind.execute(sa.select(table).order_by(table.c.id)).mappings():
        prev = heads.get(row['ward_id'], ledger.GENESIS)
        heads[row['ward_id']] = digest = ledger.row_hash(fields, dict(row), prev)
        bind.execute(table.update().where(table.c.id == row['id']).values(
            prev_hash=prev, row_hash=digest))


def upgrade() -> None:
    _immutability_0003(create=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('ranking_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('early', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_ranking_snapshot_supersedes_id_ranking_snapshot'),
            'ranking_snapshot', ['supersedes_id'], ['id'])
        batch_op.drop_constraint('uq_ranking_snapshot_ward_id', type_='unique')
        batch_op.create_unique_constraint('uq_ranking_snapshot_ward_id',
                                          ['ward_id', 'month', 'revision'])

    # Audit rows so far got their time from the database (UTC); they keep it.
    _chain_existing_rows(AUDIT, ledger.AUDIT_FIELDS)
    _chain_existing_rows(SNAPSHOT, ledger.SNAPSHOT_FIELDS)
    for table in ('audit_log', 'ranking_snapshot'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ('prev_hash', 'row_hash'):
                batch_op.alter_column(column, existing_type=sa.String(length=64),
                                      nullable=False)

    op.create_table(
        'ledger_purge',
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], ondelete='CASCADE',
                                name=op.f('fk_ledger_purge_ward_id_ward')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_purge')),
        sa.UniqueConstraint('ward_id', name=op.f('uq_ledger_purge_ward_id')),
    )
    with op.batch_alter_table('ledger_purge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_purge_ward_id'), ['ward_id'], unique=False)

    for statement in ledger_guard_ddl(op.get_bind().dialect.name, FIRST_LEDGER_TABLES):
        op.execute(statement)


def downgrade() -> None:
    for statement in ledger_unguard_ddl(op.get_bind().dialect.name, FIRST_LEDGER_TABLES):
        op.execute(statement)
    with op.batch_alter_table('ledger_purge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_purge_ward_id'))
    op.drop_table('ledger_purge')
    # One snapshot per month again: the official (latest) revision stays.
    op.execute("UPDATE ranking_snapshot SET supersedes_id = NULL")
    op.execute("""DELETE FROM ranking_snapshot WHERE revision < (SELECT max(r.revision)
        FROM ranking_snapshot r WHERE r.ward_id = ranking_snapshot.ward_id
        AND r.month = ranking_snapshot.month)""")
    with op.batch_alter_table('ranking_snapshot', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ranking_snapshot_ward_id', type_='unique')
        batch_op.create_unique_constraint('uq_ranking_snapshot_ward_id', ['ward_id', 'month'])
        batch_op.drop_constraint(
            batch_op.f('fk_ranking_snapshot_supersedes_id_ranking_snapshot'),
            type_='foreignkey')
        for column in ('row_hash', 'prev_hash', 'reason', 'supersedes_id', 'early',
                       'revision'):
            batch_op.drop_column(column)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
    _immutability_0003(create=True)
