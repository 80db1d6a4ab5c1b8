"""Imports: round trips into a fresh ward, VN-2000 placement, all-or-nothing, khu phố
replacement re-assigning points, the upload page and the CLI — on both backends."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely import LineString, Point, box
from sqlalchemy import func, select

from models import queries, writes
from models import wards as ward_records
from models.tables import Incident, ModelStreet
from tests.helpers import csrf_token, shown, sign_in
from webapp.cli import cli
from webapp.demo import DEMO_WARD
from webapp.exchange.files import export_layer
from webapp.extensions import db
from webapp.services import exchange

# Dozens of GeoPackages: one warm child process reads and writes them (tests/gpkg_child.py).
pytestmark = pytest.mark.usefixtures("warm_geopackage_child")

COMPARE = {
    "neighbourhoods": ["code", "name", "population", "households", "head_name"],
    "streets": ["name", "street_class"],
    "boarding-houses": ["name", "address", "house_type", "rooms", "residents", "classification",
                        "antt_commitment_on", "extinguishers", "has_alarm", "has_escape_route",
                        "model_status", "model_recognised_on", "last_inspection_on",
                        "fire_safety_pass", "neighbourhood_id"],
    "incidents": ["category", "observed_at", "status", "description", "minutes_no", "fine_vnd",
                  "resolved_at", "is_repeat", "neighbourhood_id"],
}
# Export CRS per format: tables in lon/lat (CSV has no CRS), GIS files in VN-2000.
FORMATS = {"geojson": "4326", "gpkg": "ward", "shp": "ward", "xlsx": "ward", "csv": "4326"}


def _new_ward(conn, boundary, epsg: int = 5899):
    code = f"fresh-{uuid.uuid4().hex[:8]}"
    if boundary.geom_type == "Polygon":
        boundary = shapely.MultiPolygon([boundary])
    ward_records.insert_ward(conn, code, "Phường thử nghiệm", boundary, epsg, False)
    return queries.ward_by_code(conn, code)


def _demo_ward(conn):
    return queries.ward_by_code(conn, DEMO_WARD)


def _frame(conn, ward, layer: str) -> pd.DataFrame:
    gdf = queries.read_layer(conn, queries.LAYERS[layer], ward.id)
    if "neighbourhood_id" in gdf:  # ids differ between wards: compare khu phố codes
        codes = {r.id: r.code for r in queries.neighbourhood_names(conn, ward.id)}
        gdf["neighbourhood_id"] = gdf["neighbourhood_id"].map(codes)
    anchor = gdf.geometry.representative_point()
    gdf["_x"], gdf["_y"] = anchor.x.round(6), anchor.y.round(6)
    keys = [*COMPARE[layer], "_x", "_y"]
    return gdf.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_into_a_fresh_ward(writable_app, tmp_path, fmt):
    with writable_app.app_context():
        with db.engine.begin() as conn:
            source = _demo_ward(conn)
            target = _new_ward(conn, queries.ward_boundary(conn, source.id))
        for layer in COMPARE:
            out = export_layer(db.conn, source, layer, fmt, FORMATS[fmt])
            path = tmp_path / out.filename
            path.write_bytes(out.body)
            req = exchange.ImportRequest(path, layer)
            result = exchange.commit(db.engine, target, req, None, via="test")
            assert result["rows"] == out.rows
        with db.engine.connect() as conn:
            for layer in COMPARE:
                before, after = _frame(conn, source, layer), _frame(conn, target, layer)
                assert len(before) == len(after) > 0, layer
                columns = COMPARE[layer]
                pd.testing.assert_frame_equal(
                    before[columns].astype(str), after[columns].astype(str), obj=layer)
                for a, b in zip(before.geometry, after.geometry, strict=True):
                    assert a.geom_type.replace("Multi", "") == b.geom_type.replace("Multi", "")
                    # Imported streets are stored direction-blind (normalised, geo.streets).
                    a, b = (shapely.normalize(a), shapely.normalize(b)) \
                        if layer == "streets" else (a, b)
                    assert np.abs(shapely.get_coordinates(a) - shapely.get_coordinates(b)
                                  ).max() < 1e-6, layer


def test_vn2000_shapefile_import_lands_at_known_coordinates(writable_app, tmp_path):
    lon, lat = 106.9234567, 10.8612345
    x, y = Transformer.from_crs(4326, 5899, always_xy=True).transform(lon, lat)
    shp = tmp_path / "shp"
    shp.mkdir()
    gpd.GeoDataFrame({"Loai_VP": ["Lấn chiếm lòng đường"], "Ngay": ["02/11/2026 07:45"]},
                     geometry=[Point(x, y)], crs=5899).to_file(
        shp / "vi_pham.shp", engine="pyogrio", encoding="UTF-8")
    with zipfile.ZipFile(tmp_path / "vi_pham.zip", "w") as archive:
        for part in shp.iterdir():
            archive.write(part, part.name)
    with writable_app.app_context():
        with db.engine.begin() as conn:
            ward = _new_ward(conn, box(106.87, 10.82, 106.99, 10.91))
        req = exchange.ImportRequest(tmp_path / "vi_pham.zip", "incidents",
                                     mapping={"category": "Loai_VP", "observed_at": "Ngay"})
        exchange.commit(db.engine, ward, req, None)
        stored = queries.read_layer(db.conn, queries.LAYERS["incidents"], ward.id)
    assert len(stored) == 1 and stored["category"].iloc[0] == "encroachment_road"
    point = stored.geometry.iloc[0]
    assert abs(point.x - lon) < 1e-6 and abs(point.y - lat) < 1e-6


def _csv(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_bad_row_stores_nothing(writable_app, tmp_path):
    path = _csv(tmp_path, "vu.csv", "Loại vi phạm,Ngày,lon,lat\n"
                "Lấn chiếm vỉa hè,01/11/2026,106.91,10.86\n"
                "Lấn chiếm vỉa hè,01/11/2026,106.92,10.86\n"
                "Không rõ,01/11/2026,106.93,10.86\n")
    with writable_app.app_context():
        with db.engine.begin() as conn:
            ward = _new_ward(conn, box(106.87, 10.82, 106.99, 10.91))
        plan = exchange.dry_run(db.conn, ward, exchange.ImportRequest(path, "incidents"))
        assert plan.check.total == 3 and plan.check.error_rows == 1
        assert plan.check.errors[0].row == 4 and "loại vi phạm" in plan.check.errors[0].field
        with pytest.raises(exchange.ImportRefused, match="Chưa lưu dòng nào"):
            exchange.commit(db.engine, ward, exchange.ImportRequest(path, "incidents"), None)
        count = db.conn.execute(select(func.count()).select_from(Incident).where(
            Incident.ward_id == ward.id)).scalar()
    assert count == 0


def test_replacing_khu_pho_reassigns_points(writable_app, tmp_path):
    whole = box(106.90, 10.84, 106.92, 10.86)
    left, right = box(106.90, 10.84, 106.91, 10.86), box(106.91, 10.84, 106.92, 10.86)
    with writable_app.app_context():
        with db.engine.begin() as conn:
            ward = _new_ward(conn, whole)
        def run(layer, path, replace=False):
            return exchange.commit(db.engine, ward, exchange.ImportRequest(
                path, layer, replace=replace), None)

        gpd.GeoDataFrame({"code": ["KP1"], "name": ["Khu phố 1"]}, geometry=[whole],
                         crs=4326).to_file(tmp_path / "one.geojson", engine="pyogrio")
        run("neighbourhoods", tmp_path / "one.geojson")
        run("incidents", _csv(tmp_path, "i.csv", "category,observed_at,lon,lat\n"
                              "drugs,2026-11-01,106.905,10.85\ndrugs,2026-11-01,106.915,10.85\n"))
        run("boarding-houses", _csv(tmp_path, "h.csv",
                                    "Tên,Địa chỉ,Loại hình,Số phòng,Số người ở,lon,lat\n"
                                    "Trọ A,1,Nhà trọ,4,6,106.904,10.85\n"
                                    "Trọ B,2,Nhà trọ,4,6,106.916,10.85\n"))
        with db.engine.begin() as conn:
            kp1 = queries.neighbourhood_names(conn, ward.id)[0].id
            writes.insert_features(conn, ModelStreet.__table__, gpd.GeoDataFrame(
                {"name": ["Tuyến mẫu"], "level": ["neighbourhood"], "kind": ["street"],
                 "status": ["registered"], "neighbourhood_id": [kp1]},
                geometry=[LineString([(106.913, 10.845), (106.918, 10.845)])], crs=4326),
                "geom", ward.id, returning_key="name")
        gpd.GeoDataFrame({"code": ["KP1", "KP2"], "name": ["Khu phố 1", "Khu phố 2"]},
                         geometry=[left, right], crs=4326).to_file(tmp_path / "two.geojson",
                                                                   engine="pyogrio")
        result = run("neighbourhoods", tmp_path / "two.geojson", replace=True)
        assert result["updated"] == 1 and result["added"] == 1
        assert result["moved"] == {"boarding-houses": 1, "incidents": 1, "model-streets": 1}
        codes = {r.id: r.code for r in queries.neighbourhood_names(db.conn, ward.id)}
        assert codes[kp1] == "KP1"  # same id kept for the same code
        for layer in ("incidents", "boarding-houses", "model-streets"):
            gdf = queries.read_layer(db.conn, queries.LAYERS[layer], ward.id)
            x = gdf.geometry.representative_point().x
            expected = np.where(x < 106.91, "KP1", "KP2").tolist()
            assert gdf["neighbourhood_id"].map(codes).tolist() == expected, layer


def _upload(client, path: Path, **form):
    data = {"csrf_token": csrf_token(client, "/imports"), **form}
    if path is not None:
        data["file"] = (io.BytesIO(path.read_bytes()), path.name)
    return client.post("/imports", data=data, content_type="multipart/form-data")


def test_upload_page_dry_run_then_commit(writable_app, tmp_path):
    client = writable_app.test_client()
    sign_in(client, "dothi")
    assert client.get("/imports").status_code == 200
    bad = _csv(tmp_path, "bad.csv", "Loại vi phạm;Ngày;Kinh độ;Vĩ độ\n"
               "Lấn chiếm vỉa hè;01/11/2026;106.91;10.86\nChợ;01/11/2026;107.9;10.86\n")
    response = _upload(client, bad, layer="incidents", action="dry_run")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Loại vi phạm không hợp lệ: Chợ" in html and "ngoài địa bàn phường" in html
    assert "Xác nhận nhập" not in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    with writable_app.app_context():
        before = db.conn.execute(select(func.count()).select_from(Incident)).scalar()
    refused = _upload(client, None, layer="incidents", token=token, action="commit",
                      **{"map:category": "Loại vi phạm", "map:observed_at": "Ngày",
                         "map:x": "Kinh độ", "map:y": "Vĩ độ"})
    assert refused.status_code == 422
    good = _csv(tmp_path, "good.csv", "Loại vi phạm,Ngày,Kinh độ,Vĩ độ\n"
                "Quảng cáo, rao vặt trái phép,02/11/2026,106.925,10.853\n"
                .replace("Quảng cáo, rao vặt trái phép", '"Quảng cáo, rao vặt trái phép"'))
    html = _upload(client, good, layer="incidents", action="dry_run").get_data(as_text=True)
    assert "Xác nhận nhập 1 dòng" in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    done = _upload(client, None, layer="incidents", token=token, action="commit",
                   **{"map:category": "Loại vi phạm", "map:observed_at": "Ngày",
                      "map:x": "Kinh độ", "map:y": "Vĩ độ"})
    assert done.status_code == 302
    with writable_app.app_context():
        after = db.conn.execute(select(func.count()).select_from(Incident)).scalar()
    assert after == before + 1
    # Urban staff may not replace khu phố; leaders may not import at all.
    assert _upload(client, good, layer="neighbourhoods", action="dry_run").status_code == 403
    leader = writable_app.test_client()
    sign_in(leader, "lanhdao")
    assert leader.get("/imports").status_code == 403


def test_cli_import_dry_run_and_commit(writable_app, tmp_path):
    with writable_app.app_context(), db.engine.begin() as conn:
        ward = _new_ward(conn, box(106.87, 10.82, 106.99, 10.91))
    x, y = Transformer.from_crs(4326, 5899, always_xy=True).transform(106.91, 10.86)
    path = _csv(tmp_path, "xy.csv", f"Loai,Thoi diem,X,Y\nMa túy,01/11/2026,{x},{y}\n")
    runner = writable_app.test_cli_runner()
    args = ["import", str(path), "--layer", "incidents", "--ward", ward.code, "--crs", "5899",
            "--map", "category=Loai", "--map", "observed_at=Thoi diem"]
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "không lưu" in dry.output
    done = runner.invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert "Đã nhập 1 dòng" in done.output
    missing_crs = runner.invoke(cli, args[:6] + args[8:])
    assert missing_crs.exit_code != 0 and "VN-2000" in missing_crs.output


def test_cli_import_report_names_fields_in_english(writable_app, tmp_path):
    path = _csv(tmp_path, "vu.csv", "Loai,Kinh do,Vi do\nChợ,106.91,10.86\n")
    runner = writable_app.test_cli_runner()
    dry = runner.invoke(cli, ["--lang", "en", "import", str(path), "--layer", "incidents",
                              "--ward", DEMO_WARD, "--map", "category=Loai", "--dry-run"])
    assert "Required columns missing: date observed" in dry.output
    assert "— kind of violation: Kind of violation is not valid: Chợ." in dry.output
    assert "loại vi phạm" not in dry.output and "ngày phát hiện" not in dry.output


def test_an_xlsx_row_report_reads_english_for_an_english_user(writable_app, tmp_path):
    # Each row's problem is a geo.i18n.Message: the English reader gets the field and the
    # problem in English, the Vietnamese reader (no cookie) the same rows in Vietnamese.
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Loại vi phạm", "Ngày", "Kinh độ", "Vĩ độ"])
    book.active.append(["Lấn chiếm vỉa hè", "01/11/2026", 106.91, 10.86])
    book.active.append(["Chợ", "01/11/2026", 107.9, 10.86])
    book.active.append(["Lấn chiếm vỉa hè", "01/11/2099", 106.91, 10.86])
    path = tmp_path / "vu.xlsx"
    book.save(path)
    client = writable_app.test_client()
    sign_in(client, "dothi")
    client.set_cookie("lang", "en")
    html = _upload(client, path, layer="incidents", action="dry_run").get_data(as_text=True)
    assert "Kind of violation is not valid: Chợ." in html
    assert "Outside the ward (" in html and "m from the boundary" in html
    assert "Time observed cannot be in the future." in html
    assert "không hợp lệ" not in html and "ngoài địa bàn" not in html
    # The CRSs, ours named in English: the file's in the report, the choices of the form.
    assert "coordinate system: EPSG:4326 WGS 84 (longitude / latitude)" in html
    assert "EPSG:5897 — VN-2000 / TM-3 105°00′ (zone 482) (Hà Nội" in html
    assert "EPSG:3405 — VN-2000 / UTM zone 48N" in html
    assert "vùng" not in shown(html) and "kinh độ" not in shown(html)
    client.delete_cookie("lang")
    html = _upload(client, path, layer="incidents", action="dry_run").get_data(as_text=True)
    assert "Loại vi phạm không hợp lệ: Chợ." in html and "ngoài địa bàn phường" in html
    assert "Thời điểm phát hiện không được ở tương lai." in html


def test_unmapped_required_fields_are_named_in_english(writable_app, tmp_path):
    path = _csv(tmp_path, "vu.csv", "Kinh độ;Vĩ độ\n106.91;10.86\n")
    client = writable_app.test_client()
    sign_in(client, "dothi")
    client.set_cookie("lang", "en")
    html = _upload(client, path, layer="incidents", action="dry_run").get_data(as_text=True)
    assert "No column matched for required field: kind of violation, date observed." in html
    html = _upload(client, path, layer="incidents", action="commit").get_data(as_text=True)
    assert "No column is matched to the required fields: kind of violation, date observed." \
        in html


def test_an_unreadable_file_is_refused_in_english_for_an_english_user(writable_app, tmp_path):
    path = tmp_path / "hong.zip"
    path.write_bytes(b"not a zip at all")
    client = writable_app.test_client()
    sign_in(client, "dothi")
    client.set_cookie("lang", "en")
    response = _upload(client, path, layer="incidents", action="dry_run")
    assert response.status_code == 302  # the upload is refused before it is kept
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The archive is broken or not a .zip/.xlsx file." in page
    assert "Tệp nén bị hỏng" not in page
