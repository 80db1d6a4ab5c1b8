"""First run and the super-admin's ward pages on both backends: the first admin, a ward from
an uploaded boundary, bad uploads refused, working ward, new outline, removal, ward scope."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from models.tables import AuditLog, PlanVersion, User, Ward
from tests import realward
from tests.helpers import csrf_token, shown, sign_in

PASSWORD = "quan-tri-2026-ok"


def _scalar(app, stmt):
    with app.app_context():
        from webapp.extensions import db

        return db.conn.execute(stmt).scalar()


def _first_admin(client):
    token = csrf_token(client, "/setup")
    return client.post("/setup", data={"username": "quantri", "full_name": "Quản Trị",
                                       "password": PASSWORD, "confirm": PASSWORD,
                                       "csrf_token": token})


def _create_ward(client, files, **overrides):
    token = csrf_token(client, "/admin/wards/new")
    data = {"csrf_token": token, "name": realward.NAME, "code": realward.CODE,
            "province": realward.PROVINCE, "source_epsg": "", "metric_epsg": "",
            "preset": "mac-dinh", **overrides}
    if "boundary" not in data:
        data["boundary"] = (io.BytesIO(files["boundary"].read_bytes()), "ranh-gioi.geojson")
    return client.post("/admin/wards/new", data=data, content_type="multipart/form-data")


def test_first_run_creates_the_first_admin_then_a_ward(empty_app, tmp_path):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    # An empty installation sends everyone to the set-up page.
    login = client.get("/auth/login")
    assert login.status_code == 302 and login.headers["Location"].endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    assert "Thiết lập urbanorder" in page and "quản trị hệ thống" in page
    mismatch = client.post("/setup", data={"username": "quantri", "password": PASSWORD,
                                           "confirm": "khac-2026-xx",
                                           "csrf_token": csrf_token(client, "/setup")})
    assert mismatch.status_code == 400 and "không khớp" in mismatch.get_data(as_text=True)
    made = _first_admin(client)
    assert made.status_code == 302 and made.headers["Location"].endswith("/setup/ward")
    assert _scalar(empty_app, select(User.role).where(User.username == "quantri")) == \
        "superadmin"
    assert _scalar(empty_app, select(User.ward_id).where(User.username == "quantri")) is None
    choices = client.get("/setup/ward").get_data(as_text=True)
    assert "Tạo phường của bạn từ tệp ranh giới" in choices and "dữ liệu mô phỏng" in choices
    # The set-up page is closed once an account exists: no second "first" admin.
    stranger = empty_app.test_client()
    assert stranger.get("/setup").status_code == 302
    again = stranger.post("/setup", data={"username": "x2", "password": PASSWORD,
                                          "confirm": PASSWORD})
    assert again.status_code in (302, 400)
    assert _scalar(empty_app, select(func.count()).select_from(User)) == 1

    created = _create_ward(client, files)
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    assert created.headers["Location"].endswith(f"/admin/wards/{realward.CODE}")
    ward = client.get(f"/admin/wards/{realward.CODE}").get_data(as_text=True)
    assert realward.NAME in ward and "EPSG:5899" in ward and "Việc tiếp theo" in ward
    assert _scalar(empty_app, select(Ward.metric_epsg)) == 5899
    assert _scalar(empty_app, select(func.count()).select_from(PlanVersion)) == 1
    assert _scalar(empty_app, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "ward_created", AuditLog.ward_id.is_(None))) == 1
    outline = client.get(f"/api/v1/wards/{realward.CODE}/boundary").get_json()
    assert outline["geometry"]["type"] == "MultiPolygon"
    assert realward.NAME in client.get("/").get_data(as_text=True)  # the map: its ward


@pytest.mark.parametrize("field, value, message", [
    ("code", "Ho Nai!", "Chữ thường không dấu"),
    ("boundary", (b"lon,lat\n106.9,10.8\n", "ranh-gioi.csv"), "GeoJSON"),
    ("boundary", (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                          "coordinates": [106.9, 10.85]}}]
    }).encode(), "diem.geojson"), "không có vùng"),
    ("boundary", (b"{not json", "hong.geojson"), "Không đọc được"),
    ("metric_epsg", "4326", "Lựa chọn không hợp lệ"),  # not offered: WTForms, in Vietnamese
])
def test_bad_ward_uploads_are_refused_and_nothing_is_created(empty_app, tmp_path, field, value,
                                                             message):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    _first_admin(client)
    if isinstance(value, tuple):  # a fresh stream for each backend's run
        value = (io.BytesIO(value[0]), value[1])
    response = _create_ward(client, files, **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _scalar(empty_app, select(func.count()).select_from(Ward)) == 0


def test_a_boundary_refusal_reads_english_for_an_english_admin(empty_app, tmp_path):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    _first_admin(client)
    client.set_cookie("lang", "en")
    point = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Point", "coordinates": [106.9, 10.85]}}]}).encode()
    response = _create_ward(client, files, boundary=(io.BytesIO(point), "diem.geojson"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file has no area (polygon): a ward&#39;s boundary must be a closed area." in page
    assert "không có vùng" not in page
    assert _scalar(empty_app, select(func.count()).select_from(Ward)) == 0


def test_the_crs_choices_and_reason_read_english_for_an_english_admin(empty_app, tmp_path):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    _first_admin(client)
    client.set_cookie("lang", "en")
    form = client.get("/admin/wards/new").get_data(as_text=True)
    assert "EPSG:5897 — VN-2000 / TM-3 105°00′ (zone 482) (Hà Nội" in form
    assert "EPSG:5898 — VN-2000 / TM-3 108°00′ (zone 491)" in form
    assert "EPSG:3406 — VN-2000 / UTM zone 49N" in form
    assert "vùng" not in shown(form)
    created = _create_ward(client, files, metric_epsg="5897")
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "VN-2000 / TM-3 105°00′ (zone 482) (Hà Nội" in page  # the flash gives the reason
    assert "vùng" not in shown(page)


def test_super_admin_manages_wards_ward_admins_stay_inside_theirs(empty_app, tmp_path,
                                                                  small_cli_demo):
    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    _first_admin(client)
    assert _create_ward(client, files).status_code == 302
    assert client.post("/setup/demo", data={"csrf_token": csrf_token(client, "/admin/wards")}
                       ).status_code == 201
    listing = client.get("/admin/wards").get_data(as_text=True)
    assert realward.NAME in listing and "MÔ PHỎNG" in listing
    # Work in the demo ward: its pages carry the synthetic notice.
    token = csrf_token(client, "/admin/wards")
    demo_code = re.search(r'data-code="([^"]+)"[^>]*>\s*<td[^>]*><a[^>]*><strong>Phường Tam',
                          listing).group(1)
    client.post(f"/admin/wards/{demo_code}/work", data={"csrf_token": token})
    assert "synthetic-notice" in client.get("/incidents/").get_data(as_text=True)

    # A ward admin of the real ward: no ward pages, no other ward's outline.
    with empty_app.app_context():
        from webapp.extensions import db
        from webapp.users import create_user

        with db.transaction() as tx:
            ward_id = tx.execute(select(Ward.id).where(Ward.code == realward.CODE)).scalar()
            create_user(tx, ward_id, "canbo", "admin", "can-bo-pass-2026")
    admin = empty_app.test_client()
    sign_in(admin, "canbo", "can-bo-pass-2026")
    assert admin.get("/admin/wards").status_code == 403
    assert admin.get("/admin/wards/new").status_code == 403
    assert admin.get(f"/api/v1/wards/{demo_code}/boundary").status_code == 404
    assert admin.get(f"/api/v1/wards/{realward.CODE}/boundary").status_code == 200
    assert "superadmin" not in admin.get("/admin/users").get_data(as_text=True)


def test_new_outline_is_checked_then_applied_and_removal_asks(empty_app, tmp_path):
    import geopandas as gpd
    from shapely import box

    files = realward.write_files(tmp_path)
    client = empty_app.test_client()
    _first_admin(client)
    _create_ward(client, files)
    path = f"/admin/wards/{realward.CODE}"
    smaller = tmp_path / "nho.geojson"
    gpd.GeoDataFrame(geometry=[box(106.905, 10.852, 106.914, 10.860)], crs=4326).to_file(
        smaller, driver="GeoJSON")
    token = csrf_token(client, path)
    checked = client.post(f"{path}/boundary", data={
        "csrf_token": token, "source_epsg": "",
        "boundary": (io.BytesIO(smaller.read_bytes()), "nho.geojson")},
        content_type="multipart/form-data")
    body = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Xác nhận đổi ranh giới" in body
    before = _scalar(empty_app, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "ward_boundary_changed"))
    assert before == 0  # checking changes nothing
    upload = re.search(r'name="token" value="([0-9a-f]{32})"', body).group(1)
    applied = client.post(f"{path}/boundary", data={"csrf_token": token, "token": upload,
                                                    "action": "confirm", "source_epsg": ""})
    assert applied.status_code == 302
    assert _scalar(empty_app, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "ward_boundary_changed")) == 1
    # A used upload cannot be replayed.
    replay = client.post(f"{path}/boundary", data={"csrf_token": token, "token": upload,
                                                   "action": "confirm"})
    assert replay.status_code == 400 and "hết hạn" in replay.get_data(as_text=True)

    wrong = client.post(f"{path}/remove", data={"csrf_token": token, "confirm_code": "khac"})
    assert wrong.status_code == 400
    assert _scalar(empty_app, select(func.count()).select_from(Ward)) == 1
    gone = client.post(f"{path}/remove", data={"csrf_token": token,
                                               "confirm_code": realward.CODE})
    assert gone.status_code == 302
    assert _scalar(empty_app, select(func.count()).select_from(Ward)) == 0
    assert _scalar(empty_app, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "ward_removed", AuditLog.ward_id.is_(None))) == 1
    # Its append-only history went through the ledger's purge, recorded installation-wide.
    assert _scalar(empty_app, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "ledger_purged", AuditLog.ward_id.is_(None))) == 1
