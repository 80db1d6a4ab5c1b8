"""Properties of the synthetic demo ward (geo.synthetic)."""

from __future__ import annotations

import datetime as dt
import time
import unicodedata

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.synthetic import DEMONSTRATION_ROUTE, generate_ward

METRIC = 5899
COLUMNS = {
    "ward": {"code", "name", "metric_epsg", "is_synthetic", "geometry"},
    "neighbourhoods": {"code", "name", "population", "households", "head_name", "geometry"},
    "streets": {"name", "street_class", "geometry"},
    "model_streets": {"name", "level", "kind", "status", "registered_on", "target_date",
                      "achieved_on", "accepted_on", "criteria", "frontage_households",
                      "commitments_signed", "budget_vnd", "socialised_vnd",
                      "neighbourhood_code", "geometry"},
    "boarding_houses": {"name", "address", "owner_name", "owner_phone", "owner_id_number",
                        "house_type", "rooms", "residents", "classification",
                        "antt_commitment_on", "extinguishers", "has_alarm",
                        "has_escape_route", "model_status", "model_recognised_on",
                        "last_inspection_on", "fire_safety_pass", "geometry"},
    "inspections": {"house_index", "inspected_at", "officer", "findings", "fire_safety_pass",
                    "residents_counted", "follow_up_on"},
    "incidents": {"category", "observed_at", "status", "reporter", "description", "minutes_no",
                  "fine_vnd", "resolved_at", "house_index", "geometry"},
    "campaigns": {"name", "starts_on", "ends_on", "units"},
}
CATEGORIES = {"encroachment_sidewalk", "encroachment_road", "illegal_advertising",
              "construction_order", "residence", "drugs", "fire_safety", "sanitation"}
ENCROACHMENT = ("encroachment_sidewalk", "encroachment_road")


@pytest.fixture(scope="module")
def data():
    return generate_ward()


@pytest.fixture(scope="module")
def metric(data):
    return {k: v.to_crs(METRIC) for k, v in data.items() if hasattr(v, "crs")}


@pytest.fixture(scope="module")
def ward_m(metric):
    return metric["ward"].geometry.iloc[0]


def _kp_of(points, hoods):
    """Index of the khu phố each point lies in (by geometry, like the loader)."""
    out = np.full(len(points), -1)
    for i, poly in enumerate(hoods.geometry.values):
        out[(out < 0) & shapely.intersects(poly, points)] = i
    return out


def test_deterministic(data):
    again = generate_ward()
    assert data.keys() == again.keys()
    for key, df in data.items():
        pd.testing.assert_frame_equal(df, again[key], check_exact=True)


def test_seed_changes_output():
    a = generate_ward(1, boarding_houses=50, incidents=80)
    b = generate_ward(2, boarding_houses=50, incidents=80)
    assert not a["boarding_houses"].geometry.equals(b["boarding_houses"].geometry)


def test_columns_and_crs(data):
    assert set(data) == set(COLUMNS)
    for key, cols in COLUMNS.items():
        assert set(data[key].columns) == cols, key
        if "geometry" in cols:
            assert data[key].crs.to_epsg() == 4326
            assert data[key].geometry.name == "geometry"
        else:
            assert type(data[key]) is pd.DataFrame


def test_ward(data, ward_m):
    ward = data["ward"]
    assert len(ward) == 1 and ward.geometry.iloc[0].geom_type == "MultiPolygon"
    assert ward.metric_epsg.iloc[0] == METRIC and bool(ward.is_synthetic.iloc[0])
    assert 40e6 < ward_m.area < 50e6
    x0, y0, x1, y1 = ward.total_bounds
    assert abs(x0 - 106.869) < 0.004 and abs(x1 - 106.987) < 0.004
    assert abs(y0 - 10.823) < 0.004 and abs(y1 - 10.905) < 0.004
    assert ward_m.area < 0.6 * shapely.box(*ward_m.bounds).area  # not a rectangle


