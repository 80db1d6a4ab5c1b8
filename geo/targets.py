"""The plan's targets (chỉ tiêu): current value from the data, deadline, phase, status.

The targets, the plan's start, base year and report cycle come from the ward's own plan
(``geo.plan.Plan``); a target is computed from the records by one of ``METRICS`` or, when
the data cannot know it, is ``manual``: staff enter its value month by month.

Status: ``met`` (value reaches the target); ``missed`` (deadline passed, not met);
``on_track`` (value at or above the straight line from 0 at the plan's start to the
target at the deadline); otherwise ``at_risk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from geo import formatting as fmt
from geo import work
from geo.i18n import N_, Figure, Message
from geo.lazy import deferred
from geo.vocabulary import MODEL_STREET_STATUSES, PUBLIC_ORDER

pd = deferred("pandas")

STATUS_LABELS = {"met": N_("Đã đạt"), "on_track": N_("Đúng tiến độ"),
                 "at_risk": N_("Có nguy cơ chậm"), "missed": N_("Không đạt (quá hạn)")}
# The computed metrics a plan's target may use: code → (what it measures, kind). Kinds:
# share (0–1), done (0 or 1), count, reduction (share fewer than the base year).
METRICS: dict[str, tuple[str, str]] = {
    "houses_reviewed_share": (N_("Tỷ lệ cơ sở cho thuê trọ đã rà soát, phân loại"), "share"),
    "antt_commitment_share": (N_("Tỷ lệ chủ cơ sở đã ký cam kết ANTT"), "share"),
    "fire_equipment_share": (N_("Tỷ lệ cơ sở có bình chữa cháy và lối thoát nạn"), "share"),
    "kp_with_model_house_share": (N_("Tỷ lệ khu phố có nhà trọ mô hình được công nhận"), "share"),
    "demonstration_route_done": (N_("Trục điểm kiểu mẫu cấp phường đạt chuẩn"), "done"),
    "kp_with_model_street_done_share": (N_("Tỷ lệ khu phố có tuyến/cụm kiểu mẫu hoàn thành"),
                                        "share"),
    "campaigns_this_year": (N_("Số đợt ra quân cao điểm trong năm"), "count"),
    "ads_on_model_streets_handled_share": (N_("Tỷ lệ quảng cáo trái phép trên tuyến kiểu mẫu đã "
                                           "xử lý"), "share"),
    "frontage_commitment_share": (N_("Tỷ lệ hộ mặt tiền tuyến kiểu mẫu đã ký cam kết"), "share"),
    "public_order_reduction_vs_base": (N_("Mức giảm vi phạm cư trú, ma túy, PCCC so với cùng kỳ "
                                       "năm gốc"), "reduction"),
    "rankings_published_before_due_share": (N_("Tỷ lệ tháng công bố xếp hạng trước hạn báo cáo"),
                                            "share"),
    "tasks_on_time_share": (N_("Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn"), "share"),
}
METRIC_ALIASES = {"public_order_reduction_vs_2025": "public_order_reduction_vs_base",
                  "rankings_published_before_25th_share": "rankings_published_before_due_share"}


def metric_kind(metric: str) -> str:
    """``share``, ``done``, ``count``, ``reduction`` or ``manual``.

    >>> metric_kind("demonstration_route_done"), metric_kind("manual")
    ('done', 'manual')
    """
    metric = METRIC_ALIASES.get(metric, metric)
    return METRICS[metric][1] if metric in METRICS else "manual"


@dataclass
class PlanData:
    """The ward's current records (frames from ``models.queries``)."""

    neighbourhoods: pd.DataFrame  # id
    model_streets: pd.DataFrame  # neighbourhood_id, level, status, frontage…, achieved_on
    houses: pd.DataFrame  # classification, antt_commitment_on, extinguishers, …
    incidents: pd.DataFrame  # category, observed_at, status, model_street_id
    campaigns: pd.DataFrame  # starts_on
    snapshots: pd.DataFrame  # month ("yyyy-mm"), published_at
    # Manual targets: {target code: [(month "yyyy-mm", value), …]} as staff entered them.
    manual_values: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # The ward's tasks (deadline, done_on, percent…; ``geo.work``), when the caller has them.
    tasks: list[dict] = field(default_factory=list)
    # The ward's units and their submitted monthly reports [(month, submitted_at)]: once a
    # ward has units, "reports on time" counts the units' submissions (geo.work).
    units: int = 0
    unit_reports: list[tuple[str, datetime]] = field(default_factory=list)


