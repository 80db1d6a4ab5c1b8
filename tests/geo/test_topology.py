"""Overlaps and gaps between a ward's khu phố, and snapping the slivers away.

Shapes are drawn in metres (VN-2000, EPSG:5899) around 106.92 E, 10.86 N and handed to the
checks in EPSG:4326, as an import would; drawing in metres keeps the expected areas exact.
"""

from __future__ import annotations

import time
import unicodedata

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import box
from shapely.affinity import translate

from geo.topology import check_topology, snap_slivers

METRIC = 5899
ORIGIN = gpd.GeoSeries([shapely.Point(106.92, 10.86)], crs=4326).to_crs(METRIC).iloc[0]
ROWS = [2, 3, 4, 5]  # row numbers of a spreadsheet: row 1 is the header


def lonlat(geoms):
    """Shapes drawn in metres from ORIGIN, as EPSG:4326 geometries."""
    moved = [translate(g, ORIGIN.x, ORIGIN.y) for g in geoms]
    return list(gpd.GeoSeries(moved, crs=METRIC).to_crs(4326))


def khu_pho(*shapes):
    """Khu phố KP01, KP02… on spreadsheet rows 2, 3…"""
    codes = [f"KP{n:02d}" for n in range(1, len(shapes) + 1)]
    return gpd.GeoDataFrame({"code": codes, "name": [f"Khu phố {c[2:]}" for c in codes]},
                            geometry=lonlat(shapes), crs=4326, index=ROWS[:len(shapes)])


WARD = lonlat([box(0, 0, 600, 600)])[0]
BOTTOM_LEFT, BOTTOM_RIGHT = box(0, 0, 300, 300), box(300, 0, 600, 300)
TOP_LEFT, TOP_RIGHT = box(0, 300, 300, 600), box(300, 300, 600, 600)


def metric_areas(gdf):
    return gdf.to_crs(METRIC).area


def test_clean_tiling_has_no_problems():
    report = check_topology(khu_pho(BOTTOM_LEFT, BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT), WARD,
                            METRIC)
    assert report.overlaps == [] and report.gaps == []
    assert report.coverage == pytest.approx(1.0, abs=1e-6)
    assert report.ward_area_m2 == pytest.approx(360_000, rel=1e-6)
    assert report.outside_m2 == 0
    assert report.lines() == ["Các khu phố phủ kín diện tích phường.",
                              "Không có chồng lấn hay khe hở giữa các khu phố."]


def test_half_metre_overlap_is_a_sliver_and_snaps_away():
    kp = khu_pho(box(0, 0, 300.5, 300), BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT)
    report = check_topology(kp, WARD, METRIC)
    [overlap] = report.overlaps
    assert overlap.rows == (2, 3) and overlap.codes == ("KP01", "KP02")
    assert overlap.area_m2 == pytest.approx(150, rel=0.01)
    assert overlap.width_m == pytest.approx(0.5, abs=0.05)
    assert overlap.sliver and report.refused_overlaps == [] and report.slivers == [overlap]
    lon, lat = overlap.where
    assert 106.90 < lon < 106.95 and 10.84 < lat < 10.88

    snapped = snap_slivers(kp, WARD, METRIC)
    assert list(snapped.index) == ROWS and list(snapped.columns) == list(kp.columns)
    assert snapped.crs.to_epsg() == 4326
    assert set(snapped.geom_type) == {"MultiPolygon"} and snapped.is_valid.all()
    after = check_topology(snapped, WARD, METRIC)
    assert after.overlaps == [] and after.gaps == []
    # The larger khu phố (KP01) keeps the strip; the other two are untouched.
    areas = metric_areas(snapped)
    assert areas[2] == pytest.approx(300.5 * 300, abs=0.1)
    assert areas[3] == pytest.approx(299.5 * 300, abs=0.1)
    assert snapped.geometry[4].equals(kp.geometry[4])
    assert areas.sum() == pytest.approx(360_000, abs=1)
    assert snapped.to_crs(METRIC).union_all().area == pytest.approx(
        kp.to_crs(METRIC).union_all().area, abs=1)


def test_long_thin_overlap_is_a_sliver_despite_its_area():
    kp = khu_pho(box(0, 0, 301, 400), box(300, 0, 600, 400))
    [overlap] = check_topology(kp, lonlat([box(0, 0, 600, 400)])[0], METRIC).overlaps
    assert overlap.area_m2 == pytest.approx(400, rel=0.01) and overlap.sliver


