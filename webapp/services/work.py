"""The plan as work: a ward's units and their people, tasks by the six "rõ", the task table
imported all-or-nothing, progress updates with evidence — each write one transaction with
its audit row. Who may do what is decided by the caller's role (``webapp.auth``) and here by
membership: a member reports only for the tasks their unit leads or co-operates on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from geo import work, workform, worktable
from models import queries, records
from models import work_queries as store
from webapp.services import evidence as evidence_checks
from webapp.services.model_streets import Refused


@dataclass(frozen=True)
class Worker:
    """Who is acting: their id, whether they act for the whole ward (admin) and their units."""

    user_id: int | None
    whole_ward: bool
    unit_ids: tuple[int, ...]

    def reports_for(self, task) -> bool:
        return self.whole_ward or task.lead_unit_id in self.unit_ids or \
            bool(set(task.co_unit_ids or ()) & set(self.unit_ids))


def worker(conn, ward_id: int, user_id: int, whole_ward: bool) -> Worker:
    return Worker(user_id, whole_ward, tuple(store.user_units(conn, ward_id, user_id)))


# --- units ---------------------------------------------------------------------------------

def save_unit(tx, ward_id: int, user_id: int | None, form, unit_id: int | None = None) -> int:
    kp_ids = {r.id for r in queries.neighbourhood_names(tx, ward_id)}
    clean, errors = workform.validate_unit(form, kp_ids)
    if unit_id is not None and store.unit(tx, ward_id, unit_id) is None:
        raise Refused([("id", "Không có đơn vị này trong phường.")])
    same = store.unit_by_name(tx, ward_id, clean["name"]) if clean["name"] else None
    if same is not None and same != unit_id:
        errors.append(("name", f"Phường đã có đơn vị “{clean['name']}”."))
    if errors:
        raise Refused(errors)
    saved = store.save_unit(tx, ward_id, clean, unit_id)
    records.audit(tx, ward_id, user_id, "work_unit_saved", "work_unit", saved,
                  name=clean["name"], kind=clean["kind"], created=unit_id is None)
    return saved


def add_member(tx, ward_id: int, by_user_id: int | None, unit_id: int, username: str,
               position: str | None) -> int:
    if store.unit(tx, ward_id, unit_id) is None:
        raise Refused([("unit", "Không có đơn vị này trong phường.")])
    user = records.user_by_username(tx, (username or "").strip().casefold())
    if user is None or user.ward_id != ward_id:
        raise Refused([("username", f"Không có tài khoản “{username}” trong phường.")])
    if any(m.user_id == user.id for m in store.members(tx, ward_id, unit_id)):
        raise Refused([("username", f"“{user.username}” đã là thành viên của đơn vị.")])
    position, errors = workform.validate_position(position)
    if errors:
        raise Refused(errors)
    store.add_member(tx, ward_id, unit_id, user.id, position)
    records.audit(tx, ward_id, by_user_id, "work_member_added", "work_unit", unit_id,
                  user=user.username)
    return unit_id


def remove_member(tx, ward_id: int, by_user_id: int | None, unit_id: int, user_id: int) -> int:
    if not store.remove_member(tx, ward_id, unit_id, user_id):
        raise Refused([("user", "Người này không thuộc đơn vị.")])
    records.audit(tx, ward_id, by_user_id, "work_member_removed", "work_unit", unit_id,
                  user_id=user_id)
    return unit_id


# --- tasks ---------------------------------------------------------------------------------

def task_links(conn, ward_id: int, plan) -> dict[str, dict]:
    """What a task may link to: ``{field: {id or code: label}}``."""
    return {
        "target_code": {t["code"]: t["label"] for t in plan.targets},
        **store.link_names(conn, ward_id),
        "neighbourhood_id": {r.id: r.name for r in queries.neighbourhood_names(conn, ward_id)},
    }


def save_task(tx, ward_id: int, plan, user_id: int | None, form,
              task_id: int | None = None) -> int:
    units = {u.id for u in store.units(tx, ward_id)}
    clean, errors = workform.validate_task(form, units, {
        k: set(v) for k, v in task_links(tx, ward_id, plan).items()})
    before = store.task(tx, ward_id, task_id) if task_id is not None else None
    if task_id is not None and before is None:
        raise Refused([("id", "Không có nhiệm vụ này trong phường.")])
    if clean["code"] and clean["code"] in store.task_codes(tx, ward_id) and \
            (before is None or before.code != clean["code"]):
        errors.append(("code", f"STT “{clean['code']}” đã có nhiệm vụ khác."))
    if errors:
        raise Refused(errors)
    saved = store.save_task(tx, ward_id, clean, user_id, task_id)
    records.audit(tx, ward_id, user_id, "work_task_saved", "work_task", saved,
                  code=clean["code"], created=task_id is None)
    return saved


class ImportRefused(Exception):
    """Nothing was stored; ``table`` holds the row-level report."""

    def __init__(self, table: worktable.TaskTable) -> None:
        super().__init__("; ".join(table.problems) or "rows refused")
        self.table = table


def check_task_table(conn, ward_id: int, path) -> worktable.TaskTable:
    """The dry run: every row checked against the ward's units and task codes."""
    units = [(u.id, u.name, u.aliases) for u in store.units(conn, ward_id)]
    try:
        rows = worktable.read_rows(path)
    except ValueError as err:
        return worktable.TaskTable({}, [], [], [str(err)])
    return worktable.check_table(rows, units, store.task_codes(conn, ward_id))