def test_neighbourhoods_tile_the_ward(data, metric, ward_m):
    hoods = data["neighbourhoods"]
    assert 20 <= len(hoods) <= 30
    assert hoods.code.tolist() == [f"KP{i:02d}" for i in range(1, len(hoods) + 1)]
    assert hoods.is_valid.all() and (hoods.geom_type == "MultiPolygon").all()
    union = shapely.union_all(hoods.geometry.values)
    ward = data["ward"].geometry.iloc[0]
    assert shapely.symmetric_difference(union, ward).area / ward.area < 1e-6
    geoms = metric["neighbourhoods"].geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.sum() < 1.0  # m²
    assert (hoods.population > hoods.households).all() and (hoods.households > 0).all()
    assert hoods.head_name.str.split().str.len().ge(3).all()


def test_points_and_streets_inside_ward(metric, ward_m):
    inside = ward_m.buffer(0.01)
    for key in ("boarding_houses", "incidents"):
        assert shapely.contains(ward_m, metric[key].geometry.values).all(), key
    assert shapely.covered_by(metric["streets"].geometry.values, inside).all()
    assert shapely.covered_by(metric["model_streets"].geometry.values, inside).all()


def test_street_network(data, metric):
    streets = data["streets"]
    assert 200 <= len(streets) <= 1500
    assert set(streets.street_class) == {"national", "provincial", "main", "local", "alley"}
    assert (streets.geom_type == "LineString").all()
    ql51 = streets[streets.name == "Quốc lộ 51"]
    assert len(ql51) == 1 and ql51.street_class.iloc[0] == "national"
    line = metric["streets"].geometry[ql51.index[0]]
    assert line.length > 8000
    for lon, lat in ((106.914, 10.872), (106.935, 10.834)):
        p = shapely.Point(lon, lat)
        assert ql51.geometry.iloc[0].distance(p) < 0.001  # ≈100 m
    assert streets.name.str.startswith(("Quốc lộ", "Đường", "Hẻm")).all()


def test_demonstration_route(data, metric):
    ms = data["model_streets"]
    ward_level = ms[ms.level == "ward"]
    assert len(ward_level) == 1
    row = ward_level.iloc[0]
    assert row["name"] == DEMONSTRATION_ROUTE and row.status == "in_progress"
    assert row.target_date == dt.date(2027, 3, 31) and row.kind == "street"
    route = metric["model_streets"].geometry[ward_level.index[0]]
    assert 2000 <= route.length <= 3000
    streets = metric["streets"]
    ql51 = streets.geometry[streets.index[data["streets"].name == "Quốc lộ 51"][0]]
    assert ql51.buffer(0.5).covers(route)  # a piece of QL51 itself …
    centre = metric["ward"].geometry.iloc[0].centroid
    assert route.distance(centre) < ql51.distance(centre) + 1500  # … near the ward's centre


def test_model_streets(data, metric):
    ms, hoods = data["model_streets"], metric["neighbourhoods"]
    assert set(ms.status) == {"registered", "in_progress", "achieved", "accepted"}
    local = metric["model_streets"][ms.level == "neighbourhood"]
    geoms = local.geometry.values
    measure = [shapely.area if g.geom_type == "Polygon" else shapely.length for g in geoms]
    most = [int(np.argmax(f(shapely.intersection(g, hoods.geometry.values))))
            for g, f in zip(geoms, measure, strict=True)]
    assert set(most) == set(range(len(hoods)))  # every khu phố has one
    assert (hoods.code.to_numpy()[most] == local.neighbourhood_code.to_numpy()).all()
    kinds = dict(zip(ms.kind, ms.geom_type, strict=False))
    assert kinds == {"street": "LineString", "cluster": "Polygon"}
    clusters = local[ms.kind[local.index] == "cluster"]
    extent = np.sqrt(clusters.area)
    assert ((extent > 60) & (extent < 320)).all()
    for _, r in ms.iterrows():
        assert dt.date(2026, 5, 1) <= r.registered_on <= dt.date(2026, 7, 31)
        assert r.target_date < dt.date(2027, 6, 1)
        assert set(r.criteria) == {"clean", "no_encroachment", "no_illegal_ads", "lighting",
                                   "trees", "camera"}
        assert 0 <= r.commitments_signed <= r.frontage_households
        assert 0 <= r.socialised_vnd <= r.budget_vnd
        assert (r.achieved_on is not None) == (r.status in ("achieved", "accepted"))
        assert (r.accepted_on is not None) == (r.status == "accepted")
        if r.status in ("achieved", "accepted"):
            assert all(r.criteria.values()) and r.achieved_on > r.registered_on
    met = ms.criteria.map(lambda c: sum(c.values()))
    assert met[ms.status == "registered"].mean() < met[ms.status == "in_progress"].mean()


