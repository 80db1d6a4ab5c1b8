"""The ranking's data criteria: each scores every khu phố of a month from the ward's frames
and returns ``{khu phố id: (points | None if not applicable, value, note)}``.

Which criteria a ward uses, and their points, is its rubric (``geo.ranking.Rubric``); a
criterion not listed here is a manual one (entered by staff).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message
from geo.lazy import deferred
from geo.vocabulary import ENCROACHMENT, PUBLIC_ORDER

if TYPE_CHECKING:
    from geo.ranking import MonthData

pd = deferred("pandas")

ADS_DEADLINE = timedelta(hours=48)
PUBLIC_ORDER_GOAL = 0.20  # ≥20 % fewer than the same month of the base year = full points
MIN_STREET_KM = 0.05  # less than 50 m of street (e.g. a street merely touching): no data

Scores = dict[int, tuple[float | None, float | None, str]]


def _in_month(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    when = pd.to_datetime(frame[column])
    return frame[(when >= start) & (when < end)]


def _model_street_progress(d: MonthData, ids, points, start, end, **_) -> Scores:
    ms = d.model_streets
    ms = ms[(ms["level"] == "neighbourhood")
            & (pd.to_datetime(ms["registered_on"]).fillna(pd.Timestamp(start)) < end)]
    codes = d.criteria or ("_",)
    met = ms["criteria"].map(lambda c: sum(bool((c or {}).get(k)) for k in codes) / len(codes))
    done = ms["status"].isin(["achieved", "accepted"]).astype(float)
    per_kp = pd.DataFrame({"kp": ms["neighbourhood_id"], "progress": 0.2 + 0.5 * met + 0.3 * done,
                           "done": done}).groupby("kp").agg(
        progress=("progress", "mean"), streets=("progress", "size"), done=("done", "sum"))
    out: Scores = {}
    for kp_id in ids:
        if kp_id not in per_kp.index:
            out[kp_id] = (0.0, 0.0, Message(N_("Chưa đăng ký tuyến/cụm kiểu mẫu")))
            continue
        row = per_kp.loc[kp_id]
        out[kp_id] = (points * row["progress"], float(row["progress"]),
                      Message(N_("%(streets)s tuyến/cụm, hoàn thành %(done)s"),
                              streets=int(row["streets"]), done=int(row["done"])))
    return out


def _encroachment_per_km(d: MonthData, ids, points, start, end, km, **_) -> Scores:
    inc = _in_month(d.incidents, "observed_at", start, end)
    inc = inc[inc["category"].isin(ENCROACHMENT)]
    weight = 1 + inc["is_repeat"].fillna(False).astype(int)  # a repeat weighs double
    weighted = weight.groupby(inc["neighbourhood_id"]).sum()
    rates = {kp: float(weighted.get(kp, 0)) / km[kp] for kp in ids if km[kp] >= MIN_STREET_KM}
    if not rates:
        return {kp: (None, None, Message(N_("Không có số liệu chiều dài đường"))) for kp in ids}
    best, worst = min(rates.values()), max(rates.values())
    out: Scores = {}
    for kp in ids:
        if kp not in rates:
            out[kp] = (None, None, Message(N_("Không có số liệu chiều dài đường")))
            continue
        share = 1.0 if worst == best else (worst - rates[kp]) / (worst - best)
        out[kp] = (points * share, rates[kp],
                   Message(N_("%(rate)s vụ/km"), rate=Figure(fmt.number, rates[kp], 2)))
    return out


def _ads_handled_48h(d: MonthData, ids, points, start, end, **_) -> Scores:
    inc = _in_month(d.incidents, "observed_at", start, end)
    ads = inc[(inc["category"] == "illegal_advertising") & inc["model_street_id"].notna()]
    handled_in = pd.to_datetime(ads["resolved_at"]) - pd.to_datetime(ads["observed_at"])
    on_time = (handled_in <= ADS_DEADLINE).groupby(ads["neighbourhood_id"]).agg(["sum", "count"])
    out: Scores = {}
    for kp in ids:
        if kp not in on_time.index:
            out[kp] = (None, None, Message(N_("Không phát sinh quảng cáo trái phép trên tuyến "
                                              "kiểu mẫu")))
            continue
        done, total = on_time.loc[kp, "sum"], on_time.loc[kp, "count"]
        out[kp] = (points * done / total, done / total,
                   Message(N_("%(done)s/%(total)s vụ"), done=int(done), total=int(total)))
    return out


def _frontage_commitments(d: MonthData, ids, points, **_) -> Scores:
    ms = d.model_streets[d.model_streets["level"] == "neighbourhood"]
    sums = ms.groupby("neighbourhood_id")[["commitments_signed", "frontage_households"]].sum()
    out: Scores = {}
    for kp in ids:
        if kp not in sums.index or sums.loc[kp, "frontage_households"] <= 0:
            out[kp] = (None, None, Message(N_("Chưa có số hộ mặt tiền")))
            continue
        signed, total = sums.loc[kp, "commitments_signed"], sums.loc[kp, "frontage_households"]
        share = min(1.0, signed / total)
        out[kp] = (points * share, share,
                   Message(N_("%(signed)s/%(total)s hộ"), signed=int(signed), total=int(total)))
    return out


def _house_share(predicate: Callable[[pd.DataFrame], pd.Series]):
    def criterion(d: MonthData, ids, points, **_) -> Scores:
        houses = d.houses
        ok = predicate(houses).groupby(houses["neighbourhood_id"]).agg(["sum", "count"])
        out: Scores = {}
        for kp in ids:
            if kp not in ok.index or ok.loc[kp, "count"] == 0:
                out[kp] = (None, None, Message(N_("Không có cơ sở cho thuê trọ")))
                continue
            done, total = ok.loc[kp, "sum"], ok.loc[kp, "count"]
            out[kp] = (points * done / total, done / total,
                       Message(N_("%(done)s/%(total)s cơ sở"), done=int(done), total=int(total)))
        return out

    return criterion


def _model_house(d: MonthData, ids, points, end, **_) -> Scores:
    houses = d.houses
    recognised = (houses["model_status"] == "recognised") & (
        pd.to_datetime(houses["model_recognised_on"]) < end)
    counts = recognised.groupby(houses["neighbourhood_id"]).agg(["sum", "count"])
    out: Scores = {}
    for kp in ids:
        if kp not in counts.index or counts.loc[kp, "count"] == 0:
            out[kp] = (None, None, Message(N_("Không có cơ sở cho thuê trọ")))
            continue
        n = int(counts.loc[kp, "sum"])
        out[kp] = (float(points) if n else 0.0, float(n),
                   Message(N_("%(n)s nhà trọ mô hình"), n=n))
    return out


def _public_order_vs_base(d: MonthData, ids, points, start, end, **_) -> Scores:
    inc = d.incidents[d.incidents["category"].isin(PUBLIC_ORDER)]
    now = _in_month(inc, "observed_at", start, end).groupby("neighbourhood_id").size()
    base_start = start.replace(year=d.base_year)
    base_end = end.replace(year=d.base_year + (end.year - start.year))
    base = _in_month(inc, "observed_at", base_start, base_end).groupby("neighbourhood_id").size()
    out: Scores = {}
    for kp in ids:
        current, before = int(now.get(kp, 0)), int(base.get(kp, 0))
        if before == 0:
            share = 1.0 if current == 0 else 0.0
            out[kp] = (points * share, None, Message(N_("%(now)s vụ (cùng kỳ %(year)s: 0)"),
                                                     now=current, year=d.base_year))
            continue
        reduction = (before - current) / before
        share = float(np.clip(reduction / PUBLIC_ORDER_GOAL, 0.0, 1.0))
        out[kp] = (points * share, reduction,
                   Message(N_("%(now)s vụ, cùng kỳ %(year)s: %(before)s (%(change)s)"),
                           now=current, year=d.base_year, before=before,
                           change=f"{reduction:+.0%}"))
    return out


DATA_CRITERIA: dict[str, Callable[..., Scores]] = {
    "model_street_progress": _model_street_progress,
    "encroachment_per_km": _encroachment_per_km,
    "ads_handled_48h": _ads_handled_48h,
    "frontage_commitments": _frontage_commitments,
    "houses_classified": _house_share(lambda h: h["classification"].notna()),
    "antt_commitments": _house_share(lambda h: h["antt_commitment_on"].notna()),
    "fire_safety_pass": _house_share(lambda h: h["fire_safety_pass"].fillna(False).astype(bool)),
    "model_house": _model_house,
    "public_order_vs_base": _public_order_vs_base,
}
