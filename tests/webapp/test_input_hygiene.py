"""Finite, clean, bounded input on both backends (issue 10, point 1), with the audit's
attacks as cases: each is refused with a Vietnamese message and writes no row, and after
all of them (and a NaN written straight into the database) every map layer is still
strict JSON. Error pages (400/404/405/413/500) answer in Vietnamese without server paths.
"""

from __future__ import annotations

import io
import json
import math
import uuid

import pytest
from sqlalchemy import func, select, update

from models.tables import AuditLog, BoardingHouse, Campaign, FieldSubmission, Incident
from tests.conftest import signed_in_as, test_app, writable_demo_app
from tests.helpers import csrf_token, sign_in
from webapp.extensions import db
from webapp.services import exchange

HOUSES = "/api/v1/field/boarding-houses"
INCIDENTS = "/api/v1/field/incidents"
LAYERS = ("neighbourhoods", "streets", "model-streets", "boarding-houses", "incidents")
INSIDE = {"lon": 106.925, "lat": 10.853, "accuracy_m": 8.0, "manual": False}
SERVER_PATHS = ("/tmp", "/work", "/home", "/root", "site-packages", "Traceback")


@pytest.fixture
def app(_writable_copy):
    yield from writable_demo_app(_writable_copy)


@pytest.fixture
def police(app):
    return signed_in_as(app, "police")


def _house(**overrides) -> dict:
    payload = {
        "uuid": str(uuid.uuid4()), "name": "Nhà trọ Vệ Sinh Dữ Liệu", "address": "số 9, Đường 51",
        "owner_name": "Trần Văn Chủ", "owner_phone": "0912 345 678",
        "owner_id_number": "075123456789", "house_type": "rooming_house", "rooms": 10,
        "residents": 12, "extinguishers": 2, "model_status": "none", "location": dict(INSIDE),
    }
    payload.update(overrides)
    return payload


def _post_raw(client, url: str, raw_payload: str):
    return client.post(url, data={"payload": raw_payload}, headers=client.csrf_headers,
                       content_type="multipart/form-data")


def _post(client, url: str, payload: dict):
    # allow_nan: the attacker's JSON, as a phone with a broken GPS would send it
    return _post_raw(client, url, json.dumps(payload, ensure_ascii=False, allow_nan=True))


def _rows(app) -> tuple[int, ...]:
    """Rows of every table a refused request could have written to."""
    with app.app_context():
        return tuple(db.conn.execute(select(func.count()).select_from(model)).scalar()
                     for model in (BoardingHouse, Incident, FieldSubmission, Campaign, AuditLog))


def _refused(response, *expected: str, status: int = 400) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    error = response.get_json()["error"]
    text = error["message"] + " ".join(e["message"] for e in error.get("errors", []))
    for fragment in expected:
        assert fragment in text, text
    return error


def _strict(body: bytes):
    def refuse(constant):
        raise ValueError(f"non-finite number {constant} in a response")

    return json.loads(body, parse_constant=refuse)


# --- the field API ------------------------------------------------------------------------

@pytest.mark.parametrize(("attack", "location", "expected"), [
    ("nan_accuracy", {"accuracy_m": math.nan}, "NaN"),
    ("infinity_accuracy_manual", {"accuracy_m": math.inf, "manual": True}, "Infinity"),
    ("negative_accuracy", {"accuracy_m": -3.0}, "không được âm"),
    ("negative_accuracy_manual", {"accuracy_m": -3.0, "manual": True}, "không được âm"),
])
def test_accuracy_attacks_refused_nothing_written(app, police, attack, location, expected):
    before = _rows(app)
    response = _post(police, HOUSES, _house(location={**INSIDE, **location}))
    _refused(response, "Chưa lưu được", expected)
    assert _rows(app) == before


