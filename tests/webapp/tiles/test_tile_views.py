"""/tiles/{layer}/{z}/{x}/{y}.mvt on both backends: who gets which wards, ETag/304, a write
shows at once with TILE_VERSION_MAX_AGE 0, compression, errors."""

from __future__ import annotations

import gzip
import math
from datetime import datetime

import pytest
from sqlalchemy import select

from models import queries, tiles, writes
from models.tables import Incident
from tests.conftest import test_app
from tests.databases import signed_in_client
from webapp.extensions import db

pytestmark = pytest.mark.slow


def tile_of(lon: float, lat: float, z: int) -> str:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"{z}/{x}/{y}"


@pytest.fixture
def app(province_url):
    for app in test_app(province_url):
        app.config["TILE_VERSION_MAX_AGE"] = app.config["TILE_CELLS_MAX_AGE"] = 0
        with app.app_context():
            app.wards = {w.code: w for w in queries.wards(db.conn)}
            app.first_incident = {
                code: db.conn.execute(select(Incident.id, Incident.geom.ST_X(),
                                             Incident.geom.ST_Y())
                                      .where(Incident.ward_id == w.id)
                                      .order_by(Incident.id).limit(1)).one()
                for code, w in app.wards.items()}
        yield app


def signed_in(app, username: str):
    return signed_in_client(app, username)


def features(response, layer="incidents") -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    decoded = tiles.decode(response.get_data())
    return decoded[layer]["features"] if decoded else []


def test_a_ward_user_gets_only_their_wards_tiles(app):
    client = signed_in(app, "congan1")
    own, other = app.first_incident["synth-001"], app.first_incident["synth-002"]
    mine = features(client.get(f"/tiles/incidents/{tile_of(own[1], own[2], 16)}.mvt"))
    assert own.id in {f["id"] for f in mine}
    # The other ward's corner of the map is empty for them, whatever they ask.
    theirs = f"/tiles/incidents/{tile_of(other[1], other[2], 16)}.mvt"
    assert features(client.get(theirs)) == []
    assert client.get(theirs + "?ward=synth-002").status_code == 404
    refused = client.get(theirs + "?scope=province")
    assert refused.status_code == 403
    assert "tỉnh" in refused.get_json()["error"]["message"]


def test_a_province_viewer_sees_every_ward_and_no_ward_alone(app):
    client = signed_in(app, "tinh")
    for code, incident in app.first_incident.items():
        path = f"/tiles/incidents/{tile_of(incident[1], incident[2], 16)}.mvt"
        assert incident.id in {f["id"] for f in features(client.get(path + "?scope=province"))}
        assert client.get(path).status_code == 404, code  # no ward of their own
    # Below zoom 14 the province comes in counted cells.
    own = app.first_incident["synth-001"]
    cells = features(client.get(f"/tiles/incidents/{tile_of(own[1], own[2], 10)}.mvt"
                                "?scope=province"))
    assert cells and all(set(f["properties"]) == {"count"} for f in cells)


def test_an_unchanged_tile_is_a_304_and_a_write_makes_a_new_one(app):
    client = signed_in(app, "congan1")
    lon, lat = app.first_incident["synth-001"][1:]
    path = f"/tiles/incidents/{tile_of(lon, lat, 16)}.mvt"
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context(), db.transaction() as conn:
        new_id = writes.insert_point_record(conn, Incident.__table__, {
            "ward_id": app.wards["synth-001"].id, "category": "sanitation",
            "status": "reported", "observed_at": datetime(2026, 1, 5, 9, 30)}, lon, lat)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert new_id in {f["id"] for f in features(changed)}


def test_counted_cells_follow_a_version_of_their_own(app):
    """Low-zoom counts may lag (TILE_CELLS_MAX_AGE) while single points follow at once."""
    app.config["TILE_CELLS_MAX_AGE"] = 3600
    client = signed_in(app, "congan1")
    lon, lat = app.first_incident["synth-001"][1:]
    cells, points = (f"/tiles/incidents/{tile_of(lon, lat, z)}.mvt" for z in (11, 16))
    before = {path: client.get(path).headers["ETag"] for path in (cells, points)}
    with app.app_context(), db.transaction() as conn:
        writes.insert_point_record(conn, Incident.__table__, {
            "ward_id": app.wards["synth-001"].id, "category": "sanitation",
            "status": "reported", "observed_at": datetime(2026, 1, 6, 9, 30)}, lon, lat)
    assert client.get(cells).headers["ETag"] == before[cells]
    assert client.get(points).headers["ETag"] != before[points]


