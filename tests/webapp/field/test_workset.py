"""The officer's working set for offline use, the place look-up and nearby houses (both
backends): owner data only where allowed (and audited), filters, limits, tenancy."""

from __future__ import annotations

import uuid

import shapely
from shapely.geometry import shape
from sqlalchemy import func, select

from models import queries, writes
from models import wards as ward_records
from models.tables import AuditLog, BoardingHouse
from tests.webapp.field.conftest import INSIDE, house_payload, post
from webapp.extensions import db

WORKSET = "/api/v1/field/working-set"
PLACE = "/api/v1/field/place"
NEARBY = "/api/v1/field/boarding-houses/nearby"
HOUSE_KEYS = {"uuid", "id", "name", "address", "lon", "lat", "neighbourhood_code",
              "neighbourhood_name", "street_name", "house_type", "rooms", "residents",
              "classification", "antt_commitment_on", "extinguishers", "has_alarm",
              "has_escape_route", "model_status", "last_inspection_on", "fire_safety_pass",
              "follow_up_on"}
OWNER_KEYS = {"owner_name", "owner_phone", "owner_id_number"}


def downloads(app) -> list:
    with app.app_context():
        return db.conn.execute(select(AuditLog.user_id, AuditLog.entity, AuditLog.detail).where(
            AuditLog.action == "download_personal_data").order_by(AuditLog.id)).all()


def owner_names(app, house_ids: list[int]) -> list[str]:
    with app.app_context():
        return [name for name in db.conn.execute(select(BoardingHouse.owner_name).where(
            BoardingHouse.id.in_(house_ids), BoardingHouse.owner_name.is_not(None))).scalars()]


def test_police_get_owner_data_and_the_download_is_audited(field_client, writable_app):
    police = field_client("police")
    before = downloads(writable_app)
    response = police.get(WORKSET)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    assert body["personal"] is True and body["neighbourhood"] is None
    assert body["generated_at"].endswith("Z") and len(body["ward"]["extent"]) == 4
    assert body["truncated"] is False and body["limit"] == 3000
    houses = body["houses"]
    assert houses and all(set(h) == HOUSE_KEYS | OWNER_KEYS for h in houses)
    assert any(h["owner_name"] for h in houses)
    with writable_app.app_context():
        total = db.conn.execute(select(func.count()).select_from(BoardingHouse).where(
            BoardingHouse.ward_id == queries.ward_by_code(db.conn, body["ward"]["code"]).id)
        ).scalar()
    assert len(houses) == total
    after = downloads(writable_app)
    assert len(after) == len(before) + 1
    user_id, entity, detail = after[-1]
    assert entity == "boarding_house" and user_id is not None
    assert detail["count"] == len(houses) and detail["page"] == "field_working_set"
    assert detail["neighbourhood"] is None


def test_the_layers_are_small_geojson(field_client):
    body = field_client("police").get(WORKSET).get_json()
    for name in ("streets", "neighbourhoods", "model_streets"):
        assert body[name]["type"] == "FeatureCollection" and body[name]["features"], name
    street = body["streets"]["features"][0]
    assert set(street["properties"]) == {"name", "street_class", "named"}
    assert isinstance(street["id"], int)
    assert set(body["neighbourhoods"]["features"][0]["properties"]) == {"code", "name"}
    assert set(body["model_streets"]["features"][0]["properties"]) == {"name", "level",
                                                                       "status"}
    x, y = street["geometry"]["coordinates"][0]
    assert round(x, 6) == x and round(y, 6) == y
    house = body["houses"][0]
    assert round(house["lon"], 7) == house["lon"]
    dated = [h for h in body["houses"] if h["antt_commitment_on"]]
    assert dated and len(dated[0]["antt_commitment_on"]) == 10  # yyyy-mm-dd


def test_staff_get_houses_without_any_owner_data(field_client, writable_app):
    staff = field_client("urban_staff")
    before = downloads(writable_app)
    response = staff.get(WORKSET)
    assert response.status_code == 200
    body = response.get_json()
    assert body["personal"] is False and body["houses"]
    assert all(set(h) == HOUSE_KEYS for h in body["houses"])
    text = response.get_data(as_text=True)
    assert '"owner_' not in text
    names = owner_names(writable_app, [h["id"] for h in body["houses"]])
    assert names and not [name for name in names if name in text]
    assert len(downloads(writable_app)) == len(before)
    leader = field_client("leader")
    assert leader.get(WORKSET).status_code == 403
    assert writable_app.test_client().get(WORKSET).status_code == 401