@pytest.mark.parametrize("field", ["rooms", "residents", "extinguishers"])
@pytest.mark.parametrize("raw", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_infinity_counts_refused(app, police, field, raw):
    before = _rows(app)
    text = json.dumps(_house(**{field: 7}), ensure_ascii=False).replace(
        f'"{field}": 7', f'"{field}": {raw}')
    _refused(_post_raw(police, HOUSES, text), "hữu hạn")
    assert _rows(app) == before


def test_infinity_fine_refused(app, police):
    with app.app_context():
        incident_id = db.conn.execute(select(Incident.id).where(
            Incident.ward_id == app.ward.id, Incident.status == "verified").limit(1)).scalar()
    before = _rows(app)
    for raw in ("Infinity", "1e400"):
        text = json.dumps({"uuid": str(uuid.uuid4()), "to": "minutes_issued",
                           "minutes_no": "BB-9", "fine_vnd": 0}).replace('"fine_vnd": 0',
                                                                         f'"fine_vnd": {raw}')
        _refused(_post_raw(police, f"/api/v1/incidents/{incident_id}/transition", text),
                 "hữu hạn")
    huge = {"uuid": str(uuid.uuid4()), "to": "minutes_issued", "minutes_no": "BB-9",
            "fine_vnd": 10**20}
    _refused(_post(police, f"/api/v1/incidents/{incident_id}/transition", huge),
             "Số tiền phạt phải từ 0 đến")
    assert _rows(app) == before


@pytest.mark.parametrize(("attack", "field", "value", "expected"), [
    ("bell_in_address", "address", "số 9\u0007 Đường 51", "U+0007"),
    ("escape_in_address", "address", "\u001b[2Jsố 9", "U+001B"),
    ("nul_in_address", "address", "số 9\u0000", "NUL"),
    ("nul_in_name", "name", "Nhà trọ\u0000", "NUL"),
    ("bidi_override_in_name", "name", "Nhà trọ \u202eAB", "đảo chiều"),
    ("bidi_isolate_in_address", "address", "số \u2067 9", "đảo chiều"),
    ("object_as_name", "name", {"$gt": ""}, "phải là chữ"),
    ("arabic_digits_in_id", "owner_id_number", "٠٧٥١٢٣٤٥٦٧٨٩", "0-9"),
])
def test_text_attacks_refused_nothing_written(app, police, attack, field, value, expected):
    before = _rows(app)
    # Raw bidi controls in the JSON text are refused at the door (webapp.input_guard),
    # escaped ones by the field's rule; both say which character.
    _refused(_post(police, HOUSES, _house(**{field: value})), expected)
    assert _rows(app) == before


def test_zero_width_stripped_and_full_width_id_stored_as_ascii(app, police):
    payload = _house(name="Nhà\u200b trọ\u2060 Sạch\ufeff",
                     owner_id_number="０７５１２３４５６７８９")
    response = _post(police, HOUSES, payload)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        row = db.conn.execute(select(BoardingHouse.name, BoardingHouse.owner_id_number).where(
            BoardingHouse.id == response.get_json()["id"])).one()
    assert row.name == "Nhà trọ Sạch" and row.owner_id_number == "075123456789"


def test_deep_json_refused(app, police):
    before = _rows(app)
    deep = f'{{"uuid": "{uuid.uuid4()}", "name": {"[" * 100_000}1{"]" * 100_000}}}'
    _refused(_post_raw(police, HOUSES, deep), "lồng quá sâu")
    _refused(_post_raw(police, INCIDENTS, "[" * 100_000), "lồng quá sâu")
    assert _rows(app) == before


def test_get_json_uses_the_strict_parser(app):
    with app.test_request_context("/api/v1/x", method="POST", data='{"a": NaN}',
                                  content_type="application/json"):
        from flask import request

        from webapp.errors import ApiError

        with pytest.raises(ApiError) as refused:
            request.get_json()
        assert refused.value.status == 400 and "NaN" in refused.value.message


# --- bounded parameters and ids -----------------------------------------------------------

@pytest.mark.parametrize("offset", ["100000000000000000000", "2147483648", "-1", "1e3", "١"])
def test_huge_offset_is_400(app, police, offset):
    response = police.get(f"/api/v1/boarding-houses?offset={offset}")
    error = _refused(response, "offset")
    assert error["field"] == "offset"


@pytest.mark.parametrize("huge", ["100000000000000000000", "2147483648"])
@pytest.mark.parametrize("path", ["/api/v1/boarding-houses/{id}", "/api/v1/incidents/{id}",
                                  "/incidents/{id}", "/boarding-houses/{id}",
                                  "/photos/{id}", "/model-streets/{id}", "/campaigns/{id}"])
def test_huge_ids_in_urls_are_404(app, police, huge, path):
    response = police.get(path.format(id=huge))
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.get_json()["error"]["message"] == "Không tìm thấy."
    else:
        assert "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/api/v1/boarding-houses?neighbourhood=KP%00",
                                 "/api/v1/wards/X%00/boundary",
                                 "/api/v1/incidents?category=%1b"])
def test_nul_and_controls_in_query_and_url_are_400_json(police, url):
    error = _refused(police.get(url), "ký tự")
    assert "\x00" not in json.dumps(error)


