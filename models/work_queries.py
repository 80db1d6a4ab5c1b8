"""SQL of the plan as work (``models.work``): units and members, tasks, progress and
evidence, unit reports. Every statement is scoped to its ward."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select, update

from models.tables import Campaign, ModelStreet, Neighbourhood, User
from models.work import (
    WorkEvidence,
    WorkProgress,
    WorkTask,
    WorkUnit,
    WorkUnitMember,
    WorkUnitReport,
)

# --- units and members ----------------------------------------------------------------------


def units(conn: Connection, ward_id: int) -> list:
    """The ward's units with their khu phố name and member count, by kind and name."""
    members = (select(WorkUnitMember.unit_id, func.count().label("members"))
               .where(WorkUnitMember.ward_id == ward_id)
               .group_by(WorkUnitMember.unit_id).subquery())
    stmt = (select(WorkUnit.id, WorkUnit.name, WorkUnit.kind, WorkUnit.aliases,
                   WorkUnit.neighbourhood_id, Neighbourhood.name.label("neighbourhood"),
                   func.coalesce(members.c.members, 0).label("members"))
            .outerjoin(Neighbourhood, Neighbourhood.id == WorkUnit.neighbourhood_id)
            .outerjoin(members, members.c.unit_id == WorkUnit.id)
            .where(WorkUnit.ward_id == ward_id).order_by(WorkUnit.kind, WorkUnit.name))
    return list(conn.execute(stmt))


def unit(conn: Connection, ward_id: int, unit_id: int):
    stmt = select(WorkUnit).where(WorkUnit.ward_id == ward_id, WorkUnit.id == unit_id)
    return conn.execute(stmt).first()


def unit_by_name(conn: Connection, ward_id: int, name: str):
    stmt = select(WorkUnit.id).where(WorkUnit.ward_id == ward_id, WorkUnit.name == name)
    return conn.execute(stmt).scalar()


def save_unit(conn: Connection, ward_id: int, values: dict, unit_id: int | None = None) -> int:
    if unit_id is None:
        return conn.execute(insert(WorkUnit).returning(WorkUnit.id),
                            [{"ward_id": ward_id, **values}]).scalar_one()
    conn.execute(update(WorkUnit).where(WorkUnit.ward_id == ward_id, WorkUnit.id == unit_id)
                 .values(**values))
    return unit_id


def members(conn: Connection, ward_id: int, unit_id: int) -> list:
    stmt = (select(WorkUnitMember.id, WorkUnitMember.user_id, WorkUnitMember.position,
                   User.username, User.full_name, User.role)
            .join(User, User.id == WorkUnitMember.user_id)
            .where(WorkUnitMember.ward_id == ward_id, WorkUnitMember.unit_id == unit_id)
            .order_by(User.username))
    return list(conn.execute(stmt))


def unit_recipients(conn: Connection, ward_id: int) -> list:
    """The units' people who have an e-mail and an active account: unit id, name, e-mail,
    language (for the early-warning digest)."""
    stmt = (select(WorkUnitMember.unit_id, User.id.label("user_id"), User.username,
                   User.full_name, User.email, User.language)
            .join(User, User.id == WorkUnitMember.user_id)
            .where(WorkUnitMember.ward_id == ward_id, User.active.is_(True),
                   User.email.is_not(None), User.email != "")
            .order_by(WorkUnitMember.unit_id, User.username))
    return list(conn.execute(stmt))


def add_member(conn: Connection, ward_id: int, unit_id: int, user_id: int,
               position: str | None) -> int:
    return conn.execute(insert(WorkUnitMember).returning(WorkUnitMember.id), [{
        "ward_id": ward_id, "unit_id": unit_id, "user_id": user_id, "position": position,
    }]).scalar_one()


def remove_member(conn: Connection, ward_id: int, unit_id: int, user_id: int) -> int:
    return conn.execute(delete(WorkUnitMember).where(
        WorkUnitMember.ward_id == ward_id, WorkUnitMember.unit_id == unit_id,
        WorkUnitMember.user_id == user_id)).rowcount


def user_units(conn: Connection, ward_id: int, user_id: int) -> list[int]:
    """The ids of the units ``user_id`` is a member of."""
    stmt = select(WorkUnitMember.unit_id).where(WorkUnitMember.ward_id == ward_id,
                                                WorkUnitMember.user_id == user_id)
    return sorted(conn.execute(stmt).scalars())