def test_boarding_houses(data, metric):
    bh = data["boarding_houses"]
    assert len(bh) == 3000
    assert bh.owner_phone.str.fullmatch(r"0[3789]\d{8}").all()
    assert bh.owner_id_number.str.fullmatch(r"\d{12}").all()
    assert set(bh.house_type) <= {"rooming_house", "serviced_apartment", "guesthouse", "hotel",
                                  "dormitory"}
    assert (bh.house_type == "rooming_house").mean() > 0.6
    assert bh.rooms.between(3, 60).all() and (bh.residents >= 0).all()
    assert 1.4 < bh.residents.sum() / bh.rooms.sum() < 2.2
    reviewed = bh.classification.notna().mean()
    assert 0.65 < reviewed < 0.85
    assert set(bh.classification.dropna()) == {"good", "average", "poor"}
    assert 0.6 < bh.antt_commitment_on.notna().mean() < 0.8
    signed = bh.antt_commitment_on.dropna()
    assert signed.min() >= dt.date(2025, 1, 1) and signed.max() <= dt.date(2026, 12, 31)
    rec = bh.model_status == "recognised"
    assert 0.01 < rec.mean() < 0.08
    assert (bh.model_recognised_on.notna() == rec).all()
    model = bh[rec]
    assert (model.classification == "good").all()
    assert model.fire_safety_pass.map(lambda v: v is True).all()
    assert (model.model_recognised_on >= model.antt_commitment_on).all()
    assert model.model_recognised_on.max() <= dt.date(2026, 11, 20)
    assert set(bh.fire_safety_pass.dropna()) == {True, False}
    assert bh.address.str.startswith("số ").all()
    # coverage gaps: some khu phố without a recognised model boarding house
    kp = _kp_of(metric["boarding_houses"].geometry.values, metric["neighbourhoods"])
    with_model = set(kp[rec.to_numpy()])
    assert 1 <= len(metric["neighbourhoods"]) - len(with_model) <= 10


def test_boarding_houses_denser_near_ql51(metric, ward_m):
    streets = metric["streets"]
    ql51 = streets.geometry[streets.name == "Quốc lộ 51"].iloc[0]
    near = ql51.buffer(1000).intersection(ward_m)
    far = ward_m.difference(ql51.buffer(2000))
    pts = metric["boarding_houses"].geometry.values
    d_near = shapely.contains(near, pts).sum() / near.area
    d_far = shapely.contains(far, pts).sum() / far.area
    assert d_near > 2 * d_far


def test_inspections_consistent(data):
    bh, ins = data["boarding_houses"], data["inspections"]
    assert ins.house_index.between(0, len(bh) - 1).all()
    last = ins.sort_values("inspected_at").groupby("house_index").tail(1).set_index("house_index")
    assert (bh.last_inspection_on.notna().to_numpy() == bh.index.isin(last.index)).all()
    got = bh.loc[last.index]
    assert (got.last_inspection_on.to_numpy() == last.inspected_at.dt.date.to_numpy()).all()
    assert (got.fire_safety_pass.astype(bool).to_numpy() == last.fire_safety_pass.to_numpy()).all()
    assert (ins.follow_up_on.isna() == ins.fire_safety_pass).all()
    failed = ins[~ins.fire_safety_pass]
    assert (failed.follow_up_on > failed.inspected_at.dt.date).all()