def test_tiles_are_compressed(app):
    client = signed_in(app, "congan1")
    lon, lat = app.first_incident["synth-001"][1:]
    response = client.get(f"/tiles/neighbourhoods/{tile_of(lon, lat, 13)}.mvt",
                          headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert tiles.decode(gzip.decompress(response.get_data()))["neighbourhoods"]["features"]


@pytest.mark.parametrize("path", ["/tiles/owners/14/1/1.mvt", "/tiles/incidents/3/8/0.mvt",
                                  "/tiles/incidents/23/0/0.mvt"])
def test_unknown_layers_and_tiles_are_404_in_vietnamese(app, path):
    response = signed_in(app, "congan1").get(path)
    assert response.status_code == 404
    assert "Không có" in response.get_json()["error"]["message"]


def test_tiles_need_sign_in(app):
    assert app.test_client().get("/tiles/incidents/14/1/1.mvt").status_code in (302, 401)


def test_the_ward_maps_filters_apply_to_its_tiles(app):
    """The ward map draws low zooms from tiles: a filtered tile counts exactly the rows the
    GeoJSON layer with the same filter returns, in cells and point by point."""
    client = signed_in(app, "congan1")
    ward = app.wards["synth-001"]
    with app.app_context():
        category, = db.conn.execute(select(Incident.category).where(
            Incident.ward_id == ward.id).limit(1)).one()
        wanted = set(db.conn.execute(select(Incident.id).where(
            Incident.ward_id == ward.id, Incident.category == category)).scalars())
        minx, miny, maxx, maxy = queries.ward_extent(db.conn, ward.id)
    # The counted-cell tiles over the whole ward.
    z = 11
    corners = {tile_of(lon, lat, z) for lon in (minx, maxx) for lat in (miny, maxy)}
    xs = {int(t.split("/")[1]) for t in corners}
    ys = {int(t.split("/")[2]) for t in corners}
    paths = [f"/tiles/incidents/{z}/{x}/{y}.mvt" for x in range(min(xs), max(xs) + 1)
             for y in range(min(ys), max(ys) + 1)]

    def total(query=""):
        return sum(f["properties"]["count"] for path in paths
                   for f in features(client.get(path + query)))

    assert total(f"?category={category}") == len(wanted) < total()
    lon, lat = app.first_incident["synth-001"][1:]
    path = f"/tiles/incidents/{tile_of(lon, lat, z)}.mvt"
    points = features(client.get(f"/tiles/incidents/{tile_of(lon, lat, 16)}.mvt"
                                 f"?category={category}"))
    assert points and {f["id"] for f in points} <= wanted
    assert {f["properties"]["category"] for f in points} == {category}
    # A filtered tile is its own cache entry and ETag.
    assert (client.get(path).headers["ETag"]
            != client.get(f"{path}?category={category}").headers["ETag"])


@pytest.mark.parametrize("query, field", [("category=nope", "category"),
                                          ("from=2026-13-01", "from"),
                                          ("bbox=1,2,3,4", "bbox"),
                                          ("neighbourhood=KP-X", "neighbourhood")])
def test_bad_tile_filters_are_400_in_vietnamese(app, query, field):
    lon, lat = app.first_incident["synth-001"][1:]
    response = signed_in(app, "congan1").get(
        f"/tiles/incidents/{tile_of(lon, lat, 12)}.mvt?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_the_province_view_takes_no_ward_filters(app):
    lon, lat = app.first_incident["synth-001"][1:]
    response = signed_in(app, "tinh").get(
        f"/tiles/incidents/{tile_of(lon, lat, 12)}.mvt?scope=province&category=sanitation")
    assert response.status_code == 400
