"""Units' monthly reports (Bảng 3): pre-filled from their tasks, checked, submitted in one
transaction; the office's consolidated ward report; period summaries from the same data."""

from __future__ import annotations

from datetime import date, datetime

from geo import report as geo_report
from geo import work, workreport
from geo.i18n import N_, Message
from geo.numbers import NumberRefused, finite
from geo.text import TextRefused, clean_text
from models import records
from models import work_queries as store
from webapp.services.model_streets import Refused
from webapp.services.work import Worker, task_dict


def field_name(name: str, task_id: int) -> str:
    return f"{name}:{task_id}"


def _grouped(rows, key: str) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for row in rows:
        item = row._asdict()
        out.setdefault(item[key], []).append(item)
    return out


def unit_rows(conn, ward_id: int, unit_id: int, month: str, today: date) -> tuple[list, object]:
    """The unit's report rows for ``month``: as submitted if it was, else pre-filled."""
    saved = store.unit_report(conn, ward_id, unit_id, month)
    if saved is not None and saved.rows:
        return saved.rows, saved
    tasks = [task_dict(t) for t in store.tasks(conn, ward_id) if t.lead_unit_id == unit_id]
    ids = [t["id"] for t in tasks]
    progress = _grouped(store.progress_notes(conn, ward_id, ids), "task_id")
    evidence = _grouped(store.evidence_of(conn, ward_id, ids), "task_id")
    return workreport.prefill(tasks, progress, evidence, month, today), saved


def _text(value, what: str, errors: list) -> str:
    try:
        text = clean_text(value or "", multiline=True).strip()
    except TextRefused as err:
        errors.append(Message(N_("%(where)s: %(problem)s"), where=what, problem=err.args[0]))
        return ""
    if len(text) > 4000:
        errors.append(Message(N_("%(where)s: dài quá %(n)s ký tự."), where=what, n=4000))
    return text


def parse_rows(form, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The rows as the unit filled them in the form; problems in Vietnamese."""
    out, errors = [], []
    for row in rows:
        tid = row["task_id"]
        where = Message(N_("Dòng %(stt)s"), stt=row["stt"])
        filled = dict(row)
        for key in ("result_text", "product", "difficulties", "proposals"):
            filled[key] = _text(form.get(field_name(key, tid), row.get(key)), where, errors)
        raw = str(form.get(field_name("percent", tid), "") or "").strip().replace(",", ".")
        try:
            filled["percent"] = finite(raw) if raw else None
            if filled["percent"] is not None and not 0 <= filled["percent"] <= 100:
                raise NumberRefused("range")
        except NumberRefused:
            errors.append(Message(N_("%(where)s: tỷ lệ hoàn thành phải là số từ 0 đến 100."),
                                  where=where))
            filled["percent"] = None
        when = form.get(field_name("next_deadline", tid))
        try:
            filled["next_deadline"] = date.fromisoformat(when).isoformat() if when else None
        except ValueError:
            errors.append(Message(N_("%(where)s: thời hạn xử lý tiếp theo không hợp lệ."),
                                  where=where))
        errors += workreport.row_problems(filled)
        out.append(filled)
    return out, errors


def submit(tx, ward_id: int, who: Worker, unit_id: int, month: str, form, now: datetime,
           today: date) -> int:
    """Check every row and submit the unit's report; ``Refused`` stores nothing."""
    if not (who.whole_ward or unit_id in who.unit_ids):
        raise Refused([("unit", Message(N_("Chỉ người của đơn vị mới nộp báo cáo của đơn vị.")))])
    rows, _saved = unit_rows(tx, ward_id, unit_id, month, today)
    filled, errors = parse_rows(form, rows)
    if not filled:
        errors.append(Message(N_("Đơn vị chưa có nhiệm vụ nào để báo cáo.")))
    if errors:
        raise Refused([("rows", e) for e in errors])
    saved = store.save_unit_report(tx, ward_id, unit_id, month, filled, now, who.user_id)
    records.audit(tx, ward_id, who.user_id, "work_unit_report", "work_unit", unit_id,
                  month=month, rows=len(filled))
    return saved


def submissions(conn, ward_id: int, month: str, settings: work.WorkSettings) -> list[dict]:
    """Per unit: submitted or not, when, and whether before the deadline day."""
    due = work.report_due(month, settings)
    done = {r.unit_id: r for r in store.unit_reports(conn, ward_id, month)}
    out = []
    for unit in store.units(conn, ward_id):
        report = done.get(unit.id)
        at = report.submitted_at if report else None
        out.append({"unit": unit, "submitted_at": at,
                    "on_time": None if at is None else at.date() < due})
    return out


def consolidated(conn, ward, plan, month: str, today: date,
                 locale: str = "vi") -> geo_report.Report:
    """The ward's consolidation of the units' reports of ``month``, for a reader of
    ``locale``."""
    reports = [{"unit": r.unit, "rows": r.rows} for r in store.unit_reports(conn, ward.id, month)]
    return workreport.consolidate(
        ward.name, month, reports, geo_report.Letterhead.from_plan(plan.report), today,
        plan.work.unit_report_day, ward.is_synthetic,
        units=[unit.name for unit in store.units(conn, ward.id)], locale=locale)


def period_summary(conn, ward_id: int, plan, period: str, today: date) -> dict:
    start, end, label = workreport.period_bounds(period, today, plan.phases)
    tasks = [task_dict(t) for t in store.tasks(conn, ward_id)]
    updates = [u._asdict() for u in store.progress_notes(conn, ward_id)]
    out = {"start": start, "end": end, "label": label, "units": []}
    out.update(workreport.summary(tasks, updates, start, end))
    for unit in store.units(conn, ward_id):
        mine = [t for t in tasks if t["lead_unit_id"] == unit.id]
        ids = {t["id"] for t in mine}
        out["units"].append({"unit": unit, **workreport.summary(
            mine, [u for u in updates if u["task_id"] in ids], start, end)})
    return out
