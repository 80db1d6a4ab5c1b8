"""Model streets and clusters at the desk, on both backends: registering (drawn line, drawn
polygon, picked street segments), editing with its history, status steps, monthly re-checks
against the ward's criteria with photos, roles, the list's filters, the ranking's
model-street criterion, and the model-streets layer's export → import round trip."""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import timedelta

import pandas as pd
import pytest
import shapely
from PIL import Image
from shapely.ops import substring
from sqlalchemy import func, select

from models import queries
from models import wards as ward_records
from models.tables import AuditLog, ModelStreet, ModelStreetCheck, ModelStreetEvent, Photo
from tests.conftest import signed_in_as, writable_demo_app
from tests.helpers import scrape_form
from webapp.clock import local_now
from webapp.exchange.files import export_layer
from webapp.extensions import db
from webapp.services import analysis, exchange
from webapp.services.plans import plan_for

# --- fixtures and helpers ------------------------------------------------------------------------

@pytest.fixture
def app(_writable_copy):
    for app in writable_demo_app(_writable_copy):
        with app.app_context():
            conn = db.conn
            app.kp = queries.read_layer(conn, queries.LAYERS["neighbourhoods"], app.ward.id,
                                        columns=["id", "code"])
            app.streets = queries.read_layer(conn, queries.LAYERS["streets"], app.ward.id,
                                             columns=["id", "name"])
            app.criteria = [c["code"] for c in plan_for(conn, app.ward).criteria]
        yield app


@pytest.fixture
def as_role(app):
    return lambda role: signed_in_as(app, role)


def _scrape(client, path: str, form_id: str) -> dict:
    return scrape_form(client, path, form_id)

def _today(app):
    with app.app_context():
        return local_now().date()


def _segment(app, skip: int = 0):
    """(khu phố id, street id, the middle fifth of that street) lying inside one khu phố."""
    found = 0
    for street_id, line in zip(app.streets["id"], app.streets.geometry, strict=True):
        if line.geom_type != "LineString":
            continue
        piece = substring(line, 0.4, 0.6, normalized=True)
        inside = app.kp[app.kp.contains(piece)]
        if len(inside) == 1 and piece.length > 0.0005:
            if found == skip:
                return int(inside["id"].iloc[0]), int(street_id), piece
            found += 1
    raise AssertionError("no street segment inside one khu phố")


def _cluster(app, skip: int = 0):
    """(khu phố id, a small polygon inside it)."""
    for kp_id, area in list(zip(app.kp["id"], app.kp.geometry, strict=True))[skip:]:
        blob = area.representative_point().buffer(0.0004, quad_segs=4)
        if area.contains(blob):
            return int(kp_id), blob
    raise AssertionError("no khu phố holds a small cluster")


def _name(what: str) -> str:
    return f"{what} {uuid.uuid4().hex[:6]}"


def _new(client, **fields):
    data = {"csrf_token": client.csrf, "level": "neighbourhood", "kind": "street",
            "neighbourhood_id": "", "frontage_households": "0", "commitments_signed": "0",
            "budget_vnd": "0", "socialised_vnd": "0", **fields}
    if isinstance(data.get("geometry"), dict | shapely.Geometry):
        geometry = data["geometry"]
        data["geometry"] = json.dumps(geometry if isinstance(geometry, dict)
                                      else shapely.geometry.mapping(geometry))
    return client.post("/model-streets/new", data=data)


def _created_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    return int(re.search(r"/model-streets/(\d+)$", response.location).group(1))


def _row(app, model_street_id: int):
    with app.app_context():
        return db.conn.execute(select(ModelStreet.__table__).where(
            ModelStreet.id == model_street_id)).one()


def _geometry(app, model_street_id: int):
    from models import model_streets as store

    with app.app_context():
        return store.parse_geojson(store.one(db.conn, app.ward.id, model_street_id).geojson)


def _events(app, model_street_id: int) -> list:
    with app.app_context():
        return db.conn.execute(select(ModelStreetEvent.__table__).where(
            ModelStreetEvent.model_street_id == model_street_id).order_by(
            ModelStreetEvent.id)).all()


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _checks(app, model_street_id: int) -> list:
    with app.app_context():
        return db.conn.execute(select(ModelStreetCheck.__table__).where(
            ModelStreetCheck.model_street_id == model_street_id)).all()