def test_a_neighbourhood_narrows_the_set(field_client, writable_app):
    police = field_client("police")
    whole = police.get(WORKSET).get_json()
    kp = whole["neighbourhoods"]["features"][0]["properties"]
    body = police.get(f"{WORKSET}?neighbourhood={kp['code']}").get_json()
    assert body["neighbourhood"] == {"code": kp["code"], "name": kp["name"]}
    assert body["houses"] and all(h["neighbourhood_code"] == kp["code"]
                                  for h in body["houses"])
    assert len(body["houses"]) == sum(h["neighbourhood_code"] == kp["code"]
                                      for h in whole["houses"])
    assert body["neighbourhoods"] == whole["neighbourhoods"]  # every khu phố, for the map
    assert 0 < len(body["streets"]["features"]) < len(whole["streets"]["features"])
    assert len(body["model_streets"]["features"]) <= len(whole["model_streets"]["features"])
    # Streets of the khu phố and those just around its edge (200 m), none far away.
    boundary = shape(next(f["geometry"] for f in whole["neighbourhoods"]["features"]
                          if f["properties"]["code"] == kp["code"]))
    metres = 1 / 110_000
    for feature in body["streets"]["features"]:
        assert shape(feature["geometry"]).distance(boundary) < 260 * metres
    inside = [f["id"] for f in whole["streets"]["features"]
              if shape(f["geometry"]).intersects(boundary)]
    assert set(inside) <= {f["id"] for f in body["streets"]["features"]}
    assert downloads(writable_app)[-1].detail["neighbourhood"] == kp["code"]
    empty = police.get(f"{WORKSET}?neighbourhood=").get_json()
    assert empty["neighbourhood"] is None and len(empty["houses"]) == len(whole["houses"])


def test_a_tiny_limit_truncates(field_client, writable_app):
    writable_app.config["FIELD_WORKSET_MAX_HOUSES"] = 5
    body = field_client("urban_staff").get(WORKSET).get_json()
    assert body["limit"] == 5 and body["truncated"] is True and len(body["houses"]) == 5


def test_an_unknown_neighbourhood_is_a_404(field_client):
    response = field_client("police").get(f"{WORKSET}?neighbourhood=KP-NOWHERE")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["field"] == "neighbourhood" and "KP-NOWHERE" in error["message"]


def test_another_wards_data_never_appears(field_client, writable_app):
    """A second ward overlapping this one, with a house right at the field test point."""
    code = f"other-{uuid.uuid4().hex[:8]}"
    lon, lat = INSIDE["lon"] + 0.0001, INSIDE["lat"]
    with writable_app.app_context(), db.engine.begin() as conn:
        boundary = shapely.MultiPolygon([shapely.box(lon - 0.01, lat - 0.01, lon + 0.01,
                                                     lat + 0.01)])
        other = ward_records.insert_ward(conn, code, "Phường khác", boundary, 5899, True)
        house_uuid = uuid.uuid4()
        writes.insert_point_record(conn, BoardingHouse.__table__, {
            "ward_id": other, "client_uuid": house_uuid, "name": "Nhà trọ Phường Khác",
            "address": "số 9", "owner_name": "Chủ Phường Khác", "house_type": "hotel",
            "rooms": 3, "residents": 4}, lon, lat)
    try:
        police = field_client("police")
        text = police.get(WORKSET).get_data(as_text=True)
        kp = police.get(WORKSET).get_json()["neighbourhoods"]["features"][0]["properties"]
        text += police.get(f"{WORKSET}?neighbourhood={kp['code']}").get_data(as_text=True)
        text += police.get(f"{NEARBY}?lon={lon}&lat={lat}&radius=300").get_data(as_text=True)
        for leaked in (str(house_uuid), "Nhà trọ Phường Khác", "Chủ Phường Khác", code):
            assert leaked not in text
    finally:
        with writable_app.app_context(), db.engine.begin() as conn:
            ward_records.delete_ward(conn, other)


