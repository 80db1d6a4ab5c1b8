"""geo.io: files out (GDAL opens them), files in (any CRS), column guessing, row checks."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import datetime

import geopandas as gpd
import pytest
from openpyxl import Workbook
from pyproj import Transformer
from shapely import LineString, Point, box

from geo import io as geoio

WARD = box(106.87, 10.82, 106.99, 10.91)
NOW = datetime(2026, 11, 23, 12, 0)
KNOWN = (106.9123456, 10.8654321)  # a point in Tam Phước


def _check(path, layer, **kwargs):
    raw = geoio.read_file(path, layer_hint=layer)
    mapping = kwargs.pop("mapping", None) or geoio.guess_mapping(raw.frame.columns, layer,
                                                                 raw.tabular)
    return geoio.check_import(raw, layer, mapping, ward_boundary=WARD, metric_epsg=5899,
                              now=NOW, **kwargs)


def _houses() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "name": ["Nhà trọ Hòa Bình", "Nhà trọ Phúc Lộc", "Ký túc xá Tân Mai"],
        "antt_commitment_on": ["2026-01-05", None, "2026-03-01"],
        "last_inspection_on": ["2026-10-01", None, None],
        "rooms": [3, 12, 40],
    }, geometry=[Point(106.91, 10.86), Point(106.92, 10.87), Point(106.93, 10.85)], crs=4326)


def test_geopackage_opens_in_gdal_with_layer_name_crs_and_count(tmp_path):
    path = tmp_path / "out.gpkg"
    path.write_bytes(geoio.write_gis(_houses().to_crs(5899), "gpkg", "boarding-houses"))
    info = subprocess.run(["/usr/bin/ogrinfo", "-so", str(path), "boarding_houses"],
                          capture_output=True, text=True, check=True).stdout
    assert "Layer name: boarding_houses" in info
    assert "Feature Count: 3" in info
    assert 'ID["EPSG",5899]' in info


def test_shapefile_zip_is_utf8_with_readme_and_reads_back(tmp_path):
    body = geoio.write_gis(_houses(), "shp", "boarding-houses")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert f"boarding_houses{suffix}" in names
    readme = zipfile.ZipFile(io.BytesIO(body)).read("README.txt").decode()
    assert "antt_commi  antt_commitment_on" in readme
    path = tmp_path / "houses.zip"
    path.write_bytes(body)
    raw = geoio.read_file(path)
    assert raw.frame["name"].tolist() == _houses()["name"].tolist()  # diacritics survive
    mapping = geoio.guess_mapping(raw.frame.columns, "boarding-houses", raw.tabular)
    assert mapping["antt_commitment_on"] == "antt_commi"


def test_vn2000_shapefile_lands_where_it_should(tmp_path):
    x, y = Transformer.from_crs(4326, 5899, always_xy=True).transform(*KNOWN)
    gdf = gpd.GeoDataFrame({"category": ["Lấn chiếm vỉa hè"], "observed_at": ["05/11/2026"]},
                           geometry=[Point(x, y)], crs=5899)
    gdf.rename(columns={"observed_at": "ngay"}).to_file(tmp_path / "vn2000.shp", engine="pyogrio",
                                                      encoding="UTF-8")
    with zipfile.ZipFile(tmp_path / "vn2000.zip", "w") as archive:
        for part in tmp_path.glob("vn2000.*"):
            if part.suffix != ".zip":
                archive.write(part, part.name)
    check = _check(tmp_path / "vn2000.zip", "incidents")
    assert check.ok, check.errors
    point = check.clean.geometry.iloc[0]
    assert abs(point.x - KNOWN[0]) < 1e-6 and abs(point.y - KNOWN[1]) < 1e-6
    assert check.clean["category"].iloc[0] == "encroachment_sidewalk"
    assert "5899" in check.source_crs


def test_shapefile_without_prj_needs_a_crs(tmp_path):
    x, y = Transformer.from_crs(4326, 5899, always_xy=True).transform(*KNOWN)
    gpd.GeoDataFrame({"name": ["Đường số 1"]}, geometry=[LineString([(x, y), (x + 50, y + 5)])],
                     crs=5899).to_file(tmp_path / "s.shp", engine="pyogrio")
    with zipfile.ZipFile(tmp_path / "s.zip", "w") as archive:
        for suffix in (".shp", ".shx", ".dbf"):
            archive.write(tmp_path / f"s{suffix}", f"s{suffix}")
    with pytest.raises(geoio.ReadError, match="không có hệ tọa độ"):
        _check(tmp_path / "s.zip", "streets")
    assert _check(tmp_path / "s.zip", "streets", source_epsg=5899).ok


def test_csv_with_vn2000_xy(tmp_path):
    x, y = Transformer.from_crs(4326, 5899, always_xy=True).transform(*KNOWN)
    path = tmp_path / "xy.csv"
    path.write_text(f"Loại vi phạm,Ngày,X,Y\nLấn chiếm vỉa hè,01/11/2026 08:30,{x:.3f},{y:.3f}\n",
                    encoding="utf-8")
    with pytest.raises(geoio.ReadError, match="VN-2000"):
        _check(path, "incidents")
    check = _check(path, "incidents", source_epsg=5899)
    assert check.ok, check.errors
    assert abs(check.clean.geometry.iloc[0].x - KNOWN[0]) < 1e-6
    assert check.clean["observed_at"].iloc[0] == datetime(2026, 11, 1, 8, 30)
    # Surveyors' convention (X = northing) is recognised and swapped, with a note.
    path.write_text(f"Loại vi phạm,Ngày,X,Y\nMa túy,01/11/2026,{y:.3f},{x:.3f}\n")
    swapped = _check(path, "incidents", source_epsg=5899)
    assert abs(swapped.clean.geometry.iloc[0].y - KNOWN[1]) < 1e-6
    assert any("đổi chỗ" in note for note in swapped.notes)


def test_xlsx_with_vietnamese_headers_is_auto_mapped(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Tên cơ sở", "Địa chỉ", "Chủ cơ sở", "SĐT", "Số phòng", "Số người ở",
                  "Loại hình", "Kinh độ", "Vĩ độ"])
    sheet.append([1, "Nhà trọ Thanh Tâm", "số 5, hẻm 12", "Nguyễn Văn A", 912345678, 10, 18,
                  "Nhà trọ", KNOWN[0], KNOWN[1]])
    book.save(tmp_path / "nha-tro.xlsx")
    raw = geoio.read_file(tmp_path / "nha-tro.xlsx")
    mapping = geoio.guess_mapping(raw.frame.columns, "boarding-houses", tabular=True)
    assert mapping == {"name": "Tên cơ sở", "address": "Địa chỉ", "owner_name": "Chủ cơ sở",
                       "owner_phone": "SĐT", "rooms": "Số phòng", "residents": "Số người ở",
                       "house_type": "Loại hình", "x": "Kinh độ", "y": "Vĩ độ"}
    check = _check(tmp_path / "nha-tro.xlsx", "boarding-houses")
    assert check.ok, check.errors
    row = check.clean.iloc[0]
    assert (row["owner_phone"], row["house_type"], row["rooms"]) == ("0912345678",
                                                                     "rooming_house", 10)


def test_dry_run_reports_each_rule_in_vietnamese(tmp_path):
    path = tmp_path / "vu-viec.csv"
    path.write_text(
        "Loại vi phạm;Ngày;Kinh độ;Vĩ độ\n"
        "Lấn chiếm vỉa hè;01/11/2026;106.91;10.86\n"        # 2: good
        "Lấn chiếm vỉa hè;01/11/2026;abc;10.86\n"           # 3: coordinate not a number
        "Ma túy;01/11/2026;;\n"                               # 4: no coordinates
        "Ma túy;01/11/2026;107.5;10.86\n"                     # 5: outside the ward
        ";01/11/2026;106.91;10.86\n"                          # 6: missing category
        "Bán hàng rong;01/11/2026;106.91;10.86\n"            # 7: unknown category
        "Ma túy;32/13/2026;106.91;10.86\n"                   # 8: bad date
        "Ma túy;01/11/2030;106.91;10.86\n",                  # 9: future
        encoding="utf-8")
    check = _check(path, "incidents")
    assert not check.ok and check.total == 8 and check.error_rows == 7
    by_row = {e.row: e.message for e in check.errors}
    assert "không phải số" in by_row[3]
    assert "Thiếu tọa độ" in by_row[4]
    assert "ngoài địa bàn phường" in by_row[5]
    assert "Chưa nhập loại vi phạm" in by_row[6]
    assert "không hợp lệ: Bán hàng rong" in by_row[7]
    assert "ngày giờ" in by_row[8]
    assert "tương lai" in by_row[9]
    assert {e.field for e in check.errors} >= {"hình học", "vị trí", "loại vi phạm",
                                                "ngày phát hiện"}


def test_bad_numbers_and_geometry_types(tmp_path):
    houses = gpd.GeoDataFrame({
        "Tên": ["A", "B", "C"], "Địa chỉ": ["1", "2", "3"], "Loại hình": ["Nhà trọ"] * 3,
        "Số phòng": ["mười", "5", "5"], "Số người ở": ["1", "1", "1"]},
        geometry=[Point(106.91, 10.86), Point(106.91, 10.86).buffer(0.001), None], crs=4326)
    houses.to_file(tmp_path / "h.geojson", engine="pyogrio")
    check = _check(tmp_path / "h.geojson", "boarding-houses")
    messages = [(e.row, e.message) for e in check.errors]
    assert (1, "Số phòng phải là số nguyên.") in messages
    assert any(r == 2 and "Sai loại hình học" in m for r, m in messages)
    assert any(r == 3 and "Thiếu hình học" in m for r, m in messages)


def test_tolerance_at_the_ward_edge(tmp_path):
    lon = 106.99 + 30 / 109_000  # ~30 m east of the boundary
    path = tmp_path / "edge.csv"
    path.write_text(f"category,observed_at,lon,lat\ndrugs,2026-11-01,{lon},10.86\n")
    assert _check(path, "incidents").ok
    assert not _check(path, "incidents", tolerance_m=10).ok


def test_tabular_export_columns():
    table = geoio.tabular(_houses().to_crs(5899))
    assert list(table.columns[-2:]) == ["X", "Y"] and table["X"].iloc[0] > 100_000
    lines = gpd.GeoDataFrame({"name": ["Đường 1"]}, geometry=[LineString(WARD.exterior.coords)],
                             crs=4326)
    assert geoio.tabular(lines)["WKT"].iloc[0].startswith("LINESTRING")
