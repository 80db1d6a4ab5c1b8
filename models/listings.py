"""Read queries of the desk pages: incidents, boarding houses, follow-ups, audit actions.

Pure SQLAlchemy Core with bound parameters, the same on SpatiaLite and PostGIS. Every
function takes the ward and filters on it. Owner personal data (``PERSONAL_COLUMNS``) is
selected only when a caller asks for it with ``with_personal_data=True``.

Text search folds case and Vietnamese diacritics on both sides ("duong" finds "Đường"):
PostgreSQL with ``translate(lower(...))``, SQLite with the same Python function registered
on the connection, so both backends return the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import aliased

from geo.text import ACCENTED, UNACCENTED, strip_accents
from geo.vocabulary import OPEN_INCIDENT_STATUSES
from models.tables import (
    PERSONAL_COLUMNS,
    AuditLog,
    BoardingHouse,
    Campaign,
    Incident,
    Inspection,
    ModelStreet,
    Neighbourhood,
    Street,
    User,
)


@dataclass(frozen=True)
class Page:
    """One page of a listing: its rows, the total matched, the page number (1-based)."""

    rows: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_index(self) -> int:  # 1-based position of the first row shown (0: none)
        return (self.number - 1) * self.size + min(1, len(self.rows))

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def _page(conn: Connection, stmt, number: int, size: int) -> Page:
    total = conn.execute(select(func.count()).select_from(stmt.order_by(None).subquery())
                         ).scalar_one()
    rows = list(conn.execute(stmt.limit(size).offset((max(1, number) - 1) * size)))
    return Page(rows, total, max(1, number), size)


def _folded(conn: Connection, column):
    if conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        raw.create_function("uo_fold", 1, strip_accents, deterministic=True)
        return func.uo_fold(column)
    return func.translate(func.lower(column), ACCENTED, UNACCENTED)


@dataclass(frozen=True)
class IncidentFilter:
    statuses: tuple[str, ...] = OPEN_INCIDENT_STATUSES  # empty: every status
    category: str | None = None
    neighbourhood_id: int | None = None
    month_from: date | None = None  # first observed month (any day of it)
    month_to: date | None = None  # last observed month, inclusive
    repeat_only: bool = False


def _month_start(day: date, add: int = 0) -> datetime:
    index = day.year * 12 + day.month - 1 + add
    return datetime(index // 12, index % 12 + 1, 1)


def incident_page(conn: Connection, ward_id: int, flt: IncidentFilter, number: int = 1,
                  size: int = 50) -> Page:
    """Incidents in work-through order: open ones first, oldest first."""
    kp, st = Neighbourhood.__table__.alias("kp"), Street.__table__.alias("st")
    where = [Incident.ward_id == ward_id]
    if flt.statuses:
        where.append(Incident.status.in_(flt.statuses))
    if flt.category:
        where.append(Incident.category == flt.category)
    if flt.neighbourhood_id is not None:
        where.append(Incident.neighbourhood_id == flt.neighbourhood_id)
    if flt.month_from:
        where.append(Incident.observed_at >= _month_start(flt.month_from))
    if flt.month_to:
        where.append(Incident.observed_at < _month_start(flt.month_to, 1))
    if flt.repeat_only:
        where.append(Incident.is_repeat.is_(True))
    stmt = (select(Incident.id, Incident.category, Incident.observed_at, Incident.status,
                   Incident.is_repeat, Incident.resolved_at, kp.c.code.label("kp_code"),
                   kp.c.name.label("kp_name"), st.c.name.label("street_name"))
            .outerjoin(kp, kp.c.id == Incident.neighbourhood_id)
            .outerjoin(st, st.c.id == Incident.street_id).where(*where)
            .order_by(case((Incident.status.in_(OPEN_INCIDENT_STATUSES), 0), else_=1),
                      Incident.observed_at, Incident.id))
    return _page(conn, stmt, number, size)


def incident_record(conn: Connection, ward_id: int, incident_id: int):
    """Every fact of one incident with the names of what it is linked to, or ``None``."""
    kp, st = Neighbourhood.__table__.alias("kp"), Street.__table__.alias("st")
    ms, bh = ModelStreet.__table__.alias("ms"), BoardingHouse.__table__.alias("bh")
    cp, reporter = Campaign.__table__.alias("cp"), User.__table__.alias("reporter_user")
    stmt = (select(Incident.id, Incident.category, Incident.observed_at, Incident.status,
                   Incident.reporter, Incident.description, Incident.minutes_no,
                   Incident.fine_vnd, Incident.resolved_at, Incident.is_repeat,
                   Incident.location_accuracy_m, Incident.location_manual, Incident.created_at,
                   func.ST_X(Incident.geom).label("lon"), func.ST_Y(Incident.geom).label("lat"),
                   kp.c.code.label("kp_code"), kp.c.name.label("kp_name"),
                   st.c.name.label("street_name"), ms.c.name.label("model_street_name"),
                   ms.c.level.label("model_street_level"), bh.c.id.label("house_id"),
                   bh.c.name.label("house_name"), cp.c.name.label("campaign_name"),
                   cp.c.id.label("campaign_id"),
                   reporter.c.full_name.label("reported_by_name"),
                   reporter.c.username.label("reported_by_username"))
            .outerjoin(kp, kp.c.id == Incident.neighbourhood_id)
            .outerjoin(st, st.c.id == Incident.street_id)
            .outerjoin(ms, ms.c.id == Incident.model_street_id)
            .outerjoin(bh, and_(bh.c.id == Incident.boarding_house_id, bh.c.ward_id == ward_id))
            .outerjoin(cp, cp.c.id == Incident.campaign_id)
            .outerjoin(reporter, reporter.c.id == Incident.reported_by)
            .where(Incident.ward_id == ward_id, Incident.id == incident_id))
    return conn.execute(stmt).first()


@dataclass(frozen=True)
class HouseFilter:
    text: str = ""  # in name or address, case and diacritics ignored
    neighbourhood_id: int | None = None
    classification: str | None = None  # a code, or "unclassified"
    model_status: str | None = None
    no_commitment: bool = False  # no ANTT commitment signed
    fire_fail: bool = False  # failed fire safety at the last inspection

    def as_dict(self) -> dict:
        """The filters that are set (for the audit log)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False)}