def test_incidents_basic(data, metric):
    inc = data["incidents"]
    assert len(inc) == 6000 and set(inc.category) == CATEGORIES
    share = inc.category.value_counts(normalize=True)
    assert 0.3 < share[list(ENCROACHMENT)].sum() < 0.5
    assert 0.15 < share["illegal_advertising"] < 0.25
    assert share["drugs"] == share.min()
    assert inc.observed_at.dt.tz is None
    assert inc.observed_at.min() >= pd.Timestamp("2025-01-01")
    assert inc.observed_at.max() < pd.Timestamp("2026-11-21")
    assert inc.observed_at.dt.hour.between(6, 18).mean() > 0.7
    assert set(inc.status) == {"reported", "verified", "minutes_issued", "resolved", "dismissed"}
    resolved = inc[inc.resolved_at.notna()]
    assert (resolved.status == "resolved").all()
    assert (pd.to_datetime(resolved.resolved_at) > resolved.observed_at).all()
    old = inc.observed_at < pd.Timestamp("2026-06-01")
    assert (inc.status[old] == "resolved").mean() > 0.7
    assert (inc.status[~old] == "resolved").mean() < (inc.status[old] == "resolved").mean()
    with_min = inc.minutes_no.notna()
    assert (inc.status[inc.status == "minutes_issued"].index.isin(inc.index[with_min])).all()
    assert inc.minutes_no.dropna().str.fullmatch(r"\d+/BB-XPHC").all()
    assert (with_min == inc.fine_vnd.notna()).all()
    assert inc.fine_vnd.dropna().between(500_000, 20_000_000).all()


def test_incidents_at_houses(data):
    inc, bh = data["incidents"], data["boarding_houses"]
    at_house = inc.category.isin(["residence", "drugs", "fire_safety"])
    assert (inc.house_index.notna() == at_house).all()
    idx = inc.house_index[at_house].astype(int).to_numpy()
    assert shapely.equals(inc.geometry[at_house].values, bh.geometry.values[idx]).all()


def test_encroachment_next_to_streets(metric):
    inc = metric["incidents"]
    pts = inc.geometry[inc.category.isin(ENCROACHMENT + ("illegal_advertising",))].values
    lines = metric["streets"].geometry.values
    _, dist = shapely.STRtree(lines).query_nearest(pts, return_distance=True, all_matches=False)
    assert np.quantile(dist, 0.95) < 10


def test_hotspot_clusters(metric):
    inc = metric["incidents"]
    enc = shapely.get_coordinates(inc.geometry[inc.category.isin(ENCROACHMENT)].values)
    _, counts = np.unique(np.floor(enc / 50), axis=0, return_counts=True)
    assert (counts >= 10).sum() >= 5


def _repeat_spots(inc_m, radius: float) -> int:
    """Spots with ≥3 incidents of one encroachment category within ``radius`` m and 90 days,
    each observed after the previous one there was resolved."""
    spots = 0
    for cat in ENCROACHMENT:
        sub = inc_m[inc_m.category == cat].sort_values("observed_at")
        xy = shapely.get_coordinates(sub.geometry.values)
        t = sub.observed_at.to_numpy()
        res = pd.to_datetime(sub.resolved_at).to_numpy()
        seen = np.zeros(len(sub), bool)
        for i in range(len(sub)):
            if seen[i]:
                continue
            near = np.flatnonzero((np.hypot(*(xy - xy[i]).T) <= radius)
                                  & (t >= t[i]) & (t <= t[i] + np.timedelta64(90, "D")))
            chain = [near[0]]
            for j in near[1:]:
                if not np.isnat(res[chain[-1]]) and t[j] > res[chain[-1]]:
                    chain.append(j)
            if len(chain) >= 3:
                spots += 1
                seen[near] = True
    return spots


