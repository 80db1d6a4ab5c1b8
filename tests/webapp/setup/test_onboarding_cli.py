"""A real ward goes live through the command line only, on both backends: boundary, khu phố
(VN-2000 without .prj, abbreviated headers, a sliver), OSM streets (.osm and .osm.pbf),
records, the ward's own plan and route, the printed ranking; the demo removed at the end."""

from __future__ import annotations

import shutil
import subprocess

import geopandas as gpd
import pytest
import yaml
from shapely import box
from sqlalchemy import func, select

from geo import vocabulary as vocab
from models.tables import BoardingHouse, Incident, ModelStreet, Neighbourhood, Street, Ward
from tests import realward
from tests.geo.osm_fixture import EXPECTED
from tests.helpers import sign_in
from webapp import create_app
from webapp.cli import cli
from webapp.extensions import db


@pytest.fixture
def cli_app(fresh_url, monkeypatch, tmp_path, small_cli_demo):
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    app = create_app({"DATABASE_URL": fresh_url, "TILE_URL": "", "SECRET_KEY": "cli-test",
                      "TESTING": True, "RATELIMIT_ENABLED": False,
                      "INSTANCE_DIR": tmp_path / "instance"})
    yield app
    app.extensions["urbanorder_engine"].dispose()


def _run(app, *args, ok=True):
    result = app.test_cli_runner().invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _count(app, table, **where):
    with app.app_context():
        stmt = select(func.count()).select_from(table)
        for column, value in where.items():
            stmt = stmt.where(getattr(table, column) == value)
        return db.conn.execute(stmt).scalar()


def _ward_id(app, code):
    with app.app_context():
        return db.conn.execute(select(Ward.id).where(Ward.code == code)).scalar_one()


