"""Registers on both backends: define from an XLSForm, record from the phone's API (exactly
once, photos without EXIF), see on the map API, export, import all-or-nothing."""

from __future__ import annotations

import io
import uuid

import openpyxl
from PIL import Image
from sqlalchemy import func, select

from models.registers import RegisterEntry
from models.tables import AuditLog, Photo
from tests.geo.test_register_definitions import TREES, xlsform
from tests.webapp.field.conftest import INSIDE, field_client, jpeg_with_gps, post  # noqa: F401
from webapp.extensions import db


def _define(client, code: str) -> None:
    raw = xlsform(TREES, settings=(("form_title", "form_id"), (f"Cây {code}", code)))
    response = client.post("/registers/xlsform", data={
        "xlsform": (io.BytesIO(raw), "trees.xlsx"), "csrf_token": client.csrf_headers[
            "X-CSRFToken"]}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def _entries(app, code_filter=None) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(RegisterEntry)).scalar()


def _payload(**values) -> dict:
    return {"uuid": str(uuid.uuid4()), "status": "good", "height": 7, "planted": "2025-03-01",
            "pruned": False, "location": dict(INSIDE), **values}


def test_define_record_map_export(field_client, writable_app):  # noqa: F811
    admin = field_client("admin")
    code = f"trees_{uuid.uuid4().hex[:6]}"
    _define(admin, code)
    assert f"Cây {code}" in admin.get("/registers").get_data(as_text=True)
    staff = field_client("urban_staff")
    url = f"/api/v1/registers/{code}/entries"
    payload = _payload()
    created = post(staff, url, payload, [("cay.jpg", jpeg_with_gps())])
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["entity"] == "register_entry" and body["url"].endswith(f"/{body['id']}")
    assert body["derived"]["neighbourhood"]["code"].startswith("KP")
    replay = post(staff, url, payload, [("cay.jpg", jpeg_with_gps())])
    assert replay.status_code == 200 and replay.get_json()["replayed"] is True
    assert post(staff, url, {**payload, "height": 8}).status_code == 409
    with writable_app.app_context():
        stored = db.conn.execute(select(func.count()).select_from(RegisterEntry).where(
            RegisterEntry.client_uuid == uuid.UUID(payload["uuid"]))).scalar()
        photo = db.conn.execute(select(Photo.data).where(
            Photo.entity == "register_entry", Photo.entity_id == body["id"])).scalar_one()
    assert stored == 1
    assert not Image.open(io.BytesIO(photo)).getexif()  # EXIF (GPS, camera) stripped

    refused = post(staff, url, _payload(status="dead", height=500), [])
    assert refused.status_code == 400
    messages = " ".join(e["message"] for e in refused.get_json()["error"]["errors"])
    assert "Chiều cao phải từ 0 đến 100" in messages and "Cần ít nhất một ảnh" in messages

    bbox = f"{INSIDE['lon'] - 0.01},{INSIDE['lat'] - 0.01},{INSIDE['lon'] + 0.01}," \
           f"{INSIDE['lat'] + 0.01}"
    layer = staff.get(f"/api/v1/registers/{code}/features?bbox={bbox}").get_json()
    assert [f["id"] for f in layer["features"]] == [body["id"]]
    assert layer["features"][0]["properties"]["shown"]["Tình trạng"] == "Tốt"
    assert layer["register"]["symbol"]["colour"].startswith("#")
    far = staff.get(f"/api/v1/registers/{code}/features?bbox=100,20,100.1,20.1").get_json()
    assert far["features"] == []

    listing = staff.get(f"/registers/{code}?status=good").get_data(as_text=True)
    assert f"/registers/{code}/{body['id']}" in listing
    assert f"/registers/{code}/{body['id']}\"" not in staff.get(
        f"/registers/{code}?status=bad").get_data(as_text=True)
    sheet = openpyxl.load_workbook(io.BytesIO(staff.get(
        f"/registers/{code}/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "lon", "lat", "wkt") and "Tình trạng" in rows[0]
    assert rows[1][0] == body["id"] and "Tốt" in rows[1]
    csv_text = staff.get(f"/registers/{code}/export.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,lon,lat,wkt")
    assert staff.get(f"/registers/{code}/{body['id']}").status_code == 200


def _sheet(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing(field_client, writable_app):  # noqa: F811
    admin = field_client("admin")
    code = f"trees_{uuid.uuid4().hex[:6]}"
    _define(admin, code)
    page = admin.get(f"/registers/{code}").get_data(as_text=True)
    assert f"/registers/{code}/import" in page and f"/registers/{code}/xlsform" in page
    lon, lat = INSIDE["lon"], INSIDE["lat"]
    header = ["lon", "lat", "Tình trạng", "Chiều cao", "Ngày trồng"]
    bad = _sheet([header, [lon, lat, "Tốt", 4, "01/02/2024"], [lon, lat, "Héo", 4, None],
                  [100.0, 20.0, "Tốt", 4, None], ["=HYPERLINK(1)", lat, "Tốt", 4, None]])
    before = _entries(writable_app)
    response = admin.post(f"/registers/{code}/import", data={
        "file": (io.BytesIO(bad), "cay.xlsx"), "csrf_token": admin.csrf_headers["X-CSRFToken"]},
        content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "không có trong các lựa chọn" in page and "Không dòng nào được lưu" in page
    assert _entries(writable_app) == before  # nothing half-saved
    good = _sheet([header, [lon, lat, "Tốt", 4, "01/02/2024"], [lon, lat, "hong", 9, None]])
    response = admin.post(f"/registers/{code}/import", data={
        "file": (io.BytesIO(good), "cay.xlsx"), "csrf_token": admin.csrf_headers["X-CSRFToken"]},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _entries(writable_app) == before + 2


def test_presets_and_personal_fields(field_client, writable_app):  # noqa: F811
    admin = field_client("admin")
    token = admin.csrf_headers["X-CSRFToken"]
    if "self_management_groups" not in admin.get("/api/v1/registers").get_data(as_text=True):
        response = admin.post("/registers/presets", data={"preset": "self_management_groups",
                                                          "csrf_token": token})
        assert response.status_code == 302
    again = admin.post("/registers/presets", data={"preset": "self_management_groups",
                                                   "csrf_token": token})
    assert again.status_code == 400 and "đã có sổ" in again.get_data(as_text=True)
    ring = [[106.924, 10.852], [106.926, 10.852], [106.926, 10.854], [106.924, 10.852]]
    police = field_client("police")
    created = post(police, "/api/v1/registers/self_management_groups/entries", {
        "uuid": str(uuid.uuid4()), "group_name": "Tổ PCCC số 3", "group_kind": "pccc",
        "leader_name": "Trần Thị Tổ Trưởng", "leader_phone": "0912000111",
        "geometry": {"type": "Polygon", "coordinates": [ring]}})
    assert created.status_code == 201, created.get_json()
    staff = field_client("urban_staff")
    export = staff.get("/registers/self_management_groups/export.csv").data.decode("utf-8-sig")
    assert "Tổ PCCC số 3" in export and "Trần Thị Tổ Trưởng" not in export
    layer = staff.get("/api/v1/registers/self_management_groups/features").get_data(as_text=True)
    assert "Tổ trưởng" not in layer
    entry_id = created.get_json()["id"]
    seen = police.get(f"/registers/self_management_groups/{entry_id}")
    assert "Trần Thị Tổ Trưởng" in seen.get_data(as_text=True)
    assert "Trần Thị Tổ Trưởng" in police.get(
        "/registers/self_management_groups/export.csv").data.decode("utf-8-sig")
    with writable_app.app_context():
        audited = {row.action for row in db.conn.execute(select(AuditLog.action, AuditLog.entity,
                   AuditLog.entity_id).where(AuditLog.action.in_(
                       ("view_personal_data", "export_personal_data"))))
                   if row.entity == "register_type" or row.entity_id == entry_id}
    assert audited == {"view_personal_data", "export_personal_data"}
    assert staff.post("/registers/presets", data={
        "preset": "trees", "csrf_token": staff.csrf_headers["X-CSRFToken"]}).status_code == 403


def test_a_refused_xlsform_defines_nothing(field_client, writable_app):  # noqa: F811
    admin = field_client("admin")
    survey = [["type", "name", "label"], ["geopoint", "location", "Vị trí"],
              ["select_multiple status", "many", "Nhiều"], ["integer", "n", "Số"]]
    code = f"bad_{uuid.uuid4().hex[:6]}"
    raw = xlsform(survey, settings=(("form_title", "form_id"), ("Sổ lỗi", code)))
    response = admin.post("/registers/xlsform", data={
        "xlsform": (io.BytesIO(raw), "bad.xlsx"), "csrf_token": admin.csrf_headers[
            "X-CSRFToken"]}, content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Không có gì được lưu" in page and "select_multiple" in page
    assert admin.get(f"/api/v1/registers/{code}").status_code == 404


def test_desk_edit_and_the_phone_pages(field_client, writable_app):  # noqa: F811
    admin = field_client("admin")
    code = f"trees_{uuid.uuid4().hex[:6]}"
    _define(admin, code)
    police = field_client("police")
    created = post(police, f"/api/v1/registers/{code}/entries", _payload(),
                   [("cay.jpg", jpeg_with_gps())]).get_json()
    page = f"/registers/{code}/{created['id']}"
    token = police.csrf_headers["X-CSRFToken"]
    form = {"csrf_token": token, "status": "bad", "height": "150", "planted": "2025-03-01",
            "pruned": "yes", "remark": "", "trunk": "", "lon": str(INSIDE["lon"]),
            "lat": str(INSIDE["lat"])}
    refused = police.post(page, data=form)
    assert refused.status_code == 400
    assert "Chiều cao phải từ 0 đến 100" in refused.get_data(as_text=True)
    saved = police.post(page, data={**form, "height": "15"})
    assert saved.status_code == 302
    shown = police.get(page).get_data(as_text=True)
    assert "Hỏng" in shown and "15" in shown
    layer = police.get(f"/api/v1/registers/{code}/features").get_json()
    entry = next(f for f in layer["features"] if f["id"] == created["id"])
    assert entry["properties"]["status"] == "bad" and entry["properties"]["pruned"] is True
    phone = police.get(f"/field/registers/{code}/new").get_data(as_text=True)
    assert 'name="status"' in phone and 'data-type="int"' in phone and "photo-input" in phone
    listing = police.get("/field/registers").get_data(as_text=True)
    assert f"/field/registers/{code}/new" in listing
    assert field_client("leader").get(f"/field/registers/{code}/new").status_code == 403


def test_a_new_form_version_must_fit_the_entries_already_stored(field_client,  # noqa: F811
                                                                 writable_app):
    admin = field_client("admin")
    code = f"trees_{uuid.uuid4().hex[:6]}"
    _define(admin, code)
    created = post(admin, f"/api/v1/registers/{code}/entries", _payload(height=70),
                   [("cay.jpg", jpeg_with_gps())]).get_json()
    token = admin.csrf_headers["X-CSRFToken"]

    def upload(survey):
        raw = xlsform(survey, settings=(("form_title", "form_id"), ("Cây (bản 2)", code)))
        return admin.post(f"/registers/{code}/xlsform", data={
            "xlsform": (io.BytesIO(raw), "v2.xlsx"), "csrf_token": token},
            content_type="multipart/form-data")

    tighter = [row if row[1] != "height" else [*row[:4], ". >= 0 and . <= 50"]
               for row in TREES]
    refused = upload(tighter)
    assert refused.status_code == 400
    assert f"bản ghi số {created['id']}" in refused.get_data(as_text=True)
    wider = [*TREES, ["text", "gardener", "Người chăm sóc", "", ""]]
    assert upload(wider).status_code == 302
    body = admin.get(f"/api/v1/registers/{code}").get_json()
    assert body["name"] == "Cây (bản 2)"
    assert "gardener" in [f["name"] for f in body["definition"]["fields"]]


def test_deleting_an_entry_is_role_checked_reasoned_and_audited(field_client,  # noqa: F811
                                                                writable_app):
    admin = field_client("admin")
    if "self_management_groups" not in admin.get("/api/v1/registers").get_data(as_text=True):
        assert admin.post("/registers/presets", data={
            "preset": "self_management_groups",
            "csrf_token": admin.csrf_headers["X-CSRFToken"]}).status_code == 302
    ring = [[106.924, 10.852], [106.926, 10.852], [106.926, 10.854], [106.924, 10.852]]
    police = field_client("police")
    created = post(police, "/api/v1/registers/self_management_groups/entries", {
        "uuid": str(uuid.uuid4()), "group_name": "Tổ ANTT số 9", "group_kind": "antt",
        "leader_name": "Nguyễn Văn Riêng Tư", "leader_phone": "0912000999",
        "geometry": {"type": "Polygon", "coordinates": [ring]}},
        [("to.jpg", jpeg_with_gps())])
    assert created.status_code == 201, created.get_json()
    entry_id = created.get_json()["id"]
    page = f"/registers/self_management_groups/{entry_id}"
    url = f"{page}/delete"
    # Police record on the phone but do not remove; the page offers them no button.
    assert 'id="delete-form"' not in police.get(page).get_data(as_text=True)
    assert police.post(url, data={"csrf_token": police.csrf_headers["X-CSRFToken"],
                                  "reason": "Tổ đã giải thể"}).status_code == 403
    staff = field_client("urban_staff")
    token = staff.csrf_headers["X-CSRFToken"]
    assert 'id="delete-form"' in staff.get(page).get_data(as_text=True)
    refused = staff.post(url, data={"csrf_token": token, "reason": "  "})
    assert refused.status_code == 400 and "Ghi lý do xóa" in refused.get_data(as_text=True)
    assert staff.get(page).status_code == 200  # still there
    done = staff.post(url, data={"csrf_token": token, "reason": "Tổ đã giải thể, sáp nhập"})
    assert done.status_code == 302
    assert staff.get(page).status_code == 404
    assert staff.post(url, data={"csrf_token": token, "reason": "lần nữa"}).status_code == 404
    layer = staff.get("/api/v1/registers/self_management_groups/features").get_json()
    assert entry_id not in {f["id"] for f in layer["features"]}
    with writable_app.app_context():
        assert db.conn.execute(select(func.count()).select_from(Photo).where(
            Photo.entity == "register_entry", Photo.entity_id == entry_id)).scalar() == 0
        (audit,) = db.conn.execute(select(AuditLog.detail, AuditLog.user_id).where(
            AuditLog.action == "register_entry_deleted", AuditLog.entity_id == entry_id)).all()
    detail = audit.detail
    assert detail["reason"] == "Tổ đã giải thể, sáp nhập" and detail["photos"] == 1
    assert detail["attributes"]["group_name"] == "Tổ ANTT số 9"
    assert detail["geometry"]["type"] == "Polygon" and audit.user_id is not None
    # Personal fields are not copied into the append-only log.
    assert "Nguyễn Văn Riêng Tư" not in str(detail) and "0912000999" not in str(detail)