def import_task_table(engine, ward_id: int, path, user_id: int | None, filename: str) -> int:
    """Check again and store every task in one transaction; ``ImportRefused`` (nothing
    stored) if any row or the file is wrong."""
    with engine.begin() as tx:
        table = check_task_table(tx, ward_id, path)
        if not table.ok or not table.rows:
            if not table.rows and not table.problems:
                table.problems.append("Bảng không có dòng nhiệm vụ nào.")
            raise ImportRefused(table)
        count = store.insert_tasks(tx, ward_id, [r.values for r in table.rows], user_id)
        records.audit(tx, ward_id, user_id, "work_tasks_imported", "work_task", None,
                      rows=count, file=filename)
        return count


# --- progress and evidence -------------------------------------------------------------------

def record_progress(tx, ward_id: int, who: Worker, task_id: int, form,
                    uploads: list[tuple[str, bytes]], now: datetime) -> int:
    """One progress update with its evidence, in the caller's transaction: the update row,
    the task's latest result, each file, one audit row."""
    task = store.task(tx, ward_id, task_id)
    if task is None:
        raise Refused([("id", "Không có nhiệm vụ này trong phường.")])
    if not who.reports_for(task):
        raise Refused([("unit", "Chỉ đơn vị chủ trì hoặc phối hợp mới cập nhật được tiến độ "
                                "nhiệm vụ này.")])
    clean, errors = workform.validate_progress(form)
    files = evidence_checks.check_all(uploads, errors)
    if errors:
        raise Refused(errors)
    unit_id = next((u for u in who.unit_ids if u == task.lead_unit_id),
                   next((u for u in who.unit_ids if u in (task.co_unit_ids or ())), None))
    progress_id = store.add_progress(tx, ward_id, {
        **clean, "task_id": task_id, "unit_id": unit_id, "reported_at": now,
        "user_id": who.user_id})
    for item in files:
        store.add_evidence(tx, ward_id, {
            "progress_id": progress_id, "task_id": task_id, "kind": item.kind,
            "filename": item.filename, "content_type": item.content_type,
            "size": len(item.data), "sha256": item.sha256, "data": item.data,
            "user_id": who.user_id})
    store.save_task(tx, ward_id, {
        "percent": clean["percent"], "result_value": clean["value"], "last_progress_at": now,
        "done_on": workform.done_on(clean["percent"], now.date(), task.done_on)},
        who.user_id, task_id)
    records.audit(tx, ward_id, who.user_id, "work_progress", "work_task", task_id,
                  percent=clean["percent"], files=[f.filename for f in files])
    return task_id


# --- reading ---------------------------------------------------------------------------------

def task_dict(row) -> dict:
    """A task row as ``geo.work`` reads it."""
    created = row.created_at.date() if isinstance(row.created_at, datetime) else row.created_at
    return {**row._asdict(), "created_on": created}


def board(conn, ward_id: int, today: date, settings: work.WorkSettings,
          unit_ids: list[int] | None = None) -> list[dict]:
    """The tasks (of ``unit_ids``, else all) with their warning, by urgency then deadline."""
    order = {key: i for i, key in enumerate(("late", "due_soon", "stuck", "on_track", "done"))}
    rows = []
    for row in store.tasks(conn, ward_id, unit_ids):
        item = task_dict(row)
        item["warning"] = work.warn(item, today, settings)
        item["warning_label"] = work.WARNINGS[item["warning"]]
        rows.append(item)
    return sorted(rows, key=lambda r: (order[r["warning"]], r["deadline"], r["code"]))


def per_unit(conn, ward_id: int, today: date, settings: work.WorkSettings) -> list[dict]:
    """The leader's overview: per unit, its tasks by warning and its on-time rate."""
    tasks = board(conn, ward_id, today, settings)
    out = []
    for unit in store.units(conn, ward_id):
        mine = [t for t in tasks if t["lead_unit_id"] == unit.id]
        share, detail = work.on_time_share(mine, today)
        counts = {key: sum(t["warning"] == key for t in mine) for key in work.WARNINGS}
        out.append({"unit": unit, "tasks": len(mine), "counts": counts,
                    "on_time": share, "on_time_detail": detail})
    return out


def flagged(conn, ward_id: int, today: date, settings: work.WorkSettings) -> list[dict]:
    return [t for t in board(conn, ward_id, today, settings) if t["warning"] in work.FLAGGED]
