"""A unit's monthly report (Bảng 3) on plain data: its rows pre-filled from its tasks'
progress, the rule that "đang thực hiện" needs a product and a percentage, the office's
consolidation into the ward's report (``geo.report``), and period summaries.

Examples
--------
>>> row_problems({"stt": "1", "result_text": "Đang thực hiện", "product": "", "percent": None})
['Dòng 1: không ghi “đang thực hiện” nếu không nêu rõ sản phẩm và tỷ lệ hoàn thành.']
"""

from __future__ import annotations

from datetime import date, timedelta

from geo import formatting as fmt
from geo import report as geo_report
from geo.i18n import N_, Figure, Message, translate
from geo.text import fold
from geo.work import on_time_share

FIELDS = ("result_text", "product", "percent", "difficulties", "proposals", "next_deadline")
PERIODS = {"week": N_("Tuần"), "month": N_("Tháng"), "quarter": N_("Quý"),
           "phase": N_("Giai đoạn"), "year": N_("Năm")}


def _month_bounds(month: str) -> tuple[date, date]:
    start = date.fromisoformat(month + "-01")
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def prefill(tasks: list[dict], progress: dict[int, list], evidence: dict[int, list],
            month: str, today: date) -> list[dict]:
    """One row per task the unit leads: its product, this month's progress notes as the
    result, its percent, the next milestone (or deadline) as the next deadline, and the
    names of the evidence attached this month."""
    start, end = _month_bounds(month)
    rows = []
    for number, task in enumerate(tasks, start=1):
        notes = [p["note"] for p in progress.get(task["id"], ())
                 if p["note"] and start <= p["reported_at"].date() <= end]
        coming = [m["on"] for m in task.get("milestones") or () if m["on"] >= today.isoformat()]
        rows.append({
            "task_id": task["id"], "stt": task["code"] or str(number), "task": task["title"],
            "lead": task["lead_unit"], "product": task["product"],
            "result_text": "; ".join(reversed(notes)), "percent": float(task["percent"] or 0),
            "difficulties": "", "proposals": "",
            "next_deadline": min(coming) if coming else task["deadline"].isoformat(),
            "evidence": [e["filename"] for e in evidence.get(task["id"], ())
                         if start <= e["created_at"].date() <= end],
        })
    return rows


def row_problems(row: dict) -> list[str]:
    """What refuses a row: "đang thực hiện" (in progress) without product and percentage."""
    said = fold(row.get("result_text") or "")
    if "dang thuc hien" in said and (not (row.get("product") or "").strip()
                                     or row.get("percent") is None):
        return [Message(N_("Dòng %(stt)s: không ghi “đang thực hiện” nếu không nêu rõ sản phẩm "
                           "và tỷ lệ hoàn thành."), stt=row["stt"])]
    return []


def missing_notice(month: str, units: list[str], submitted: list[str],
                   locale: str = "vi") -> str:
    """The consolidated report's sentence on who has not reported (``""``: every unit has),
    in ``locale`` (the reader's; the units' names as the ward wrote them).

    >>> missing_notice("2026-06", ["UBND", "Công an"], ["UBND"])
    'Còn 1/2 đơn vị chưa nộp báo cáo tháng 06/2026: Công an.'
    >>> missing_notice("2026-06", ["UBND"], ["UBND"])
    ''
    """
    label = fmt.month(month, locale=locale)
    if not units:
        return translate("Phường chưa khai báo đơn vị nào nên chưa có báo cáo đơn vị để tổng "
                         "hợp.", locale)
    missing = [unit for unit in units if unit not in set(submitted)]
    if not missing:
        return ""
    if len(missing) == len(units):
        return translate("Chưa đơn vị nào nộp báo cáo tháng %(month)s nên bảng tổng hợp chưa "
                         "có dòng nào. Đơn vị chưa nộp: %(units)s.", locale, month=label,
                         units=", ".join(missing))
    return translate("Còn %(missing)s/%(total)s đơn vị chưa nộp báo cáo tháng %(month)s: "
                     "%(units)s.", locale, missing=len(missing), total=len(units), month=label,
                     units=", ".join(missing))


