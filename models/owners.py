"""SQL for owners' rights (Law 91/2025/QH15): what is held about one owner, and erasing it.

An owner is found by ID number or phone in one ward; a house record stays when its owner's
data is erased: the name becomes ``ERASED_MARKER``, phone and ID number NULL.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, or_, select, update

from models.tables import (
    PERSONAL_COLUMNS,
    AuditLog,
    BoardingHouse,
    Incident,
    Inspection,
    Photo,
    User,
)

ERASED_MARKER = "đã xoá theo yêu cầu"
# Audit actions that disclose owner data for many houses at once (no entity id).
BULK_PERSONAL_ACTIONS = ("export_personal_data", "download_personal_data")


def owner_house_ids(conn: Connection, ward_id: int, *, id_number: str | None = None,
                    phone: str | None = None) -> list[int]:
    """The ward's houses whose owner has this ID number or phone (stored normalised)."""
    match = []
    if id_number:
        match.append(BoardingHouse.owner_id_number == id_number)
    if phone:
        match.append(BoardingHouse.owner_phone == phone)
    if not match:
        return []
    stmt = select(BoardingHouse.id).where(BoardingHouse.ward_id == ward_id, or_(*match))
    return list(conn.execute(stmt.order_by(BoardingHouse.id)).scalars())


def owner_fields(conn: Connection, ward_id: int, house_ids: list[int]) -> list:
    stmt = select(BoardingHouse.id, *(BoardingHouse.__table__.c[n] for n in PERSONAL_COLUMNS))
    return list(conn.execute(stmt.where(BoardingHouse.ward_id == ward_id,
                                        BoardingHouse.id.in_(house_ids))
                             .order_by(BoardingHouse.id)))


def incidents_of_houses(conn: Connection, ward_id: int, house_ids: list[int]) -> list:
    stmt = (select(Incident.id, Incident.boarding_house_id, Incident.category,
                   Incident.observed_at, Incident.status, Incident.reporter,
                   Incident.description, Incident.minutes_no, Incident.fine_vnd,
                   Incident.resolved_at)
            .where(Incident.ward_id == ward_id, Incident.boarding_house_id.in_(house_ids))
            .order_by(Incident.observed_at, Incident.id))
    return list(conn.execute(stmt))


def photo_counts(conn: Connection, ward_id: int, entity: str, ids: list[int]) -> dict[int, int]:
    stmt = (select(Photo.entity_id, func.count()).where(
        Photo.ward_id == ward_id, Photo.entity == entity, Photo.entity_id.in_(ids))
        .group_by(Photo.entity_id))
    return dict(conn.execute(stmt).all())


def inspections_of_houses(conn: Connection, ward_id: int, house_ids: list[int]) -> list:
    stmt = (select(Inspection.id, Inspection.boarding_house_id, Inspection.inspected_at,
                   Inspection.officer, Inspection.findings, Inspection.fire_safety_pass,
                   Inspection.residents_counted, Inspection.follow_up_on,
                   Inspection.follow_up_done_on)
            .where(Inspection.ward_id == ward_id, Inspection.boarding_house_id.in_(house_ids))
            .order_by(Inspection.inspected_at, Inspection.id))
    return list(conn.execute(stmt))


def access_log(conn: Connection, ward_id: int, house_ids: list[int]) -> list:
    """Who saw, changed or exported these houses' owner data: the rows naming one of them,
    and the ward-wide personal-data exports made since the first of them was recorded."""
    since = conn.execute(select(func.min(BoardingHouse.created_at)).where(
        BoardingHouse.ward_id == ward_id, BoardingHouse.id.in_(house_ids))).scalar()
    about_them = and_(AuditLog.entity == "boarding_house", AuditLog.entity_id.in_(house_ids))
    bulk = and_(AuditLog.entity_id.is_(None), AuditLog.action.in_(BULK_PERSONAL_ACTIONS),
                AuditLog.created_at >= since)
    stmt = (select(AuditLog.id, AuditLog.created_at, AuditLog.action, AuditLog.entity_id,
                   AuditLog.detail, User.username, User.full_name)
            .outerjoin(User, User.id == AuditLog.user_id)
            .where(AuditLog.ward_id == ward_id, or_(about_them, bulk) if since else about_them)
            .order_by(AuditLog.id))
    return list(conn.execute(stmt))


def erase_owner_fields(conn: Connection, ward_id: int, house_ids: list[int]) -> int:
    """Replace the owner's data on these houses by the marker; the number of houses changed."""
    stmt = (update(BoardingHouse)
            .where(BoardingHouse.ward_id == ward_id, BoardingHouse.id.in_(house_ids))
            .values(owner_name=ERASED_MARKER, owner_phone=None, owner_id_number=None))
    return conn.execute(stmt).rowcount