def test_hundred_metre_overlap_is_refused():
    kp = khu_pho(box(0, 0, 400, 300), BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT)
    report = check_topology(kp, WARD, METRIC)
    [overlap] = report.refused_overlaps
    assert overlap.rows == (2, 3) and overlap.codes == ("KP01", "KP02")
    assert overlap.area_m2 == pytest.approx(100 * 300, rel=0.02)
    assert overlap.width_m == pytest.approx(100, rel=0.05)
    assert not overlap.sliver and report.slivers == []
    renamed = check_topology(kp.rename(columns={"code": "ma_kp"}), WARD, METRIC,
                             code_column="ma_kp")
    assert renamed.overlaps[0].codes == ("KP01", "KP02")
    snapped = snap_slivers(kp, WARD, METRIC)
    assert all(snapped.geometry[r].equals(kp.geometry[r]) for r in ROWS)


def test_forty_metre_gap_between_two_khu_pho():
    # A 40 m × 400 m hole between KP01 and KP02, closed at both ends by two small plugs.
    kp = khu_pho(box(0, 0, 280, 600), box(320, 0, 600, 600), box(280, 0, 320, 100),
                 box(280, 500, 320, 600))
    report = check_topology(kp, WARD, METRIC)
    assert report.overlaps == []
    [gap] = report.gaps
    assert {"KP01", "KP02"} <= set(gap.neighbours) and list(gap.neighbours) == sorted(
        gap.neighbours)
    assert gap.width_m == pytest.approx(40, rel=0.2)
    assert gap.area_m2 == pytest.approx(40 * 400, rel=0.01)
    assert not gap.sliver and not gap.at_edge
    assert report.coverage == pytest.approx(1 - 16_000 / 360_000, abs=1e-6)


def test_uncovered_strip_at_the_ward_edge():
    kp = khu_pho(BOTTOM_LEFT, BOTTOM_RIGHT, box(0, 300, 300, 570), box(300, 300, 600, 570))
    report = check_topology(kp, WARD, METRIC)
    [gap] = report.gaps
    assert gap.at_edge and not gap.sliver
    assert gap.neighbours == ("KP03", "KP04")
    assert gap.width_m == pytest.approx(30, rel=0.2)
    assert report.coverage < 1
    assert "Khe hở ở rìa phường cạnh KP03, KP04: 18.000 m²" in " ".join(report.lines())


def test_khu_pho_reaching_outside_the_ward():
    kp = khu_pho(BOTTOM_LEFT, BOTTOM_RIGHT, TOP_LEFT, box(300, 300, 650, 600))
    report = check_topology(kp, WARD, METRIC)
    assert report.outside_m2 == pytest.approx(50 * 300, rel=0.01)
    assert report.coverage == pytest.approx(1.0, abs=1e-6)
    assert report.overlaps == [] and report.gaps == []
    assert "Có 15.000 m² diện tích khu phố nằm ngoài ranh giới phường." in report.lines()


def test_thin_strip_is_given_to_the_neighbour_sharing_the_longest_edge():
    # A 0.5 m strip at the ward's edge runs 300 m along KP01 but only 0.5 m along KP03.
    kp = khu_pho(box(0.5, 0, 300, 300), BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT)
    report = check_topology(kp, WARD, METRIC)
    [gap] = report.gaps
    assert gap.sliver and gap.at_edge and gap.neighbours == ("KP01", "KP03")
    snapped = snap_slivers(kp, WARD, METRIC)
    assert check_topology(snapped, WARD, METRIC).gaps == []
    areas = metric_areas(snapped)
    assert areas[2] == pytest.approx(90_000, abs=0.5)
    assert areas.sum() == pytest.approx(360_000, abs=1)


def test_lines_name_the_codes_in_vietnamese_number_format():
    kp = khu_pho(box(0, 0, 400, 300), box(300, 0, 600, 300), box(0, 300, 300.5, 570),
                 box(300, 300, 600, 570))
    lines = check_topology(kp, WARD, METRIC).lines()
    assert lines[0] == ("Các khu phố phủ 95% diện tích phường "
                        "(còn 18.000 m² chưa thuộc khu phố nào).")
    refused = next(line for line in lines if line.startswith("Chồng lấn"))
    assert refused.startswith("Chồng lấn KP01 – KP02: 30.000 m² (dày khoảng 100 m) tại 10.8")
    assert refused.endswith(" — vượt dung sai 2 m, phải sửa ranh giới.")
    assert lines[-1] == ("1 khe/chồng lấn nhỏ (mỏng hơn 2 m, tổng 135 m²) "
                         "có thể khớp tự động.")
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_rejects_data_not_in_wgs84():
    kp = khu_pho(BOTTOM_LEFT).to_crs(METRIC)
    with pytest.raises(ValueError, match="EPSG:4326"):
        check_topology(kp, WARD, METRIC)