def _a_point_on_a_named_street(body) -> tuple[float, float, str]:
    """The middle of the longest segment of the ward's longest named street."""
    named = [f for f in body["streets"]["features"] if f["properties"]["named"]]
    feature = max(named, key=lambda f: shape(f["geometry"]).length)
    coords = feature["geometry"]["coordinates"]
    a, b = max(zip(coords, coords[1:], strict=False),
               key=lambda pair: shapely.LineString(pair).length)
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, feature["properties"]["name"]


def test_place_names_the_street_and_khu_pho(field_client):
    police = field_client("police")
    body = police.get(WORKSET).get_json()
    lon, lat, street = _a_point_on_a_named_street(body)
    kp = next(f["properties"] for f in body["neighbourhoods"]["features"]
              if shape(f["geometry"]).covers(shapely.Point(lon, lat)))
    response = police.get(f"{PLACE}?lon={lon}&lat={lat}")
    assert response.status_code == 200
    assert response.get_json() == {"street": street, "neighbourhood": kp,
                                   "address_hint": f"{street}, {kp['name']}"}
    far = police.get(f"{PLACE}?lon=107.5&lat=11.5").get_json()
    assert far == {"street": None, "neighbourhood": None, "address_hint": ""}
    assert police.get(f"{PLACE}?lon=abc&lat=1").status_code == 400
    assert field_client("urban_staff").get(f"{PLACE}?lon={lon}&lat={lat}").status_code == 403


def test_nearby_houses_take_a_bounded_radius(field_client):
    staff = field_client("urban_staff")
    house = staff.get(WORKSET).get_json()["houses"][0]
    at = f"lon={house['lon']}&lat={house['lat']}"
    close = staff.get(f"{NEARBY}?{at}&radius=1").get_json()["boarding_houses"]
    assert house["uuid"] in [row["uuid"] for row in close]
    assert all(row["distance_m"] <= 1 for row in close)
    row = next(r for r in close if r["uuid"] == house["uuid"])
    assert {"lon", "lat", "last_inspection_on"} <= set(row)
    assert (row["lon"], row["lat"]) == (house["lon"], house["lat"])
    assert row["last_inspection_on"] == house["last_inspection_on"]
    wide = staff.get(f"{NEARBY}?{at}&radius=300").get_json()["boarding_houses"]
    default = staff.get(f"{NEARBY}?{at}").get_json()["boarding_houses"]
    assert len(close) <= len(default) <= len(wide)
    assert all(r["distance_m"] <= 300 for r in wide)
    assert all(r["distance_m"] <= 100 for r in default)
    assert [r["distance_m"] for r in wide] == sorted(r["distance_m"] for r in wide)
    assert not OWNER_KEYS & set(wide[0])
    for bad in ("1000", "0", "abc"):
        response = staff.get(f"{NEARBY}?{at}&radius={bad}")
        assert response.status_code == 400 and response.get_json()["error"]["field"] == \
            "radius", bad


def test_the_earliest_open_follow_up_comes_with_the_house(field_client):
    police = field_client("police")
    house = post(police, "/api/v1/field/boarding-houses", house_payload()).get_json()
    url = f"/api/v1/field/boarding-houses/{house['uuid']}/inspections"
    # The later visit is sent first: both follow-ups stay open, the earlier date shows.
    for day, follow_up in (("2026-09-05", "2026-09-12"), ("2026-09-01", "2026-09-20")):
        failing = {"uuid": str(uuid.uuid4()), "inspected_at": f"{day}T09:00",
                   "fire_safety_pass": False, "follow_up_on": follow_up}
        assert post(police, url, failing).status_code == 201

    def follow_up_on():
        houses = police.get(WORKSET).get_json()["houses"]
        return next(h for h in houses if h["uuid"] == house["uuid"])["follow_up_on"]

    assert follow_up_on() == "2026-09-12"
    passing = {"uuid": str(uuid.uuid4()), "inspected_at": "2026-09-25T09:00",
               "fire_safety_pass": True}
    assert post(police, url, passing).status_code == 201
    assert follow_up_on() is None
