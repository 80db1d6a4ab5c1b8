"""Vector tiles on both backends: features and properties, counted cells at low zoom, empty
tiles, ward isolation, no personal data, a new version after a write, the same tile from
PostGIS's ST_AsMVT and from mapbox-vector-tile; the stored cell counts equal the points
after inserts, bulk loads, moves, edits, deletes and a ward's removal."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest
import shapely
from sqlalchemy import delete, select, text, update

from geo import webtiles
from models import dialects, queries, tile_cells, tiles, wards, writes
from models.engine import make_engine
from models.tables import BoardingHouse, Incident

pytestmark = pytest.mark.slow


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def _cell_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point, from geo.webtiles (not from the triggers' SQL)."""
    minx, _, maxx, maxy = webtiles.tile_bounds_mercator(0, 0, 0)
    mx, my = webtiles.lonlat_to_mercator(np.array([[lon, lat]]))[0]
    size = (maxx - minx) / 2 ** z
    return math.floor((mx - minx) / size), math.floor((maxy - my) / size)


def _points(conn, table, ward_id=None):
    """{id: (lon, lat)} of a point layer (one ward's or all)."""
    stmt = select(table.c.id, table.c.geom.ST_X(), table.c.geom.ST_Y())
    if ward_id is not None:
        stmt = stmt.where(table.c.ward_id == ward_id)
    return {row[0]: (row[1], row[2]) for row in conn.execute(stmt)}


def _inside(points: dict, z, x, y) -> set[int]:
    box = shapely.box(*webtiles.tile_bounds_lonlat(z, x, y))
    return {i for i, (lon, lat) in points.items() if box.intersects(shapely.Point(lon, lat))}