def test_nul_in_sign_in_username_is_a_clean_400(app):
    anonymous = app.test_client()
    before = _rows(app)
    response = anonymous.post("/auth/login", data={
        "username": "admin\x00", "password": "x", "csrf_token": csrf_token(anonymous)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "ký tự rỗng (NUL" in html and "Yêu cầu không hợp lệ" in html
    assert _rows(app) == before


def test_control_character_in_a_desk_form_is_refused(app):
    admin = signed_in_as(app, "admin")
    before = _rows(app)
    response = admin.post("/campaigns/new", data={
        "name": "Ra quân\u202e", "starts_on": "2026-11-01", "ends_on": "2026-11-30",
        "area_kind": "ward", "csrf_token": admin.csrf})
    assert response.status_code == 400
    assert "đảo chiều văn bản" in response.get_data(as_text=True)
    assert _rows(app) == before


@pytest.mark.parametrize("fields", [
    {"geometry": "[" * 100_000 + "]" * 100_000},                         # deep GeoJSON
    {"geometry": '{"type": "Point", "coordinates": [NaN, Infinity]}'},   # non-finite
    {"street_ids": "²,³"},                                               # digits int() refuses
    {"street_ids": "99999999999999999999"},                              # beyond the column
    {"neighbourhood_id": "²"},
])
def test_desk_geometry_and_ids_never_500(app, fields):
    """Drawn geometry goes through the strict JSON parser, picked ids through form_id."""
    staff = signed_in_as(app, "admin")
    before = _rows(app)
    response = staff.post("/model-streets/new", data={
        "csrf_token": staff.csrf, "name": f"Tuyến thử {uuid.uuid4().hex[:6]}",
        "level": "neighbourhood", "kind": "street", **fields})
    assert response.status_code == 400, response.status_code
    assert _rows(app) == before


def test_campaign_with_a_deep_drawn_area_is_refused(app):
    admin = signed_in_as(app, "admin")
    before = _rows(app)
    response = admin.post("/campaigns/new", data={
        "name": "Ra quân thử", "starts_on": "2026-11-01", "ends_on": "2026-11-30",
        "area_kind": "drawn", "geometry": "[" * 100_000 + "]" * 100_000,
        "csrf_token": admin.csrf})
    assert response.status_code == 400
    assert _rows(app) == before


# --- imports ------------------------------------------------------------------------------

def test_1e400_in_csv_import_refused_per_row(app, tmp_path):
    path = tmp_path / "nha_tro.csv"
    path.write_text("Tên,Địa chỉ,Loại hình,Số phòng,Số người ở,lon,lat\n"
                    "Trọ Tốt,1 Đường 51,Nhà trọ,4,6,106.925,10.853\n"
                    "Trọ Vô Cực,2 Đường 51,Nhà trọ,1e400,6,106.925,10.853\n"
                    "Trọ NaN,3 Đường 51,Nhà trọ,4,nan,106.925,10.853\n"
                    "Trọ Inf,4 Đường 51,Nhà trọ,4,6,inf,10.853\n", encoding="utf-8")
    before = _rows(app)
    with app.app_context():
        plan = exchange.dry_run(db.conn, app.ward,
                                exchange.ImportRequest(path, "boarding-houses"))
        by_row = {e.row: e.message for e in plan.check.errors}
        assert "hữu hạn" in by_row[3] and "hữu hạn" in by_row[4] and "hữu hạn" in by_row[5]
        assert 2 not in by_row
        with pytest.raises(exchange.ImportRefused, match="Chưa lưu dòng nào"):
            exchange.commit(db.engine, app.ward,
                            exchange.ImportRequest(path, "boarding-houses"), None)
    assert _rows(app) == before


@pytest.mark.parametrize(("name", "content"), [
    ("ranh.gpkg", b"this is not a geopackage"), ("ranh.geojson", b'{"type": "Featur'),
    ("ranh.kml", b"<kml><Document><Placemark>"), ("duong.osm.pbf", b"not a protocol buffer"),
])
def test_import_errors_show_no_server_paths_nor_english(app, tmp_path, name, content):
    from geo import io as geoio

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(geoio.ReadError) as refused:
        geoio.read_file(path)
    message = str(refused.value)
    assert message.startswith("Không đọc được tệp ") and name in message
    assert str(tmp_path) not in message and not any(p in message for p in SERVER_PATHS)
    assert not any(word in message.lower() for word in ("error", "failed", "not ", "unable"))


# --- responses stay strict JSON -----------------------------------------------------------

def test_layers_strict_json_after_poison_and_a_nan_row(app, police):
    for payload in (_house(location={**INSIDE, "accuracy_m": math.nan}),
                    _house(location={**INSIDE, "accuracy_m": math.inf, "manual": True}),
                    _house(rooms=math.inf), _house(address="số\u0007")):
        assert _post(police, HOUSES, payload).status_code == 400
    with app.app_context():
        house_id, accuracy = db.conn.execute(
            select(BoardingHouse.id, BoardingHouse.location_accuracy_m).where(
                BoardingHouse.ward_id == app.ward.id).order_by(BoardingHouse.id).limit(1)).one()
        # SQLite stores NaN as NULL; Infinity is what an old row there can hold.
        poison = math.nan if db.engine.dialect.name == "postgresql" else math.inf
        with db.engine.begin() as conn:
            conn.execute(update(BoardingHouse).where(BoardingHouse.id == house_id)
                         .values(location_accuracy_m=poison))
    try:
        for layer in LAYERS:
            response = police.get(f"/api/v1/{layer}?limit=20000")
            assert response.status_code == 200, layer
            body = _strict(response.data)
            assert body["type"] == "FeatureCollection"
        feature = _strict(police.get(f"/api/v1/boarding-houses/{house_id}").data)
        assert feature["properties"]["location_accuracy_m"] is None
    finally:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(update(BoardingHouse).where(BoardingHouse.id == house_id)
                         .values(location_accuracy_m=accuracy))


# --- error pages --------------------------------------------------------------------------

def _vietnamese_page(response, status: int, *expected: str) -> str:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    for fragment in expected:
        assert fragment in html, html[:1000]
    assert not any(p in html for p in SERVER_PATHS)
    for english in ("Not Found", "Method Not Allowed", "Request Entity Too Large",
                    "Internal Server Error"):
        assert english not in html
    return html


def test_404_405_413_pages_in_vietnamese(app, police):
    _vietnamese_page(police.get("/no-such-page"), 404, "Không tìm thấy")
    response = police.post("/", headers=police.csrf_headers)
    _vietnamese_page(response, 405, "Thao tác không được hỗ trợ")
    assert "GET" in response.headers["Allow"]
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        big = {"csrf_token": police.csrf, "file": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "a.csv")}
        _vietnamese_page(police.post("/imports", data=big, content_type="multipart/form-data"),
                         413, "quá lớn", "1 MB")
        api = police.post(HOUSES, data={"payload": "x" * (2 * 1024 * 1024)},
                          headers=police.csrf_headers, content_type="multipart/form-data")
        assert api.status_code == 413
        assert api.get_json()["error"]["message"] == "Dữ liệu gửi lên quá lớn (tối đa 1 MB)."
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 40 * 1024 * 1024


def test_500_page_in_vietnamese_without_paths_or_database(writable_url, monkeypatch):
    for app in test_app(writable_url):
        app.config["PROPAGATE_EXCEPTIONS"] = False

        @app.get("/boom")
        def boom():
            raise RuntimeError("could not open /tmp/urbanorder-secret/db.sqlite")

        @app.get("/api/v1/boom")
        def api_boom():
            raise RuntimeError("/tmp/urbanorder-secret")

        client = app.test_client()
        sign_in(client, "dothi")

        def database_down(*_args):
            raise RuntimeError("database down")

        # The page must not need the database (it may be what failed): the ward chip of
        # base.html would read it.
        monkeypatch.setattr("models.queries.wards", database_down)
        _vietnamese_page(client.get("/boom"), 500, "Lỗi máy chủ", "thử lại")
        api = client.get("/api/v1/boom")
        assert api.status_code == 500
        assert api.get_json()["error"]["message"] == "Lỗi máy chủ, vui lòng thử lại sau."
        assert "secret" not in api.get_data(as_text=True)


def test_responses_never_carry_nan(app):
    with app.app_context():
        with pytest.raises(ValueError, match="JSON compliant"):
            app.json.dumps({"accuracy_m": math.nan})
        assert app.json.dumps({"name": "Phường"}) == '{"name": "Phường"}'


def test_desk_forms_clean_text_like_field_records(app):
    from wtforms import PasswordField, StringField, TextAreaField

    from webapp.forms import Form

    class Probe(Form):
        class Meta:
            csrf = False

        name = StringField()
        note = TextAreaField()
        secret = PasswordField()

    with app.test_request_context("/", method="POST", data={
            "name": "Khu\u200b phố\u2060 1", "note": "dòng 1\ndòng 2", "secret": "p\u200bw"}):
        form = Probe()
        assert form.validate()
        assert form.name.data == "Khu phố 1" and form.note.data == "dòng 1\ndòng 2"
        assert form.secret.data == "p\u200bw"  # a password is never rewritten
    with app.test_request_context("/", method="POST", data={"name": "x\u202ey", "note": "a"}):
        form = Probe()
        assert not form.validate()
        assert "đảo chiều văn bản" in form.name.errors[0]