def _png_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (30, 160, 60))
    exif = Image.Exif()
    exif[0x0110] = "Phone Model X"  # camera model
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def _check_form(client, app, model_street_id: int, met: bool = True, **extra) -> dict:
    data = {"csrf_token": client.csrf, "checked_on": _today(app).isoformat(),
            "note": "Kiểm tra định kỳ"}
    for code in app.criteria:
        data[f"met-{code}"] = "1" if met else "0"
        data[f"note-{code}"] = ""
    data.update(extra)
    return data


# --- registering ---------------------------------------------------------------------------------

def test_register_by_drawing_a_line_a_polygon_and_by_picking_streets(as_role, app):
    staff = as_role("urban_staff")
    assert staff.get("/model-streets/new").status_code == 200
    kp_id, street_id, piece = _segment(app)
    name = _name("Tuyến kiểu mẫu vẽ tay")
    new_id = _created_id(_new(staff, name=name, geometry=piece, target_date="2027-05-31",
                              frontage_households="40", commitments_signed="12"))
    row = _row(app, new_id)
    assert (row.name, row.level, row.kind, row.status) == (name, "neighbourhood", "street",
                                                           "registered")
    assert row.neighbourhood_id == kp_id  # not chosen: where the line lies
    assert row.street_id == street_id  # the street it was drawn along
    assert row.registered_on == _today(app) and row.criteria == {}
    assert (row.frontage_households, row.commitments_signed) == (40, 12)
    stored = _geometry(app, new_id)
    assert stored.geom_type == "LineString" and stored.hausdorff_distance(piece) < 1e-6
    (event,) = _events(app, new_id)
    assert (event.action, event.to_status, event.on_date) == ("created", "registered",
                                                             _today(app))
    assert _count(app, AuditLog, AuditLog.action == "model_street_created",
                  AuditLog.entity_id == new_id) == 1
    page = staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    assert name in page and "Đã đăng ký" in page and "12/40" in page

    # a cluster, with its khu phố chosen
    cluster_kp, blob = _cluster(app)
    other_kp = int(app.kp["id"][app.kp["id"] != cluster_kp].iloc[0])
    cluster = _created_id(_new(staff, name=_name("Cụm dân cư kiểu mẫu"), kind="cluster",
                               geometry=blob, neighbourhood_id=str(other_kp)))
    row = _row(app, cluster)
    assert row.kind == "cluster" and row.neighbourhood_id == other_kp
    assert _geometry(app, cluster).geom_type in ("Polygon", "MultiPolygon")
    assert abs(_geometry(app, cluster).area - blob.area) < 1e-9
    # not chosen: the khu phố the polygon lies in
    cluster = _created_id(_new(staff, name=_name("Cụm dân cư"), kind="cluster", geometry=blob))
    assert _row(app, cluster).neighbourhood_id == cluster_kp

    # the ward route, picked from two street segments
    ids = [int(i) for i in app.streets["id"].iloc[3:5]]
    lines = app.streets.set_index("id").geometry.loc[ids]
    route = _created_id(_new(staff, name=_name("Trục điểm chọn đường"), level="ward",
                             street_ids=",".join(map(str, ids)), geometry=""))
    row = _row(app, route)
    assert row.level == "ward" and row.neighbourhood_id is None and row.street_id in ids
    assert abs(_geometry(app, route).length - sum(g.length for g in lines)) < 1e-6
    page = staff.get(f"/model-streets/{route}").get_data(as_text=True)
    with app.app_context():
        assert plan_for(db.conn, app.ward).route_name in page


