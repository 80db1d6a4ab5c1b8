"""A register defined as data, recorded from a phone (Chromium 360×740) offline then online,
arriving once; the desk list shows it and the ward map draws it as an overlay."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import registers as store
from models.engine import make_engine
from models.registers import RegisterEntry
from models.tables import Ward
from tests.e2e.conftest import (
    FORM,
    PHONE,
    WARD_POINT,
    open_field_home,
    save_record,
    wait_until,
    with_session,
)
from webapp.services.register_types import presets

pytestmark = pytest.mark.e2e
OUTBOX = "window.urbanField.outbox.all()"


def shoot(page, name: str, full_page: bool = False) -> None:
    folder = os.environ.get("URBANORDER_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=full_page)


def _entries(url: str, *where) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(select(func.count()).select_from(RegisterEntry).where(*where))
        count = found.scalar()
    engine.dispose()
    return count


@pytest.fixture(scope="module")
def trees(live_server):
    """The trees preset added to the demo ward (as the admin's one click does)."""
    engine = make_engine(live_server.database_url)
    with engine.begin() as conn:
        ward_id = conn.execute(select(Ward.id)).scalars().first()
        if store.type_by_code(conn, ward_id, "trees") is None:
            store.add_type(conn, ward_id, presets()["trees"], None)
    engine.dispose()
    return "trees"


def test_phone_records_offline_then_online_once(browser, live_server, police_session, trees):
    context = browser.new_context(**{**PHONE, "geolocation": WARD_POINT},
                                  storage_state=police_session)
    page, errors = open_field_home(context, live_server)
    form_url = f"{live_server}/field/registers/{trees}/new"
    page.click("#registers-link")  # the field home lists the ward's registers
    wait_until(page, "document.body.dataset.registersReady === 'true'")
    page.click(f"#register-forms a[href$='/{trees}/new']")
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")  # kept for offline use
    context.set_offline(True)
    response = page.goto(form_url)
    assert response is not None and response.from_service_worker
    wait_until(page, f"{FORM}.dataset.ready === 'true'")
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#f-species", "Sao đen")
    page.fill("#f-height_m", "12,5")
    page.select_option("#f-condition", "pruning")
    page.fill("#f-planted_on", "2024-05-01")
    # The form from its fields down, as the phone shows it (the save bar stays at the bottom).
    page.evaluate("document.activeElement.blur(); document.querySelector('.record-form "
                  "section.card:nth-of-type(2)').scrollIntoView({block: 'start'})")
    shoot(page, "registers-phone.png")
    record = save_record(page)
    assert page.evaluate(f"{FORM}.dataset.state") == "queued", (errors, page.url)
    queued = page.evaluate(f"{OUTBOX}.then(items => items.map(i => i.uuid))")
    assert record in queued
    context.set_offline(False)
    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=90)
    url = live_server.database_url
    assert _entries(url, RegisterEntry.client_uuid == uuid.UUID(record)) == 1
    assert errors == []
    context.close()


def test_desk_list_and_map_overlay(browser, live_server, trees):
    context = with_session(browser.new_context(viewport={"width": 1366, "height": 850}),
                           live_server, "dothi")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/registers/{trees}")
    assert page.locator("#entries-table tbody tr").count() >= 1
    species = page.inner_text("#entries-table tbody tr:first-child td:nth-child(2)")
    assert species.strip()
    shoot(page, "registers-list.png")
    page.click("#entries-table tbody tr:first-child a")
    assert page.locator("#entry-facts").is_visible() and page.locator("#entry-form").count() == 1
    assert species in page.inner_text("#entry-facts")
    shoot(page, "registers-entry.png", full_page=True)
    page.goto(live_server + "/")
    wait_until(page, "document.body.dataset.registersReady === 'true'", timeout=60)
    page.wait_for_timeout(1500)  # the map page never reaches networkidle
    overlay = page.locator(".register-overlays")
    overlay.hover()
    overlay.locator("label:has-text('Cây xanh') input").check()
    overlay.locator("label:has-text('Camera an ninh') input").check()
    wait_until(page, "Number(document.body.dataset.register_trees || 0) >= 1", timeout=30)
    wait_until(page, "Number(document.body.dataset.register_cameras || 0) >= 1", timeout=30)
    page.evaluate("(() => { const c = JSON.parse(document.getElementById('map-config')"
                  f".textContent); window[c.map].setView([{WARD_POINT['latitude']}, "
                  f"{WARD_POINT['longitude']}], 17); }})()")
    page.wait_for_timeout(2500)
    assert page.locator(".register-symbol").count() >= 1
    page.locator(".register-symbol").first.click(force=True)
    wait_until(page, "document.querySelector('.leaflet-popup-content')?.textContent"
                     ".includes('Xem / sửa')")
    page.wait_for_timeout(600)  # the popup fades in
    shoot(page, "registers-map.png")
    assert errors == []
    context.close()


def test_a_line_register_is_walked_point_by_point(browser, live_server, police_session):
    engine = make_engine(live_server.database_url)
    with engine.begin() as conn:
        ward_id = conn.execute(select(Ward.id)).scalars().first()
        if store.type_by_code(conn, ward_id, "alley_works") is None:
            store.add_type(conn, ward_id, presets()["alley_works"], None)
    engine.dispose()
    context = browser.new_context(**{**PHONE, "geolocation": WARD_POINT},
                                  storage_state=police_session)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/field/registers/alley_works/new")
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")
    page.fill("#f-alley", "Hẻm 12")
    page.select_option("#f-work", "paving")
    page.fill("#f-progress_pct", "40")
    page.click("#vertex-add")
    page.click("#save-button")  # one point is no line: refused on the phone
    wait_until(page, "!document.getElementById('e-geometry').hidden")
    assert "Cần ít nhất 2 điểm" in page.inner_text("#e-geometry")
    moved = {**WARD_POINT, "latitude": WARD_POINT["latitude"] + 0.0005}
    context.set_geolocation(moved)
    page.wait_for_timeout(1500)  # the next GPS fix moves the pin
    page.click("#vertex-add")
    assert "2 điểm" in page.inner_text("#vertex-status")
    record = save_record(page)
    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=60)
    engine = make_engine(live_server.database_url)
    with engine.connect() as conn:
        kind, attributes = conn.execute(select(
            func.ST_GeometryType(RegisterEntry.geom), RegisterEntry.attributes).where(
            RegisterEntry.client_uuid == uuid.UUID(record))).one()
    engine.dispose()
    assert "LINESTRING" in kind.upper() and attributes["progress_pct"] == 40
    assert errors == []
    context.close()