def unit_neighbourhoods(conn: Connection, ward_id: int, unit_ids: list[int]) -> list[int]:
    stmt = select(WorkUnit.neighbourhood_id).where(
        WorkUnit.ward_id == ward_id, WorkUnit.id.in_(unit_ids),
        WorkUnit.neighbourhood_id.is_not(None))
    return sorted(conn.execute(stmt).scalars())


# --- tasks ------------------------------------------------------------------------------------

TASK_COLUMNS = (WorkTask.id, WorkTask.code, WorkTask.title, WorkTask.product,
                WorkTask.measure_unit, WorkTask.ward_quantity, WorkTask.target_quantity,
                WorkTask.lead_unit_id, WorkTask.co_unit_ids, WorkTask.responsible_name,
                WorkTask.responsible_user_id, WorkTask.approver_unit_id, WorkTask.approver_name,
                WorkTask.deadline, WorkTask.phase, WorkTask.milestones, WorkTask.target_code,
                WorkTask.model_street_id, WorkTask.campaign_id, WorkTask.neighbourhood_id,
                WorkTask.result_value, WorkTask.percent, WorkTask.last_progress_at,
                WorkTask.done_on, WorkTask.created_at)


def tasks(conn: Connection, ward_id: int, unit_ids: list[int] | None = None) -> list:
    """The ward's tasks (those a unit of ``unit_ids`` leads or co-operates on, if given)
    with the lead unit's name, by deadline and code."""
    stmt = (select(*TASK_COLUMNS, WorkUnit.name.label("lead_unit"))
            .join(WorkUnit, WorkUnit.id == WorkTask.lead_unit_id)
            .where(WorkTask.ward_id == ward_id).order_by(WorkTask.deadline, WorkTask.code))
    rows = list(conn.execute(stmt))
    if unit_ids is None:
        return rows
    wanted = set(unit_ids)
    # co_unit_ids is a JSON list: filtered here, the same on both backends.
    return [r for r in rows if r.lead_unit_id in wanted or wanted & set(r.co_unit_ids or ())]


def task(conn: Connection, ward_id: int, task_id: int):
    stmt = (select(*TASK_COLUMNS, WorkUnit.name.label("lead_unit"))
            .join(WorkUnit, WorkUnit.id == WorkTask.lead_unit_id)
            .where(WorkTask.ward_id == ward_id, WorkTask.id == task_id))
    return conn.execute(stmt).first()


def task_codes(conn: Connection, ward_id: int) -> set[str]:
    return set(conn.execute(select(WorkTask.code).where(WorkTask.ward_id == ward_id)).scalars())


def insert_tasks(conn: Connection, ward_id: int, rows: list[dict], user_id: int | None) -> int:
    if rows:
        conn.execute(insert(WorkTask), [{"ward_id": ward_id, "created_by": user_id,
                                         "percent": 0.0, **row} for row in rows])
    return len(rows)


def save_task(conn: Connection, ward_id: int, values: dict, user_id: int | None,
              task_id: int | None = None) -> int:
    if task_id is None:
        return conn.execute(insert(WorkTask).returning(WorkTask.id), [{
            "ward_id": ward_id, "created_by": user_id, "percent": 0.0, **values}]).scalar_one()
    conn.execute(update(WorkTask).where(WorkTask.ward_id == ward_id, WorkTask.id == task_id)
                 .values(**values))
    return task_id


# --- progress and evidence ----------------------------------------------------------------------

def add_progress(conn: Connection, ward_id: int, values: dict) -> int:
    return conn.execute(insert(WorkProgress).returning(WorkProgress.id),
                        [{"ward_id": ward_id, **values}]).scalar_one()


def add_evidence(conn: Connection, ward_id: int, values: dict) -> int:
    return conn.execute(insert(WorkEvidence).returning(WorkEvidence.id),
                        [{"ward_id": ward_id, **values}]).scalar_one()


def progress_of(conn: Connection, ward_id: int, task_id: int) -> list:
    stmt = (select(WorkProgress.id, WorkProgress.value, WorkProgress.percent, WorkProgress.note,
                   WorkProgress.reported_at, WorkUnit.name.label("unit"), User.username,
                   User.full_name)
            .outerjoin(WorkUnit, WorkUnit.id == WorkProgress.unit_id)
            .outerjoin(User, User.id == WorkProgress.user_id)
            .where(WorkProgress.ward_id == ward_id, WorkProgress.task_id == task_id)
            .order_by(WorkProgress.reported_at.desc(), WorkProgress.id.desc()))
    return list(conn.execute(stmt))


