"""The plan as work, on plain data: unit kinds, the ward's work settings, the rule on a unit's
registered quantity, early warning and the on-time rate.

A task is a mapping (or a row of a frame) with ``deadline`` (date), ``percent`` (0–100),
``done_on`` (date or None), ``last_progress_at`` (datetime or None) and ``created_on``.

Examples
--------
>>> from datetime import date
>>> task = {"deadline": date(2026, 6, 30), "percent": 0, "done_on": None,
...         "last_progress_at": None, "created_on": date(2026, 6, 1)}
>>> settings = WorkSettings(due_soon_days=7, stuck_days=14, unit_report_day=25)
>>> warn(task, date(2026, 6, 26), settings), warn(task, date(2026, 7, 1), settings)
('due_soon', 'late')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message, Msgid

UNIT_KINDS = {
    "ubnd": N_("UBND phường"),
    "police": N_("Công an phường"),
    "urban": N_("Kinh tế – Hạ tầng – Đô thị"),
    "neighbourhood": N_("Khu phố"),
    "front": N_("MTTQ và các đoàn thể"),
    "other": N_("Khác"),
}
WARNINGS = {
    "done": N_("Đã hoàn thành"),
    "on_track": N_("Đúng tiến độ"),
    "due_soon": N_("Sắp đến hạn, chưa có tiến độ"),
    "stuck": N_("Lâu không cập nhật"),
    "late": N_("Quá hạn"),
}
# The warnings a notification or a leader's overview lists.
FLAGGED = ("late", "due_soon", "stuck")


@dataclass(frozen=True)
class WorkSettings:
    """A ward's settings for its work (the ``work`` part of its plan)."""

    due_soon_days: int = 7
    stuck_days: int = 14
    unit_report_day: int = 25

    def as_mapping(self) -> dict:
        return {"due_soon_days": self.due_soon_days, "stuck_days": self.stuck_days,
                "unit_report_day": self.unit_report_day}


def work_settings(value, problems: list[str], report_due_day: int = 25) -> WorkSettings:
    """The plan's ``work`` mapping checked; problems in Vietnamese go to ``problems``.

    >>> work_settings({"stuck_days": 0}, problems := []), problems
    (WorkSettings(due_soon_days=7, stuck_days=14, unit_report_day=25), ['Số ngày không \
cập nhật thì cảnh báo phải là số nguyên từ 1 đến 365.'])
    """
    if value in (None, ""):
        return WorkSettings(unit_report_day=report_due_day)
    if not isinstance(value, dict):
        problems.append(Message(N_("Phần “work” (cảnh báo sớm, hạn báo cáo đơn vị) phải là một "
                                    "bảng.")))
        return WorkSettings(unit_report_day=report_due_day)
    limits = {"due_soon_days": (N_("Số ngày trước hạn để cảnh báo"), 1, 365, 7),
              "stuck_days": (N_("Số ngày không cập nhật thì cảnh báo"), 1, 365, 14),
              "unit_report_day": (N_("Hạn nộp báo cáo của đơn vị (ngày trong tháng)"), 1, 28,
                                  report_due_day)}
    out = {}
    for key, (what, lo, hi, default) in limits.items():
        raw = value.get(key, default)
        if not isinstance(raw, int) or isinstance(raw, bool) or not lo <= raw <= hi:
            problems.append(Message(N_("%(what)s phải là số nguyên từ %(lo)s đến %(hi)s."),
                                    what=Msgid(what), lo=lo, hi=hi))
            raw = default
        out[key] = raw
    return WorkSettings(**out)


def quantity_problem(ward_quantity: float | None, registered: float | None) -> str | None:
    """A unit may register more than the ward's minimum, never less (Vietnamese reason).

    >>> quantity_problem(10, 12) is None, quantity_problem(None, 3) is None
    (True, True)
    >>> quantity_problem(10, 8)
    'Chỉ tiêu đơn vị đăng ký (8) không được thấp hơn chỉ tiêu phường giao (10).'
    """
    if ward_quantity is None or registered is None or registered >= ward_quantity:
        return None
    return Message(N_("Chỉ tiêu đơn vị đăng ký (%(registered)s) không được thấp hơn chỉ tiêu "
                      "phường giao (%(ward)s)."),
                   registered=Figure(fmt.number, registered, 2, trim=True),
                   ward=Figure(fmt.number, ward_quantity, 2, trim=True))


def _day(value) -> date | None:
    if value is None or value != value:  # NaN / NaT
        return None
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    return value


def is_done(task) -> bool:
    return _day(task.get("done_on")) is not None or float(task.get("percent") or 0) >= 100


def warn(task, today: date, settings: WorkSettings) -> str:
    """``done``, ``late`` (deadline passed), ``due_soon`` (deadline within
    ``due_soon_days`` and no progress at all), ``stuck`` (no update for ``stuck_days``,
    counted from the task's creation when never updated) or ``on_track``."""
    if is_done(task):
        return "done"
    deadline = _day(task["deadline"])
    if today > deadline:
        return "late"
    progressed = float(task.get("percent") or 0) > 0 or \
        _day(task.get("last_progress_at")) is not None
    if (deadline - today).days <= settings.due_soon_days and not progressed:
        return "due_soon"
    since = _day(task.get("last_progress_at")) or _day(task.get("created_on")) or today
    if (today - since).days >= settings.stuck_days:
        return "stuck"
    return "on_track"


def on_time(task) -> bool | None:
    """Done by its deadline (True), done late or overdue (False), not yet due (None)."""
    done_on = _day(task.get("done_on"))
    deadline = _day(task["deadline"])
    if done_on is not None:
        return done_on <= deadline
    return None


def on_time_share(tasks, today: date) -> tuple[float | None, str]:
    """The share of the tasks due by ``today`` (or already done) that were done on time,
    and a detail for the page.

    >>> from datetime import date
    >>> due = {"deadline": date(2026, 6, 30), "percent": 0}
    >>> on_time_share([{**due, "done_on": date(2026, 6, 29)}, dict(due, done_on=None)],
    ...               date(2026, 7, 2))
    (0.5, '1/2 nhiệm vụ đúng hạn')
    """
    counted = hits = 0
    for task in tasks:
        done_on, deadline = _day(task.get("done_on")), _day(task["deadline"])
        if done_on is None and deadline >= today:
            continue  # not yet due, not done: it counts when either happens
        counted += 1
        hits += bool(on_time(task))
    if not counted:
        return None, Message(N_("chưa có nhiệm vụ đến hạn"))
    return hits / counted, Message(N_("%(hits)s/%(counted)s nhiệm vụ đúng hạn"), hits=hits,
                                   counted=counted)


def report_due(month: str, settings: WorkSettings) -> date:
    """The day a unit's report of ``month`` ("yyyy-mm") is due: before that day."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, settings.unit_report_day)
