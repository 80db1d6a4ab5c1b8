"""Exports: every layer and format, GDAL reads them, owners' data only when allowed, audited."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile

import pytest
from sqlalchemy import func, select

from models import queries
from models.tables import AuditLog
from tests.conftest import signed_in_as
from tests.helpers import sign_in
from webapp.cli import cli
from webapp.demo import DEMO_WARD
from webapp.extensions import db

# Dozens of GeoPackages: one warm child process reads and writes them (tests/gpkg_child.py).
pytestmark = pytest.mark.usefixtures("warm_geopackage_child")

OWNER_COLUMNS = ("owner_name", "owner_phone", "owner_id_number")


def _count(app, layer: str) -> int:
    with app.app_context():
        ward = queries.wards(db.conn)[0]
        return queries.layer_counts(db.conn, ward.id)[layer]


def _audits(app, action="export_personal_data") -> list:
    with app.app_context():
        return db.conn.execute(select(AuditLog.user_id, AuditLog.detail).where(
            AuditLog.action == action).order_by(AuditLog.id)).all()


def test_export_page_lists_layers_and_formats(client_as):
    html = client_as("urban_staff").get("/exports").get_data(as_text=True)
    assert "boarding-houses.gpkg?crs=ward" in html and "incidents.xlsx" in html
    assert "personal=1" not in html
    assert "personal=1" in client_as("police").get("/exports").get_data(as_text=True)


def test_anonymous_cannot_export(anonymous):
    response = anonymous.get("/exports/incidents.geojson")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_geopackage_download_opens_in_gdal(client_as, demo_app, tmp_path):
    response = client_as("leader").get("/exports/boarding-houses.gpkg?crs=ward")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "houses.gpkg"
    path.write_bytes(response.data)
    info = subprocess.run(["/usr/bin/ogrinfo", "-so", str(path), "boarding_houses"],
                          capture_output=True, text=True, check=True).stdout
    assert "Layer name: boarding_houses" in info
    assert 'ID["EPSG",5899]' in info
    assert f"Feature Count: {_count(demo_app, 'boarding-houses')}" in info
    for column in OWNER_COLUMNS:
        assert column not in info


@pytest.mark.parametrize("layer", list(queries.LAYERS))
def test_every_layer_in_every_format(writable_app, layer):
    """On the small writable demo (300 houses, 600 incidents; nothing here writes to it):
    ten files a layer, whose size is not what is tested — the demo's 2,500 incidents made
    each XLSX cost a second of CPU."""
    client = signed_in_as(writable_app, "urban_staff")
    for fmt in ("geojson", "gpkg", "shp", "xlsx", "csv"):
        for crs in ("4326", "ward"):
            response = client.get(f"/exports/{layer}.{fmt}?crs={crs}")
            assert response.status_code == 200, (fmt, crs)
            assert len(response.data) > 100
    features = json.loads(client.get(f"/exports/{layer}.geojson").data)["features"]
    assert len(features) == _count(writable_app, layer) > 0


def test_shapefile_zip_keeps_vietnamese(client_as, tmp_path):
    body = client_as("urban_staff").get("/exports/neighbourhoods.shp?crs=ward").data
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = archive.namelist()
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert f"neighbourhoods{suffix}" in names
    assert archive.read("neighbourhoods.cpg").decode().strip().upper() in ("UTF-8", "UTF8")
    import geopandas as gpd

    archive.extractall(tmp_path)
    frame = gpd.read_file(tmp_path / "neighbourhoods.shp", engine="pyogrio")
    assert any("Khu phố" in name for name in frame["name"])
    assert frame.crs.to_epsg() == 5899


@pytest.mark.parametrize("role", ["urban_staff", "leader"])
def test_no_owner_columns_for_other_roles_even_when_asked(client_as, role):
    client = client_as(role)
    header = next(csv.reader(io.StringIO(
        client.get("/exports/boarding-houses.csv?personal=1").data.decode("utf-8-sig"))))
    assert not set(OWNER_COLUMNS) & set(header)
    features = json.loads(client.get("/exports/boarding-houses.geojson?personal=1").data)
    assert not set(OWNER_COLUMNS) & set(features["features"][0]["properties"])


def test_police_personal_export_is_audited_once(writable_app):
    client = writable_app.test_client()
    sign_in(client, "congan")
    before = len(_audits(writable_app))
    plain = client.get("/exports/boarding-houses.xlsx")
    assert len(_audits(writable_app)) == before
    response = client.get("/exports/boarding-houses.csv?personal=1")
    assert response.status_code == 200 and plain.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert any(row["owner_phone"].startswith('="0') for row in rows)  # Excel keeps the 0
    audits = _audits(writable_app)
    assert len(audits) == before + 1
    detail = audits[-1].detail
    assert detail["layer"] == "boarding-houses" and detail["format"] == "csv"
    assert detail["rows"] == len(rows)


def test_cli_export(writable_app, tmp_path):
    runner = writable_app.test_cli_runner()
    out = tmp_path / "houses.gpkg"
    result = runner.invoke(cli, ["export", "--layer", "boarding-houses", "--format", "gpkg",
                                 "--crs", "ward", "--ward", DEMO_WARD, "-o", str(out)])
    assert result.exit_code == 0, result.output
    info = subprocess.run(["/usr/bin/ogrinfo", "-so", str(out), "boarding_houses"],
                          capture_output=True, text=True, check=True).stdout
    assert "owner_phone" not in info
    before = len(_audits(writable_app))
    result = runner.invoke(cli, ["export", "--layer", "boarding-houses", "--format", "csv",
                                 "--personal", "--ward", DEMO_WARD, "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 0, result.output
    assert "owner_phone" in (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    audits = _audits(writable_app)
    assert len(audits) == before + 1
    assert audits[-1].user_id is None and audits[-1].detail["via"] == "cli"
    with writable_app.app_context():
        assert db.conn.execute(select(func.count()).select_from(AuditLog)).scalar() > 0
