"""Hotspots: Gi* agrees with PySAL esda, FDR classes, planted clusters, repeat locations."""

from __future__ import annotations

import doctest
import os
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

import geo.gi_star
import geo.hotspots
from geo.gi_star import CLASSES, Grid, classify, fdr_threshold, getis_ord_gi_star
from geo.hotspots import hotspots, incident_grid
from geo.repeats import repeat_locations
from geo.synthetic import METRIC_EPSG, generate_ward

# ~1 m in degrees at Tam Phước's latitude.
M_LON = 1 / 109_500
M_LAT = 1 / 110_600
X0, Y0 = 106.90, 10.85
BOX_2KM = box(X0, Y0, X0 + 2000 * M_LON, Y0 + 2000 * M_LAT)


@pytest.fixture(scope="module")
def pysal():
    """``(G_Local, fdr, DistanceBand)``; skipped locally, required under ``CI=true``."""
    try:
        from esda import G_Local, fdr
        from libpysal.weights import DistanceBand
    except ImportError as exc:  # pragma: no cover - depends on the environment
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"esda/libpysal required in CI: {exc}")
        pytest.skip(f"esda/libpysal not installed: {exc}")
    return G_Local, fdr, DistanceBand


@pytest.fixture(scope="module")
def ward():
    return generate_ward(11, boarding_houses=300, incidents=3000)


def esda_gi_star(pysal, grid: Grid, distance_m: float):
    g_local, _, distance_band = pysal
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands, "Gi* requested" notices
        w = distance_band(grid.centres(), distance_m, binary=True, silence_warnings=True)
        return g_local(grid.counts[grid.mask].astype(float), w, transform="B", star=True,
                       permutations=0)


def planted_grid() -> Grid:
    """Poisson background on an irregular study area with a hole, an island and a cluster."""
    rng = np.random.default_rng(5)
    rows, cols = np.mgrid[0:30, 0:40]
    mask = (rows - 15) ** 2 + (cols - 20) ** 2 <= 14**2
    mask[13:16, 18:21] = False  # a hole (e.g. a lake)
    mask[0, 0] = True  # an island: no neighbour within the band
    counts = np.where(mask, rng.poisson(0.6, mask.shape), 0)
    counts[20:23, 25:28] += rng.poisson(8, (3, 3))
    return Grid(counts.astype(np.int64), mask, 400_000.0, 1_200_000.0, 50.0, METRIC_EPSG)


def offsets(metres, **columns) -> gpd.GeoDataFrame:
    """Points at (east, north) metre offsets from (X0, Y0)."""
    geoms = [Point(X0 + e * M_LON, Y0 + n * M_LAT) for e, n in metres]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=4326)


