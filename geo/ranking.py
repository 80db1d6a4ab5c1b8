"""Monthly khu phố ranking: the rubric's criteria (``geo.criteria``) computed from the
month's records.

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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import yaml

from geo import formatting as fmt
from geo.criteria import DATA_CRITERIA, MIN_STREET_KM, Scores
from geo.crs import to_metric
from geo.i18n import N_, Message, translate_known
from geo.lazy import deferred
from geo.resources import DATA_DIR

gpd = deferred("geopandas")
pd = deferred("pandas")

DEFAULT_RUBRIC = DATA_DIR / "rubric.yaml"
# data/rubric.yaml's tier labels, in the catalogue so they are said in the reader's language.
DEFAULT_TIER_LABELS = (N_("Xuất sắc"), N_("Tốt"), N_("Đạt"), N_("Chưa đạt"))
# ...and its criteria's labels.
DEFAULT_CRITERION_LABELS = (
    N_("Tiến độ tuyến đường/cụm dân cư kiểu mẫu (đăng ký, tỷ lệ tiêu chí đạt, hoàn thành)"),
    N_("Số vụ lấn chiếm trên 1 km đường trong tháng (tái lấn chiếm tính gấp đôi; ít hơn là "
       "tốt hơn)"),
    N_("Quảng cáo, rao vặt trái phép trên tuyến kiểu mẫu được xử lý trong 48 giờ (tỷ lệ)"),
    N_("Hộ mặt tiền tuyến kiểu mẫu đã ký cam kết (tỷ lệ)"),
    N_("Cơ sở cho thuê trọ đã rà soát, phân loại (tỷ lệ)"),
    N_("Chủ cơ sở đã ký cam kết ANTT (tỷ lệ)"),
    N_("Cơ sở đạt PCCC ở lần kiểm tra gần nhất (tỷ lệ)"),
    N_("Có ít nhất 01 nhà trọ được công nhận mô hình “an toàn, văn minh, tự quản”"),
    N_("Vi phạm cư trú, ma túy, PCCC so với cùng tháng của năm gốc trong kế hoạch (giảm ≥20% "
       "đạt tối đa)"),
    N_("Tham gia đợt ra quân cao điểm (cán bộ chấm)"),
    N_("Gửi báo cáo tháng trước ngày 25 (cán bộ chấm)"),
)
# Rubric versions saved before the base year became the plan's own setting.
CRITERION_ALIASES = {"public_order_vs_2025": "public_order_vs_base"}


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


def tier_labels(tiers, locale: str = "vi") -> dict[str, str]:
    """Each tier's label by its code: in ``locale`` where it is one of our words (the default
    rubric's), else as the ward wrote it (``geo.i18n.translate_known``).

    >>> tier_labels([{"code": "good", "label": "Tốt"}, {"code": "x", "label": "Khá"}], "en")
    {'good': 'Good', 'x': 'Khá'}
    """
    return {t["code"]: translate_known(str(t.get("label") or t["code"]), locale) for t in tiers}


def criterion_labels(rubric: Rubric, locale: str = "vi") -> dict[str, str]:
    """Each criterion's label by its code — the default rubric's and ``rubric``'s, so a code
    of an older version still has one — in ``locale`` where it is one of our words, else as
    the ward wrote it (``geo.i18n.translate_known``)."""
    known = {c["code"]: c.get("label") or c["code"]
             for c in (*Rubric.default().criteria, *rubric.criteria)}
    return {code: translate_known(str(label), locale) for code, label in known.items()}


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
