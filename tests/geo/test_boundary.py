"""A ward outline from whatever file the ward has: reprojected, merged, repaired, checked."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely import LineString, Point, Polygon, box

from geo.boundary import BoundaryError, area_km2, reach_outside, ward_outline
from geo.crs import metric_epsg_for
from geo.i18n import translate


def test_khu_pho_pieces_in_vn2000_become_one_outline_in_lon_lat():
    parts = gpd.GeoDataFrame(geometry=[box(420000, 1200000, 421000, 1201000),
                                       box(421000, 1200000, 422000, 1201000)], crs=5899)
    outline, notes = ward_outline(parts)
    assert outline.geom_type == "MultiPolygon" and len(outline.geoms) == 1
    assert 106 < outline.centroid.x < 108 and 10 < outline.centroid.y < 12
    assert area_km2(outline, 5899) == pytest.approx(2.0, rel=1e-3)
    assert any("Ghép 2 vùng" in n for n in notes)


def test_self_intersecting_polygon_is_repaired():
    bowtie = Polygon([(0, 0), (2000, 2000), (2000, 0), (0, 2000), (0, 0)])
    outline, notes = ward_outline(gpd.GeoDataFrame(geometry=[bowtie], crs=5899), None)
    assert outline.is_valid and any("không hợp lệ" in n for n in notes)


@pytest.mark.parametrize("geometry, crs, message", [
    ([Point(106.9, 10.85)], 4326, "không có vùng"),
    ([LineString([(106.9, 10.85), (106.91, 10.86)])], 4326, "không có vùng"),
    ([box(106.9, 10.85, 106.9001, 10.8501)], 4326, "không hợp lý"),  # ~120 m²
    ([box(100, 5, 110, 20)], 4326, "không hợp lý"),  # a country
    ([box(0, 0, 1000, 1000)], None, "không có hệ tọa độ"),
])
def test_unusable_files_are_refused(geometry, crs, message):
    with pytest.raises(BoundaryError, match=message):
        ward_outline(gpd.GeoDataFrame(geometry=geometry, crs=crs))


def test_a_given_crs_replaces_a_missing_one():
    frame = gpd.GeoDataFrame(geometry=[box(420000, 1200000, 421000, 1201000)], crs=None)
    outline, _ = ward_outline(frame, 5899)
    assert 106 < outline.centroid.x < 108


def test_reach_outside_measures_only_what_lies_beyond():
    ward = box(106.90, 10.84, 106.92, 10.86)
    points = gpd.GeoSeries([Point(106.91, 10.85), Point(106.9203, 10.85),
                            Point(106.95, 10.85)], crs=4326)
    metres = reach_outside(points, ward, 5899, tolerance_m=50)
    assert metres.iloc[0] == 0 and metres.iloc[1] == 0  # 33 m out: within the tolerance
    assert 3200 < metres.iloc[2] < 3400


@pytest.mark.parametrize("province, lon, epsg", [
    ("Hà Nội", 105.8, 5897), ("TP. Hồ Chí Minh", 106.7, 9210), ("tỉnh đồng nai", 106.9, 5899),
    ("Bình Phước", 106.9, 9212), ("Huế", 107.6, 9214), (None, 104.0, 5897), ("", 109.0, 5898),
])
def test_metric_crs_by_province_or_longitude(province, lon, epsg):
    assert metric_epsg_for(province, lon)[0] == epsg


def test_notes_and_refusals_read_english_through_translate():
    parts = gpd.GeoDataFrame(geometry=[box(420000, 1200000, 421000, 1201000),
                                       box(421000, 1200000, 422000, 1201000)], crs=5899)
    _, notes = ward_outline(parts)
    english = [translate(note, "en") for note in notes]
    assert "Merged 2 areas into one ward boundary." in english
    assert "Ghép 2 vùng thành một ranh giới phường." in notes
    with pytest.raises(BoundaryError) as refused:
        ward_outline(gpd.GeoDataFrame(geometry=[Point(106.9, 10.85)], crs=4326))
    assert translate(refused.value.args[0], "en").startswith("The file has no area (polygon)")
    assert str(refused.value).startswith("Tệp không có vùng (polygon) nào")
    _, why = metric_epsg_for(None, 106.7)
    assert translate(why, "en") == \
        "province unknown: the 3° zone of the boundary centre's longitude (106.70°)"
    _, why = metric_epsg_for("Hà Nội", 105.8)
    assert why == "kinh tuyến trục của Hà Nội (VN-2000 / TM-3 105°00′ (vùng 482))"
    assert translate(why, "en") == \
        "the central meridian of Hà Nội (VN-2000 / TM-3 105°00′ (zone 482))"
