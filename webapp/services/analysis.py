"""Ranking, hotspots, coverage and targets for one ward, from the database to ``geo``."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

from geo import assign, coverage, hotspots, ranking, targets
from geo import formatting as fmt
from geo.gi_star import NOT_SIGNIFICANT
from geo.lazy import deferred
from geo.repeats import repeat_locations
from models import fingerprints, ledger, ledger_verify, queries, records, rubrics, work_queries
from models import plans as plan_records
from models.queries import LAYERS, LayerFilter
from webapp.clock import local_now
from webapp.services.cache import VersionedCache
from webapp.services.plans import plan_for
from webapp.services.work import task_dict

gpd = deferred("geopandas")
pd = deferred("pandas")

MODEL_STREET_COLUMNS = ["id", "neighbourhood_id", "level", "status", "criteria",
                        "frontage_households", "commitments_signed", "registered_on",
                        "achieved_on"]
HOUSE_COLUMNS = ["id", "neighbourhood_id", "classification", "antt_commitment_on",
                 "fire_safety_pass", "model_status", "model_recognised_on", "extinguishers",
                 "has_escape_route", "residents"]
INCIDENT_COLUMNS = ["id", "neighbourhood_id", "street_id", "model_street_id", "category",
                    "observed_at", "resolved_at", "status", "is_repeat"]


def rubric_for(conn, ward_id: int) -> ranking.Rubric:
    body = rubrics.current_rubric(conn, ward_id)
    return ranking.Rubric.from_mapping(body) if body else ranking.Rubric.default()


def _layer(conn, name: str, ward_id: int, columns: list[str], flt: LayerFilter | None = None,
           geometry: bool = True):
    return queries.read_layer(conn, LAYERS[name], ward_id, flt, columns=columns,
                              geometry=geometry)


# Street length per khu phố only changes when streets or boundaries do.
_STREET_KM = VersionedCache(maxsize=256)
# The hotspot page and its map's API ask for the same analysis one after the other.
_HOTSPOTS = VersionedCache(maxsize=32)
# Computed monthly rankings: 12 months of a few wards.
_RANKINGS = VersionedCache(maxsize=128)
# The layers a month's ranking reads (``static_frames`` and the incidents).
RANKING_LAYERS = ("incidents", "neighbourhoods", "streets", "model-streets", "boarding-houses")


def _versions(conn, ward_id: int, *layers: str) -> tuple:
    return fingerprints.layers_fingerprint(conn, ward_id, tuple(layers))


def _street_km(conn, ward, kp) -> tuple[pd.Series, gpd.GeoDataFrame]:
    key = (ward.id, *_versions(conn, ward.id, "streets", "neighbourhoods"))
    streets = _layer(conn, "streets", ward.id, ["id"], geometry=key not in _STREET_KM)
    return _STREET_KM.get(key, lambda: ranking.street_km(kp, streets, ward.metric_epsg)), \
        streets


def static_frames(conn, ward) -> dict:
    """The layers a ranking reads that do not depend on the month (read once per request)."""
    kp = _layer(conn, "neighbourhoods", ward.id, ["id", "code", "name"])
    km, streets = _street_km(conn, ward, kp)
    return {
        "neighbourhoods": kp, "streets": streets,
        "model_streets": _layer(conn, "model-streets", ward.id, MODEL_STREET_COLUMNS,
                                geometry=False),
        "houses": _layer(conn, "boarding-houses", ward.id, HOUSE_COLUMNS, geometry=False),
        "street_km": km,
    }


def _windows(month: str, baseline_year: int) -> list[tuple[datetime, datetime]]:
    """The [start, end) periods a month's ranking reads incidents of: the month itself and
    the same month of the baseline year."""
    start, end = ranking.month_range(month)
    base_start = start.replace(year=baseline_year)
    return [(start, end), (base_start, base_start + (end - start))]


def _incidents(conn, ward, windows) -> pd.DataFrame:
    return pd.concat([
        _layer(conn, "incidents", ward.id, INCIDENT_COLUMNS,
               LayerFilter(date_from=s.date(), date_to=(e - timedelta(days=1)).date()),
               geometry=False)
        for s, e in windows
    ], ignore_index=True).drop_duplicates("id")


def month_data(conn, ward, month: str, static: dict | None = None,
               incidents: pd.DataFrame | None = None) -> ranking.MonthData:
    """``incidents``: if given, a frame holding (at least) the month's and its baseline's
    incidents — the criteria pick each period's own rows."""
    static = static or static_frames(conn, ward)
    plan = plan_for(conn, ward)
    if incidents is None:
        incidents = _incidents(conn, ward, _windows(month, plan.baseline_year))
    manual = pd.DataFrame(rubrics.manual_scores(conn, ward.id, month),
                          columns=["neighbourhood_id", "criterion", "points"])
    return ranking.MonthData(incidents=incidents, metric_epsg=ward.metric_epsg, manual=manual,
                             base_year=plan.baseline_year,
                             criteria=tuple(c["code"] for c in plan.criteria), **static)