def uniform(n: int, seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    e, n_ = rng.uniform(0, 2000, n), rng.uniform(0, 2000, n)
    return offsets(zip(e, n_, strict=True), category=["sanitation"] * n,
                   observed_at=pd.Timestamp("2026-03-01"))


# --- agreement with esda ---------------------------------------------------------------

@pytest.mark.parametrize(("cell_m", "cells"), [(50, 1.5), (100, 3.0)])  # 100 m: keeps esda quick
def test_gi_star_equals_esda_on_the_synthetic_ward(pysal, ward, cell_m, cells):
    grid = incident_grid(ward["incidents"], ward["ward"], METRIC_EPSG, cell_m=cell_m)
    assert grid.n_cells > 4000 and grid.counts.sum() + grid.outside == 3000
    z, p = getis_ord_gi_star(grid, cells * cell_m)
    lg = esda_gi_star(pysal, grid, cells * cell_m)
    np.testing.assert_allclose(z[grid.mask], lg.Zs, rtol=0, atol=1e-6)
    np.testing.assert_allclose(p[grid.mask], 2 * lg.p_norm, rtol=0, atol=1e-9)
    assert np.isnan(z[~grid.mask]).all() and np.isnan(p[~grid.mask]).all()


@pytest.mark.parametrize("cells", [1.5, 2.0, 3.0, 8.0])  # 2.0: band exactly on centres;
def test_gi_star_equals_esda_on_a_planted_irregular_grid(pysal, cells):  # 8.0: FFT path
    grid = planted_grid()
    z, p = getis_ord_gi_star(grid, cells * grid.cell_m)
    lg = esda_gi_star(pysal, grid, cells * grid.cell_m)
    np.testing.assert_allclose(z[grid.mask], lg.Zs, rtol=0, atol=1e-6)
    np.testing.assert_allclose(p[grid.mask], 2 * lg.p_norm, rtol=0, atol=1e-9)
    if cells <= 3:  # the strongest cell lies in the planted 3 × 3 block
        row, col = np.unravel_index(np.nanargmax(z), z.shape)
        assert 20 <= row <= 22 and 25 <= col <= 27


def test_default_band_is_the_eight_surrounding_cells(pysal):
    grid = planted_grid()
    np.testing.assert_array_equal(getis_ord_gi_star(grid)[0], getis_ord_gi_star(grid, 75)[0])
    lg = esda_gi_star(pysal, grid, 75.0)
    inner = int(np.ravel_multi_index((15, 10), grid.shape))  # an interior cell
    position = int(np.flatnonzero(np.flatnonzero(grid.mask.ravel()) == inner)[0])
    assert lg.w.sparse[position].sum() == 9  # 8 neighbours + itself on the diagonal


def test_fdr_threshold_and_classes_agree_with_esda_fdr(pysal, ward):
    _, esda_fdr, _ = pysal
    grid = incident_grid(ward["incidents"], ward["ward"], METRIC_EPSG, cell_m=50)
    z, p = getis_ord_gi_star(grid)
    zin, pin = z[grid.mask], p[grid.mask]
    cls = classify(zin, pin)
    for alpha, level in [(0.10, "90"), (0.05, "95"), (0.01, "99")]:
        assert fdr_threshold(pin, alpha) == esda_fdr(pin, alpha)
        sig = pin <= esda_fdr(pin, alpha)
        assert sig.sum() > 10
        stricter = {"90": ("90", "95", "99"), "95": ("95", "99"), "99": ("99",)}[level]
        hot = np.isin(cls, [f"hot_{s}" for s in stricter])
        cold = np.isin(cls, [f"cold_{s}" for s in stricter])
        np.testing.assert_array_equal(hot, sig & (zin > 0))
        np.testing.assert_array_equal(cold, sig & (zin < 0))
    assert set(cls) <= set(CLASSES)


def test_fdr_rejecting_nothing_selects_nothing(pysal):
    _, esda_fdr, _ = pysal
    p = np.array([0.2, 0.5, 0.9, 0.04])
    assert esda_fdr(p, 0.05) == 0.05 / 4  # esda's Bonferroni fallback
    assert fdr_threshold(p, 0.05) == -np.inf
    assert classify(np.array([1.0, 1, 1, 2]), p).tolist() == ["not_significant"] * 4
    assert classify(np.array([1.0, 1, 1, 2]), p, fdr=False)[3] == "hot_95"


def test_classify_orders_levels_and_keeps_outside_cells_empty():
    z = np.array([[3.0, -3.0], [0.5, np.nan]])
    p = np.array([[0.001, 0.03], [0.6, np.nan]])
    assert classify(z, p, fdr=False).tolist() == [["hot_99", "cold_95"],
                                                  ["not_significant", None]]


# --- behaviour on point patterns -------------------------------------------------------

def test_planted_cluster_is_hot_99_where_planted():
    rng = np.random.default_rng(3)
    angle, radius = rng.uniform(0, 2 * np.pi, 40), 30 * np.sqrt(rng.uniform(0, 1, 40))
    centre = (1210.0, 830.0)
    cluster = offsets(zip(centre[0] + radius * np.cos(angle), centre[1] + radius * np.sin(angle),
                          strict=True), category=["drugs"] * 40,
                      observed_at=pd.Timestamp("2026-04-01"))
    # ~1.25 background incidents a cell: Gi*'s normal approximation needs counts that are not
    # too sparse (at ~0.25 a cell, single pairs in corner cells reach z ≈ 4.5).
    incidents = pd.concat([uniform(2000, 4), cluster], ignore_index=True)
    cells = hotspots(incidents, BOX_2KM, METRIC_EPSG, cell_m=50)
    assert cells.crs.to_epsg() == 4326 and len(cells) > 1500
    assert cells["z"].is_monotonic_decreasing and cells.iloc[0]["cls"] == "hot_99"
    planted = offsets([centre]).to_crs(METRIC_EPSG).geometry.iloc[0]
    metric = cells.to_crs(METRIC_EPSG)
    assert metric.geometry.iloc[0].distance(planted) < 50  # the worst cell is at the cluster
    hot = metric[metric["cls"] == "hot_99"]
    assert hot.geometry.contains(planted).any()
    assert (hot.geometry.distance(planted) < 100).all()
    # Filtering the cluster's category out removes the hotspot.
    rest = hotspots(incidents, BOX_2KM, METRIC_EPSG, categories=["sanitation"])
    in_area = incident_grid(incidents.iloc[:2000], BOX_2KM, METRIC_EPSG).counts.sum()
    assert rest["count"].sum() == in_area > 1950
    assert not rest["cls"].str.startswith("hot").any()


def test_uniform_pattern_has_almost_no_hotspots():
    cells = hotspots(uniform(3000, 8), BOX_2KM, METRIC_EPSG, cell_m=50)
    flagged = (cells["cls"] != "not_significant").mean()
    assert flagged < 0.005
    raw = classify(cells["z"].to_numpy(), cells["p"].to_numpy(), fdr=False)
    assert (raw != "not_significant").mean() > 0.05  # without FDR, ~10 % false alarms


def test_hotspots_filter_categories_and_dates(ward):
    inc = ward["incidents"]
    cells = hotspots(inc, ward["ward"], METRIC_EPSG, cell_m=100, categories="drugs",
                     start="2026-01-01", end="2026-06-30")
    observed = pd.to_datetime(inc["observed_at"])
    chosen = inc[(inc["category"] == "drugs") & (observed >= "2026-01-01")
                 & (observed < "2026-07-01")]
    grid = incident_grid(chosen, ward["ward"], METRIC_EPSG, cell_m=100)
    assert 0 < cells["count"].sum() == grid.counts.sum()
    assert list(cells.columns) == ["row", "col", "count", "z", "p", "cls", "geometry"]


def test_grid_is_aligned_and_counts_every_incident_once(ward):
    grid = incident_grid(ward["incidents"], ward["ward"], METRIC_EPSG, cell_m=50)
    assert grid.x0 % 50 == 0 and grid.y0 % 50 == 0
    cells = grid.cells()
    assert len(cells) == grid.n_cells and cells.crs.to_epsg() == 4326
    metric_area = cells.to_crs(METRIC_EPSG).area
    np.testing.assert_allclose(metric_area, 2500, rtol=1e-6)
    ward_area = ward["ward"].to_crs(METRIC_EPSG).area.iloc[0]
    assert abs(grid.n_cells * 2500 - ward_area) / ward_area < 0.01


# --- empty input and CRS -----------------------------------------------------------------

def test_no_incidents_gives_all_not_significant():
    empty = gpd.GeoDataFrame({"category": [], "observed_at": pd.to_datetime([])},
                             geometry=[], crs=4326)
    cells = hotspots(empty, BOX_2KM, METRIC_EPSG)
    assert len(cells) > 1500 and (cells["count"] == 0).all()
    assert (cells["cls"] == "not_significant").all()
    assert (cells["z"] == 0).all() and (cells["p"] == 1).all()
    none_left = hotspots(uniform(50, 1), BOX_2KM, METRIC_EPSG, categories=["drugs"])
    assert (none_left["cls"] == "not_significant").all()


def test_wrong_crs_is_rejected():
    metric = uniform(10, 2).to_crs(METRIC_EPSG)
    with pytest.raises(ValueError, match="EPSG:4326"):
        hotspots(metric, BOX_2KM, METRIC_EPSG)
    with pytest.raises(ValueError, match="no CRS"):
        incident_grid(uniform(10, 2).set_crs(None, allow_override=True), BOX_2KM, METRIC_EPSG)
    metric_box = gpd.GeoSeries([BOX_2KM], crs=4326).to_crs(METRIC_EPSG)
    with pytest.raises(ValueError, match="EPSG:4326"):
        incident_grid(uniform(10, 2), metric_box.iloc[0], METRIC_EPSG)  # bare metric polygon
    with pytest.raises(ValueError, match="EPSG:4326"):
        incident_grid(uniform(10, 2), metric_box, METRIC_EPSG)
    with pytest.raises(ValueError, match="EPSG:4326"):
        repeat_locations(metric.assign(category="drugs"), METRIC_EPSG)


# --- repeat locations --------------------------------------------------------------------

def days(*offsets_days):
    return [pd.Timestamp("2026-01-01") + pd.Timedelta(days=d) for d in offsets_days]


def test_three_within_10_m_and_60_days_are_one_location():
    inc = offsets([(0, 0), (6, 0), (0, 7), (500, 500)],
                  category=["encroachment_sidewalk"] * 4, observed_at=days(0, 30, 60, 10))
    inc.index = [11, 12, 13, 14]
    loc = repeat_locations(inc, METRIC_EPSG)
    assert len(loc) == 1 and loc.crs.to_epsg() == 4326
    row = loc.iloc[0]
    assert (row["category"], row["count"], row["members"]) == ("encroachment_sidewalk", 3,
                                                               [11, 12, 13])
    assert (row["first_seen"], row["last_seen"]) == tuple(days(0, 60))
    centroid = gpd.GeoSeries([row.geometry], crs=4326).to_crs(METRIC_EPSG).iloc[0]
    origin = offsets([(2, 2.33)]).to_crs(METRIC_EPSG).geometry.iloc[0]
    assert centroid.distance(origin) < 0.5


def test_three_within_10_m_spread_over_200_days_are_not_a_location():
    inc = offsets([(0, 0), (6, 0), (0, 7)], category=["drugs"] * 3,
                  observed_at=days(0, 100, 200))
    assert repeat_locations(inc, METRIC_EPSG).empty


def test_different_categories_are_not_a_location():
    inc = offsets([(0, 0), (6, 0), (0, 7)], category=["drugs", "residence", "fire_safety"],
                  observed_at=days(0, 10, 20))
    assert repeat_locations(inc, METRIC_EPSG).empty


def test_twenty_metres_apart_are_not_a_location():
    inc = offsets([(0, 0), (20, 0), (10, 17.5)], category=["drugs"] * 3,
                  observed_at=days(0, 10, 20))
    assert repeat_locations(inc, METRIC_EPSG).empty
    assert len(repeat_locations(inc, METRIC_EPSG, radius_m=25)) == 1


def test_repeat_locations_sorted_by_count_and_empty_input():
    inc = offsets([(0, 0)] * 3 + [(300, 0)] * 5, category=["drugs"] * 3 + ["sanitation"] * 5,
                  observed_at=days(0, 1, 2, 0, 1, 2, 3, 4))
    loc = repeat_locations(inc, METRIC_EPSG)
    assert loc["count"].tolist() == [5, 3] and loc["category"].tolist() == ["sanitation",
                                                                            "drugs"]
    empty = repeat_locations(inc.iloc[:0], METRIC_EPSG)
    assert empty.empty and empty.crs.to_epsg() == 4326
    assert {"category", "count", "first_seen", "last_seen", "members"} <= set(empty.columns)


def test_docstring_examples():
    assert doctest.testmod(geo.hotspots).failed == 0
    assert doctest.testmod(geo.gi_star).failed == 0
