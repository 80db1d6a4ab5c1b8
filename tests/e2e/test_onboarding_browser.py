"""A real ward goes live in the browser: the first admin, the ward from its boundary file, khu
phố and OSM streets imported, model streets drawn and picked on the Geoman editor, a drawn
campaign area; then the demo's synthetic banner on every desk page and the model-street pages
on a phone.

Set URBANORDER_SCREENSHOTS=docs to refresh docs/setup.png, docs/setup-ward.png and
docs/model-street-editor.png (every screenshot is also written under the test's tmp folder).
"""

from __future__ import annotations

import calendar
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from tests import realward
from tests.e2e.conftest import PHONE, _require_chromium, serve, wait_until, with_session

pytestmark = pytest.mark.e2e
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN"}
ADMIN = ("truongphong", "Trưởng phòng Quản trị", "mat-khau-quan-tri-2026")
# Along the real ward's Nguyễn Tư Giản (lon 106.912), south to north (lat, lon).
ROUTE = [(10.855, 106.912), (10.8585, 106.912), (10.862, 106.912)]
# Requests that may fail with tiles off, and nothing else.
NETWORK_NOISE = re.compile(r"tile", re.IGNORECASE)


def _shot(page, tmp: Path, name: str, full_page: bool = False) -> None:
    """Always into the test's tmp folder (to look at); also into $URBANORDER_SCREENSHOTS."""
    page.screenshot(path=str(tmp / f"{name}.png"), full_page=full_page)
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=full_page)


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    return errors