def _ranking_keys(conn, ward, months: list[str], rubric: ranking.Rubric) -> dict[str, tuple]:
    """Per month, what its computed ranking depends on: the rubric, the plan, the layers
    it reads and that month's manual scores (two queries for any number of months)."""
    layers = _versions(conn, ward.id, *RANKING_LAYERS)
    manual = rubrics.manual_score_versions(conn, ward.id)
    plan = plan_for(conn, ward).version
    return {month: (ward.id, month, rubric.version, plan, layers, manual.get(month))
            for month in months}


def scored_months(conn, ward, months: list[str], rubric: ranking.Rubric,
                  static: dict | None = None) -> dict[str, list[dict]]:
    """Each month's ranking as computed now (``ranking.score_month``), kept per data version:
    the ranking page, its khu phố pages and the 12-month trend score each month once."""
    keys = _ranking_keys(conn, ward, months, rubric)
    missing = [month for month in months if keys[month] not in _RANKINGS]
    incidents = None
    if missing:  # one read of the missing months' incidents (and their baselines')
        static = static or static_frames(conn, ward)
        baseline = plan_for(conn, ward).baseline_year
        windows = [w for m in missing for w in _windows(m, baseline)]
        incidents = _incidents(conn, ward, [(min(s for s, _ in windows),
                                             max(e for _, e in windows))])
    return {month: copy.deepcopy(_RANKINGS.get(keys[month], lambda m=month: ranking.score_month(
        month_data(conn, ward, m, static, incidents), rubric, m))) for month in months}


def compute(conn, ward, month: str, rubric: ranking.Rubric | None = None,
            static: dict | None = None) -> list[dict]:
    """The month's ranking as it would be now, with changes against last month."""
    rubric = rubric or rubric_for(conn, ward.id)
    previous = ranking.previous_month(month)
    published = records.snapshot(conn, ward.id, previous)
    scored = scored_months(conn, ward, [month] if published else [month, previous], rubric,
                           static)
    return ranking.with_changes(scored[month], published.rows if published else
                                scored[previous])


def ranking_view(conn, ward, month: str) -> dict:
    """The published snapshot (if any; its latest revision), the ranking as it would be now,
    how they differ, and every revision of the month with its verification."""
    rubric = rubric_for(conn, ward.id)
    current = compute(conn, ward, month, rubric)
    history = ledger.snapshot_history(conn, ward.id, month)
    published = history[0] if history else None
    return {
        "month": month, "rubric": rubric, "current": current, "published": published,
        "differences": ranking.differences(published.rows, current) if published else [],
        "rubric_changed": bool(published and published.rubric_version != rubric.version),
        # Revisions newest first, each with why it cannot be trusted (None: verified).
        "history": [(snap, ledger_verify.check_snapshot(conn, snap)) for snap in history],
    }


def trend(conn, ward, neighbourhood_id: int, month: str, months: int = 12) -> list[dict]:
    """Total and rank of one khu phố over the ``months`` up to ``month`` (published if so)."""
    rubric = rubric_for(conn, ward.id)
    shown = [month]
    for _ in range(months - 1):
        shown.append(ranking.previous_month(shown[-1]))
    published = {m: records.snapshot(conn, ward.id, m) for m in shown}
    scored = scored_months(conn, ward, [m for m in shown if published[m] is None], rubric)
    out = []
    for current in shown:
        rows = published[current].rows if published[current] else scored[current]
        row = next((r for r in rows if r["neighbourhood_id"] == neighbourhood_id), None)
        if row:
            out.append({"month": current, "total": row["total"], "rank": row["rank"],
                        "published": published[current] is not None})
    return out[::-1]


# Neighbours within three cells: with a ward's monthly counts, the 8-cell band gives
# isolated false hot cells even after FDR (see bench/README.md, "Hotspots").
BAND_CELLS = 3