def test_repeats(metric):
    assert _repeat_spots(metric["incidents"], radius=8) >= 5


def test_seasonality_and_campaigns(data):
    inc, camp = data["incidents"], data["campaigns"]
    assert camp.starts_on.map(lambda d: d.year).value_counts().between(2, 3).all()
    assert (camp.ends_on > camp.starts_on).all()
    enc = inc[inc.category.isin(ENCROACHMENT)]
    month = enc.observed_at.dt.month
    assert month.isin([1, 2]).mean() / 2 > month.isin([7, 8, 9]).mean() / 3
    day = inc.observed_at.dt.date
    in_camp = np.zeros(len(inc), bool)
    for _, c in camp.iterrows():
        in_camp |= ((day >= c.starts_on) & (day <= c.ends_on)).to_numpy()
    n_days = sum((c.ends_on - c.starts_on).days + 1 for _, c in camp.iterrows())
    total = (dt.date(2026, 11, 20) - dt.date(2025, 1, 1)).days + 1
    assert in_camp.sum() / n_days > 1.3 * (~in_camp).sum() / (total - n_days)


def test_public_order_falls_in_most_khu_pho(data, metric):
    inc = metric["incidents"]
    po = inc[inc.category.isin(["residence", "drugs", "fire_safety"])]
    kp = _kp_of(po.geometry.values, metric["neighbourhoods"])
    t = po.observed_at
    y25 = np.bincount(kp[(t < "2025-11-21").to_numpy()], minlength=len(data["neighbourhoods"]))
    y26 = np.bincount(kp[(t >= "2026-01-01").to_numpy()], minlength=len(data["neighbourhoods"]))
    fell = (y26 <= 0.8 * y25) & (y25 > 0)
    assert 0.5 < fell.mean() < 1.0  # most, not all


def test_vietnamese_text_is_nfc(data):
    for df in data.values():
        for col in df.columns:
            if col != "geometry" and df[col].map(lambda v: isinstance(v, str)).any():
                vals = df[col].dropna()
                assert (vals == vals.map(lambda s: unicodedata.normalize("NFC", s))).all()
    assert data["ward"].name.iloc[0] == "Phường Tam Phước (dữ liệu mô phỏng)"
    assert data["streets"].name.str.contains("Tam Phước").any()


def test_centre_shift_and_names():
    base = generate_ward(5, boarding_houses=60, incidents=100)
    moved = generate_ward(5, boarding_houses=60, incidents=100, centre_shift=(0.2, -0.1),
                          ward_code="hx", ward_name="Phường Hòa Xuân (dữ liệu mô phỏng)")
    shift = moved["ward"].total_bounds - base["ward"].total_bounds
    assert np.allclose(shift, [0.2, -0.1, 0.2, -0.1], atol=0.01)
    assert moved["ward"].code.iloc[0] == "hx"
    assert moved["streets"].name.str.contains("Đường Hòa Xuân").any()
    ward = moved["ward"].geometry.iloc[0]
    assert shapely.contains(ward, moved["incidents"].geometry.values).all()


def test_runtime_scales():
    start = time.perf_counter()
    big = generate_ward(3, boarding_houses=5000, incidents=20000)
    assert time.perf_counter() - start < 20
    assert len(big["boarding_houses"]) == 5000 and len(big["incidents"]) == 20000


def test_tiny_and_empty_runs():
    empty = generate_ward(boarding_houses=0, incidents=0)
    assert empty["boarding_houses"].empty and empty["incidents"].empty
    assert empty["inspections"].empty and len(empty["neighbourhoods"]) >= 20
    tiny = generate_ward(boarding_houses=3, incidents=40)
    assert len(tiny["incidents"]) == 40
