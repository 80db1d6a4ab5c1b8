"""Append-only history: the audit log and the published rankings.

Each row carries ``prev_hash`` (the ``row_hash`` of the row before it in its chain, or
``GENESIS``) and ``row_hash`` (SHA-256 of a canonical JSON of its content and
``prev_hash``). There is one chain per ward and table, and one for the installation's own
audit rows (``ward_id`` NULL). The database refuses UPDATE, DELETE, REPLACE and TRUNCATE
(``models.dialects.ledger_guard_ddl``); the chains make a change made around the triggers
visible (``models.verify``). A ward's history is deleted only through ``purge_permit``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, delete, func, insert, select

from models.dialects import chain_lock
from models.tables import AuditLog, LedgerPurge, RankingSnapshot, TargetSnapshot, User

GENESIS = "0" * 64
AUDIT_FIELDS = ("ward_id", "user_id", "action", "entity", "entity_id", "detail", "created_at")
SNAPSHOT_FIELDS = ("ward_id", "month", "revision", "rubric_version", "content_hash",
                   "published_at", "published_by", "early", "supersedes_id", "reason")
TARGET_FIELDS = ("ward_id", "month", "plan_version", "content_hash", "published_at",
                 "published_by")


def _plain(value):
    """The value as JSON keeps it on both backends: integral floats as integers
    (PostgreSQL's jsonb writes 1e20 back as 100000000000000000000), times as ISO text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def row_hash(fields: tuple[str, ...], row, prev_hash: str) -> str:
    """SHA-256 of ``row``'s ``fields`` and ``prev_hash`` (``row``: a mapping or a Row)."""
    values = row if isinstance(row, dict) else row._mapping
    payload = {name: _plain(values[name]) for name in fields}
    payload["prev_hash"] = prev_hash
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def same_chain(table: Table, ward_id: int | None):
    return table.c.ward_id.is_(None) if ward_id is None else table.c.ward_id == ward_id


def chain_head(conn: Connection, table: Table, ward_id: int | None) -> str:
    """The ``row_hash`` the next row of the chain links to."""
    stmt = select(table.c.row_hash).where(same_chain(table, ward_id)).order_by(
        table.c.id.desc()).limit(1)
    return conn.execute(stmt).scalar() or GENESIS


def _append(conn: Connection, table: Table, fields: tuple[str, ...], values: dict) -> int:
    """Insert ``values`` as the next link of its chain (the caller holds the chain lock)."""
    prev = chain_head(conn, table, values["ward_id"])
    stmt = insert(table).returning(table.c.id)
    return conn.execute(stmt, [{**values, "prev_hash": prev,
                                "row_hash": row_hash(fields, values, prev)}]).scalar_one()


# --- audit log ----------------------------------------------------------------------------

def audit(conn: Connection, ward_id: int | None, user_id: int | None, action: str, entity: str,
          entity_id: int | None = None, **detail) -> int:
    """Add an audit row (``created_at`` UTC) to the ward's chain; its id."""
    chain_lock(conn, AuditLog.__tablename__, ward_id)
    # Hash what the database will give back: JSON types, second precision.
    stored = json.loads(json.dumps(detail, ensure_ascii=False, default=str))
    return _append(conn, AuditLog.__table__, AUDIT_FIELDS, {
        "ward_id": ward_id, "user_id": user_id, "action": action, "entity": entity,
        "entity_id": entity_id, "detail": stored,
        "created_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0)})


# --- published rankings -------------------------------------------------------------------

_SNAPSHOT_COLUMNS = (*(RankingSnapshot.__table__.c[name] for name in SNAPSHOT_FIELDS),
                     RankingSnapshot.id, RankingSnapshot.rows, RankingSnapshot.prev_hash,
                     RankingSnapshot.row_hash, User.full_name.label("published_by_name"))


def _snapshot_query():
    return select(*_SNAPSHOT_COLUMNS).outerjoin(User, User.id == RankingSnapshot.published_by)


def snapshot(conn: Connection, ward_id: int, month: str):
    """The official published ranking of ``month``: its latest revision (``None``: none)."""
    stmt = _snapshot_query().where(RankingSnapshot.ward_id == ward_id,
                                   RankingSnapshot.month == month)
    return conn.execute(stmt.order_by(RankingSnapshot.revision.desc()).limit(1)).first()


def snapshot_history(conn: Connection, ward_id: int, month: str) -> list:
    """Every revision of ``month``, newest (official) first."""
    stmt = _snapshot_query().where(RankingSnapshot.ward_id == ward_id,
                                   RankingSnapshot.month == month)
    return list(conn.execute(stmt.order_by(RankingSnapshot.revision.desc())))


def snapshots(conn: Connection, ward_id: int) -> list:
    """Per published month, the official revision and when the month was first published."""
    first = (select(RankingSnapshot.month, func.min(RankingSnapshot.published_at).label("first"),
                    func.max(RankingSnapshot.revision).label("latest"))
             .where(RankingSnapshot.ward_id == ward_id).group_by(RankingSnapshot.month)
             .subquery())
    stmt = (select(RankingSnapshot.month, RankingSnapshot.published_at,
                   RankingSnapshot.rubric_version, RankingSnapshot.content_hash,
                   User.full_name.label("published_by_name"),
                   first.c.first.label("first_published_at"), RankingSnapshot.revision)
            .join(first, (first.c.month == RankingSnapshot.month)
                  & (first.c.latest == RankingSnapshot.revision))
            .outerjoin(User, User.id == RankingSnapshot.published_by)
            .where(RankingSnapshot.ward_id == ward_id).order_by(RankingSnapshot.month))
    return list(conn.execute(stmt))


def publish_snapshot(conn: Connection, ward_id: int, month: str, rubric_version: str,
                     rows: list[dict], content_hash: str, user_id: int | None,
                     at: datetime, *, supersedes=None, early: bool = False,
                     reason: str | None = None) -> int:
    """Add the month's first revision, or the one after ``supersedes`` (the official
    snapshot the caller saw). Had another writer published meanwhile, the revision is taken
    and the database refuses it (IntegrityError)."""
    chain_lock(conn, RankingSnapshot.__tablename__, ward_id)
    return _append(conn, RankingSnapshot.__table__, SNAPSHOT_FIELDS, {
        "ward_id": ward_id, "month": month,
        "revision": supersedes.revision + 1 if supersedes else 1,
        "rubric_version": rubric_version, "rows": rows, "content_hash": content_hash,
        "published_by": user_id, "published_at": at, "early": early,
        "supersedes_id": supersedes.id if supersedes else None, "reason": reason})


# --- published target figures -------------------------------------------------------------

_TARGET_COLUMNS = (*(TargetSnapshot.__table__.c[name] for name in TARGET_FIELDS),
                   TargetSnapshot.id, TargetSnapshot.rows, TargetSnapshot.prev_hash,
                   TargetSnapshot.row_hash)


def target_snapshot(conn: Connection, ward_id: int, month: str):
    """The target figures published for ``month`` (``None``: none)."""
    stmt = select(*_TARGET_COLUMNS).where(TargetSnapshot.ward_id == ward_id,
                                          TargetSnapshot.month == month)
    return conn.execute(stmt).first()


def latest_target_snapshot(conn: Connection, ward_id: int, up_to: str | None = None):
    """The latest month's published target figures, of a month up to ``up_to`` if given."""
    stmt = select(*_TARGET_COLUMNS).where(TargetSnapshot.ward_id == ward_id)
    if up_to is not None:
        stmt = stmt.where(TargetSnapshot.month <= up_to)
    return conn.execute(stmt.order_by(TargetSnapshot.month.desc()).limit(1)).first()


def target_months(conn: Connection, ward_id: int) -> list[str]:
    """The months whose target figures are published, oldest first."""
    stmt = select(TargetSnapshot.month).where(TargetSnapshot.ward_id == ward_id)
    return list(conn.execute(stmt.order_by(TargetSnapshot.month)).scalars())


def publish_targets(conn: Connection, ward_id: int, month: str, plan_version: str,
                    rows: list[dict], content_hash: str, user_id: int | None,
                    at: datetime) -> int:
    """Freeze ``month``'s target figures; once only (a second one: IntegrityError)."""
    chain_lock(conn, TargetSnapshot.__tablename__, ward_id)
    return _append(conn, TargetSnapshot.__table__, TARGET_FIELDS, {
        "ward_id": ward_id, "month": month, "plan_version": plan_version, "rows": rows,
        "content_hash": content_hash, "published_by": user_id, "published_at": at})


# --- purge: the one way a ward's history is deleted ---------------------------------------

@contextmanager
def purge_permit(conn: Connection, ward_id: int, user_id: int | None,
                 reason: str) -> Iterator[None]:
    """Within the block, the ward's audit log and snapshots may be deleted; the purge is
    recorded in the installation's chain with the heads of the chains it removed."""
    heads = {table.name: chain_head(conn, table, ward_id)
             for table in (AuditLog.__table__, RankingSnapshot.__table__,
                           TargetSnapshot.__table__)}
    conn.execute(insert(LedgerPurge), [{"ward_id": ward_id, "reason": reason}])
    yield
    conn.execute(delete(LedgerPurge).where(LedgerPurge.ward_id == ward_id))
    audit(conn, None, user_id, "ledger_purged", "ward", ward_id, reason=reason,
          chain_heads=heads)


def leftover_permits(conn: Connection) -> list[int]:
    """Wards with a purge permit outside a purge (something deleted around the app)."""
    return list(conn.execute(select(LedgerPurge.ward_id)).scalars())