@pytest.mark.parametrize("fields, message", [
    ({"geometry": {"type": "Point", "coordinates": [106.91, 10.86]}},
     "Tuyến đường phải là một đường (line)."),
    ({"geometry": {"type": "Point", "coordinates": [106.91, 10.86]}, "kind": "cluster"},
     "Cụm dân cư phải là một vùng (polygon) hoặc một đường."),
    ({"geometry": "{không phải json"}, "Hình vẽ trên bản đồ không đọc được: vẽ lại."),
    ({"geometry": '{"type": "LineString", "coordinates": [[1]]}'},
     "Hình vẽ trên bản đồ không đọc được: vẽ lại."),
    ({"geometry": ""}, "Chưa vẽ tuyến/cụm trên bản đồ hoặc chọn đoạn đường."),
    ({"name": "  "}, "Chưa nhập tên tuyến/cụm."),
    ({"level": "city"}, "Cấp không hợp lệ: city."),
    ({"frontage_households": "5", "commitments_signed": "9"},
     "Số hộ đã ký cam kết không được nhiều hơn số hộ mặt tiền."),
    ({"registered_on": "2026-06-01", "target_date": "2026-05-01"},
     "Hạn hoàn thành không được trước ngày đăng ký."),
])
def test_bad_registrations_store_nothing(as_role, app, fields, message):
    staff = as_role("urban_staff")
    before = _count(app, ModelStreet), _count(app, ModelStreetEvent)
    _, _, piece = _segment(app)
    response = _new(staff, **{"name": _name("Tuyến lỗi"), "geometry": piece, **fields})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="form-errors"' in page and message in page
    assert (_count(app, ModelStreet), _count(app, ModelStreetEvent)) == before


# --- editing, status steps -----------------------------------------------------------------------

def _stored_geojson(app, model_street_id: int) -> str:
    from models import model_streets as store

    with app.app_context():
        return store.one(db.conn, app.ward.id, model_street_id).geojson


def _edit_form(client, app, model_street_id: int) -> dict:
    """The edit form as a browser sends it when the map is not redrawn: the stored geometry
    goes back in the hidden ``geometry`` field."""
    return _scrape(client, f"/model-streets/{model_street_id}/edit", "model-street-form")


def test_edit_form_sends_the_stored_geometry_back(as_role, app):
    staff = as_role("urban_staff")
    with app.app_context():
        first = db.conn.execute(select(func.min(ModelStreet.id)).where(
            ModelStreet.ward_id == app.ward.id)).scalar()
    form = _scrape(staff, f"/model-streets/{first}/edit", "model-street-form")
    assert json.loads(form["geometry"]) == json.loads(_stored_geojson(app, first))
    response = staff.post(f"/model-streets/{first}/edit", data=form)
    assert response.status_code == 302