def _share(mask: pd.Series) -> tuple[float | None, str]:
    total = len(mask)
    if total == 0:
        return None, Message(N_("chưa có dữ liệu"))
    done = int(mask.sum())
    return done / total, f"{done}/{total}"


def _done(status: pd.Series, achieved_on: pd.Series, by: date) -> pd.Series:
    when = pd.to_datetime(achieved_on)
    return status.isin(["achieved", "accepted"]) & ((when.isna()) | (when <= pd.Timestamp(by)))


def _metric(code: str, data: PlanData, today: date, deadline: date, plan):
    houses, ms, inc = data.houses, data.model_streets, data.incidents
    kp_ids = set(data.neighbourhoods["id"])
    if code == "houses_reviewed_share":
        return _share(houses["classification"].notna())
    if code == "antt_commitment_share":
        return _share(houses["antt_commitment_on"].notna())
    if code == "fire_equipment_share":
        return _share((houses["extinguishers"].fillna(0) >= 1)
                      & houses["has_escape_route"].fillna(False).astype(bool))
    if code == "kp_with_model_house_share":
        with_model = set(houses.loc[houses["model_status"] == "recognised", "neighbourhood_id"])
        return _share(pd.Series([kp in with_model for kp in kp_ids], dtype=bool))
    if code == "demonstration_route_done":
        route = ms[ms["level"] == "ward"]
        if route.empty:
            return None, Message(N_("chưa đăng ký trục điểm"))
        done = bool(_done(route["status"], route["achieved_on"], deadline).any())
        status = route["status"].iloc[0]
        label = MODEL_STREET_STATUSES.get(status, {}).get("vi")
        return float(done), Message(label) if label else status
    if code == "kp_with_model_street_done_share":
        local = ms[ms["level"] == "neighbourhood"]
        done_kp = set(local.loc[_done(local["status"], local["achieved_on"], deadline),
                                "neighbourhood_id"])
        return _share(pd.Series([kp in done_kp for kp in kp_ids], dtype=bool))
    if code == "campaigns_this_year":
        starts = pd.to_datetime(data.campaigns["starts_on"])
        n = int(((starts.dt.year == today.year) & (starts <= pd.Timestamp(today))).sum())
        return float(n), Message(N_("%(n)s đợt năm %(year)s"), n=n, year=today.year)
    if code == "ads_on_model_streets_handled_share":
        ads = inc[(inc["category"] == "illegal_advertising") & inc["model_street_id"].notna()]
        return _share(ads["status"].isin(["resolved", "dismissed"]))
    if code == "frontage_commitment_share":
        local = ms[ms["level"] == "neighbourhood"]
        total = local["frontage_households"].sum()
        if total <= 0:
            return None, Message(N_("chưa có số hộ mặt tiền"))
        signed = local["commitments_signed"].sum()
        return min(1.0, signed / total), Message(N_("%(signed)s/%(total)s hộ"),
                                                 signed=int(signed), total=int(total))
    if code == "public_order_reduction_vs_base":
        base_year = plan.baseline_year
        when = pd.to_datetime(inc.loc[inc["category"].isin(PUBLIC_ORDER), "observed_at"])
        day_of_year = today.timetuple().tm_yday
        this_year = ((when.dt.year == today.year) & (when.dt.day_of_year <= day_of_year)).sum()
        base = ((when.dt.year == base_year) & (when.dt.day_of_year <= day_of_year)).sum()
        if base == 0:
            return None, Message(N_("không có số liệu năm %(year)s"), year=base_year)
        reduction = (base - this_year) / base
        return float(reduction), Message(N_("%(now)s vụ so với %(base)s vụ cùng kỳ %(year)s"),
                                         now=int(this_year), base=int(base), year=base_year)
    if code == "rankings_published_before_due_share":
        if data.units:
            return _unit_reports_on_time(data, today, plan.report_cycle_start,
                                         plan.work.unit_report_day)
        return _reports_on_time(data.snapshots, today, plan.report_cycle_start,
                                plan.report_due_day)
    if code == "tasks_on_time_share":
        return work.on_time_share(data.tasks, today)
    raise ValueError(f"unknown metric {code}")