def voronoi_khu_pho(count: int, seed: int = 7, jitter_m: float = 0.0) -> gpd.GeoDataFrame:
    """``count`` cells of a Voronoi tiling of a 3 km square, vertices moved by ``jitter_m``."""
    rng = np.random.default_rng(seed)
    square = box(0, 0, 3000, 3000)
    seeds = shapely.MultiPoint(rng.uniform(0, 3000, size=(count, 2)))
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=square)), square)
    if jitter_m:
        # Each cell's copy of a shared vertex moves on its own, as when edges are redrawn.
        rings = [np.asarray(cell.exterior.coords) for cell in cells]
        moves = [rng.uniform(-jitter_m, jitter_m, size=ring.shape) for ring in rings]
        for move in moves:
            move[-1] = move[0]
        cells = shapely.make_valid(
            [shapely.Polygon(ring + move) for ring, move in zip(rings, moves, strict=True)])
    return gpd.GeoDataFrame({"code": [f"KP{n:03d}" for n in range(1, count + 1)]},
                            geometry=lonlat(cells), crs=4326, index=range(2, count + 2))


def test_three_hundred_khu_pho_are_checked_within_seconds():
    kp = voronoi_khu_pho(300)
    ward = lonlat([box(0, 0, 3000, 3000)])[0]
    started = time.perf_counter()
    report = check_topology(kp, ward, METRIC)
    assert time.perf_counter() - started < 5
    assert report.overlaps == [] and report.gaps == []
    assert report.coverage == pytest.approx(1.0, abs=1e-6)


def test_snapping_a_redrawn_tiling_leaves_no_slivers():
    # Every vertex moved by up to 30 cm: shared edges no longer match, as in surveyed files.
    kp = voronoi_khu_pho(60, seed=3, jitter_m=0.3)
    ward = lonlat([box(-1, -1, 3001, 3001)])[0]
    started = time.perf_counter()
    before = check_topology(kp, ward, METRIC)
    assert time.perf_counter() - started < 1
    assert len(before.slivers) > 50 and not before.refused_overlaps
    snapped = snap_slivers(kp, ward, METRIC)
    assert snapped.is_valid.all() and not snapped.is_empty.any()
    after = check_topology(snapped, ward, METRIC)
    assert after.slivers == [] and after.overlaps == [] and after.gaps == []
    assert after.coverage == pytest.approx(1.0, abs=1e-6)
    assert metric_areas(snapped).sum() == pytest.approx(
        snapped.to_crs(METRIC).union_all().area, rel=1e-6)


def test_snapping_never_empties_a_khu_pho():
    # KP02 is a 1 m wide strip lying wholly inside KP01: giving the overlap away would erase it.
    kp = khu_pho(box(0, 0, 600, 600), box(100, 100, 101, 400))
    snapped = snap_slivers(kp, WARD, METRIC)
    assert not snapped.is_empty.any()
    assert metric_areas(snapped)[3] == pytest.approx(300, rel=0.01)


def test_the_report_reads_english_through_translate():
    from geo.i18n import translate
    from geo.topology_report import Gap, TopologyReport

    gap = Gap(12345.0, 40.0, (106.9, 10.86), ("KP01",), True, False)
    lines = TopologyReport([], [gap], 950_000.0, 937_655.0, 0.0, 2.0).lines()
    assert str(lines[0]) == ("Các khu phố phủ 98,7% diện tích phường (còn 12.345 m² chưa "
                             "thuộc khu phố nào).")
    assert translate(lines[0], "en") == ("The neighbourhoods cover 98.7% of the ward's area "
                                         "(12,345 m² belong to no neighbourhood).")
    assert translate(lines[1], "en").startswith("Gap at the ward's edge beside KP01: 12,345 m²")
    assert translate(lines[1], "en").endswith("the boundary must be corrected.")
