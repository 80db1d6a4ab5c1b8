"""The field API on both backends: exactly-once, validation, derivation, roles, photos."""

from __future__ import annotations

import io
import unicodedata
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from models.tables import AuditLog, BoardingHouse, Incident, Inspection, Photo
from tests.webapp.field.conftest import (
    INSIDE,
    house_payload,
    incident_payload,
    jpeg_with_gps,
    post,
)
from webapp.extensions import db

HOUSES = "/api/v1/field/boarding-houses"
INCIDENTS = "/api/v1/field/incidents"


def count(app, model, *where) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_create_replay_and_conflict(field_client, writable_app):
    police = field_client("police")
    payload = house_payload()
    before = count(writable_app, BoardingHouse)
    created = post(police, HOUSES, payload, [("a.jpg", jpeg_with_gps())])
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["uuid"] == payload["uuid"] and body["entity"] == "boarding_house"
    assert body["derived"]["neighbourhood"]["code"].startswith("KP")
    assert body["derived"]["street"]
    replay = post(police, HOUSES, payload, [("a.jpg", jpeg_with_gps())])
    assert replay.status_code == 200
    assert replay.get_json()["replayed"] is True and replay.get_json()["id"] == body["id"]
    conflict = post(police, HOUSES, {**payload, "rooms": 13})
    assert conflict.status_code == 409
    assert "UUID" in conflict.get_json()["error"]["message"]
    assert count(writable_app, BoardingHouse) == before + 1
    assert count(writable_app, Photo, Photo.entity == "boarding_house",
                 Photo.entity_id == body["id"]) == 1