def test_a_real_ward_goes_live_from_the_command_line(cli_app, tmp_path):
    files = realward.write_files(tmp_path / "files")
    app = cli_app
    _run(app, "init")
    _run(app, "demo")  # someone tried the demo first

    made = _run(app, "ward", "create", "--code", realward.CODE, "--name", realward.NAME,
                "--province", realward.PROVINCE, "--boundary", files["boundary"]).output
    assert "EPSG:5899" in made and "Đồng Nai" in made  # the province's VN-2000 zone
    assert "Đã chuyển từ VN-2000 / TM-3 105-45" in made  # the file was in another zone
    ward_id = _ward_id(app, realward.CODE)

    # Accounts and imports without --ward go to the real ward, never silently to the demo.
    added = _run(app, "user", "add", "canbo", "--role", "admin",
                 "--password", "can-bo-pass-2026").output
    assert realward.NAME in added
    listed = _run(app, "ward", "list").output
    assert "[MÔ PHỎNG]" in listed and realward.CODE in listed

    # Khu phố: no .prj → a clear refusal; with the CRS: headers matched, sliver reported.
    refused = _run(app, "import", files["khu_pho"], "--layer", "neighbourhoods", "--dry-run",
                   ok=False)
    assert refused.exit_code != 0 and "không có hệ tọa độ" in refused.output
    dry = _run(app, "import", files["khu_pho"], "--layer", "neighbourhoods", "--crs", 5899,
               "--dry-run").output
    for pair in ("code←MaKP", "name←TenKP", "population←DanSo", "households←SoHo",
                 "head_name←TruongKP", "declared_area←DIEN_TICH"):
        assert pair in dry, pair
    assert "khe hở/chồng lấn mỏng hơn 2 m" in dry and "đơn vị ha" in dry
    assert _count(app, Neighbourhood, ward_id=ward_id) == 0  # a dry run stores nothing
    _run(app, "import", files["khu_pho"], "--layer", "neighbourhoods", "--crs", 5899, "--snap")
    assert _count(app, Neighbourhood, ward_id=ward_id) == 4

    # Streets from OpenStreetMap: nothing refused, unnamed kept, edges clipped.
    dry = _run(app, "import", files["pbf"], "--layer", "streets", "--dry-run").output
    assert f"Giữ {EXPECTED['kept']} đoạn đường" in dry
    assert f"Cắt {EXPECTED['clipped']} đoạn tại ranh giới phường" in dry
    assert "không phải đường xe (footway) 1" in dry and "không tên" in dry
    _run(app, "import", files["pbf"], "--layer", "streets")
    kept = _count(app, Street, ward_id=ward_id)
    assert kept == EXPECTED["kept"]
    again = _run(app, "import", files["osm"], "--layer", "streets").output  # same ways, XML
    assert "bỏ 9 đoạn đã có" in again and _count(app, Street, ward_id=ward_id) == kept

    # Records, then the street layer replaced: the count stays, every point is re-linked.
    _run(app, "import", files["incidents"], "--layer", "incidents")
    _run(app, "import", files["houses"], "--layer", "boarding-houses")
    replaced = _run(app, "import", files["osm"], "--layer", "streets", "--replace").output
    assert "thay 9 đoạn cũ" in replaced
    assert _count(app, Street, ward_id=ward_id) == kept
    with app.app_context():
        streets = set(db.conn.execute(select(Street.id).where(Street.ward_id == ward_id))
                      .scalars())
        for table in (Incident, BoardingHouse):
            linked = db.conn.execute(select(table.street_id).where(table.ward_id == ward_id)
                                     ).scalars().all()
            assert linked and all(s in streets for s in linked), table.__tablename__

    # The ward's own plan: exported, its route renamed, imported as a new version.
    plan_file = tmp_path / "ke-hoach.yaml"
    _run(app, "plan", "export", "--ward", realward.CODE, "-o", plan_file)
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    assert plan["route_name"] == "Trục điểm kiểu mẫu cấp phường"  # the neutral preset
    plan["route_name"] = "Tuyến kiểu mẫu đường Nguyễn Tư Giản"
    plan["baseline_year"] = 2024
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    imported = _run(app, "plan", "import", plan_file, "--ward", realward.CODE).output
    assert "phiên bản" in imported
    broken = tmp_path / "hong.yaml"
    broken.write_text("version: x\nname: ''\nbaseline_year: hai\n", encoding="utf-8")
    bad = _run(app, "plan", "import", broken, "--ward", realward.CODE, ok=False)
    assert bad.exit_code != 0 and "Năm gốc so sánh" in bad.output

    # The demonstration route comes in as a model-street layer, then prints under its name.
    route = tmp_path / "truc-diem.geojson"
    gpd.GeoDataFrame({"name": ["Trục điểm Nguyễn Tư Giản"], "level": ["ward"],
                      "kind": ["street"], "status": ["in_progress"]},
                     geometry=[realward.route_line()], crs=4326).to_file(route, driver="GeoJSON")
    _run(app, "import", route, "--layer", "model-streets")
    assert _count(app, ModelStreet, ward_id=ward_id, level="ward") == 1
    pdf = tmp_path / "xep-hang.pdf"
    _run(app, "print-ranking", "--month", "2026-11", "--ward", realward.CODE, "-o", pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Tuyến kiểu mẫu đường Nguyễn Tư Giản" in text and realward.NAME in text
        assert "QL51" not in text and "Tam Phước" not in text

    # A new outline: what falls outside is reported before anything changes.
    smaller = tmp_path / "nho-hon.geojson"
    gpd.GeoDataFrame(geometry=[box(106.905, 10.852, 106.914, 10.860)], crs=4326).to_file(
        smaller, driver="GeoJSON")
    report = _run(app, "ward", "set-boundary", realward.CODE, "--boundary", smaller,
                  "--dry-run").output
    assert "Ngoài ranh giới mới" in report and "vụ vi phạm" in report
    # An incident beyond it is named by its category's label, never by the code.
    examples = [line for line in report.splitlines() if line.startswith("    #")]
    assert any(vocab.label(vocab.INCIDENT_CATEGORIES, code) in line
               for line in examples for code in vocab.INCIDENT_CATEGORIES), examples
    assert not [code for code in vocab.INCIDENT_CATEGORIES if code in report], report
    assert "chưa đổi gì" in report

    # The ward holds records: removing it needs --force; the demo goes, the ward stays.
    refused = _run(app, "ward", "remove", realward.CODE, "--yes", ok=False)
    assert refused.exit_code != 0 and "--force" in refused.output
    _run(app, "demo", "--remove")
    assert _count(app, Ward) == 1
    client = app.test_client()
    sign_in(client, "canbo", "can-bo-pass-2026")
    page = client.get("/").get_data(as_text=True)
    assert realward.NAME in page and "Tuyến kiểu mẫu đường Nguyễn Tư Giản" in page
    assert "synthetic-notice" not in page