@pytest.fixture
def conn(province_url):
    engine = make_engine(province_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture
def ward_ids(conn):
    return [w.id for w in queries.wards(conn)]


def test_a_high_zoom_tile_has_each_point_of_the_tile_with_its_properties(conn, ward_ids):
    incidents = _points(conn, Incident.__table__, ward_ids[0])
    first = min(incidents)
    z, x, y = _tile_of(*incidents[first], 15)
    layer = tiles.TILE_LAYERS["incidents"]
    decoded = tiles.decode(tiles.render(conn, layer, z, x, y, ward_ids[0]))
    features = {f["id"]: f for f in decoded["incidents"]["features"]}
    assert decoded["incidents"]["extent"] == tiles.EXTENT
    # Every point of the tile is there, and a few of the buffer beyond its edge at most.
    assert _inside(incidents, z, x, y) <= set(features)
    row = conn.execute(select(Incident.category, Incident.status, Incident.is_repeat)
                       .where(Incident.id == first)).one()
    assert features[first]["properties"] == {"category": row.category, "status": row.status,
                                             "is_repeat": bool(row.is_repeat)}
    assert features[first]["geometry"]["type"] == "Point"


def test_at_low_zoom_points_are_counted_per_cell(conn, ward_ids):
    incidents = _points(conn, Incident.__table__)
    lons, lats = zip(*incidents.values(), strict=True)
    z, x, y = _tile_of(sum(lons) / len(lons), sum(lats) / len(lats), 10)
    decoded = tiles.decode(tiles.render(conn, tiles.TILE_LAYERS["incidents"], z, x, y, None))
    cells = decoded["incidents"]["features"]
    assert 1 < len(cells) <= tiles.CELLS ** 2
    assert all(set(f["properties"]) == {"count"} for f in cells)
    assert sum(f["properties"]["count"] for f in cells) == len(_inside(incidents, z, x, y))


def test_a_tile_with_nothing_is_empty(conn):
    for name in tiles.TILE_LAYERS:
        assert tiles.render(conn, tiles.TILE_LAYERS[name], 14, 0, 0, None) == b""
        assert tiles.render(conn, tiles.TILE_LAYERS[name], 8, 0, 0, None) == b""


def test_a_ward_never_gets_another_wards_features(conn, ward_ids):
    mine, other = ward_ids[:2]
    theirs = _points(conn, Incident.__table__, other)
    houses = _points(conn, BoardingHouse.__table__, other)
    for name in ("incidents", "boarding-houses", "neighbourhoods", "wards"):
        layer = tiles.TILE_LAYERS[name]
        point = houses[min(houses)] if name == "boarding-houses" else theirs[min(theirs)]
        tile = _tile_of(*point, 15)
        assert tiles.render(conn, layer, *tile, mine) == b"", name
        assert tiles.render(conn, layer, *tile, other) != b"", name
    # A low-zoom tile over both wards counts only the ward asked for.
    both = _points(conn, Incident.__table__)
    z, x, y = _tile_of(*theirs[min(theirs)], 9)
    assert len(_inside(both, z, x, y)) > len(_inside(theirs, z, x, y)) > 0
    decoded = tiles.decode(tiles.render(conn, tiles.TILE_LAYERS["incidents"], z, x, y, other))
    assert sum(f["properties"]["count"] for f in decoded["incidents"]["features"]) == \
        len(_inside(theirs, z, x, y))


def test_house_tiles_carry_no_personal_data(conn, ward_ids):
    house = conn.execute(select(BoardingHouse.id, BoardingHouse.geom.ST_X(),
                                BoardingHouse.geom.ST_Y()).limit(1)).one()
    conn.execute(update(BoardingHouse).where(BoardingHouse.id == house.id).values(
        owner_name="Nguyễn Văn Chủ", owner_phone="0901234567", owner_id_number="079123456789"))
    tile = tiles.render(conn, tiles.TILE_LAYERS["boarding-houses"],
                        *_tile_of(house[1], house[2], 16), None)
    conn.rollback()
    features = tiles.decode(tile)["boarding-houses"]["features"]
    assert house.id in {f["id"] for f in features}
    for feature in features:
        assert set(feature["properties"]) <= {"name", "house_type", "model_status"}
    for secret in (b"Nguy", b"0901234567", b"079123456789"):
        assert secret not in tile


def test_a_write_makes_a_new_version_and_shows_in_the_tile(conn, ward_ids):
    layer = tiles.TILE_LAYERS["incidents"]
    before = tiles.fingerprint(conn, layer, ward_ids[0])
    other_before = tiles.fingerprint(conn, layer, ward_ids[1])
    lon, lat = next(iter(_points(conn, Incident.__table__, ward_ids[0]).values()))
    new_id = writes.insert_point_record(conn, Incident.__table__, {
        "ward_id": ward_ids[0], "category": "sanitation", "status": "reported",
        "observed_at": datetime(2026, 1, 5, 9, 30)}, lon, lat)
    conn.commit()
    assert tiles.fingerprint(conn, layer, ward_ids[0]) != before
    assert tiles.fingerprint(conn, layer, ward_ids[1]) == other_before
    assert tiles.fingerprint(conn, layer, None) != before
    decoded = tiles.decode(tiles.render(conn, layer, *_tile_of(lon, lat, 16), ward_ids[0]))
    assert new_id in {f["id"] for f in decoded["incidents"]["features"]}


def test_postgis_and_spatialite_give_the_same_tiles(province_databases):
    """The same synthetic province on both backends: the same features, properties and
    (within one tile unit of rounding) positions."""
    decoded = {}
    for backend in ("spatialite", "postgis"):
        engine = make_engine(province_databases(backend))
        with engine.connect() as conn:
            lon, lat = next(iter(_points(conn, BoardingHouse.__table__).values()))
            wanted = [(name, *_tile_of(lon, lat, z)) for name in tiles.TILE_LAYERS
                      for z in (10, 13, 15)]
            decoded[backend] = {key: tiles.decode(tiles.render(
                conn, tiles.TILE_LAYERS[key[0]], *key[1:], None)) for key in wanted}
        engine.dispose()
    for key, lite in decoded["spatialite"].items():
        pg = decoded["postgis"][key]
        assert set(lite) == set(pg) == {key[0]}, key
        lite_features, pg_features = lite[key[0]]["features"], pg[key[0]]["features"]
        assert len(lite_features) == len(pg_features) > 0, key

        def summary(features):
            return sorted((f.get("id"), sorted(f["properties"].items()), f["geometry"]["type"])
                          for f in features)

        if key[0] in ("incidents", "boarding-houses") and key[1] < tiles.AGGREGATE_BELOW_ZOOM:
            # Counted cells have no id: compare positions with their counts.
            def cells(features):
                return sorted((tuple(f["geometry"]["coordinates"]), f["properties"]["count"])
                              for f in features)
            assert cells(lite_features) == cells(pg_features), key
            continue
        assert summary(lite_features) == summary(pg_features), key
        for a, b in zip(sorted(lite_features, key=lambda f: f["id"]),
                        sorted(pg_features, key=lambda f: f["id"]), strict=True):
            if a["geometry"]["type"] == "Point":
                assert all(abs(p - q) <= 1 for p, q in zip(
                    a["geometry"]["coordinates"], b["geometry"]["coordinates"], strict=True))


# --- the stored cells (models.tile_cells) ------------------------------------------------

POINT_TABLES = {"incidents": Incident.__table__, "boarding-houses": BoardingHouse.__table__}


def _recounted(conn) -> dict:
    """{(layer, ward, x, y): count} of the z17 cells, counted here from the points."""
    counts: dict = {}
    for layer, table in POINT_TABLES.items():
        rows = conn.execute(select(table.c.ward_id, table.c.geom.ST_X(), table.c.geom.ST_Y()))
        for ward_id, lon, lat in rows:
            key = (layer, ward_id, *_cell_of(lon, lat, tile_cells.CELL_ZOOM))
            counts[key] = counts.get(key, 0) + 1
    return counts


def _stored(conn) -> dict:
    t = tile_cells.tile_cell.c
    return {(r.layer, r.ward_id, r.x, r.y): r.count
            for r in conn.execute(select(t.layer, t.ward_id, t.x, t.y, t.count))}


def _tile_counts(conn, layer, z, x, y, ward_id) -> dict:
    """{(column, row from the north): count} as the tile shows them."""
    decoded = tiles.decode(tiles.render(conn, tiles.TILE_LAYERS[layer], z, x, y, ward_id))
    step = tiles.EXTENT / tiles.CELLS
    return {(int(f["geometry"]["coordinates"][0] // step),
             tiles.CELLS - 1 - int(f["geometry"]["coordinates"][1] // step)):
            f["properties"]["count"] for f in decoded.get(layer, {"features": []})["features"]}


def _binned(points: dict, z, x, y) -> dict:
    """The same, binned here from the raw points: cells are the tiles 4 zooms deeper."""
    cells: dict = {}
    for lon, lat in points.values():
        cx, cy = _cell_of(lon, lat, z + 4)
        if (cx >> 4, cy >> 4) == (x, y):
            cells[(cx - x * 16, cy - y * 16)] = cells.get((cx - x * 16, cy - y * 16), 0) + 1
    return cells


def _assert_tiles_match_points(conn, ward_ids) -> None:
    for layer, table in POINT_TABLES.items():
        everyone = _points(conn, table)
        lons, lats = zip(*everyone.values(), strict=True)
        centre = (sum(lons) / len(lons), sum(lats) / len(lats))
        for ward_id in (None, ward_ids[0]):
            points = everyone if ward_id is None else _points(conn, table, ward_id)
            for z in (6, 9, 11, 13):
                tile = _tile_of(*centre, z)
                assert _tile_counts(conn, layer, *tile, ward_id) == _binned(points, *tile), \
                    (layer, ward_id, tile)


def test_stored_cells_equal_the_points_and_tiles_sum_them(conn, ward_ids):
    assert _stored(conn) == _recounted(conn)
    _assert_tiles_match_points(conn, ward_ids)


def test_cells_follow_inserts_moves_edits_and_deletes(conn, ward_ids):
    """Every kind of write, in one transaction rolled back at the end (the database is
    shared): after each, the stored cells are the points' own count."""
    mine, other = ward_ids[:2]
    incidents = Incident.__table__
    lon, lat = next(iter(_points(conn, incidents, mine).values()))
    try:
        new_ids = [writes.insert_point_record(conn, incidents, {
            "ward_id": mine, "category": "sanitation", "status": "reported",
            "observed_at": datetime(2026, 1, 5, 9, 30)}, lon + i * 0.002, lat) for i in range(5)]
        assert _stored(conn) == _recounted(conn)
        many = [{"ward_id": mine, "category": "drugs", "status": "reported",
                 "observed_at": datetime(2026, 2, 1, 8, 0),
                 "geom": f"SRID=4326;POINT({lon - 0.001 * i} {lat + 0.001 * i})"}
                for i in range(40)]
        if conn.dialect.name == "postgresql":
            dialects.copy_rows(conn, incidents, many)  # COPY fires the statement triggers
        else:
            conn.execute(incidents.insert(), many)
        assert _stored(conn) == _recounted(conn)
        writes.update_point_record(conn, incidents, mine, new_ids[0], {}, lon + 0.01, lat + 0.01)
        conn.execute(update(incidents).where(incidents.c.id == new_ids[1])
                     .values(ward_id=other))  # a record moved to another ward
        conn.execute(update(incidents).where(incidents.c.ward_id == mine)
                     .values(status="resolved"))  # an edit that moves nothing
        assert _stored(conn) == _recounted(conn)
        conn.execute(delete(incidents).where(incidents.c.id.in_(new_ids[2:])))
        conn.execute(delete(incidents).where(incidents.c.category == "drugs",
                                             incidents.c.ward_id == mine))
        assert _stored(conn) == _recounted(conn)
        _assert_tiles_match_points(conn, ward_ids)
        wards.delete_ward(conn, other)
        assert _stored(conn) == _recounted(conn)
        assert not any(key[1] == other for key in _stored(conn))
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE boarding_house CASCADE"))
            assert not any(key[0] == "boarding-houses" for key in _stored(conn))
    finally:
        conn.rollback()
    assert _stored(conn) == _recounted(conn)


def test_a_grid_finer_than_the_stored_cells_is_refused():
    with pytest.raises(ValueError, match="coarsening"):
        tile_cells.counts_in_tile("incidents", 14, 0, 0, tiles.CELLS, None)
    with pytest.raises(ValueError, match="coarsening"):
        tile_cells.counts_in_tile("incidents", 10, 0, 0, 12, None)
