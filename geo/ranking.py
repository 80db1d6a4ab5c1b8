"""Monthly khu phố ranking: the rubric's criteria computed from the month's records.

Pure: takes the ward's frames (as ``models.queries`` returns them) and a rubric, returns
plain rows that can be shown, compared with last month and frozen into a snapshot.

A criterion that does not apply to a khu phố (no boarding houses, no ads to handle, no
manual score entered) is left out and the total is rescaled to 100 over the points that
do apply, so a khu phố is neither rewarded nor punished for what it does not have. A khu
phố without street length cannot be scored on encroachment per km: it is listed with
``status="insufficient_data"`` and not ranked.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import yaml

from geo import formatting as fmt
from geo.crs import to_metric
from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.resources import DATA_DIR
from geo.vocabulary import ENCROACHMENT, PUBLIC_ORDER

gpd = deferred("geopandas")
pd = deferred("pandas")

DEFAULT_RUBRIC = DATA_DIR / "rubric.yaml"
ADS_DEADLINE = timedelta(hours=48)
PUBLIC_ORDER_GOAL = 0.20  # ≥20 % fewer than the same month of the base year = full points
# Rubric versions saved before the base year became the plan's own setting.
CRITERION_ALIASES = {"public_order_vs_2025": "public_order_vs_base"}
MIN_STREET_KM = 0.05  # less than 50 m of street (e.g. a street merely touching): no data


@dataclass(frozen=True)
class Rubric:
    version: str
    name: str
    tiers: tuple[dict, ...]
    criteria: tuple[dict, ...]

    @classmethod
    def from_mapping(cls, data: dict) -> Rubric:
        """Check and build a rubric; raises ``ValueError`` with a ``geo.i18n.Message``."""
        criteria = tuple({**c, "code": CRITERION_ALIASES.get(c.get("code"), c.get("code"))}
                         for c in data.get("criteria") or () if isinstance(c, dict))
        if not criteria:
            raise ValueError(Message(N_("Bộ tiêu chí không có tiêu chí nào.")))
        for criterion in criteria:
            code, source = criterion.get("code"), criterion.get("source")
            if source == "data" and code not in DATA_CRITERIA:
                raise ValueError(Message(N_("Tiêu chí dữ liệu không được hỗ trợ: %(code)s."),
                                         code=code))
            if source not in ("data", "manual"):
                raise ValueError(Message(N_("Nguồn của tiêu chí %(code)s phải là data hoặc "
                                            "manual."), code=code))
            points = criterion.get("points")
            if not isinstance(points, int | float) or points < 0:
                raise ValueError(Message(N_("Điểm tối đa của tiêu chí %(code)s phải là số ≥ 0."),
                                         code=code))
        tiers = tuple(sorted(data.get("tiers") or (), key=lambda t: -t["min"]))
        if not tiers or tiers[-1]["min"] != 0:
            raise ValueError(Message(N_("Các mức xếp loại phải có một mức bắt đầu từ 0 điểm.")))
        return cls(str(data["version"]), data.get("name", ""), tiers, criteria)

    @classmethod
    def default(cls) -> Rubric:
        return _default_rubric()

    def as_mapping(self) -> dict:
        return {"version": self.version, "name": self.name, "tiers": list(self.tiers),
                "criteria": list(self.criteria)}

    def tier(self, total: float) -> dict:
        return next(t for t in self.tiers if total >= t["min"])


@functools.cache
def _default_rubric() -> Rubric:
    return Rubric.from_mapping(yaml.safe_load(DEFAULT_RUBRIC.read_text(encoding="utf-8")))


@dataclass
class MonthData:
    """The ward's records needed to score one month (frames from ``models.queries``).

    ``incidents`` must cover the month and the same month of ``base_year`` (the plan's base
    year); ``criteria`` are the codes of the ward's model-street criteria.
    """

    neighbourhoods: gpd.GeoDataFrame  # id, code, name, geometry
    streets: gpd.GeoDataFrame  # geometry
    model_streets: pd.DataFrame  # neighbourhood_id, level, status, criteria, frontage…
    houses: pd.DataFrame  # neighbourhood_id, classification, antt_commitment_on, …
    incidents: pd.DataFrame  # neighbourhood_id, category, observed_at, resolved_at, …
    metric_epsg: int
    base_year: int
    criteria: tuple[str, ...]
    manual: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["neighbourhood_id", "criterion", "points"]))
    street_km: pd.Series | None = None  # km of street per khu phố, if already known

    def km(self) -> pd.Series:
        if self.street_km is None:
            self.street_km = street_km(self.neighbourhoods, self.streets, self.metric_epsg)
        return self.street_km


def month_range(month: str) -> tuple[datetime, datetime]:
    """[start, end) of ``"yyyy-mm"``.

    >>> month_range("2026-12")
    (datetime.datetime(2026, 12, 1, 0, 0), datetime.datetime(2027, 1, 1, 0, 0))
    """
    start = datetime.strptime(month, "%Y-%m")
    end = datetime(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def previous_month(month: str) -> str:
    """The month before ``month``.

    >>> previous_month("2026-01")
    '2025-12'
    """
    start, _ = month_range(month)
    return fmt.month_key(start - timedelta(days=1))


def street_km(neighbourhoods: gpd.GeoDataFrame, streets: gpd.GeoDataFrame,
              metric_epsg: int) -> pd.Series:
    """Kilometres of street inside each khu phố (indexed by khu phố ``id``)."""
    km = pd.Series(0.0, index=neighbourhoods["id"].to_numpy())
    if streets.empty or neighbourhoods.empty:
        return km
    kp = to_metric(neighbourhoods[["id", neighbourhoods.geometry.name]], metric_epsg)
    lines = to_metric(streets[[streets.geometry.name]], metric_epsg)
    pieces = gpd.overlay(lines, kp, how="intersection", keep_geom_type=True)
    km.update(pieces.length.groupby(pieces["id"]).sum() / 1000.0)
    return km


# --- criteria: each returns {khu phố id: (points | None if not applicable, value, note)} ----

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
                   Message(N_("%(rate)s vụ/km"), rate=fmt.number(rates[kp], 2)))
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


def score_month(data: MonthData, rubric: Rubric, month: str) -> list[dict]:
    """Score every khu phố for ``month``: criteria, total (0–100), rank, tier.

    Returns one dict per khu phố (JSON-serialisable), ranked ones first by rank.
    """
    start, end = month_range(month)
    kp = data.neighbourhoods.sort_values("code")
    ids = [int(i) for i in kp["id"]]
    km = data.km()
    per_criterion: dict[str, Scores] = {}
    for criterion in rubric.criteria:
        code, points = criterion["code"], float(criterion["points"])
        if criterion["source"] == "data":
            per_criterion[code] = DATA_CRITERIA[code](data, ids, points, start=start, end=end,
                                                      km=km)
        else:
            per_criterion[code] = _manual(data.manual, code, ids, points)
    rows = []
    for kp_id, code, name in zip(ids, kp["code"], kp["name"], strict=True):
        criteria, earned, available = {}, 0.0, 0.0
        for criterion in rubric.criteria:
            got, value, note = per_criterion[criterion["code"]][kp_id]
            criteria[criterion["code"]] = {
                "points": None if got is None else round(float(got), 2),
                "max": criterion["points"], "value": _plain(value), "note": note}
            if got is not None:
                earned += got
                available += criterion["points"]
        insufficient = km[kp_id] < MIN_STREET_KM
        total = round(float(100.0 * earned / available), 2) if available else 0.0
        rows.append({
            "neighbourhood_id": kp_id, "code": code, "name": name,
            "street_km": round(float(km[kp_id]), 2), "criteria": criteria,
            "earned": round(float(earned), 2), "available": float(available),
            "total": None if insufficient else total,
            "status": "insufficient_data" if insufficient else "ranked",
            "tier": None if insufficient else rubric.tier(total)["code"],
        })
    _assign_ranks(rows)
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"]))


def _manual(manual: pd.DataFrame, code: str, ids, points: float) -> Scores:
    mine = manual[manual["criterion"] == code].set_index("neighbourhood_id")["points"]
    return {kp: ((float(np.clip(mine[kp], 0, points)), float(mine[kp]),
                  Message(N_("Cán bộ chấm")))
                 if kp in mine.index and pd.notna(mine[kp])
                 else (None, None, Message(N_("Chưa chấm"))))
            for kp in ids}


def _plain(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return round(float(value), 4)


def _assign_ranks(rows: list[dict]) -> None:
    """Competition ranking ("1224"): equal totals share a rank."""
    ranked = sorted((r for r in rows if r["status"] == "ranked"), key=lambda r: -r["total"])
    previous_total, previous_rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row["total"] != previous_total:
            previous_rank, previous_total = position, row["total"]
        row["rank"] = previous_rank
    for row in rows:
        row.setdefault("rank", None)


def with_changes(rows: list[dict], previous: list[dict] | None) -> list[dict]:
    """Add ``rank_change`` (positive = moved up) and ``total_change`` against last month."""
    before = {r["neighbourhood_id"]: r for r in previous or ()}
    for row in rows:
        old = before.get(row["neighbourhood_id"])
        row["rank_change"] = (old["rank"] - row["rank"]
                              if old and old.get("rank") and row["rank"] else None)
        row["total_change"] = (round(row["total"] - old["total"], 2)
                               if old and old.get("total") is not None
                               and row["total"] is not None else None)
    return rows


def content_hash(month: str, rubric_version: str, rows: list[dict]) -> str:
    """A fingerprint of a ranking's content, stored with a published snapshot."""
    canonical = json.dumps({"month": month, "rubric": rubric_version, "rows": rows},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def differences(published: list[dict], current: list[dict]) -> list[dict]:
    """Khu phố whose total, rank or tier would differ now from the published ranking."""
    now = {r["neighbourhood_id"]: r for r in current}
    changed = []
    for row in published:
        other = now.get(row["neighbourhood_id"])
        if other is None:
            continue
        if any(row.get(k) != other.get(k) for k in ("total", "rank", "tier")):
            changed.append({"code": row["code"], "name": row["name"],
                            "published": {k: row.get(k) for k in ("total", "rank", "tier")},
                            "now": {k: other.get(k) for k in ("total", "rank", "tier")}})
    return changed


def as_of(month: str) -> date:
    """The last day of ``month`` (the state a ranking describes)."""
    return (month_range(month)[1] - timedelta(days=1)).date()
