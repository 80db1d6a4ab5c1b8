"""A real browser (Debian's headless Chromium via Playwright) opens the map page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_until, with_session

pytestmark = pytest.mark.e2e


LOADED = "document.body.dataset.layersLoaded === 'true'"
TILE_POINTS = f"{LOADED} && document.querySelectorAll('.leaflet-points-pane path').length > 0"
# The incident tiles of the map's zoom are all in and those of the zoom before are gone
# (Leaflet prunes them a moment after the last tile loads): the points drawn are this
# zoom's. An event to wait for, where a fixed pause is too short on a busy machine.
TILES_SETTLED = """(() => {
    const grid = UrbanMap.tiles.incidents.grid, zoom = Math.round(UrbanMap.map.getZoom());
    return !grid.isLoading() && Object.values(grid._tiles).every(t => t.coords.z === zoom);
})()"""


def _open_map(browser, live_server, path, **context_options):
    context = with_session(browser.new_context(locale="vi-VN", **context_options), live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    external = []
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto(live_server + path)
    wait_until(page, LOADED)
    return page, errors, external


def test_map_draws_every_layer_without_internet(browser, live_server):
    page, errors, external = _open_map(browser, live_server, "/",
                                       viewport={"width": 1366, "height": 850})
    assert errors == []
    assert external == []  # no CDN, no tiles: everything comes from our server
    state = page.evaluate("window.urbanMapState.loaded")
    for layer in ("neighbourhoods", "streets", "modelStreets", "boardingHouses", "incidents"):
        assert state[layer].get("error") is None, state[layer]
        assert state[layer]["count"] > 0, layer
    # Vector features drawn as SVG paths: khu phố, streets, model streets, the route.
    assert page.locator(".leaflet-overlay-pane path, .leaflet-areas-pane path, "
                        ".leaflet-lines-pane path").count() > 100
    # The whole ward: incidents and houses come as vector tiles, counted per grid cell.
    assert page.evaluate("document.body.dataset.pointMode") == "tiles"
    wait_until(page, "document.querySelectorAll('.leaflet-points-pane path').length > 20")
    assert page.locator(".leaflet-houses-pane path").count() > 20
    assert page.locator(".leaflet-marker-pane .cluster").count() == 0  # no GeoJSON points here
    assert "Thu nhỏ" in page.locator("#load-status").inner_text()
    # Closer in, GeoJSON points with popups, clustered.
    # void: Leaflet's setters return the map, which evaluate() would serialise whole and
    # send to Python (seconds of CPU); the tests want only the side effect.
    page.evaluate("void UrbanMap.map.setZoom(16)")
    wait_until(page, f"document.body.dataset.pointMode === 'detail' && {LOADED}")
    wait_until(page, "document.querySelectorAll('.leaflet-marker-pane .cluster').length > 0")
    assert page.locator(".leaflet-points-pane path").count() == 0
    assert page.locator("#synthetic-notice").is_visible()
    assert "DỮ LIỆU MÔ PHỎNG" in page.locator("#synthetic-notice").inner_text()
    overlay_names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Trục điểm kiểu mẫu QL51" in name for name in overlay_names)
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "map.png"))


def test_filters_change_what_is_drawn(browser, live_server):
    page, errors, _ = _open_map(browser, live_server, "/?from=2025-01&to=2026-12",
                                viewport={"width": 1366, "height": 850})
    before = page.evaluate("window.urbanMapState.loaded.incidents.count")
    page.locator("input[name=category][value=encroachment_sidewalk]").uncheck()
    wait_until(page, f"window.urbanMapState.loaded.incidents.count < {before} && {LOADED}")
    assert "category=" in page.url
    page.locator("select[name=neighbourhood]").select_option("KP03")
    wait_until(page, f"{LOADED} && window.urbanMapState.loaded.neighbourhoods.count === 1")
    assert errors == []


def test_tiles_follow_the_filters_and_their_points_open_full_popups(browser, live_server):
    page, errors, _ = _open_map(browser, live_server, "/?from=2025-01&to=2026-12",
                                viewport={"width": 1366, "height": 850})
    tile_urls = []
    page.on("request", lambda req: tile_urls.append(req.url) if "/tiles/incidents/" in req.url
            else None)
    page.locator("input[name=category][value=encroachment_sidewalk]").uncheck()
    wait_until(page, TILE_POINTS)
    assert tile_urls and all("category=" in url and "encroachment_sidewalk" not in url
                             for url in tile_urls)
    assert not any(".25/" in url or ".5/" in url for url in tile_urls)  # whole tile zooms
    # Below zoom 14 a counted cell says how many records it holds.
    page.evaluate("void UrbanMap.map.setZoom(12, { animate: false })")
    wait_until(page, TILE_POINTS)
    wait_until(page, TILES_SETTLED)
    page.locator(".leaflet-points-pane path").first.dispatch_event("click")
    assert "vụ vi phạm trong ô này" in page.locator(".leaflet-popup-content").inner_text()
    # From zoom 14 the tiles hold single points; a click asks the API for the whole record.
    page.evaluate("""UrbanMap.map.closePopup();
        void UrbanMap.map.setView(UrbanMap.layers.neighbourhoods.getBounds().getCenter(), 15)""")
    wait_until(page, TILE_POINTS)
    wait_until(page, TILES_SETTLED)
    page.locator(".leaflet-points-pane path").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content", has_text="Xem hồ sơ vụ việc")
    popup.wait_for()
    assert "Trạng thái" in popup.inner_text()
    assert errors == []


def test_popup_shows_key_facts_in_vietnamese(browser, live_server):
    page, _, _ = _open_map(browser, live_server, "/", viewport={"width": 1366, "height": 850})
    page.evaluate("""() => {
        const layer = UrbanMap.layers.route.getLayers()[0];
        layer.openPopup();
    }""")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Quốc lộ 51" in text and "Trạng thái" in text


def test_phone_viewport_has_the_filters_one_tap_away(browser, live_server):
    page, errors, _ = _open_map(browser, live_server, "/", viewport={"width": 360, "height": 740},
                                is_mobile=True, has_touch=True)
    toggle = page.locator("#sidebar-toggle")
    assert toggle.is_visible()
    toggle.click()
    page.wait_for_timeout(300)
    assert page.locator("select[name=neighbourhood]").is_visible()
    assert errors == []