def hotspot_analysis(conn, ward, categories: tuple[str, ...], start: date, end: date,
                     cell_m: float = 50.0) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Gi* cells (worst first; the significant ones with khu phố and nearest street) and
    repeat locations (with both); computed once per parameters and data version (copies:
    callers may change them)."""
    key = (ward.id, tuple(categories), start, end, cell_m,
           *_versions(conn, ward.id, "incidents", "neighbourhoods", "streets"))
    cells, repeats = _HOTSPOTS.get(key, lambda: _hotspot_analysis(
        conn, ward, categories, start, end, cell_m))
    return cells.copy(), repeats.copy()


def _hotspot_analysis(conn, ward, categories, start, end, cell_m):
    incidents = _layer(conn, "incidents", ward.id, INCIDENT_COLUMNS,
                       LayerFilter(date_from=start, date_to=end, categories=categories))
    boundary = queries.ward_boundary(conn, ward.id)
    cells = hotspots.hotspots(incidents, boundary, ward.metric_epsg, cell_m=cell_m,
                              distance_m=BAND_CELLS * cell_m)
    repeats = repeat_locations(incidents, ward.metric_epsg)
    kp = _layer(conn, "neighbourhoods", ward.id, ["id", "code", "name"])
    streets = _layer(conn, "streets", ward.id, ["id", "name"])
    # Only significant cells are shown or printed: placing the thousands of others cost
    # more than the whole Gi* (nearest street of every cell of the ward).
    significant = cells["cls"] != NOT_SIGNIFICANT
    for frame, rows in ((cells, significant), (repeats, slice(None))):
        frame["neighbourhood"], frame["street"] = None, None
        placed = frame[rows]
        if placed.empty:
            continue
        centres = gpd.GeoDataFrame(geometry=placed.geometry.representative_point(), crs=4326)
        kp_id = assign.assign_polygon(centres, kp)
        frame.loc[placed.index, "neighbourhood"] = kp_id.map(kp.set_index("id")["name"])
        street_id = assign.nearest_feature(centres, streets, ward.metric_epsg, 150)["id"]
        frame.loc[placed.index, "street"] = street_id.map(streets.set_index("id")["name"])
    return cells, repeats


def coverage_table(conn, ward) -> pd.DataFrame:
    kp = _layer(conn, "neighbourhoods", ward.id, ["id", "code", "name"])
    houses = _layer(conn, "boarding-houses", ward.id, HOUSE_COLUMNS)
    table = coverage.coverage(kp, houses, ward.metric_epsg)
    return table.merge(kp[["id", "geometry"]], on="id")


def targets_view(conn, ward, today: date | None = None) -> list[dict]:
    today = today or local_now().date()
    plan = plan_for(conn, ward)
    incidents = _layer(conn, "incidents", ward.id, INCIDENT_COLUMNS,
                       LayerFilter(date_from=date(min(plan.baseline_year, today.year), 1, 1)))
    # A month counts as reported when first published, whatever superseded it later.
    snapshots = pd.DataFrame(
        [(s.month, s.first_published_at) for s in records.snapshots(conn, ward.id)],
        columns=["month", "published_at"])
    campaigns = pd.DataFrame(records.campaigns(conn, ward.id), columns=["starts_on", "ends_on"])
    data = targets.PlanData(
        neighbourhoods=_layer(conn, "neighbourhoods", ward.id, ["id"]),
        model_streets=_layer(conn, "model-streets", ward.id, MODEL_STREET_COLUMNS),
        houses=_layer(conn, "boarding-houses", ward.id, HOUSE_COLUMNS),
        incidents=incidents, campaigns=campaigns, snapshots=snapshots,
        manual_values=plan_records.target_values(conn, ward.id),
        tasks=[task_dict(t) for t in work_queries.tasks(conn, ward.id)],
        units=len(work_queries.units(conn, ward.id)),
        unit_reports=[(r.month, r.submitted_at) for r in work_queries.unit_reports(conn, ward.id)])
    return targets.evaluate(plan, data, today)


def latest_month(conn, ward) -> str:
    """The month to show by default: the last complete month with records."""
    _, last = queries.incident_date_range(conn, ward.id)
    now = local_now()
    day = min(last or now, now)
    if isinstance(day, datetime) and day.day < 25 and day.month == now.month:
        day = day.replace(day=1) - timedelta(days=1)
    return fmt.month_key(day)
