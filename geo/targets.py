"""The plan's targets (chỉ tiêu): current value from the data, deadline, phase, status.

Status: ``met`` (value reaches the target); ``missed`` (deadline passed, not met);
``on_track`` (value at or above the straight line from 0 at the plan's start to the
target at the deadline); otherwise ``at_risk``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from geo.vocabulary import MODEL_STREET_STATUSES, PUBLIC_ORDER

DEFAULT_TARGETS = Path(__file__).resolve().parent.parent / "data" / "targets.yaml"
STATUS_LABELS = {"met": "Đã đạt", "on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ chậm",
                 "missed": "Không đạt (quá hạn)"}


@dataclass
class PlanData:
    """The ward's current records (frames from ``models.queries``)."""

    neighbourhoods: pd.DataFrame  # id
    model_streets: pd.DataFrame  # neighbourhood_id, level, status, frontage…, achieved_on
    houses: pd.DataFrame  # classification, antt_commitment_on, extinguishers, …
    incidents: pd.DataFrame  # category, observed_at, status, model_street_id
    campaigns: pd.DataFrame  # starts_on
    snapshots: pd.DataFrame  # month ("yyyy-mm"), published_at


def load_plan(path: Path = DEFAULT_TARGETS) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _share(mask: pd.Series) -> tuple[float | None, str]:
    total = len(mask)
    if total == 0:
        return None, "chưa có dữ liệu"
    done = int(mask.sum())
    return done / total, f"{done}/{total}"


def _done(status: pd.Series, achieved_on: pd.Series, by: date) -> pd.Series:
    when = pd.to_datetime(achieved_on)
    return status.isin(["achieved", "accepted"]) & ((when.isna()) | (when <= pd.Timestamp(by)))


def _metric(code: str, data: PlanData, today: date, deadline: date):
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
            return None, "chưa đăng ký trục điểm"
        done = bool(_done(route["status"], route["achieved_on"], deadline).any())
        status = route["status"].iloc[0]
        return float(done), MODEL_STREET_STATUSES.get(status, {}).get("vi", status)
    if code == "kp_with_model_street_done_share":
        local = ms[ms["level"] == "neighbourhood"]
        done_kp = set(local.loc[_done(local["status"], local["achieved_on"], deadline),
                                "neighbourhood_id"])
        return _share(pd.Series([kp in done_kp for kp in kp_ids], dtype=bool))
    if code == "campaigns_this_year":
        starts = pd.to_datetime(data.campaigns["starts_on"])
        n = int(((starts.dt.year == today.year) & (starts <= pd.Timestamp(today))).sum())
        return float(n), f"{n} đợt năm {today.year}"
    if code == "ads_on_model_streets_handled_share":
        ads = inc[(inc["category"] == "illegal_advertising") & inc["model_street_id"].notna()]
        return _share(ads["status"].isin(["resolved", "dismissed"]))
    if code == "frontage_commitment_share":
        local = ms[ms["level"] == "neighbourhood"]
        total = local["frontage_households"].sum()
        if total <= 0:
            return None, "chưa có số hộ mặt tiền"
        signed = local["commitments_signed"].sum()
        return min(1.0, signed / total), f"{int(signed)}/{int(total)} hộ"
    if code == "public_order_reduction_vs_2025":
        when = pd.to_datetime(inc.loc[inc["category"].isin(PUBLIC_ORDER), "observed_at"])
        day_of_year = today.timetuple().tm_yday
        this_year = ((when.dt.year == today.year) & (when.dt.day_of_year <= day_of_year)).sum()
        base = ((when.dt.year == 2025) & (when.dt.day_of_year <= day_of_year)).sum()
        if base == 0:
            return None, "không có số liệu năm 2025"
        reduction = (base - this_year) / base
        return float(reduction), f"{int(this_year)} vụ so với {int(base)} vụ cùng kỳ 2025"
    if code == "rankings_published_before_25th_share":
        return _reports_on_time(data.snapshots, today)
    raise ValueError(f"unknown metric {code}")


def _reports_on_time(snapshots: pd.DataFrame, today: date) -> tuple[float | None, str]:
    """Each month since June 2026 whose 25th has passed needs its ranking published by then.

    The report of month M is due before the 25th of month M (the plan's monthly cycle).
    """
    due = pd.period_range("2026-06", pd.Period(today, "M"), freq="M")
    due = [p for p in due if date(p.year, p.month, 25) <= today]
    if not due:
        return None, "chưa đến hạn"
    published = {row.month: pd.Timestamp(row.published_at) for row in snapshots.itertuples()}
    on_time = sum(1 for p in due
                  if (ts := published.get(str(p))) is not None
                  and ts.date() < date(p.year, p.month, 25))
    return on_time / len(due), f"{on_time}/{len(due)} tháng"


def _deadline(raw, today: date) -> date:
    if raw == "year_end":
        return date(today.year, 12, 31)
    return raw if isinstance(raw, date) else datetime.strptime(str(raw), "%Y-%m-%d").date()


def evaluate(plan: dict, data: PlanData, today: date) -> list[dict]:
    """One row per target: value, detail, deadline, phase, status."""
    start = plan["plan_start"]
    rows = []
    for target in plan["targets"]:
        deadline = _deadline(target["deadline"], today)
        value, detail = _metric(target["metric"], data, today, deadline)
        goal = float(target["target"])
        period_start = date(today.year, 1, 1) if target["deadline"] == "year_end" else start
        rows.append({
            "code": target["code"], "label": target["label"], "lead": target.get("lead"),
            "value": None if value is None else round(float(value), 4), "detail": detail,
            "target": goal, "deadline": deadline.isoformat(),
            "phase": _phase(plan["phases"], deadline),
            "status": _status(value, goal, period_start, deadline, today),
            "is_share": goal <= 1.0 and target["metric"].endswith(("share", "vs_2025", "done")),
        })
    for row in rows:
        row["status_label"] = STATUS_LABELS[row["status"]]
    return rows


def _phase(phases: list[dict], day: date) -> str:
    for phase in phases:
        if phase["start"] <= day <= phase["end"]:
            return phase["label"]
    return ""


def _status(value, goal: float, start: date, deadline: date, today: date) -> str:
    if value is not None and value >= goal - 1e-9:
        return "met"
    if today > deadline:
        return "missed"
    span = max((deadline - start).days, 1)
    expected = goal * float(np.clip((today - start).days / span, 0.0, 1.0))
    return "on_track" if value is not None and value >= expected else "at_risk"
