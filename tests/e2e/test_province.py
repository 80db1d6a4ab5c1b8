"""The province view in Debian's headless Chromium: vector tiles of every ward drawn at low
zoom, a pan loads more tiles (all 200), single incidents with popups from zoom 14."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import serve, wait_until
from tests.province import PROVINCE_USERS, add_province_users

pytestmark = pytest.mark.e2e

LOADED = "document.body.dataset.tilesLoaded === 'true'"


@pytest.fixture(scope="module")
def province_server(tmp_path_factory):
    """Three synthetic wards on SpatiaLite, the first with a published ranking."""
    from models import ledger, migrate, queries
    from models.engine import make_engine
    from webapp import create_app
    from webapp.synth import generate_province

    url = f"sqlite:///{tmp_path_factory.mktemp('province-e2e') / 'e2e.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    list(generate_province(engine, 3, houses_per_ward=200, incidents_per_ward=1500))
    add_province_users(engine)
    with engine.begin() as conn:
        ward = queries.ward_by_code(conn, "synth-001")
        rows = [{"neighbourhood_id": kp.id, "code": kp.code, "name": kp.name,
                 "total": 40.0 + 2 * i, "rank": i + 1}
                for i, kp in enumerate(queries.neighbourhood_names(conn, ward.id))]
        ledger.publish_snapshot(conn, ward.id, "2025-12", "v1", rows, "0" * 64, None,
                                datetime(2026, 1, 2, 8, 0))
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e"})
    base, server = serve(app, url)
    yield base
    server.close()


def test_province_view_pans_at_low_zoom_with_tiles(browser, province_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 850})
    page = context.new_page()
    errors, external, tiles = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.on("response", lambda res: tiles.append((res.url, res.status))
            if "/tiles/" in res.url else None)
    page.goto(province_server + "/")
    page.fill("input[name=username]", "tinh")
    page.fill("input[name=password]", PROVINCE_USERS["tinh"][2])
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: u.endswith("/province"))
    wait_until(page, LOADED + " && window.provinceState.loaded > 0")
    zoom = page.evaluate("window.provinceMap.getZoom()")
    assert zoom < 14  # low zoom: counted cells, not single points
    assert page.locator("#ward-summary tbody tr").count() == 3
    choropleth = page.locator(".leaflet-choropleth-pane path")
    assert choropleth.count() > 10
    fills = set(choropleth.evaluate_all("paths => paths.map(p => p.getAttribute('fill'))"))
    assert "#d7191c" in fills and "#e0e0e0" in fills  # ward 1 published (< 50), the rest not
    assert page.locator(".leaflet-points-pane path").count() > 0
    first_batch = len(tiles)

    # Pan by dragging the map, as a user would, still at low zoom.
    box = page.locator("#province-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 500, cy - 300, steps=12)
    page.mouse.up()
    wait_until(page, f"{LOADED} && window.provinceState.requested > {first_batch // 3}")
    page.wait_for_timeout(300)
    wait_until(page, LOADED)
    assert len(tiles) > first_batch
    assert {status for _, status in tiles} <= {200, 304}, tiles
    assert all("scope=province" in url for url, _ in tiles)
    assert page.evaluate("window.provinceMap.getZoom()") == zoom
    assert page.locator(".leaflet-points-pane path").count() > 0

    # From zoom 14 single incidents, each with a popup.
    page.evaluate("""() => {
        const row = document.querySelector('#ward-summary tbody tr');
        const [minx, miny, maxx, maxy] = JSON.parse(row.dataset.bounds);
        window.provinceMap.setView([(miny + maxy) / 2, (minx + maxx) / 2], 15);
    }""")
    wait_until(page, f"{LOADED} && window.provinceMap.getZoom() === 15")
    page.wait_for_timeout(300)
    wait_until(page, LOADED)
    # A single incident (not a counted cell of the zoom before) inside the map's view.
    target = page.evaluate("""() => {
        const view = document.getElementById('province-map').getBoundingClientRect();
        for (const path of document.querySelectorAll('.leaflet-points-pane path')) {
            const r = path.getBoundingClientRect();
            const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
            if (path.getAttribute('stroke') !== '#67000d' && x > view.left + 60 &&
                x < view.right - 200 && y > view.top + 60 && y < view.bottom - 60) return [x, y];
        }
        return null;
    }""")
    assert target is not None
    page.mouse.click(*target)
    page.locator(".leaflet-popup-content h3").wait_for(timeout=5000)
    assert page.locator(".leaflet-popup-content").inner_text().strip()
    assert errors == []
    assert external == []
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "province-e2e.png"))
    context.close()