_HOUSE_LIST_COLUMNS = (
    BoardingHouse.id, BoardingHouse.client_uuid, BoardingHouse.name, BoardingHouse.address,
    BoardingHouse.house_type, BoardingHouse.rooms, BoardingHouse.residents,
    BoardingHouse.classification, BoardingHouse.antt_commitment_on, BoardingHouse.extinguishers,
    BoardingHouse.has_alarm, BoardingHouse.has_escape_route, BoardingHouse.model_status,
    BoardingHouse.model_recognised_on, BoardingHouse.last_inspection_on,
    BoardingHouse.fire_safety_pass,
)


def _house_select(conn: Connection, ward_id: int, flt: HouseFilter, columns):
    kp, st = Neighbourhood.__table__.alias("kp"), Street.__table__.alias("st")
    where = [BoardingHouse.ward_id == ward_id]
    if needle := strip_accents(flt.text.strip()):
        where.append(or_(*(_folded(conn, column).contains(needle, autoescape=True)
                           for column in (BoardingHouse.name, BoardingHouse.address))))
    if flt.neighbourhood_id is not None:
        where.append(BoardingHouse.neighbourhood_id == flt.neighbourhood_id)
    if flt.classification == "unclassified":
        where.append(BoardingHouse.classification.is_(None))
    elif flt.classification:
        where.append(BoardingHouse.classification == flt.classification)
    if flt.model_status:
        where.append(BoardingHouse.model_status == flt.model_status)
    if flt.no_commitment:
        where.append(BoardingHouse.antt_commitment_on.is_(None))
    if flt.fire_fail:
        where.append(BoardingHouse.fire_safety_pass == false())
    return (select(*columns, kp.c.code.label("kp_code"), kp.c.name.label("kp_name"),
                   st.c.name.label("street_name"))
            .outerjoin(kp, kp.c.id == BoardingHouse.neighbourhood_id)
            .outerjoin(st, st.c.id == BoardingHouse.street_id)
            .where(*where)
            .order_by(kp.c.code.is_(None), kp.c.code, BoardingHouse.name, BoardingHouse.id))


def house_page(conn: Connection, ward_id: int, flt: HouseFilter, number: int = 1,
               size: int = 50) -> Page:
    """Boarding houses by khu phố and name; never with personal data."""
    return _page(conn, _house_select(conn, ward_id, flt, _HOUSE_LIST_COLUMNS), number, size)


