"""Non-spatial records: users, audit log, idempotent field submissions, events, campaigns.

The audit log and published snapshots are written by ``models.ledger`` (re-exported here).

Spatial SQL stays in ``models.queries``; this module never touches geometry, but for
``add_incident``, which passes a new incident's point (made by ``models.queries``) along.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime

import shapely
from sqlalchemy import (
    Connection,
    bindparam,
    func,
    insert,
    select,
    update,
)

from models import dialects, ledger, queries, writes
from models.layer_filters import (
    FilterShape,
    LayerFilter,
    bound_filter_clauses,
    filter_shape,
    filter_values,
)
from models.tables import (
    AuditLog,
    BoardingHouse,
    Campaign,
    FieldSubmission,
    Incident,
    IncidentEvent,
    Inspection,
    User,
    Ward,
)

ROLES = ("superadmin", "admin", "police", "urban_staff", "leader", "province", "khu_pho_head")


# --- users --------------------------------------------------------------------------------

USER_COLUMNS = (User.id, User.ward_id, User.username, User.full_name, User.role, User.active,
                 User.session_version, User.password_hash, User.last_login_at, User.language,
                 User.email)


def user_by_id(conn: Connection, user_id: int):
    return conn.execute(select(*USER_COLUMNS).where(User.id == user_id)).first()


def user_by_username(conn: Connection, username: str):
    return conn.execute(select(*USER_COLUMNS).where(User.username == username)).first()


def any_user(conn: Connection) -> bool:
    return conn.execute(select(User.id).limit(1)).first() is not None


def superadmins(conn: Connection) -> list:
    stmt = select(*USER_COLUMNS).where(User.ward_id.is_(None)).order_by(User.username)
    return list(conn.execute(stmt))


def users_of_ward(conn: Connection, ward_id: int) -> list:
    stmt = select(*USER_COLUMNS).where(User.ward_id == ward_id).order_by(User.role, User.username)
    return list(conn.execute(stmt))


def add_user(conn: Connection, ward_id: int | None, username: str, password_hash: str, role: str,
             full_name: str | None = None) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    stmt = insert(User).returning(User.id)
    return conn.execute(stmt, [{"ward_id": ward_id, "username": username, "role": role,
                                "password_hash": password_hash, "full_name": full_name,
                                "active": True, "session_version": 1}]).scalar_one()


def update_user(conn: Connection, user_id: int, *, end_sessions: bool = False, **values) -> None:
    """Change a user; ``end_sessions`` signs the user out everywhere."""
    if end_sessions:
        values["session_version"] = User.session_version + 1
    conn.execute(update(User).where(User.id == user_id).values(**values))


# --- audit log (written through models.ledger: append-only, hash-chained) -----------------

audit = ledger.audit


def audit_entries(conn: Connection, ward_id: int, limit: int = 200, offset: int = 0,
                  action: str | None = None) -> tuple[list, int]:
    where = [AuditLog.ward_id == ward_id]
    if action:
        where.append(AuditLog.action == action)
    stmt = (select(AuditLog.id, AuditLog.created_at, AuditLog.action, AuditLog.entity,
                   AuditLog.entity_id, AuditLog.detail, User.username, User.full_name)
            .outerjoin(User, User.id == AuditLog.user_id).where(*where)
            .order_by(AuditLog.id.desc()).limit(limit).offset(offset))
    total = conn.execute(select(func.count()).select_from(AuditLog).where(*where)).scalar_one()
    return list(conn.execute(stmt)), total


# --- idempotent submissions ---------------------------------------------------------------

# Built once: every field record looks its receipt up first, and building the statement
# anew cost more Python than running it.
_RECEIPT = select(FieldSubmission.kind, FieldSubmission.entity, FieldSubmission.entity_id,
                  FieldSubmission.content_hash).where(
    FieldSubmission.ward_id == bindparam("ward_id"),
    FieldSubmission.client_uuid == bindparam("client_uuid"))


def submission(conn: Connection, ward_id: int, client_uuid: uuid.UUID):
    return conn.execute(_RECEIPT, {"ward_id": ward_id, "client_uuid": client_uuid}).first()


_RECEIPTED = select(FieldSubmission.client_uuid).where(
    FieldSubmission.ward_id == bindparam("ward_id"),
    FieldSubmission.client_uuid.in_(bindparam("client_uuids", expanding=True)))


def receipted(conn: Connection, ward_id: int, client_uuids: list[uuid.UUID]) -> set:
    """Which of ``client_uuids`` the ward has a submission for (one statement, for a
    batch's records)."""
    if not client_uuids:
        return set()
    return set(conn.execute(_RECEIPTED, {"ward_id": ward_id,
                                         "client_uuids": client_uuids}).scalars())


def record_submission(conn: Connection, ward_id: int, client_uuid: uuid.UUID, kind: str,
                      entity: str, entity_id: int, content_hash: str,
                      user_id: int | None) -> None:
    conn.execute(insert(FieldSubmission), [{
        "ward_id": ward_id, "client_uuid": client_uuid, "kind": kind, "entity": entity,
        "entity_id": entity_id, "content_hash": content_hash, "user_id": user_id,
    }])


def add_incident(conn: Connection, values: dict, lon: float, lat: float, event: dict,
                 receipt: dict) -> int:
    """A new incident at (lon, lat), its first event and its submission's receipt (each
    without ``incident_id``/``entity_id``: the new id); returns the id.

    On PostgreSQL one statement (data-modifying CTEs): one round trip instead of three, and
    the incident's row — whose ``tile_cell`` trigger locks the cell's count until commit —
    is written last before the commit (a record's photos aside), so writers in one cell wait
    the least.
    """
    if conn.dialect.name != "postgresql":  # SQLite: no round trips to save
        incident_id = writes.insert_point_record(conn, Incident.__table__, values, lon, lat)
        conn.execute(insert(IncidentEvent), [{**event, "incident_id": incident_id}])
        conn.execute(insert(FieldSubmission), [{**receipt, "entity_id": incident_id}])
        return incident_id
    row = {**values, "geom": writes.ewkt(shapely.Point(lon, lat))}
    stmt = _incident_statement(tuple(row), tuple(event), tuple(receipt))
    params = {**{f"i_{k}": v for k, v in row.items()}, **{f"e_{k}": v for k, v in event.items()},
              **{f"r_{k}": v for k, v in receipt.items()}}
    return conn.execute(stmt, params).scalar_one()


@functools.lru_cache(maxsize=16)
def _incident_statement(row: tuple, event: tuple, receipt: tuple):
    """``add_incident``'s statement for these columns, built once per process: building
    it anew (``values(**row)``, three inserts) costs more than running it."""
    def bound(table, prefix: str, names: tuple):
        return [bindparam(f"{prefix}_{n}", type_=table.__table__.c[n].type) for n in names]

    new = (insert(Incident).values(dict(zip(row, bound(Incident, "i", row), strict=True)))
           .returning(Incident.id).cte("new_incident"))
    stmt = select(new.c.id)
    for table, names, prefix, key in ((IncidentEvent, event, "e", "incident_id"),
                                      (FieldSubmission, receipt, "r", "entity_id")):
        stmt = stmt.add_cte(insert(table).from_select(
            [key, *names], select(new.c.id, *bound(table, prefix, names)))
            .cte(f"new_{table.__tablename__}"))
    return stmt


def repeat_candidates(conn: Connection, ward_id: int, flt: LayerFilter) -> list[tuple]:
    """``(geometry, resolved_at)`` of the ward's incidents passing ``flt`` (a box, a
    category, a first day: what a new record's repeat check compares it with), in id order
    — the rows ``queries.read_rows`` gives, by a statement built once per dialect and filter
    shape on the layers' own filter clauses."""
    layer = queries.LAYERS["incidents"]
    rows = conn.execute(_repeat_statement(conn.dialect.name, filter_shape(flt)),
                        {"ward_id": ward_id, **filter_values(layer, flt)})
    return [(shapely.from_wkb(bytes(wkb)), resolved_at) for resolved_at, wkb in rows]


@functools.lru_cache(maxsize=8)
def _repeat_statement(dialect: str, shape: FilterShape):
    layer = queries.LAYERS["incidents"]
    table = layer.table
    return (select(table.c.resolved_at, dialects.wkb(table.c[layer.geom]))
            .where(table.c.ward_id == bindparam("ward_id"),
                   *bound_filter_clauses(dialect, layer, shape))
            .order_by(table.c.id))


# --- incident workflow --------------------------------------------------------------------

def add_incident_event(conn: Connection, ward_id: int, incident_id: int, from_status: str | None,
                       to_status: str, user_id: int | None, note: str | None = None,
                       at: datetime | None = None) -> None:
    values = {"ward_id": ward_id, "incident_id": incident_id, "from_status": from_status,
              "to_status": to_status, "user_id": user_id, "note": note}
    if at is not None:
        values["created_at"] = at
    conn.execute(insert(IncidentEvent), [values])


def incident_events(conn: Connection, ward_id: int, incident_id: int) -> list:
    stmt = (select(IncidentEvent.created_at, IncidentEvent.from_status, IncidentEvent.to_status,
                   IncidentEvent.note, User.full_name, User.username)
            .outerjoin(User, User.id == IncidentEvent.user_id)
            .where(IncidentEvent.ward_id == ward_id, IncidentEvent.incident_id == incident_id)
            .order_by(IncidentEvent.id))
    return list(conn.execute(stmt))


def ward_name(conn: Connection, ward_id: int) -> str:
    return conn.execute(select(Ward.name).where(Ward.id == ward_id)).scalar_one()


def house_by_uuid(conn: Connection, ward_id: int, house_uuid: uuid.UUID):
    stmt = select(BoardingHouse.id, BoardingHouse.last_inspection_on).where(
        BoardingHouse.ward_id == ward_id, BoardingHouse.client_uuid == house_uuid)
    return conn.execute(stmt).first()


def incident_state(conn: Connection, ward_id: int, incident_id: int):
    stmt = select(Incident.id, Incident.status, Incident.category, Incident.client_uuid).where(
        Incident.ward_id == ward_id, Incident.id == incident_id)
    return conn.execute(stmt).first()


def add_inspection(conn: Connection, values: dict) -> int:
    """A boarding-house inspection (``values``: its columns); its id."""
    return conn.execute(insert(Inspection).returning(Inspection.id), [values]).scalar_one()


def inspected_house(conn: Connection, ward_id: int, inspection_id: int) -> int:
    """The boarding house an inspection of the ward was of."""
    return conn.execute(select(Inspection.boarding_house_id).where(
        Inspection.ward_id == ward_id, Inspection.id == inspection_id)).scalar_one()


def close_follow_ups(conn: Connection, ward_id: int, house_id: int, inspected_at) -> None:
    """An inspection fulfils every earlier follow-up of the same house still open."""
    conn.execute(update(Inspection).where(
        Inspection.ward_id == ward_id, Inspection.boarding_house_id == house_id,
        Inspection.follow_up_on.is_not(None), Inspection.follow_up_done_on.is_(None),
        Inspection.inspected_at < inspected_at,
    ).values(follow_up_done_on=inspected_at.date()))


# --- published snapshots ------------------------------------------------------------------

# Published snapshots live in models.ledger (append-only, revisions, hash chain).
snapshot, snapshots, publish_snapshot = ledger.snapshot, ledger.snapshots, ledger.publish_snapshot


def campaigns(conn: Connection, ward_id: int) -> list:
    stmt = select(Campaign.starts_on, Campaign.ends_on).where(Campaign.ward_id == ward_id)
    return list(conn.execute(stmt.order_by(Campaign.starts_on)))
