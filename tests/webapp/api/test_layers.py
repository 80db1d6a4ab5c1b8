"""The GeoJSON API on both backends: shapes, filters, paging, errors, no personal data."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from models.tables import BoardingHouse, Incident
from webapp.extensions import db

LAYER_GEOMETRIES = {
    "neighbourhoods": {"MultiPolygon"},
    "streets": {"LineString"},
    "model-streets": {"LineString", "Polygon", "MultiPolygon", "MultiLineString"},
    "boarding-houses": {"Point"},
    "incidents": {"Point"},
}


def _count(app, model, *where):
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


@pytest.mark.parametrize("layer", sorted(LAYER_GEOMETRIES))
def test_layer_is_an_rfc7946_feature_collection(client, layer):
    response = client.get(f"/api/v1/{layer}?limit=20000")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == len(body["features"]) == body["numberMatched"] > 0
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], int)
        assert feature["geometry"]["type"] in LAYER_GEOMETRIES[layer]
        lon, lat = _first_position(feature["geometry"]["coordinates"])
        assert 106.8 < lon < 107.1 and 10.7 < lat < 11.0  # lon/lat order, WGS 84


def _first_position(coordinates):
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    return coordinates


def test_incident_count_matches_database(client, demo_app):
    body = client.get("/api/v1/incidents?limit=20000").get_json()
    assert body["numberMatched"] == _count(demo_app, Incident)


def test_boarding_houses_never_carry_owner_personal_data(client, demo_app):
    with demo_app.app_context():
        owners = db.conn.execute(
            select(BoardingHouse.owner_name, BoardingHouse.owner_phone,
                   BoardingHouse.owner_id_number).limit(50)).all()
    text = client.get("/api/v1/boarding-houses?limit=20000").get_data(as_text=True)
    single = client.get("/api/v1/boarding-houses/1").get_data(as_text=True)
    for _name, phone, id_number in owners:
        for secret in (phone, id_number):
            assert secret not in text and secret not in single
    assert "owner_" not in text and "owner_" not in single


def test_bbox_returns_only_features_inside(client):
    everything = client.get("/api/v1/incidents?limit=20000").get_json()
    bbox = (106.905, 10.840, 106.935, 10.870)
    body = client.get("/api/v1/incidents?limit=20000&bbox=" + ",".join(map(str, bbox))).get_json()
    assert 0 < body["numberMatched"] < everything["numberMatched"]
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]
    inside = sum(
        bbox[0] <= f["geometry"]["coordinates"][0] <= bbox[2]
        and bbox[1] <= f["geometry"]["coordinates"][1] <= bbox[3]
        for f in everything["features"])
    assert inside == body["numberMatched"]


def test_date_category_status_and_neighbourhood_filters(client):
    url = ("/api/v1/incidents?limit=20000&from=2026-03-01&to=31/03/2026"
           "&category=encroachment_sidewalk,encroachment_road&neighbourhood=KP01")
    body = client.get(url).get_json()
    assert body["numberMatched"] > 0
    for feature in body["features"]:
        props = feature["properties"]
        observed = datetime.fromisoformat(props["observed_at"]).date()
        assert date(2026, 3, 1) <= observed <= date(2026, 3, 31)
        assert props["category"] in {"encroachment_sidewalk", "encroachment_road"}
        assert props["neighbourhood_code"] == "KP01"
        assert props["category_label"].startswith("Lấn chiếm")
    resolved = client.get("/api/v1/incidents?status=resolved&limit=20000").get_json()
    assert resolved["numberMatched"] > 0
    assert {f["properties"]["status"] for f in resolved["features"]} == {"resolved"}


def test_labels_are_in_the_readers_language(client):
    url = "/api/v1/incidents?category=encroachment_road&status=resolved&limit=1"
    vietnamese = client.get(url)
    feature = vietnamese.get_json()["features"][0]
    assert (feature["properties"]["category_label"], feature["properties"]["status_label"]) \
        == ("Lấn chiếm lòng đường", "Đã xử lý xong")
    client.set_cookie("lang", "en")
    try:
        # The Vietnamese copy a browser keeps is not the English page: not a 304.
        english = client.get(url, headers={"If-None-Match": vietnamese.headers["ETag"]})
        assert english.status_code == 200
        props = english.get_json()["features"][0]["properties"]
        assert (props["category_label"], props["status_label"]) == \
            ("Road encroachment", "Handled")
        one = client.get(f"/api/v1/incidents/{feature['id']}").get_json()
        assert one["properties"]["category_label"] == "Road encroachment"
    finally:
        client.delete_cookie("lang")


def test_neighbourhood_filter_on_streets_uses_geometry(client):
    all_streets = client.get("/api/v1/streets?limit=20000").get_json()["numberMatched"]
    in_kp = client.get("/api/v1/streets?neighbourhood=KP02&limit=20000").get_json()
    assert 0 < in_kp["numberMatched"] < all_streets


def test_paging_follows_next_links_without_overlap(client):
    first = client.get("/api/v1/boarding-houses?limit=100").get_json()
    assert first["numberReturned"] == 100
    (next_link,) = [link for link in first["links"] if link["rel"] == "next"]
    second = client.get(next_link["href"]).get_json()
    ids_first = {f["id"] for f in first["features"]}
    ids_second = {f["id"] for f in second["features"]}
    assert len(ids_second) == 100 and not ids_first & ids_second


def test_one_feature_and_unknown_ids(client):
    listing = client.get("/api/v1/model-streets?limit=1").get_json()
    feature_id = listing["features"][0]["id"]
    one = client.get(f"/api/v1/model-streets/{feature_id}")
    assert one.status_code == 200 and one.get_json()["id"] == feature_id
    missing = client.get("/api/v1/model-streets/99999999")
    assert missing.status_code == 404
    assert "Không tìm thấy" in missing.get_json()["error"]["message"]
    assert client.get("/api/v1/model-streets/abc").status_code == 404


BAD_REQUESTS = [
    ("incidents?bbox=1,2,3", "bbox"),
    ("incidents?bbox=107,10.9,106,10.8", "bbox"),
    ("incidents?bbox=a,b,c,d", "bbox"),
    ("incidents?from=2026-13-01", "from"),
    ("incidents?from=2026-05-01&to=2026-04-01", "from"),
    ("incidents?category=littering", "category"),
    ("incidents?status=closed", "status"),
    ("incidents?limit=0", "limit"),
    ("incidents?limit=999999999", "limit"),
    ("incidents?limit=ten", "limit"),
    ("incidents?offset=-1", "offset"),
    ("incidents?neighbourhood=KP999", "neighbourhood"),
    ("incidents?colour=red", "colour"),
    ("boarding-houses?from=2026-01-01", "from"),
    ("streets?category=drugs", "category"),
]


@pytest.mark.parametrize(("query", "field"), BAD_REQUESTS)
def test_bad_parameters_give_400_in_vietnamese_and_english(client, query, field):
    response = client.get(f"/api/v1/{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["message"] and error["message_en"]
    assert error["message"] != error["message_en"]


def test_unknown_layer_and_ward_are_404_json(client):
    for url in ("/api/v1/parks", "/api/v1/incidents?ward=nowhere"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json()["error"]["message"]


def test_index_lists_layers_and_the_synthetic_ward(client):
    body = client.get("/api/v1/").get_json()
    assert set(body["layers"]) == set(LAYER_GEOMETRIES)
    assert body["wards"][0]["synthetic"] is True


def test_a_layer_page_reads_its_user_ward_and_features_in_two_statements(client, demo_app):
    """The sign-in check reads the session, the user and their ward in one statement (no
    list of the province's wards per request); the page is the second."""
    from sqlalchemy import event

    engine = demo_app.extensions["urbanorder_engine"]
    # The layers' fingerprints are trusted for LAYER_VERSION_MAX_AGE (1 s): on a busy
    # machine the second request came later and read them again (a third statement).
    demo_app.config["LAYER_VERSION_MAX_AGE"] = 60  # put back after the test (shared_app)
    client.get("/api/v1/streets")  # warm: the ward's first request may build caches
    statements = []
    listener = lambda _c, _cur, sql, *_: statements.append(sql)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/api/v1/streets").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 2, statements
    assert "user_session" in statements[0] and "ward" in statements[0]
