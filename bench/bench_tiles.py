"""Vector tiles of the province view on the 100-ward synthetic province.

    DATABASE_URL=postgresql+psycopg://…/province .venv/bin/python bench/bench_tiles.py [--publish]

A province viewer pans the province view (1366×850) at z10–z12 and opens five wards at
z14–z15: every tile of every view of the three layers the page draws, each once (the
browser keeps what it has). Timed in-process through the Flask test client (the view,
version, cache, gzip; no network):

* cold: the server's tile cache empty (the first viewer after a change);
* warm: a second viewer, the same tiles from the cache;
* 304: the first viewer revalidating what it has.

Reference, in the same run: the very SQL each tile runs (``ST_AsMVT`` …), captured from
an untimed rendering pass and run straight on psycopg, without the app, before our passes
(both find the same warm buffers). A second reference, for the counted (low-zoom) point
tiles only: the same counts taken from the points themselves, as tiles did before
``tile_cell`` (``models.tile_cells``), also straight on psycopg. ``--publish`` first
publishes the last ended month of every ward without a published ranking (for the
choropleth).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from geo import ranking, webtiles  # noqa: E402
from models import dialects, fingerprints, queries, tiles  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.clock import local_now  # noqa: E402
from webapp.errors import ApiError  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.services import publishing  # noqa: E402
from webapp.services import tiles as tile_service  # noqa: E402
from webapp.users import UserError, create_user, set_password  # noqa: E402

LAYERS = ("neighbourhoods", "wards", "incidents")
VIEW_PX = (1366 - 320, 850 - 42)  # the map beside the sidebar, under the top bar
USER, PASSWORD = "bench-tinh", "bench-province-pass-2026"


def tile_xy(lon: float, lat: float, z: int) -> tuple[float, float]:
    n = 2 ** z
    return (lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def view_tiles(lon: float, lat: float, z: int) -> list[tuple[int, int, int]]:
    """The 256 px tiles a viewport centred on lon/lat at zoom z shows."""
    cx, cy = tile_xy(lon, lat, z)
    half_w, half_h = VIEW_PX[0] / 512, VIEW_PX[1] / 512
    return [(z, x, y) for x in range(math.floor(cx - half_w), math.floor(cx + half_w) + 1)
            for y in range(math.floor(cy - half_h), math.floor(cy + half_h) + 1)]


def pan_path(extent, ward_centres) -> list[tuple[int, int, int]]:
    minx, miny, maxx, maxy = extent
    seen, order = set(), []
    views = []
    for z, steps in ((10, 3), (11, 4), (12, 5)):
        for i in range(steps):  # sweep west → east along the middle, then a row lower
            lon = minx + (maxx - minx) * (i + 0.5) / steps
            views += [(lon, (miny + maxy) / 2, z), (lon, miny + (maxy - miny) * 0.25, z)]
    for lon, lat in ward_centres:
        views += [(lon, lat, 14), (lon, lat, 15)]
    for lon, lat, z in views:
        for tile in view_tiles(lon, lat, z):
            if tile not in seen:
                seen.add(tile)
                order.append(tile)
    return order


def percentile(values, p) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{name:<34} n={len(ms):>4}  p50 {statistics.median(ms):7.1f} ms  "
            f"p95 {percentile(ms, 95):7.1f} ms  max {max(ms):7.1f} ms")


def points_counted(layer: tiles.TileLayer, z: int, x: int, y: int):
    """The counted tile as it was made before ``tile_cell``: every point under the tile
    binned in SQL (the reference for the counted tiles)."""
    column = layer.table.c[layer.geom]
    lon0, lat0, lon1, lat1 = webtiles.tile_bounds_lonlat(z, x, y)
    across = (func.ST_X(column) - lon0) * (tiles.CELLS / (lon1 - lon0))
    down = (lat1 - func.ST_Y(column)) * (tiles.CELLS / (lat1 - lat0))
    cx, cy = func.floor(across).label("cx"), func.floor(down).label("cy")
    box = dialects.bbox_filter("postgresql", layer.table, layer.geom,
                               (lon0, lat0, lon1, lat1), exact=False)
    counted = (select(cx, cy, func.count().label("count")).where(box)
               .group_by(cx, cy).subquery("cells"))
    step = tiles.EXTENT / tiles.CELLS
    rows = (select(counted.c.count, func.ST_MakePoint((counted.c.cx + 0.5) * step,
                                                      (counted.c.cy + 0.5) * step).label("geom"))
            .where(counted.c.cx.between(0, tiles.CELLS - 1),
                   counted.c.cy.between(0, tiles.CELLS - 1)).subquery("tile_rows"))
    return select(func.ST_AsMVT(rows.table_valued(), layer.name, tiles.EXTENT, "geom"))


def timed_sql(engine, statements) -> list[float]:
    """Each (statement, parameters) run straight on the driver's cursor, timed."""
    seconds = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            seconds.append(time.perf_counter() - started)
    finally:
        raw.close()
    return seconds


