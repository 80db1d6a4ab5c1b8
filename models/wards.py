"""The ward itself: create, change its outline, count what it holds, remove it; its khu
phố and street layer replaced from an import."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select, update

from models import ledger
from models.registers import RegisterEntry, RegisterType
from models.tables import (
    AuditLog,
    BoardingHouse,
    Campaign,
    FieldSubmission,
    Incident,
    IncidentEvent,
    Inspection,
    ManualScore,
    ModelStreet,
    ModelStreetCheck,
    ModelStreetEvent,
    MonthlyReportEntry,
    Neighbourhood,
    Photo,
    PlanVersion,
    RankingSnapshot,
    RubricVersion,
    Street,
    TargetSnapshot,
    TargetValue,
    User,
    UserSession,
    Ward,
)
from models.work import (
    WorkEvidence,
    WorkProgress,
    WorkTask,
    WorkUnit,
    WorkUnitMember,
    WorkUnitReport,
)
from models.writes import delete_ward_rows, ewkt

# What a ward holds, children first (SpatiaLite's triggers and foreign keys need the order).
WARD_TABLES = (RegisterEntry, RegisterType, WorkEvidence, WorkProgress, WorkUnitReport,
               WorkUnitMember, WorkTask, WorkUnit,
               IncidentEvent, ModelStreetEvent, ModelStreetCheck, Photo, FieldSubmission,
               AuditLog, RankingSnapshot, TargetSnapshot, ManualScore, MonthlyReportEntry,
               TargetValue, RubricVersion, PlanVersion, Inspection, Incident, BoardingHouse,
               ModelStreet, Campaign, Street, Neighbourhood, UserSession, User)
# The ward's records: what staff and police made. Khu phố, streets and accounts are its set-up.
RECORD_TABLES = {"boarding_house": BoardingHouse, "inspection": Inspection,
                 "incident": Incident, "model_street": ModelStreet, "campaign": Campaign,
                 "ranking_snapshot": RankingSnapshot, "target_snapshot": TargetSnapshot,
                 "monthly_report_entry": MonthlyReportEntry,
                 "target_value": TargetValue, "register_entry": RegisterEntry}
SETUP_TABLES = {"neighbourhood": Neighbourhood, "street": Street, "app_user": User}


def insert_ward(conn: Connection, code: str, name: str, boundary, metric_epsg: int,
                is_synthetic: bool, province: str | None = None) -> int:
    result = conn.execute(insert(Ward).returning(Ward.id), [{
        "code": code, "name": name, "province": province, "metric_epsg": metric_epsg,
        "is_synthetic": is_synthetic, "boundary": ewkt(boundary),
    }])
    return result.scalar_one()


def set_boundary(conn: Connection, ward_id: int, boundary) -> None:
    conn.execute(update(Ward).where(Ward.id == ward_id).values(boundary=ewkt(boundary)))


def counts(conn: Connection, ward_id: int, tables: dict) -> dict[str, int]:
    return {name: conn.execute(select(func.count()).select_from(table).where(
        table.ward_id == ward_id)).scalar_one() for name, table in tables.items()}


def delete_ward(conn: Connection, ward_id: int, user_id: int | None = None,
                reason: str = "ward_removed") -> None:
    """Remove a ward and everything it holds; its append-only history goes through the
    ledger's purge, which the installation's audit chain records."""
    with ledger.purge_permit(conn, ward_id, user_id, reason):
        for table in WARD_TABLES:
            conn.execute(delete(table).where(table.ward_id == ward_id))
    conn.execute(delete(Ward).where(Ward.id == ward_id))


def update_neighbourhood(conn: Connection, neighbourhood_id: int, *, name: str, population,
                         households, head_name, boundary) -> None:
    """A khu phố's attributes and outline from a new boundary file (its id stays, so its
    manual scores and history stay attached)."""
    conn.execute(update(Neighbourhood).where(Neighbourhood.id == neighbourhood_id).values(
        name=name, population=population, households=households, head_name=head_name,
        boundary=ewkt(boundary)))


def remove_neighbourhoods(conn: Connection, ward_id: int, ids: list[int]) -> None:
    """Khu phố no longer in the ward's boundary file: its houses, incidents and model
    streets lose the link (re-assigned by geometry afterwards), its manual scores go."""
    if not ids:
        return
    for table in (BoardingHouse, Incident, ModelStreet):
        conn.execute(update(table).where(table.ward_id == ward_id,
                                         table.neighbourhood_id.in_(ids))
                     .values(neighbourhood_id=None))
    conn.execute(delete(ManualScore).where(ManualScore.ward_id == ward_id,
                                           ManualScore.neighbourhood_id.in_(ids)))
    conn.execute(delete(Neighbourhood).where(Neighbourhood.ward_id == ward_id,
                                             Neighbourhood.id.in_(ids)))


def remove_streets(conn: Connection, ward_id: int) -> int:
    """The ward's whole street layer, before a new one replaces it; how many streets went.
    Links first: SQLite has no foreign key on model_street.street_id to null them."""
    for table in (BoardingHouse, Incident, ModelStreet):
        conn.execute(update(table).where(table.ward_id == ward_id).values(street_id=None))
    return delete_ward_rows(conn, Street, ward_id)
