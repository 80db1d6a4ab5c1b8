"""event times stored in UTC (they were the ward's wall-clock time)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00

incident.observed_at and resolved_at, inspection.inspected_at and ranking_snapshot.published_at
were written as the ward's local time; from here on the database holds UTC and
``models.wardtime.WardTime`` converts. The ledger's hashes were taken over the ward-time
values, which ``WardTime`` gives back unchanged, so the chains still verify.
"""
from datetime import timedelta
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from geo import wardzone
from models.dialects import FIRST_LEDGER_TABLES, ledger_guard_ddl, ledger_unguard_ddl

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = {'incident': ('observed_at', 'resolved_at'), 'inspection': ('inspected_at',),
           'ranking_snapshot': ('published_at',)}


def _shift(by: timedelta) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    # ranking_snapshot refuses UPDATE
    for statement in ledger_unguard_ddl(dialect, FIRST_LEDGER_TABLES):
        op.execute(statement)
    for name, columns in COLUMNS.items():
        if dialect == 'postgresql':
            minutes = int(by.total_seconds() // 60)
            op.execute(f"UPDATE {name} SET " + ", ".join(
                f"{c} = {c} + interval '{minutes} minutes'" for c in columns))
            continue
        # SQLite: through SQLAlchemy's DateTime, so the text keeps its one format
        # (SQLite's datetime() would drop the microseconds and break text comparisons).
        table = sa.table(name, sa.column('id', sa.Integer()),
                         *(sa.column(c, sa.DateTime()) for c in columns))
        rows = [{'row_id': row.id, **{f'new_{c}': row._mapping[c] + by if row._mapping[c]
                                      else None for c in columns}}
                for row in bind.execute(sa.select(table))]
        if rows:
            bind.execute(table.update().where(table.c.id == sa.bindparam('row_id')).values(
                {c: sa.bindparam(f'new_{c}') for c in columns}), rows)
    for statement in ledger_guard_ddl(dialect, FIRST_LEDGER_TABLES):
        op.execute(statement)


def upgrade() -> None:
    _shift(-wardzone.utc_offset())


def downgrade() -> None:
    _shift(wardzone.utc_offset())