def houses_for_export(conn: Connection, ward_id: int, flt: HouseFilter,
                      with_personal_data: bool = False) -> list:
    columns = [*_HOUSE_LIST_COLUMNS, func.ST_X(BoardingHouse.geom).label("lon"),
               func.ST_Y(BoardingHouse.geom).label("lat")]
    if with_personal_data:
        columns += [BoardingHouse.__table__.c[name] for name in PERSONAL_COLUMNS]
    return list(conn.execute(_house_select(conn, ward_id, flt, columns)))


def house_record(conn: Connection, ward_id: int, house_id: int,
                 with_personal_data: bool = False):
    """Every fact of one boarding house (owner data only if asked for), or ``None``."""
    recorder = User.__table__.alias("recorder")
    columns = [*_HOUSE_LIST_COLUMNS, BoardingHouse.location_accuracy_m,
               BoardingHouse.location_manual, BoardingHouse.created_at,
               BoardingHouse.updated_at, func.ST_X(BoardingHouse.geom).label("lon"),
               func.ST_Y(BoardingHouse.geom).label("lat"),
               recorder.c.full_name.label("recorded_by_name")]
    if with_personal_data:
        columns += [BoardingHouse.__table__.c[name] for name in PERSONAL_COLUMNS]
    stmt = (_house_select(conn, ward_id, HouseFilter(), columns)
            .outerjoin(recorder, recorder.c.id == BoardingHouse.recorded_by)
            .where(BoardingHouse.id == house_id))
    return conn.execute(stmt).first()


def house_inspections(conn: Connection, ward_id: int, house_id: int) -> list:
    """Inspections of one house, newest first."""
    stmt = (select(Inspection.id, Inspection.inspected_at, Inspection.officer, Inspection.findings,
                   Inspection.fire_safety_pass, Inspection.residents_counted,
                   Inspection.follow_up_on, Inspection.follow_up_done_on)
            .where(Inspection.ward_id == ward_id, Inspection.boarding_house_id == house_id)
            .order_by(Inspection.inspected_at.desc(), Inspection.id.desc()))
    return list(conn.execute(stmt))


def _pending_follow_up(ward_id: int):
    """Conditions on ``Inspection``: a follow-up is set, not done, and nothing came after."""
    later = aliased(Inspection)
    # A house's inspections are all in its ward: matching on the house alone lets SQLite
    # use ix_inspection_boarding_house_id (with ``later.ward_id`` too it walked the whole
    # ward's inspections for each one: 0.26 s instead of 5 ms on the demo).
    superseded = exists().where(
        later.boarding_house_id == Inspection.boarding_house_id,
        or_(later.inspected_at > Inspection.inspected_at,
            and_(later.inspected_at == Inspection.inspected_at, later.id > Inspection.id)))
    return and_(Inspection.ward_id == ward_id, Inspection.follow_up_on.is_not(None),
                Inspection.follow_up_done_on.is_(None), ~superseded)


def follow_ups(conn: Connection, ward_id: int, due_by: date, number: int = 1,
               size: int = 50) -> Page:
    """Pending follow-up inspections due on or before ``due_by``, earliest due first.

    Pass today's date for the overdue ones plus today's; a later date adds upcoming ones.
    """
    kp = Neighbourhood.__table__.alias("kp")
    stmt = (select(Inspection.id, Inspection.inspected_at, Inspection.follow_up_on,
                   Inspection.findings, Inspection.officer,
                   BoardingHouse.id.label("house_id"), BoardingHouse.client_uuid,
                   BoardingHouse.name, BoardingHouse.address, kp.c.code.label("kp_code"),
                   kp.c.name.label("kp_name"))
            .join(BoardingHouse, and_(BoardingHouse.id == Inspection.boarding_house_id,
                                      BoardingHouse.ward_id == ward_id))
            .outerjoin(kp, kp.c.id == BoardingHouse.neighbourhood_id)
            .where(_pending_follow_up(ward_id), Inspection.follow_up_on <= due_by)
            .order_by(Inspection.follow_up_on, BoardingHouse.name, Inspection.id))
    return _page(conn, stmt, number, size)


def overdue_count(conn: Connection, ward_id: int, today: date) -> int:
    return conn.execute(select(func.count()).select_from(Inspection).where(
        _pending_follow_up(ward_id), Inspection.follow_up_on < today)).scalar_one()


def audit_actions(conn: Connection, ward_id: int) -> list[str]:
    """The actions that occur in the ward's audit log (for the filter)."""
    return sorted(conn.execute(select(AuditLog.action).where(AuditLog.ward_id == ward_id)
                               .distinct()).scalars())