def consolidate(ward_name: str, month: str, reports: list[dict], letterhead, today: date,
                due_day: int, synthetic: bool = False,
                units: list[str] | None = None, locale: str = "vi") -> geo_report.Report:
    """The ward's report of ``month`` from the units' submitted reports ``{unit, rows}``,
    their evidence listed in each row's result; given the ward's ``units`` (names), the
    report says which have not submitted (``missing_notice``). The frame and our own words
    in ``locale``; the units' texts as they wrote them."""
    out, stt = [], 0
    for unit_report in reports:
        for row in unit_report["rows"]:
            stt += 1
            result = row.get("result_text") or ""
            if row.get("evidence"):
                result += ("\n" if result else "") + translate(
                    "Minh chứng: %(files)s", locale, files=", ".join(row["evidence"]))
            percent = row.get("percent")
            out.append(geo_report.ReportRow(
                stt=stt, code=str(row.get("task_id")), task=row["task"],
                lead=row.get("lead") or unit_report["unit"], product=row.get("product") or "",
                figures="", result=result,
                percent=None if percent is None else float(percent) / 100,
                percent_from="override" if percent is not None else "none",
                difficulties=row.get("difficulties") or "",
                proposals=row.get("proposals") or "",
                next_deadline=date.fromisoformat(row["next_deadline"])
                if row.get("next_deadline") else None))
    notice = "" if units is None else missing_notice(
        month, units, [unit_report["unit"] for unit_report in reports], locale)
    return geo_report.Report(ward_name, month, out, as_of=today, made_on=today,
                             letterhead=letterhead, due_day=due_day, synthetic=synthetic,
                             notice=notice, locale=locale)


def period_bounds(period: str, today: date, phases=()) -> tuple[date, date, str]:
    """The period containing ``today``: its first and last day and its label.

    >>> period_bounds("quarter", date(2026, 8, 3))
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), 'Quý 3/2026')
    """
    if period == "week":
        start = today - timedelta(days=today.weekday())
        end = start + timedelta(days=6)
        return start, end, Message(N_("Tuần %(start)s – %(end)s"), start=Figure(fmt.day, start),
                                   end=Figure(fmt.day, end))
    if period == "quarter":
        q = (today.month - 1) // 3 + 1
        start = date(today.year, 3 * q - 2, 1)
        return start, _month_bounds(f"{today.year}-{3 * q:02d}")[1], Message(
            N_("Quý %(q)s/%(year)s"), q=q, year=today.year)
    if period == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31), Message(
            N_("Năm %(year)s"), year=today.year)
    if period == "phase":
        phase = next((p for p in phases if p["start"] <= today <= p["end"]), None)
        if phase:
            return phase["start"], phase["end"], phase["label"]
    start, end = _month_bounds(fmt.month_key(today))
    return start, end, Message(N_("Tháng %(month)s"), month=Figure(fmt.month, fmt.month_key(today)))


def summary(tasks: list[dict], updates: list[dict], start: date, end: date) -> dict:
    """What happened in a period: updates made, tasks finished (on time or not), tasks
    due in it, and the on-time rate of the tasks due by its end."""
    finished = [t for t in tasks if t.get("done_on") and start <= t["done_on"] <= end]
    due = [t for t in tasks if start <= t["deadline"] <= end]
    share, detail = on_time_share([t for t in tasks if t["deadline"] <= end], end)
    return {
        "updates": sum(1 for u in updates if start <= u["reported_at"].date() <= end),
        "finished": len(finished),
        "finished_on_time": sum(1 for t in finished if t["done_on"] <= t["deadline"]),
        "due": len(due), "due_open": sum(1 for t in due if not t.get("done_on")),
        "on_time": share, "on_time_detail": detail,
    }
