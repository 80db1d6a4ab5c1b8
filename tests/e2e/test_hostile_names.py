"""Stored markup stays text on every map (issue 10, point 2), in headless Chromium.

A khu phố, a street, a model street and a boarding house are named
``<img src=x onerror="window.__pwned=1">`` or ``"><svg onload="window.__pwned=1">`` (written
to the database as old rows may hold them). The desk map, the analysis maps (ranking,
coverage, hotspots), the desk geometry editor and the field pin map are opened; every
tooltip, popup and label made from a hostile row is opened (or, for clustered markers, its
content built as Leaflet would) and must hold the name as text: no element is created from
it and ``window.__pwned`` stays undefined. The Content-Security-Policy would stop the
handler anyway; escaping must stop the element.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from models.tables import BoardingHouse
from tests.e2e import conftest
from tests.e2e.conftest import PHONE, demo_database, serve, wait_until, with_session
from tests.webapp.test_export_injection import HOSTILE_IMG, HOSTILE_SVG, poison

pytestmark = pytest.mark.e2e

browser = conftest.browser
NAMES = [HOSTILE_IMG, HOSTILE_SVG]
LOADED = "document.body.dataset.layersLoaded === 'true'"
MONTH = "2026-10"

# Every layer on the map (and inside marker clusters) whose properties hold a hostile name:
# its tooltip, popup and icon content, as the DOM Leaflet builds from it. Opened for real
# where the layer is on the map, built in an inert <template> where it sits in a cluster.
INSPECT = """(names) => {
  const map = (window.urbanEditor && window.urbanEditor.map)
    || Object.values(window).find((v) => v instanceof L.Map);
  const layers = [];
  map.eachLayer((layer) => {
    layers.push(layer);
    if (window.L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      layers.push(...layer.getLayers());
    }
  });
  const inert = (content, layer) => {
    if (typeof content === "function") content = content(layer);
    if (content instanceof HTMLElement) return content;
    const template = document.createElement("template");
    template.innerHTML = String(content);
    return template.content;
  };
  const found = [];
  for (const layer of layers) {
    const p = (layer.feature && layer.feature.properties) || {};
    if (!Object.values(p).some((v) => names.some((n) => String(v).includes(n)))) continue;
    const parts = [];
    const tooltip = layer.getTooltip && layer.getTooltip();
    const popup = layer.getPopup && layer.getPopup();
    if (tooltip) {
      if (layer._map) { layer.openTooltip(); parts.push(["tooltip", tooltip.getElement()]); }
      else parts.push(["tooltip", inert(tooltip._content, layer)]);
    }
    if (popup) {
      if (layer._map) { layer.openPopup(); parts.push(["popup", popup.getElement()]); }
      else parts.push(["popup", inert(popup._content, layer)]);
    }
    const icon = layer.options && layer.options.icon && layer.options.icon.options.html;
    if (icon) parts.push(["icon", inert(icon, layer)]);
    for (const [kind, node] of parts) {
      const made = node ? node.querySelectorAll("img, svg, [onerror], [onload]").length : -1;
      found.push({ kind, text: node ? node.textContent : "", made });
    }
  }
  return found;
}"""
PAGE_CLEAN = """() => ({
  pwned: typeof window.__pwned,
  injected: document.querySelectorAll('img[src="x"], [onerror], [onload]').length,
})"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from webapp import create_app

    url, engine = demo_database(tmp_path_factory, "hostile-e2e", boarding_houses=120,
                                incidents=400)
    ids = poison(engine)
    with engine.connect() as conn:
        ids["house_uuid"] = str(conn.execute(select(BoardingHouse.client_uuid).where(
            BoardingHouse.id == ids["boarding_house"])).scalar_one())
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e-hostile"})
    base, server = serve(app, url)
    base.ids = ids
    yield base
    server.close()


def _open(browser, server, path, username="dothi", **options):
    context = with_session(browser.new_context(**(options or {"locale": "vi-VN", "viewport": {
        "width": 1366, "height": 850}})), server, username)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + path)
    return page, errors


def _assert_text_only(page, errors, expected_kinds):
    found = page.evaluate(INSPECT, NAMES)
    kinds = {f["kind"] for f in found}
    assert expected_kinds <= kinds, found
    for item in found:
        assert item["made"] == 0, item  # no element made from the name
        assert any(name in item["text"] for name in NAMES) or item["kind"] == "icon", item
    clean = page.evaluate(PAGE_CLEAN)
    assert clean == {"pwned": "undefined", "injected": 0}, clean
    assert errors == []
    return found


def test_desk_map_tooltips_and_popups_show_hostile_names_as_text(browser, hostile_server):
    page, errors = _open(browser, hostile_server, "/")
    wait_until(page, LOADED)
    found = _assert_text_only(page, errors, {"tooltip", "popup"})
    texts = " ".join(f["text"] for f in found)
    assert HOSTILE_IMG in texts and HOSTILE_SVG in texts  # khu phố, street, house
    if os.environ.get("URBANORDER_SCREENSHOTS"):  # a look at the open popup and tooltip
        page.screenshot(path=str(Path(os.environ["URBANORDER_SCREENSHOTS"])
                                 / "hostile-names-map.png"))
    page.context.close()


@pytest.mark.parametrize("path", [f"/ranking?month={MONTH}", f"/coverage?month={MONTH}",
                                  "/hotspots"])
def test_analysis_maps_show_hostile_names_as_text(browser, hostile_server, path):
    page, errors = _open(browser, hostile_server, path)
    wait_until(page, LOADED)
    state = page.evaluate("window.analysisState")
    assert state.get("error") is None, state
    _assert_text_only(page, errors, {"tooltip"})
    assert HOSTILE_IMG in page.locator("body").inner_text() or "hotspots" in path
    page.context.close()


def test_geometry_editor_street_tooltips_are_text(browser, hostile_server):
    model_street = hostile_server.ids["model_street"]
    page, errors = _open(browser, hostile_server, f"/model-streets/{model_street}/edit")
    wait_until(page, "document.getElementById('geometry-editor').dataset.loaded === 'true'")
    found = _assert_text_only(page, errors, {"tooltip"})
    assert any(f["text"] == HOSTILE_SVG for f in found)
    assert page.locator("input[name=name]").input_value() == HOSTILE_IMG + " tuyến"
    if os.environ.get("URBANORDER_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["URBANORDER_SCREENSHOTS"])
                                 / "hostile-names-editor.png"))
    page.context.close()


@pytest.mark.parametrize("path", ["/field/", "/field/boarding-houses/{uuid}/edit",
                                  "/field/boarding-houses/{uuid}/inspect"])
def test_field_pages_and_pin_map_keep_hostile_names_text(browser, hostile_server, path):
    page, errors = _open(browser, hostile_server,
                         path.format(uuid=hostile_server.ids["house_uuid"]), "congan", **PHONE)
    page.wait_for_load_state("networkidle")
    if "/edit" in path:
        wait_until(page, "document.querySelector('.leaflet-container') !== null")
        assert page.locator("input[name=name]").input_value() == HOSTILE_SVG
    if "/inspect" in path:
        wait_until(page, "document.getElementById('house-name').textContent.length > 0")
        assert page.locator("#house-name").inner_text() == HOSTILE_SVG
    clean = page.evaluate(PAGE_CLEAN)
    assert clean == {"pwned": "undefined", "injected": 0}, clean
    assert errors == []
    page.context.close()