def test_editing_records_the_changed_fields(as_role, app):
    staff = as_role("urban_staff")
    kp_id, _, piece = _segment(app)
    name = _name("Tuyến sửa thông tin")
    new_id = _created_id(_new(staff, name=name, geometry=piece, frontage_households="30"))
    form = _edit_form(staff, app, new_id)
    assert form["name"] == name and form["frontage_households"] == "30"
    assert form["level"] == "neighbourhood" and form["neighbourhood_id"] == str(kp_id)
    renamed = name + " (đổi tên)"
    response = staff.post(f"/model-streets/{new_id}/edit", data={
        **form, "name": renamed, "commitments_signed": "25", "sponsors": "Công ty ABC"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    row = _row(app, new_id)
    assert (row.name, row.commitments_signed, row.sponsors) == (renamed, 25, "Công ty ABC")
    edited = [e for e in _events(app, new_id) if e.action == "edited"]
    assert len(edited) == 1
    assert edited[0].changes == {"name": [name, renamed], "commitments_signed": [0, 25],
                                 "sponsors": [None, "Công ty ABC"]}
    page = staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    assert "Sửa thông tin" in page and f"name: {name} → {renamed}" in page
    # saving unchanged records nothing; redrawing records the new geometry
    form = _edit_form(staff, app, new_id)
    assert staff.post(f"/model-streets/{new_id}/edit", data=form).status_code == 302
    assert len([e for e in _events(app, new_id) if e.action == "edited"]) == 1
    shorter = substring(piece, 0.0, 0.5, normalized=True)
    response = staff.post(f"/model-streets/{new_id}/edit", data={
        **form, "geometry": json.dumps(shapely.geometry.mapping(shorter))})
    assert response.status_code == 302
    assert "geometry" in _events(app, new_id)[-1].changes
    assert abs(_geometry(app, new_id).length - shorter.length) < 1e-7
    # a bad edit keeps the street as it was
    response = staff.post(f"/model-streets/{new_id}/edit", data={**form, "name": ""})
    assert response.status_code == 400 and _row(app, new_id).name == renamed
    assert staff.get("/model-streets/999999/edit").status_code == 404


def _move(client, model_street_id: int, to: str, on=None, note: str = ""):
    return client.post(f"/model-streets/{model_street_id}/status", data={
        "csrf_token": client.csrf, "to_status": to, "on_date": on.isoformat() if on else "",
        "note": note})


def test_status_steps_with_dates(as_role, app):
    staff = as_role("urban_staff")
    today = _today(app)
    _, _, piece = _segment(app, skip=1)
    new_id = _created_id(_new(staff, name=_name("Tuyến chuyển trạng thái"), geometry=piece,
                              registered_on=(today - timedelta(days=20)).isoformat()))
    # one step at a time, never in the future, never before the previous step
    response = _move(staff, new_id, "achieved", today)
    assert response.status_code == 400
    assert "Không chuyển được từ “Đã đăng ký” sang “Đạt chuẩn”." in response.get_data(
        as_text=True)
    response = _move(staff, new_id, "in_progress", today + timedelta(days=1))
    assert response.status_code == 400
    assert "Ngày chuyển trạng thái không được ở tương lai." in response.get_data(as_text=True)
    response = staff.post(f"/model-streets/{new_id}/status", data={
        "csrf_token": staff.csrf, "to_status": "in_progress", "on_date": "31/02/2026"})
    assert response.status_code == 400
    assert "Ngày chuyển trạng thái không đúng dạng ngày" in response.get_data(as_text=True)
    response = _move(staff, new_id, "in_progress", today - timedelta(days=30))
    assert response.status_code == 400 and "Ngày chuyển không được trước ngày" in \
        response.get_data(as_text=True)
    assert _row(app, new_id).status == "registered"
    assert _move(staff, new_id, "in_progress", today - timedelta(days=10)).status_code == 302
    assert _move(staff, new_id, "achieved", today - timedelta(days=2)).status_code == 302
    row = _row(app, new_id)
    assert (row.status, row.started_on, row.achieved_on) == (
        "achieved", today - timedelta(days=10), today - timedelta(days=2))
    page = staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    assert "Đạt chuẩn" in page and f"{today - timedelta(days=2):%d/%m/%Y}" in page

    # going back needs a note; then the later dates are cleared
    response = _move(staff, new_id, "in_progress", today)
    assert response.status_code == 400
    assert "Lùi trạng thái cần ghi lý do" in response.get_data(as_text=True)
    assert _row(app, new_id).status == "achieved"
    note = "Kiểm tra lại: còn lấn chiếm vỉa hè"
    assert _move(staff, new_id, "in_progress", today, note).status_code == 302
    row = _row(app, new_id)
    assert (row.status, row.started_on, row.achieved_on) == (
        "in_progress", today - timedelta(days=10), None)
    steps = [(e.from_status, e.to_status, e.on_date, e.note)
             for e in _events(app, new_id) if e.action == "status"]
    assert steps == [("registered", "in_progress", today - timedelta(days=10), None),
                     ("in_progress", "achieved", today - timedelta(days=2), None),
                     ("achieved", "in_progress", today, note)]
    assert note in staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    assert _count(app, AuditLog, AuditLog.action == "model_street_status",
                  AuditLog.entity_id == new_id) == 3


# --- re-checks -----------------------------------------------------------------------------------

def test_recheck_with_photo_updates_the_criteria(as_role, app):
    staff = as_role("urban_staff")
    _, _, piece = _segment(app)
    new_id = _created_id(_new(staff, name=_name("Tuyến kiểm tra lại"), geometry=piece))
    detail = staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    form = detail.split('id="check-form"')[1].split("</form>")[0]
    assert re.findall(r'name="met-(\w+)" value="1"', form) == app.criteria

    # an answer missing, or a bad photo: nothing stored
    data = _check_form(staff, app, new_id)
    missing = app.criteria[-1]
    del data[f"met-{missing}"]
    response = staff.post(f"/model-streets/{new_id}/checks", data=data)
    assert response.status_code == 400
    assert "Chưa chọn" in response.get_data(as_text=True)
    data = _check_form(staff, app, new_id, photos=[(io.BytesIO(b"MZ not an image"), "x.png")])
    response = staff.post(f"/model-streets/{new_id}/checks", data=data,
                          content_type="multipart/form-data")
    assert response.status_code == 400
    assert "không phải ảnh hợp lệ" in response.get_data(as_text=True)
    future = _check_form(staff, app, new_id,
                         checked_on=(_today(app) + timedelta(days=1)).isoformat())
    assert staff.post(f"/model-streets/{new_id}/checks", data=future).status_code == 400
    assert _checks(app, new_id) == [] and _row(app, new_id).criteria == {}

    data = _check_form(staff, app, new_id, **{f"met-{missing}": "0",
                                              f"note-{missing}": "Chưa lắp camera",
                                              "photos": [(io.BytesIO(_png_with_exif()),
                                                          "hien-truong.png")]})
    response = staff.post(f"/model-streets/{new_id}/checks", data=data,
                          content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    (check,) = _checks(app, new_id)
    assert check.checked_on == _today(app) and check.month == f"{_today(app):%Y-%m}"
    assert check.results[missing] == {"met": False, "note": "Chưa lắp camera"}
    assert all(check.results[c]["met"] for c in app.criteria[:-1])
    expected = {c: c != missing for c in app.criteria}
    assert _row(app, new_id).criteria == expected
    event = _events(app, new_id)[-1]
    assert event.action == "check" and event.changes == {"met": len(app.criteria) - 1,
                                                         "of": len(app.criteria)}
    with app.app_context():
        photo_id, width = db.conn.execute(select(Photo.id, Photo.width).where(
            Photo.entity == "model_street_check", Photo.entity_id == check.id)).one()
    assert width == 64
    served = staff.get(f"/photos/{photo_id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert image.format == "JPEG" and not image.getexif()
    assert b"Phone Model X" not in served.data
    page = staff.get(f"/model-streets/{new_id}").get_data(as_text=True)
    assert f"/photos/{photo_id}" in page and "Chưa lắp camera" in page
    assert f"{len(app.criteria) - 1}/{len(app.criteria)} đạt" in page
    listing = staff.get("/model-streets").get_data(as_text=True)
    row = listing.split(f'data-id="{new_id}"')[1].split("</tr>")[0]
    assert f"{len(app.criteria) - 1}/{len(app.criteria)}" in row


def test_a_full_recheck_raises_the_khu_pho_ranking(as_role, app):
    staff = as_role("urban_staff")
    kp_id, _, piece = _segment(app, skip=2)
    new_id = _created_id(_new(staff, name=_name("Tuyến xếp hạng"), geometry=piece))
    assert _row(app, new_id).neighbourhood_id == kp_id
    month = f"{_today(app):%Y-%m}"

    def points() -> tuple[float, float]:
        with app.app_context():
            rows = analysis.compute(db.conn, app.ward, month)
        row = next(r for r in rows if r["neighbourhood_id"] == kp_id)
        score = row["criteria"]["model_street_progress"]
        return score["points"], score["max"]

    before, most = points()
    response = staff.post(f"/model-streets/{new_id}/checks",
                          data=_check_form(staff, app, new_id, met=True))
    assert response.status_code == 302
    assert _row(app, new_id).criteria == {c: True for c in app.criteria}
    after, _ = points()
    assert after > before
    with app.app_context():
        streets = db.conn.execute(select(func.count()).select_from(ModelStreet).where(
            ModelStreet.neighbourhood_id == kp_id, ModelStreet.level == "neighbourhood")
        ).scalar()
    # each criterion met is worth 0.5 / len(criteria) of the criterion's points, averaged
    assert after - before == pytest.approx(most * 0.5 / streets, abs=0.02)


# --- roles, list ---------------------------------------------------------------------------------

def test_leader_reads_but_cannot_change(as_role, app):
    staff, leader = as_role("urban_staff"), as_role("leader")
    _, _, piece = _segment(app)
    new_id = _created_id(_new(staff, name=_name("Tuyến chỉ xem"), geometry=piece))
    before = (_count(app, ModelStreet), _count(app, ModelStreetEvent),
              _count(app, ModelStreetCheck))
    assert leader.get("/model-streets").status_code == 200
    page = leader.get(f"/model-streets/{new_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="check-form"' not in text and 'id="status-form"' not in text
    assert 'id="new-model-street"' not in leader.get("/model-streets").get_data(as_text=True)
    assert leader.get("/model-streets/new").status_code == 403
    assert _new(leader, name=_name("Không được"), geometry=piece).status_code == 403
    assert leader.post(f"/model-streets/{new_id}/edit", data={
        "csrf_token": leader.csrf, "name": "x"}).status_code == 403
    assert _move(leader, new_id, "in_progress").status_code == 403
    assert leader.post(f"/model-streets/{new_id}/checks",
                       data=_check_form(leader, app, new_id)).status_code == 403
    assert (_count(app, ModelStreet), _count(app, ModelStreetEvent),
            _count(app, ModelStreetCheck)) == before
    assert leader.get("/model-streets/999999").status_code == 404


def _listed(client, query: str) -> set[int]:
    page = client.get(f"/model-streets{query}").get_data(as_text=True)
    table = page.split('id="model-streets-table"')[1].split("</table>")[0]
    return {int(i) for i in re.findall(r'<tr data-id="(\d+)"', table)}


def test_the_list_filters_by_level_and_status(as_role, app):
    staff = as_role("leader")
    with app.app_context():
        rows = db.conn.execute(select(ModelStreet.id, ModelStreet.level, ModelStreet.status)
                               .where(ModelStreet.ward_id == app.ward.id)).all()
    assert _listed(staff, "") == {r.id for r in rows}
    assert _listed(staff, "?level=ward") == {r.id for r in rows if r.level == "ward"}
    assert _listed(staff, "?status=accepted") == {r.id for r in rows if r.status == "accepted"}
    assert _listed(staff, "?level=neighbourhood&status=in_progress") == {
        r.id for r in rows if r.level == "neighbourhood" and r.status == "in_progress"}
    assert _listed(staff, "?level=nonsense") == {r.id for r in rows}  # unknown filter: all


# --- the model-streets layer: export, import into another ward -----------------------------------

COMPARED = ["name", "level", "kind", "status", "registered_on", "target_date", "started_on",
            "achieved_on", "accepted_on", "frontage_households", "commitments_signed",
            "budget_vnd", "socialised_vnd", "sponsors"]


def _round_trip(app, tmp_path) -> tuple[pd.DataFrame, pd.DataFrame, list, int]:
    """The demo's model streets exported as GeoJSON and imported into a fresh ward with the
    demo's boundary: (before, after) frames sorted alike, the new ward's history rows."""
    with app.app_context():
        with db.engine.begin() as conn:
            boundary = queries.ward_boundary(conn, app.ward.id)
            if boundary.geom_type == "Polygon":
                boundary = shapely.MultiPolygon([boundary])
            code = f"fresh-{uuid.uuid4().hex[:8]}"
            ward_records.insert_ward(conn, code, "Phường thử nghiệm", boundary, 5899, False)
            target = queries.ward_by_code(conn, code)
        out = export_layer(db.conn, app.ward, "model-streets", "geojson")
        path = tmp_path / out.filename
        path.write_bytes(out.body)
        result = exchange.commit(db.engine, target, exchange.ImportRequest(
            path, "model-streets"), None, via="test")
        assert result["rows"] == out.rows > 0

        def frame(ward) -> pd.DataFrame:
            gdf = queries.read_layer(db.conn, queries.LAYERS["model-streets"], ward.id)
            gdf["criteria"] = gdf["criteria"].map(
                lambda c: json.dumps(c or {}, sort_keys=True))
            gdf["length"] = shapely.length(gdf.geometry.to_numpy()).round(7)
            columns = [*COMPARED, "criteria", "length"]
            return gdf[columns].astype(str).sort_values(COMPARED + ["length"]).reset_index(
                drop=True)

        events = db.conn.execute(select(ModelStreetEvent.action, ModelStreetEvent.note).where(
            ModelStreetEvent.ward_id == target.id)).all()
        return frame(app.ward), frame(target), events, out.rows


def test_model_streets_layer_round_trip(app, tmp_path):
    before, after, events, rows = _round_trip(app, tmp_path)
    pd.testing.assert_frame_equal(before[[*COMPARED, "length"]], after[[*COMPARED, "length"]])
    pd.testing.assert_series_equal(before["criteria"], after["criteria"])
    assert len(events) == rows and set(events) == {("created", "Nhập từ tệp")}


def test_model_streets_layer_round_trip_keeps_the_criteria(app, tmp_path):
    before, after, _, _ = _round_trip(app, tmp_path)
    pd.testing.assert_series_equal(before["criteria"], after["criteria"])