def publish_all(app) -> None:
    month = ranking.previous_month(local_now().strftime("%Y-%m"))
    publisher = SimpleNamespace(is_authenticated=True, role="admin", id=None)
    started, done = time.perf_counter(), 0
    for ward in queries.wards(db.conn):
        with db.transaction() as conn:
            try:
                publishing.publish(conn, ward, publisher, month)
                done += 1
            except ApiError:
                pass  # already published
    print(f"published {month} for {done} wards in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publish", action="store_true")
    args = parser.parse_args()
    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"], "TILE_URL": "",
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench"})
    with app.app_context():
        if args.publish:
            publish_all(app)
        with db.transaction() as conn:
            try:
                create_user(conn, None, USER, "province", PASSWORD)
            except UserError:
                set_password(conn, USER, PASSWORD)
        wards = queries.wards(db.conn)
        extents = [queries.ward_extent(db.conn, w.id) for w in wards]
        counts = {name: fingerprints.table_fingerprint(db.conn, t.table)[0]
                  for name, t in tiles.TILE_LAYERS.items()}
        for name, layer in tiles.TILE_LAYERS.items():
            started = time.perf_counter()
            tiles.fingerprint(db.conn, layer, None)
            print(f"province version of {name}: {(time.perf_counter() - started) * 1000:.0f} ms")
    print("rows:", counts)
    extent = (min(e[0] for e in extents), min(e[1] for e in extents),
              max(e[2] for e in extents), max(e[3] for e in extents))
    picks = [extents[i] for i in (0, 24, 49, 74, 99) if i < len(extents)]
    order = pan_path(extent, [((e[0] + e[2]) / 2, (e[1] + e[3]) / 2) for e in picks])
    print(f"{len(order)} tiles × {len(LAYERS)} layers along the pan")

    captured: list[tuple[str, dict]] = []
    engine = app.extensions["urbanorder_engine"]

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(_conn, _cursor, statement, parameters, _context, _many):
        if "ST_AsMVT(" in statement:
            captured.append((statement, parameters))

    def client():
        c = app.test_client()
        token = c.get("/auth/login").get_data(as_text=True).split('name="csrf-token" content="')[1]
        c.post("/auth/login", data={"username": USER, "password": PASSWORD,
                                    "csrf_token": token.split('"')[0]})
        return c

    # The reference first, on the very SQL our tiles run (captured from models.tiles
    # rendering each tile once, untimed: both then find the same warm buffers).
    with app.app_context():
        for z, x, y in order:
            for layer in LAYERS:
                tiles.render(db.conn, tiles.TILE_LAYERS[layer], z, x, y, None)
    event.remove(engine, "before_cursor_execute", _capture)
    counted = [(z, x, y) for z, x, y in order if z < tiles.AGGREGATE_BELOW_ZOOM]
    before = []
    if engine.dialect.name == "postgresql":
        for z, x, y in counted:
            compiled = points_counted(tiles.TILE_LAYERS["incidents"], z, x, y).compile(engine)
            before.append((str(compiled), compiled.params))
    reference = timed_sql(engine, captured)
    reference_before = timed_sql(engine, before)

    first, second = client(), client()
    for layer in LAYERS:  # the province's versions read once (a server's first request)
        first.get(f"/tiles/{layer}/14/0/0.mvt?scope=province")
    tile_service._TILES.clear()
    urls = [f"/tiles/{layer}/{z}/{x}/{y}.mvt?scope=province"
            for z, x, y in order for layer in LAYERS]
    timings = {"cold": [], "warm": [], "304": []}
    etags, sizes, by_zoom = {}, [], {}
    for viewer, phase in ((first, "cold"), (second, "warm")):
        for url in urls:
            started = time.perf_counter()
            response = viewer.get(url, headers={"Accept-Encoding": "gzip"})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            timings[phase].append(elapsed)
            if phase == "cold":
                etags[url] = response.headers["ETag"]
                sizes.append(len(response.get_data()))
                by_zoom.setdefault(int(url.split("/")[3]), []).append(elapsed)
    for url in urls:
        started = time.perf_counter()
        response = first.get(url, headers={"If-None-Match": etags[url]})
        timings["304"].append(time.perf_counter() - started)
        assert response.status_code == 304
    if reference:
        print(summary("reference: the raw ST_AsMVT SQL", reference))
        counted_urls = [i for i, url in enumerate(urls) if "/incidents/" in url
                        and int(url.split("/")[3]) < tiles.AGGREGATE_BELOW_ZOOM]
        print(summary("  counted incident tiles: points SQL", reference_before))
        print(summary("  counted incident tiles: ours, cold",
                      [timings["cold"][i] for i in counted_urls]))
    else:
        print("reference: none on SpatiaLite (no ST_AsMVT; tiles are encoded in Python)")
    print(summary("ours, cold (tile rendered)", timings["cold"]))
    print(summary("ours, warm (second viewer)", timings["warm"]))
    print(summary("ours, 304 (revalidation)", timings["304"]))
    for z in sorted(by_zoom):
        print(summary(f"  cold at z{z}", by_zoom[z]))
    print(f"tile size (gzip): median {statistics.median(sizes) / 1024:.1f} kB, "
          f"max {max(sizes) / 1024:.1f} kB")
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