def _reports_on_time(snapshots: pd.DataFrame, today: date, cycle_start: str,
                     due_day: int) -> tuple[float | None, str]:
    """Each month since the plan's first report month whose due day has passed needs its
    ranking published before that day (the report of month M is due in month M)."""
    due = pd.period_range(cycle_start, pd.Period(today, "M"), freq="M")
    due = [p for p in due if date(p.year, p.month, due_day) <= today]
    if not due:
        return None, Message(N_("chưa đến hạn"))
    published = {row.month: pd.Timestamp(row.published_at) for row in snapshots.itertuples()}
    on_time = sum(1 for p in due
                  if (ts := published.get(str(p))) is not None
                  and ts.date() < date(p.year, p.month, due_day))
    return on_time / len(due), Message(N_("%(on_time)s/%(due)s tháng"), on_time=on_time,
                                       due=len(due))


def _unit_reports_on_time(data: PlanData, today: date, cycle_start: str,
                          due_day: int) -> tuple[float | None, str]:
    """Each unit's report of each month since the first report month whose due day has
    passed, submitted before that day."""
    due = [p for p in pd.period_range(cycle_start, pd.Period(today, "M"), freq="M")
           if date(p.year, p.month, due_day) <= today]
    if not due:
        return None, Message(N_("chưa đến hạn"))
    months = {str(p): date(p.year, p.month, due_day) for p in due}
    on_time = sum(1 for month, at in data.unit_reports
                  if month in months and at is not None and at.date() < months[month])
    expected = data.units * len(due)
    return min(1.0, on_time / expected), Message(N_("%(on_time)s/%(expected)s báo cáo đơn vị "
                                                    "đúng hạn"),
                                                 on_time=on_time, expected=expected)


def _manual_value(target: dict, data: PlanData, today: date) -> tuple[float | None, str]:
    """The latest value staff entered for a month up to today's."""
    month = fmt.month_key(today)
    entered = sorted(v for v in data.manual_values.get(target["code"], ()) if v[0] <= month)
    if not entered:
        return None, Message(N_("chưa nhập số liệu"))
    when, value = entered[-1]
    unit = f" {target['unit']}" if target.get("unit") else ""
    # A pattern of values, no msgid: the number in the reader's locale, the unit as written.
    shown = Message("%(number)s%(unit)s", number=Figure(fmt.number, value, 2, trim=True),
                    unit=unit)
    return float(value), Message(N_("%(value)s (số liệu tháng %(month)s)"),
                                 value=shown, month=Figure(fmt.month, when))


def _deadline(raw, today: date) -> date:
    if raw == "year_end":
        return date(today.year, 12, 31)
    return raw if isinstance(raw, date) else datetime.strptime(str(raw), "%Y-%m-%d").date()


def evaluate(plan, data: PlanData, today: date) -> list[dict]:
    """One row per target of ``plan`` (a ``geo.plan.Plan``): value, detail, deadline, phase,
    status, and the metric and its kind."""
    rows = []
    for target in plan.targets:
        deadline = _deadline(target["deadline"], today)
        metric = METRIC_ALIASES.get(target["metric"], target["metric"])
        kind = metric_kind(metric)
        value, detail = _manual_value(target, data, today) if kind == "manual" else \
            _metric(metric, data, today, deadline, plan)
        goal = float(target["target"])
        period_start = date(today.year, 1, 1) if target["deadline"] == "year_end" \
            else plan.plan_start
        phase = plan.phase_of(deadline)
        rows.append({
            "code": target["code"], "label": target["label"], "lead": target.get("lead"),
            "metric": metric, "kind": kind, "unit": target.get("unit"),
            "value": None if value is None else round(float(value), 4), "detail": detail,
            "target": goal, "deadline": deadline.isoformat(),
            "phase": phase["label"] if phase else "",
            "status": _status(value, goal, period_start, deadline, today),
            "is_share": goal <= 1.0 and kind in ("share", "reduction", "done"),
        })
    for row in rows:
        row["status_label"] = Message(STATUS_LABELS[row["status"]])
    return rows


def _status(value, goal: float, start: date, deadline: date, today: date) -> str:
    if value is not None and value >= goal - 1e-9:
        return "met"
    if today > deadline:
        return "missed"
    span = max((deadline - start).days, 1)
    expected = goal * float(np.clip((today - start).days / span, 0.0, 1.0))
    return "on_track" if value is not None and value >= expected else "at_risk"
