"""A real ward goes live through the pages only, on both backends: first admin, ward from its
boundary, khu phố and OSM streets uploaded, two model streets and a campaign registered, the
plan's route renamed — then the map, targets, Bảng 3 and the printed ranking say so."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

from openpyxl import load_workbook
from shapely.geometry import mapping
from sqlalchemy import func, select

from models.tables import Campaign, ModelStreet, Neighbourhood, Street
from tests import realward
from tests.geo.osm_fixture import EXPECTED
from tests.helpers import csrf_token, scrape_form
from webapp.clock import local_now

PASSWORD = "quan-tri-2026-ok"
ROUTE = "Tuyến kiểu mẫu cấp phường đường Nguyễn Tư Giản"


def _count(app, table):
    with app.app_context():
        from webapp.extensions import db

        return db.conn.execute(select(func.count()).select_from(table)).scalar()


def _upload(client, path, layer, **options):
    """Dry run, then confirm the same upload, as the imports page does."""
    token = csrf_token(client, "/imports")
    data = {"csrf_token": token, "layer": layer, "action": "dry_run", "tolerance_m": "50",
            "source_epsg": "", **options,
            "file": (io.BytesIO(path.read_bytes()), path.name)}
    dry = client.post("/imports", data=data, content_type="multipart/form-data")
    html = dry.get_data(as_text=True)
    assert dry.status_code == 200, html[:3000]
    kept = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    confirm = {k: v for k, v in data.items() if k != "file"}
    done = client.post("/imports", data={**confirm, "token": kept, "action": "commit"})
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    return html


def test_a_real_ward_goes_live_through_the_pages(empty_app, tmp_path):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    token = csrf_token(client, "/setup")
    client.post("/setup", data={"username": "quantri", "password": PASSWORD,
                                "confirm": PASSWORD, "csrf_token": token})
    made = client.post("/admin/wards/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/admin/wards/new"), "name": realward.NAME,
        "code": realward.CODE, "province": realward.PROVINCE, "source_epsg": "",
        "metric_epsg": "", "preset": "mac-dinh",
        "boundary": (io.BytesIO(files["boundary"].read_bytes()), "ranh-gioi.geojson")})
    assert made.status_code == 302

    khu_pho = _upload(client, files["khu_pho"], "neighbourhoods", source_epsg="5899",
                      snap_slivers="1")
    assert "MaKP" in khu_pho and "Đã khớp" in khu_pho
    assert _count(empty_app, Neighbourhood) == 4
    streets = _upload(client, files["pbf"], "streets")
    assert f"Giữ {EXPECTED['kept']} đoạn đường" in streets and "không phải đường xe" in streets
    assert _count(empty_app, Street) == EXPECTED["kept"]

    # Two model streets (one drawn: the ward route; one picked from the streets), a campaign.
    form = {"csrf_token": csrf_token(client, "/model-streets/new"), "kind": "street",
            "registered_on": "", "target_date": "", "frontage_households": "30",
            "commitments_signed": "12", "budget_vnd": "0", "socialised_vnd": "0",
            "sponsors": "", "neighbourhood_id": ""}
    route = client.post("/model-streets/new", data={
        **form, "name": "Trục Nguyễn Tư Giản", "level": "ward",
        "geometry": json.dumps(mapping(realward.route_line())), "street_ids": ""})
    assert route.status_code == 302, route.get_data(as_text=True)[:2000]
    with empty_app.app_context():
        from webapp.extensions import db

        picked = db.conn.execute(select(Street.id).order_by(Street.id).limit(2)).scalars().all()
    local = client.post("/model-streets/new", data={
        **form, "name": "Tuyến Lê Lợi", "level": "neighbourhood", "geometry": "",
        "street_ids": ",".join(map(str, picked))})
    assert local.status_code == 302
    assert _count(empty_app, ModelStreet) == 2
    today = local_now().date()
    campaign = client.post("/campaigns/new", data={
        "csrf_token": csrf_token(client, "/campaigns/new"), "name": "Ra quân lập lại vỉa hè",
        "starts_on": today.replace(day=1).isoformat(), "ends_on": today.isoformat(),
        "units": "Công an phường, Đội trật tự", "note": "", "area_kind": "ward"})
    assert campaign.status_code == 302 and _count(empty_app, Campaign) == 1

    # The ward's plan: its own route name.
    fields = scrape_form(client, "/admin/plan", "plan-form")
    fields["route_name"] = ROUTE
    saved = client.post("/admin/plan", data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]

    home = client.get("/").get_data(as_text=True)
    assert ROUTE in home and "QL51" not in home and "synthetic-notice" not in home
    targets = client.get("/targets").get_data(as_text=True)
    assert "mẫu khởi đầu" in targets and "Tam Phước" not in targets
    month = today.strftime("%Y-%m")
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/monthly.xlsx?month={month}").data))
    text = " ".join(str(c) for row in sheet.active.iter_rows(values_only=True) for c in row if c)
    assert "PHƯỜNG THỬ NGHIỆM" in text and "Tam Phước" not in text
    assert "Ra quân lập lại vỉa hè" in text  # the campaign row counts this month's campaign
    pdf = client.get(f"/ranking/print.pdf?month={month}&paper=A4")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "xep-hang.pdf"
        path.write_bytes(pdf.data)
        printed = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout
        assert ROUTE in printed and realward.NAME in printed and "Tam Phước" not in printed