def test_photo_is_stored_without_metadata_and_resized(field_client, writable_app):
    police = field_client("police")
    response = post(police, INCIDENTS, incident_payload(category="fire_safety"),
                    [("cam.jpg", jpeg_with_gps())])
    assert response.status_code == 201, response.get_json()
    with writable_app.app_context():
        data = db.conn.execute(select(Photo.data, Photo.width).where(
            Photo.entity == "incident", Photo.entity_id == response.get_json()["id"])).one()
    image = Image.open(io.BytesIO(bytes(data.data)))
    assert image.format == "JPEG" and max(image.size) == 1600 == data.width
    assert not image.getexif() and b"Phone Model X" not in bytes(data.data)
    served = police.get(f"/photos/{_photo_id(writable_app, response.get_json()['id'])}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def _photo_id(app, incident_id):
    with app.app_context():
        return db.conn.execute(select(Photo.id).where(
            Photo.entity == "incident", Photo.entity_id == incident_id)).scalar()


def test_text_is_nfc_normalised(field_client, writable_app):
    police = field_client("police")
    decomposed = unicodedata.normalize("NFD", "Nhà trọ Hoàng Yến")
    response = post(police, HOUSES, house_payload(name=decomposed))
    assert response.status_code == 201
    with writable_app.app_context():
        name = db.conn.execute(select(BoardingHouse.name).where(
            BoardingHouse.id == response.get_json()["id"])).scalar()
    assert name == unicodedata.normalize("NFC", "Nhà trọ Hoàng Yến") != decomposed


BAD_HOUSES = [
    ({"name": ""}, "name"),
    ({"owner_phone": "12345"}, "owner_phone"),
    ({"owner_id_number": "12AB"}, "owner_id_number"),
    ({"rooms": 0}, "rooms"),
    ({"rooms": "mười"}, "rooms"),
    ({"residents": -1}, "residents"),
    ({"house_type": "castle"}, "house_type"),
    ({"antt_commitment_on": "2099-01-01"}, "antt_commitment_on"),
    ({"antt_commitment_on": "31/02/2026"}, "antt_commitment_on"),
    ({"model_status": "recognised"}, "model_recognised_on"),
    ({"location": None}, "location"),
    ({"location": {"lon": 107.2, "lat": 10.85, "accuracy_m": 5}}, "location"),
    ({"location": {**INSIDE, "accuracy_m": 150}}, "location"),
    ({"uuid": "not-a-uuid"}, "uuid"),
]


@pytest.mark.parametrize(("change", "field"), BAD_HOUSES)
def test_each_rule_rejects_with_its_field_and_stores_nothing(field_client, writable_app,
                                                             change, field):
    police = field_client("police")
    before = (count(writable_app, BoardingHouse), count(writable_app, AuditLog))
    response = post(police, HOUSES, house_payload(**change))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in {e["field"] for e in error.get("errors", [])} | {error.get("field")}
    assert error["message"].startswith("Chưa lưu được") or field == "uuid"
    assert (count(writable_app, BoardingHouse), count(writable_app, AuditLog)) == before


def test_bad_photo_rejects_the_whole_record(field_client, writable_app):
    police = field_client("police")
    payload = incident_payload()
    before = count(writable_app, Incident), count(writable_app, Photo)
    response = post(police, INCIDENTS, payload, [("ok.jpg", jpeg_with_gps()),
                                                 ("virus.jpg", b"MZ not an image")])
    assert response.status_code == 400
    assert response.get_json()["error"]["errors"][0]["field"] == "photos"
    too_many = post(police, INCIDENTS, incident_payload(), [("p.jpg", jpeg_with_gps())] * 6)
    assert too_many.status_code == 400
    # Neither the record nor the good photo that came with the bad one was kept.
    assert (count(writable_app, Incident), count(writable_app, Photo)) == before


def test_manual_pin_overrides_poor_accuracy_and_edge_tolerance(field_client):
    police = field_client("police")
    manual = post(police, HOUSES, house_payload(
        location={**INSIDE, "accuracy_m": 250, "manual": True}))
    assert manual.status_code == 201
    # 20 m outside the northern tip of the synthetic ward: GPS drift, assigned with a note.
    edge = post(police, INCIDENTS, incident_payload(location=_just_outside(police, 20)))
    assert edge.status_code == 201, edge.get_json()
    assert "ranh giới" in edge.get_json()["derived"]["location_note"]
    far = post(police, INCIDENTS, incident_payload(location=_just_outside(police, 400)))
    assert far.status_code == 400


def _just_outside(client, metres: float) -> dict:
    feature = client.get("/api/v1/neighbourhoods?limit=100").get_json()["features"]
    top = max((pt for f in feature for ring in f["geometry"]["coordinates"] for pt in ring[0]),
              key=lambda pt: pt[1])
    return {"lon": top[0], "lat": top[1] + metres / 110_600, "accuracy_m": 10, "manual": False}


def test_roles_and_sign_in_are_enforced(field_client, writable_app):
    staff, leader = field_client("urban_staff"), field_client("leader")
    assert post(staff, HOUSES, house_payload()).status_code == 403
    assert post(leader, INCIDENTS, incident_payload()).status_code == 403
    residence = post(staff, INCIDENTS, incident_payload(category="residence"))
    assert residence.status_code == 400
    assert residence.get_json()["error"]["field"] == "category"
    anonymous = writable_app.test_client()
    response = anonymous.post(INCIDENTS, data={"payload": "{}"})
    assert response.status_code in (400, 401)  # CSRF or sign-in: never stored
    no_csrf = field_client("police")
    no_csrf.csrf_headers = {}
    assert post(no_csrf, INCIDENTS, incident_payload()).status_code == 400


def test_duplicates_nearby_attach_and_repeats(field_client, writable_app):
    staff = field_client("urban_staff")
    spot = {"lon": 106.9301, "lat": 10.8482, "accuracy_m": 5, "manual": False}
    first = post(staff, INCIDENTS, incident_payload(category="illegal_advertising",
                                                    location=spot))
    assert first.status_code == 201
    first_id = first.get_json()["id"]
    nearby = staff.get(f"{INCIDENTS}/nearby?lon={spot['lon'] + 0.00005}&lat={spot['lat']}"
                       "&category=illegal_advertising").get_json()["incidents"]
    assert first_id in [row["id"] for row in nearby]
    assert all(row["distance_m"] <= 15 for row in nearby)
    staff.set_cookie("lang", "en")  # a phone in English shows the kind and state in English
    english = staff.get(f"{INCIDENTS}/nearby?lon={spot['lon'] + 0.00005}&lat={spot['lat']}"
                        "&category=illegal_advertising").get_json()["incidents"]
    staff.delete_cookie("lang")
    assert {(r["category_label"], r["status_label"]) for r in english if r["id"] == first_id} \
        == {("Illegal advertising and flyers", "Newly recorded")}
    before = count(writable_app, Incident)
    attached = post(staff, INCIDENTS, incident_payload(
        category="illegal_advertising", location=spot, attach_to=first_id,
        description="Tờ rơi dán lại"))
    assert attached.status_code == 201 and attached.get_json()["derived"]["attached"] is True
    assert count(writable_app, Incident) == before
    # Resolve it, then a new one on the same spot is a repeat (tái vi phạm).
    for step in ({"to": "verified"}, {"to": "resolved"}):
        assert post(staff, f"/api/v1/incidents/{first_id}/transition",
                    {"uuid": str(uuid.uuid4()), **step}).status_code == 201
    again = post(staff, INCIDENTS, incident_payload(category="illegal_advertising",
                                                    location=spot,
                                                    observed_at=_now_iso(writable_app)))
    assert again.status_code == 201 and again.get_json()["derived"]["is_repeat"] is True
    other = post(staff, INCIDENTS, incident_payload(category="sanitation", location=spot))
    assert other.get_json()["derived"]["is_repeat"] is False


def _now_iso(app) -> str:
    """A couple of minutes from now: observed after the resolution just recorded."""
    from datetime import timedelta

    from webapp.clock import local_now

    with app.app_context():
        return (local_now() + timedelta(minutes=2)).isoformat(timespec="minutes")


def test_workflow_steps_and_their_rules(field_client, writable_app):
    staff = field_client("urban_staff")
    created = post(staff, INCIDENTS, incident_payload()).get_json()
    url = f"/api/v1/incidents/{created['id']}/transition"

    def step(**payload):
        return post(staff, url, {"uuid": str(uuid.uuid4()), **payload})

    assert step(to="minutes_issued").status_code == 400  # must be verified first
    assert step(to="verified").status_code == 201
    missing = step(to="minutes_issued")
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "minutes_no"
    assert step(to="minutes_issued", minutes_no="15/BB-VPHC", fine_vnd=2_000_000).status_code \
        == 201
    assert step(to="resolved", note="Đã tháo dỡ").status_code == 201
    assert step(to="verified").status_code == 400
    with writable_app.app_context():
        row = db.conn.execute(select(Incident.status, Incident.minutes_no, Incident.fine_vnd,
                                     Incident.resolved_at).where(
            Incident.id == created["id"])).one()
    assert row.status == "resolved" and row.minutes_no == "15/BB-VPHC"
    assert row.fine_vnd == 2_000_000 and row.resolved_at is not None
    leader = field_client("leader")
    assert post(leader, url, {"uuid": str(uuid.uuid4()), "to": "dismissed"}).status_code == 403


def test_inspections_follow_ups_and_house_state(field_client, writable_app):
    police = field_client("police")
    house = post(police, HOUSES, house_payload()).get_json()
    url = f"{HOUSES}/{house['uuid']}/inspections"
    failing = {"uuid": str(uuid.uuid4()), "inspected_at": "2026-10-01T09:00",
               "fire_safety_pass": False, "findings": "Thiếu bình chữa cháy"}
    assert post(police, url, failing).status_code == 400  # a failed check needs a follow-up
    failing["follow_up_on"] = "2026-10-15"
    assert post(police, url, failing).status_code == 201
    later = {"uuid": str(uuid.uuid4()), "inspected_at": "2026-10-16T10:00",
             "fire_safety_pass": True, "residents_counted": 18, "extinguishers": 4}
    assert post(police, url, later).status_code == 201
    with writable_app.app_context():
        state = db.conn.execute(select(
            BoardingHouse.fire_safety_pass, BoardingHouse.last_inspection_on,
            BoardingHouse.residents, BoardingHouse.extinguishers).where(
            BoardingHouse.id == house["id"])).one()
        done = db.conn.execute(select(Inspection.follow_up_done_on).where(
            Inspection.boarding_house_id == house["id"],
            Inspection.follow_up_on.is_not(None))).scalar()
    assert state.fire_safety_pass is True and str(state.last_inspection_on) == "2026-10-16"
    assert state.residents == 18 and state.extinguishers == 4
    assert str(done) == "2026-10-16"
    unknown = post(police, f"{HOUSES}/{uuid.uuid4()}/inspections", later | {
        "uuid": str(uuid.uuid4())})
    assert unknown.status_code == 404


def test_edit_keeps_the_house_and_is_idempotent(field_client, writable_app):
    police = field_client("police")
    house = post(police, HOUSES, house_payload()).get_json()
    edit = house_payload(uuid=str(uuid.uuid4()), rooms=30, residents=50)
    first = post(police, f"{HOUSES}/{house['uuid']}", edit)
    assert first.status_code == 201 and first.get_json()["id"] == house["id"]
    assert post(police, f"{HOUSES}/{house['uuid']}", edit).status_code == 200
    with writable_app.app_context():
        rooms = db.conn.execute(select(BoardingHouse.rooms).where(
            BoardingHouse.id == house["id"])).scalar()
    assert rooms == 30


def test_times_with_an_offset_are_converted_to_ward_time(field_client, writable_app):
    police = field_client("police")
    response = post(police, INCIDENTS, incident_payload(observed_at="2026-11-01T02:30:00Z"))
    assert response.status_code == 201
    with writable_app.app_context():
        observed = db.conn.execute(select(Incident.observed_at).where(
            Incident.id == response.get_json()["id"])).scalar()
    assert observed.isoformat(timespec="minutes") == "2026-11-01T09:30"  # UTC+7


def test_a_refusal_comes_out_in_the_phones_language(field_client, writable_app):
    police = field_client("police")
    police.set_cookie("lang", "en")
    before = count(writable_app, BoardingHouse)
    refused = post(police, HOUSES, house_payload(rooms="mười"))
    error = refused.get_json()["error"]
    assert refused.status_code == 400 and error["code"] == "invalid"
    assert error["message"].startswith("Not saved: ") and "Chưa lưu" not in error["message"]
    assert error["message"] == error["message_en"]
    assert count(writable_app, BoardingHouse) == before
    unread = police.post(HOUSES, data={"payload": "{nope"}, headers=police.csrf_headers,
                         content_type="multipart/form-data").get_json()["error"]
    assert unread["message"] == "Not saved: Invalid JSON."
    vietnamese = field_client("police")
    same = post(vietnamese, HOUSES, house_payload(rooms="mười")).get_json()["error"]
    assert same["message"].startswith("Chưa lưu được: ")
    assert same["message_en"] == error["message_en"]
    nearby = police.get("/api/v1/field/incidents/nearby?lon=x&lat=1").get_json()["error"]
    assert nearby["message"] == "lon and lat are required numbers." and nearby["field"] == "lon"
