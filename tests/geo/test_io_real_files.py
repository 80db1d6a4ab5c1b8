"""Imports of files as wards have them: abbreviated headers, VN-2000 without .prj, slivers,
OSM GeoJSON exports, road layers with their own class names."""

from __future__ import annotations

from datetime import datetime

import geopandas as gpd
import pytest
from shapely import LineString

from geo import io as geoio
from tests import realward
from tests.geo.osm_fixture import WARD_BOUNDARY

NOW = datetime(2026, 11, 23, 12, 0)


@pytest.mark.parametrize("headers, layer, expected", [
    (["MaKP", "TenKP", "DanSo", "SoHo", "TruongKP", "DIEN_TICH"], "neighbourhoods",
     {"code": "MaKP", "name": "TenKP", "population": "DanSo", "households": "SoHo",
      "head_name": "TruongKP", "declared_area": "DIEN_TICH"}),
    (["MA_KP", "TEN_KP", "DAN_SO", "SO_HO"], "neighbourhoods",
     {"code": "MA_KP", "name": "TEN_KP", "population": "DAN_SO", "households": "SO_HO"}),
    (["makp", "tenkhupho", "dansO"], "neighbourhoods",
     {"code": "makp", "name": "tenkhupho", "population": "dansO"}),
    (["TenDuong", "LoaiDuong"], "streets", {"name": "TenDuong", "street_class": "LoaiDuong"}),
    (["ten_duong", "cap_duong"], "streets", {"name": "ten_duong", "street_class": "cap_duong"}),
    (["Tên đường", "highway"], "streets", {"name": "Tên đường", "street_class": "highway"}),
])
def test_run_together_and_abbreviated_headers(headers, layer, expected):
    mapping = geoio.guess_mapping(headers, layer, tabular=False)
    assert {k: v for k, v in mapping.items() if k in expected} == expected


def _check(path, layer, **kwargs):
    raw = geoio.read_file(path, layer_hint=layer)
    mapping = geoio.guess_mapping(raw.frame.columns, layer, raw.tabular)
    return geoio.check_import(raw, layer, mapping, ward_boundary=WARD_BOUNDARY,
                              metric_epsg=5899, now=NOW, **kwargs)


def test_khu_pho_without_prj_sliver_reported_then_snapped(tmp_path):
    files = realward.write_files(tmp_path)
    with pytest.raises(geoio.ReadError, match="không có hệ tọa độ"):
        _check(files["khu_pho"], "neighbourhoods")
    check = _check(files["khu_pho"], "neighbourhoods", source_epsg=5899)
    assert check.ok, check.errors
    assert check.topology.slivers and not check.topology.refused_overlaps
    assert any("khe hở/chồng lấn mỏng hơn 2 m" in n for n in check.notes)
    assert any("khớp với ranh giới" in line and "đơn vị ha" in line for line in check.summary)
    snapped = _check(files["khu_pho"], "neighbourhoods", source_epsg=5899, snap_slivers=True)
    assert not snapped.topology.slivers and snapped.topology.coverage > 0.999
    assert list(snapped.clean["code"]) == ["KP01", "KP02", "KP03", "KP04"]


def test_a_real_overlap_is_refused_naming_both_rows(tmp_path):
    files = realward.write_files(tmp_path)
    frame = gpd.read_file(f"zip://{files['khu_pho']}").set_crs(5899, allow_override=True)
    frame.loc[1, "geometry"] = frame.loc[1, "geometry"].buffer(40)  # KP02 spills 40 m over
    path = tmp_path / "chong-lan.gpkg"
    frame.to_file(path, driver="GPKG")
    check = _check(path, "neighbourhoods")
    assert not check.ok
    rows = {e.row for e in check.errors if "Chồng lấn" in e.message}
    assert {2} <= rows and len(rows) >= 2
    assert any("vượt dung sai 2 m" in e.message for e in check.errors)


def test_osm_geojson_export_and_a_wards_own_road_layer(tmp_path):
    ways = gpd.GeoDataFrame({
        "@id": ["way/1", "way/2", "way/3"], "highway": ["residential", "footway", "service"],
        "name": ["Lê Lợi", "Lối đi bộ", None], "name:vi": [None, None, None],
    }, geometry=[LineString([(106.910, 10.855), (106.915, 10.856)]),
                 LineString([(106.911, 10.857), (106.912, 10.858)]),
                 LineString([(106.913, 10.8553), (106.913, 10.857)])], crs=4326)
    exported = tmp_path / "overpass.geojson"
    ways.to_file(exported, driver="GeoJSON")
    check = _check(exported, "streets")
    assert check.ok and len(check.clean) == 2
    assert set(check.clean["source_ref"]) == {"way/1", "way/3"}
    assert "Hẻm gần đường Lê Lợi" in set(check.clean["name"])
    own = gpd.GeoDataFrame({"TenDuong": ["Trần Phú", None], "LoaiDuong": ["Đường chính", "hẻm"]},
                           geometry=ways.geometry[[0, 2]].to_numpy(), crs=4326).to_crs(5899)
    path = tmp_path / "duong.gpkg"
    own.to_file(path, driver="GPKG")
    check = _check(path, "streets")
    assert check.ok and sorted(check.clean["street_class"]) == ["alley", "main"]
    assert check.clean["named"].tolist().count(False) == 1