def evidence_of(conn: Connection, ward_id: int, task_ids: list[int]) -> list:
    """The evidence of these tasks (without the files' bytes)."""
    stmt = (select(WorkEvidence.id, WorkEvidence.task_id, WorkEvidence.progress_id,
                   WorkEvidence.kind, WorkEvidence.filename, WorkEvidence.size,
                   WorkEvidence.created_at)
            .where(WorkEvidence.ward_id == ward_id, WorkEvidence.task_id.in_(task_ids))
            .order_by(WorkEvidence.id))
    return list(conn.execute(stmt)) if task_ids else []


def evidence(conn: Connection, ward_id: int, evidence_id: int):
    stmt = select(WorkEvidence).where(WorkEvidence.ward_id == ward_id,
                                      WorkEvidence.id == evidence_id)
    return conn.execute(stmt).first()


# --- unit reports -------------------------------------------------------------------------------

def unit_report(conn: Connection, ward_id: int, unit_id: int, month: str):
    stmt = select(WorkUnitReport).where(WorkUnitReport.ward_id == ward_id,
                                        WorkUnitReport.unit_id == unit_id,
                                        WorkUnitReport.month == month)
    return conn.execute(stmt).first()


def save_unit_report(conn: Connection, ward_id: int, unit_id: int, month: str, rows: list,
                     submitted_at, user_id: int | None) -> int:
    existing = unit_report(conn, ward_id, unit_id, month)
    values = {"rows": rows, "submitted_at": submitted_at, "submitted_by": user_id}
    if existing is None:
        return conn.execute(insert(WorkUnitReport).returning(WorkUnitReport.id), [{
            "ward_id": ward_id, "unit_id": unit_id, "month": month, **values}]).scalar_one()
    conn.execute(update(WorkUnitReport).where(WorkUnitReport.id == existing.id).values(**values))
    return existing.id


def unit_reports(conn: Connection, ward_id: int, month: str | None = None) -> list:
    """Submitted unit reports (of ``month``, else all) with their unit's name."""
    stmt = (select(WorkUnitReport.id, WorkUnitReport.unit_id, WorkUnitReport.month,
                   WorkUnitReport.rows, WorkUnitReport.submitted_at,
                   WorkUnit.name.label("unit"))
            .join(WorkUnit, WorkUnit.id == WorkUnitReport.unit_id)
            .where(WorkUnitReport.ward_id == ward_id, WorkUnitReport.submitted_at.is_not(None))
            .order_by(WorkUnitReport.month, WorkUnit.name))
    if month:
        stmt = stmt.where(WorkUnitReport.month == month)
    return list(conn.execute(stmt))


def link_names(conn: Connection, ward_id: int) -> dict[str, dict[int, str]]:
    """The model streets and campaigns a task may link to: ``{field: {id: name}}``."""
    return {
        "model_street_id": dict(conn.execute(select(ModelStreet.id, ModelStreet.name).where(
            ModelStreet.ward_id == ward_id).order_by(ModelStreet.name)).all()),
        "campaign_id": dict(conn.execute(select(Campaign.id, Campaign.name).where(
            Campaign.ward_id == ward_id).order_by(Campaign.starts_on)).all()),
    }


def progress_notes(conn: Connection, ward_id: int, task_ids: list[int] | None = None) -> list:
    """Progress updates (task, note, percent, time) of these tasks, else of the whole ward."""
    stmt = select(WorkProgress.task_id, WorkProgress.note, WorkProgress.percent,
                  WorkProgress.reported_at).where(WorkProgress.ward_id == ward_id)
    if task_ids is not None:
        stmt = stmt.where(WorkProgress.task_id.in_(task_ids))
    return list(conn.execute(stmt.order_by(WorkProgress.reported_at)))


def backdate_task(conn: Connection, ward_id: int, task_id: int, created_at) -> None:
    """Set when a task was made (the demo's tasks that have waited without an update)."""
    conn.execute(update(WorkTask).where(WorkTask.ward_id == ward_id, WorkTask.id == task_id)
                 .values(created_at=created_at))