def _real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not NETWORK_NOISE.search(e)]


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A migrated SpatiaLite database with no ward and no account, served like live_server."""
    from models import migrate
    from models.engine import make_engine
    from webapp import create_app

    folder = tmp_path_factory.mktemp("e2e-empty")
    url = f"sqlite:///{folder / 'empty.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e-empty",
                      "INSTANCE_DIR": folder / "instance"})
    base, server = serve(app, url)
    yield base
    server.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return realward.write_files(tmp_path_factory.mktemp("realward"))


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("shots")


@pytest.fixture(scope="module")
def desk(browser, empty_server):
    """One desk context for the whole onboarding story (a-c run in order on one session)."""
    _require_chromium()
    context = browser.new_context(**DESK)
    page = context.new_page()
    errors = _watch(page)
    yield page, errors
    context.close()


def _editor_ready(page) -> None:
    wait_until(page, "document.getElementById('geometry-editor')?.dataset.loaded === 'true'")
    wait_until(page, "!!window.urbanEditor")


def _map_point(page, lat: float, lon: float) -> tuple[float, float]:
    """The page coordinates of (lat, lon) on the editor map."""
    return tuple(page.evaluate(
        """([lat, lon]) => {
             const map = window.urbanEditor.map;
             const p = map.latLngToContainerPoint([lat, lon]);
             const r = map.getContainer().getBoundingClientRect();
             return [r.left + p.x, r.top + p.y];
           }""", [lat, lon]))


def _click_map(page, lat: float, lon: float) -> None:
    x, y = _map_point(page, lat, lon)
    page.mouse.move(x, y)  # Geoman places its hint marker on mousemove
    page.mouse.click(x, y)
    page.wait_for_timeout(80)


def _geometry(page) -> dict:
    raw = page.locator("input[name=geometry]").input_value()
    return json.loads(raw) if raw else {}


# --- a) the first run ---------------------------------------------------------------------


def test_a_first_admin_ward_and_imports(desk, empty_server, files, shots):
    page, errors = desk
    response = page.goto(empty_server + "/")
    assert page.url.endswith("/setup")
    hops, request = [], response.request
    while request.redirected_from:
        request = request.redirected_from
        hops.append(request.url)
    assert any("/auth/login" in url for url in hops), hops
    assert "Tài khoản quản trị" in page.locator(".setup-steps .current").inner_text()
    username, full_name, password = ADMIN
    page.fill("input[name=username]", username)
    page.fill("input[name=full_name]", full_name)
    page.fill("input[name=password]", password)
    page.fill("input[name=confirm]", password)
    _shot(page, shots, "setup", full_page=True)
    with page.expect_navigation():
        page.click("#first-admin-form button[type=submit]")
    assert page.url.endswith("/setup/ward")
    assert "Phường" in page.locator(".setup-steps .current").inner_text()
    assert page.locator("#load-demo").is_visible()
    assert "chưa chọn" in page.locator("#working-ward").inner_text()

    page.fill("#ward-form input[name=name]", realward.NAME)
    page.fill("#ward-form input[name=code]", realward.CODE)
    page.fill("#ward-form input[name=province]", realward.PROVINCE)
    page.set_input_files("#ward-form input[name=boundary]", str(files["boundary"]))
    with page.expect_navigation():
        page.click("#ward-form button[type=submit]")
    assert page.url.endswith(f"/admin/wards/{realward.CODE}")
    assert realward.NAME in page.locator("h1").inner_text()
    assert "EPSG:5899" in page.locator(".flash").first.inner_text()
    wait_until(page, "document.getElementById('ward-outline').dataset.loaded === 'true'")
    assert page.locator("#ward-outline path.leaflet-interactive").count() >= 1
    assert realward.NAME in page.locator("#working-ward").inner_text()
    steps = page.locator("#next-steps li")
    assert steps.count() == 5
    assert "Nhập khu phố" in steps.nth(0).inner_text()
    assert "Nhập đường phố" in steps.nth(1).inner_text()
    assert page.locator("#next-steps li.done").count() == 0
    _shot(page, shots, "setup-ward", full_page=True)

    # Khu phố: VN-2000 / 5899 without .prj, abbreviated headers, a sliver snapped.
    page.goto(empty_server + "/imports")
    assert realward.NAME in page.locator("h1").inner_text()
    page.set_input_files("input[name=file]", str(files["khu_pho"]))
    page.select_option("select[name=layer]", "neighbourhoods")
    page.select_option("select[name=source_epsg]", "5899")
    page.check("#snap-slivers")
    with page.expect_navigation():
        page.click("button[value=dry_run]")
    mapping = page.locator("#mapping-used").inner_text()
    for field, column in (("code", "MaKP"), ("name", "TenKP"), ("population", "DanSo"),
                          ("households", "SoHo")):
        assert re.search(rf"{field}\s*←\s*{column}", mapping), (field, mapping)
    notes = page.locator(".dry-run .flash-warning").all_inner_texts()
    assert any(re.search(r"Đã khớp \d+ khe hở/chồng lấn mỏng hơn 2 m", n) for n in notes), notes
    summary = page.locator("#import-summary").inner_text()
    assert "phủ kín diện tích phường" in summary and "đơn vị ha" in summary, summary
    assert page.locator("#snap-slivers").is_checked()
    with page.expect_navigation():
        page.click("#confirm-import")
    flash = page.locator(".flash-info").first.inner_text()
    assert "Đã nhập 4 dòng" in flash and "Khu phố" in flash, flash

    # Streets from the OSM extract (.osm.pbf).
    page.set_input_files("input[name=file]", str(files["pbf"]))
    page.select_option("select[name=layer]", "streets")
    with page.expect_navigation():
        page.click("button[value=dry_run]")
    summary = page.locator("#import-summary").inner_text()
    assert "Giữ 9 đoạn đường" in summary, summary
    with page.expect_navigation():
        page.click("#confirm-import")
    flash = page.locator(".flash-info").first.inner_text()
    assert "Đã nhập 9 dòng" in flash, flash

    page.goto(empty_server + f"/admin/wards/{realward.CODE}")
    assert page.locator("#next-steps li.done").count() == 2
    assert _real_errors(errors) == []


# --- b) model streets: drawn, then picked ----------------------------------------------------


def test_b_model_streets_drawn_and_picked(desk, empty_server, shots):
    page, errors = desk
    page.goto(empty_server + "/model-streets/new")
    _editor_ready(page)
    # Geoman's controls carry the Vietnamese titles.
    line_button = page.locator(".leaflet-pm-toolbar [title='Vẽ tuyến (đường)']")
    assert line_button.count() == 1
    assert page.locator(".leaflet-pm-toolbar [title='Vẽ vùng (cụm dân cư)']").count() == 1
    # void: setView returns the map, which evaluate() would serialise whole (seconds of CPU).
    page.evaluate("void window.urbanEditor.map.setView([10.8585, 106.913], 16)")
    page.wait_for_timeout(300)
    line_button.click()
    for lat, lon in ROUTE:
        _click_map(page, lat, lon)
    _click_map(page, *ROUTE[-1])  # the last point again: finish
    wait_until(page, "document.querySelector('input[name=geometry]').value !== ''")
    drawn = _geometry(page)
    assert drawn["type"] == "LineString", drawn
    assert len(drawn["coordinates"]) == 3, drawn
    for (lon, lat), (want_lat, want_lon) in zip(drawn["coordinates"], ROUTE, strict=True):
        assert abs(lon - want_lon) < 2e-4 and abs(lat - want_lat) < 2e-4, drawn
    assert "Đã vẽ" in page.locator("#editor-status").inner_text()
    page.fill("input[name=name]", "Tuyến kiểu mẫu Nguyễn Tư Giản")
    page.select_option("select[name=level]", "neighbourhood")
    _shot(page, shots, "model-street-editor")
    with page.expect_navigation():
        page.click("#save-model-street")
    assert re.search(r"/model-streets/\d+$", page.url), page.url
    first_url = page.url
    assert page.locator("h1").inner_text() == "Tuyến kiểu mẫu Nguyễn Tư Giản"
    assert page.locator("#current-status").inner_text() == "Đã đăng ký"
    facts = page.locator(".page-head .muted").inner_text()
    assert "không thuộc khu phố nào" not in facts, facts
    assert re.search(r"Khu phố (Một|Hai|Ba|Bốn)", facts), facts
    wait_until(page, "document.getElementById('model-street-map').dataset.loaded === 'true'")
    assert page.locator("#history-table tbody tr").count() == 1

    # A second one from two existing street segments.
    page.goto(empty_server + "/model-streets/new")
    _editor_ready(page)
    page.check("#mode-pick")
    assert page.locator("#geometry-editor").get_attribute("data-mode") == "pick"
    # Each street segment's centre, kept only where a click there lands on that segment's own
    # path (not under a map control, another street or a tooltip).
    centres = page.evaluate(
        """() => {
             const {map} = window.urbanEditor;
             const box = map.getContainer().getBoundingClientRect();
             const out = [];
             map.eachLayer((layer) => {
               const line = layer instanceof L.Polyline && !(layer instanceof L.Polygon);
               if (!layer.feature || !line) return;
               const centre = layer.getCenter();
               const p = map.latLngToContainerPoint(centre);
               const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
               out.push({id: layer.feature.id, lat: centre.lat, lng: centre.lng,
                         clickable: hit === layer.getElement()});
             });
             return out;
           }""")
    assert len(centres) == 9, centres  # the streets imported above
    clickable = [c for c in centres if c["clickable"]]
    assert len(clickable) >= 2, centres
    first = clickable[0]
    second = max(clickable[1:], key=lambda c: abs(c["lat"] - first["lat"])
                 + abs(c["lng"] - first["lng"]))
    for street in (first, second):
        _click_map(page, street["lat"], street["lng"])
    wait_until(page, "document.getElementById('geometry-editor').dataset.picked === '2'")
    ids = page.locator("input[name=street_ids]").input_value().split(",")
    assert sorted(ids) == sorted(str(s["id"]) for s in (first, second)), ids
    assert page.locator("input[name=geometry]").input_value() == ""
    assert "Đã chọn 2 đoạn đường" in page.locator("#editor-status").inner_text()
    page.fill("input[name=name]", "Cụm hai đoạn đường")
    with page.expect_navigation():
        page.click("#save-model-street")
    assert re.search(r"/model-streets/\d+$", page.url) and page.url != first_url, page.url
    assert page.locator("#current-status").inner_text() == "Đã đăng ký"

    # The first one moves on.
    page.goto(first_url)
    page.select_option("#status-form select[name=to_status]", "in_progress")
    with page.expect_navigation():
        page.click("#status-form button[type=submit]")
    assert page.locator("#current-status").inner_text() == "Đang thực hiện"
    assert "Đang thực hiện" in page.locator("#history-table").inner_text()
    assert _real_errors(errors) == []


# --- c) a campaign over a drawn area ----------------------------------------------------------


def test_c_campaign_with_drawn_area(desk, empty_server):
    page, errors = desk
    page.goto(empty_server + "/campaigns/new")
    _editor_ready(page)
    assert page.locator(".leaflet-pm-toolbar [title='Vẽ tuyến (đường)']").count() == 0
    today = date.today()
    last = calendar.monthrange(today.year, today.month)[1]
    page.fill("input[name=name]", "Ra quân khu phố phía bắc")
    page.fill("input[name=starts_on]", today.replace(day=1).isoformat())
    page.fill("input[name=ends_on]", today.replace(day=last).isoformat())
    page.check("input[name=area_kind][value=drawn]")
    page.locator(".leaflet-pm-toolbar [title='Vẽ hình chữ nhật']").click()
    _click_map(page, 10.8600, 106.9080)
    _click_map(page, 10.8640, 106.9140)
    wait_until(page, "document.querySelector('input[name=geometry]').value !== ''")
    area = _geometry(page)
    assert area["type"] == "Polygon", area
    lons = [x for x, _ in area["coordinates"][0]]
    lats = [y for _, y in area["coordinates"][0]]
    assert abs(min(lons) - 106.908) < 2e-4 and abs(max(lats) - 10.864) < 2e-4, area
    with page.expect_navigation():
        page.click("#save-campaign")
    assert re.search(r"/campaigns/\d+$", page.url), page.url
    assert page.locator("h1").inner_text() == "Ra quân khu phố phía bắc"
    assert page.locator("#campaign-totals").is_visible()
    wait_until(page, "document.querySelector('.outline-map')?.dataset.loaded === 'true'")
    assert _real_errors(errors) == []


# --- d) the demo ward says so on every desk page ------------------------------------------------

DEMO_PAGES = ["/incidents/", "/boarding-houses/", "/boarding-houses/follow-ups", "/imports",
              "/admin/users", "/model-streets", "/campaigns", "/admin/plan", "/reports/monthly"]


def test_d_synthetic_notice_on_every_demo_page(browser, live_server):
    context = with_session(browser.new_context(**DESK), live_server, "admin")
    page = context.new_page()
    errors = _watch(page)
    for path in DEMO_PAGES:
        response = page.goto(live_server + path)
        assert response.status == 200, (path, response.status)
        notice = page.locator("#synthetic-notice")
        assert notice.is_visible(), path
        assert "DỮ LIỆU MÔ PHỎNG" in notice.inner_text(), path
    assert _real_errors(errors) == []
    context.close()


# --- e) the model-street pages on a phone ------------------------------------------------------


def test_e_model_street_pages_fit_a_phone(browser, live_server):
    context = with_session(browser.new_context(**PHONE), live_server, "dothi")
    page = context.new_page()
    errors = _watch(page)
    page.goto(live_server + "/model-streets")
    assert page.url.endswith("/model-streets")
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 361, page.evaluate(width)
    href = page.locator("td[data-label='Tên'] a").first.get_attribute("href")
    assert re.search(r"/model-streets/\d+$", href), href
    page.goto(live_server + href)
    assert page.locator("#current-status").is_visible()
    wait_until(page, "document.getElementById('model-street-map')?.dataset.loaded === 'true'")
    assert page.evaluate(width) <= 361, page.evaluate(width)
    assert _real_errors(errors) == []
    context.close()
