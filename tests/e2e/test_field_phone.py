"""A police phone in the field (Chromium, 360×740, touch, GPS), end to end.

Proves: a shared phone keeps each officer's queued records and drafts to that officer and
sends them only in that officer's session, and "Đổi người dùng" ends a session; a session
and the outbox survive a browser restart; after one online sync the field pages, the working
set and inspections work from a cold start with no signal; the pin map draws our streets
with tiles blocked; a house within 15 m is flagged before saving (online and offline); a
minimal house record takes at most 12 taps and 6 typed fields; a violation is linked to a
boarding house nearby. URBANORDER_SHOOT=1 also writes docs/field-*.png.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.engine import make_engine
from models.tables import BoardingHouse, FieldSubmission, Incident, Inspection, Neighbourhood, User
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FORM,
    PHONE,
    WARD_POINT,
    demo_database,
    save_record,
    serve,
    wait_until,
    with_session,
)
from tests.helpers import DEMO_PASSWORDS

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORDS = {**DEMO_PASSWORDS, "congan2": "police2-pass-2026"}
NAMES = {"congan": "Cán bộ Công an phường (mô phỏng)", "congan2": "Cán bộ Công an số 2"}
OUTBOX = "window.urbanField.outbox.all()"
HOME_READY = "document.body.dataset.homeReady === 'true'"
HOUSE_NEW, INCIDENT_NEW = "/field/boarding-houses/new", "/field/incidents/new"
PAGES = ["/field/", INCIDENT_NEW, HOUSE_NEW, "/field/inspect"]
CACHED = f"Promise.all({PAGES}.map(p => caches.match(p))).then(found => found.every(Boolean))"
SLOW: dict[str, tuple[threading.Event, ...]] = {}  # path → (asked, go on, answered)
HOUSE = {"name": "Nhà trọ Hoa Sen {n}", "address": "số {n}, hẻm 7, Quốc lộ 51", "rooms": "6",
         "residents": "9", "owner_name": "Lê Văn Chủ {n}", "owner_phone": "0912345678"}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """conftest's demo server, with sign-in not rate limited, a second police officer
    (congan2), a tile URL on localhost (maps really ask for tiles) and a weak signal for the
    paths put in SLOW (held until the test lets them go on)."""
    from models import queries
    from webapp import create_app
    from webapp.demo import DEMO_WARD
    from webapp.users import create_user

    url, engine = demo_database(tmp_path_factory, "e2e-phone", boarding_houses=800,
                                incidents=1500)
    with engine.begin() as conn:
        ward = queries.ward_by_code(conn, DEMO_WARD)
        create_user(conn, ward.id, "congan2", "police", PASSWORDS["congan2"], NAMES["congan2"])
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "e2e", "RATELIMIT_ENABLED": False,
                      "TILE_URL": "/basemap/{z}/{x}/{y}.png",
                      "TILE_ATTRIBUTION": "Bản đồ nền của phường"})

    def weak_signal(environ, start_response):
        events = SLOW.get(environ["PATH_INFO"])
        if events is None:
            return app(environ, start_response)
        events[0].set()
        events[1].wait(10)
        try:
            return app(environ, start_response)
        finally:
            events[2].set()

    base, server = serve(weak_signal, url, threads=6)
    base.users = {name: scalar(url, select(User.id).where(User.username == name))
                  for name in NAMES}
    yield base
    server.close()


def rows(url: str, stmt) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = list(conn.execute(stmt))
    engine.dispose()
    return found


def scalar(url: str, stmt):
    return next(iter(rows(url, stmt)), [None])[0]


def db_count(url: str, model, *where) -> int:
    return scalar(url, select(func.count()).select_from(model).where(*where))


def house_id(url: str, client_uuid: str) -> int | None:
    bh = BoardingHouse
    return scalar(url, select(bh.id).where(bh.client_uuid == uuid.UUID(client_uuid)))


def demo_house(url: str, index: int) -> dict:
    """A demo house: id, uuid, name, lon, lat and kp (its khu phố's code)."""
    bh = BoardingHouse
    (row,) = rows(url, select(bh.id, bh.client_uuid, bh.name, func.ST_X(bh.geom),
                              func.ST_Y(bh.geom), Neighbourhood.code)
                  .join(Neighbourhood, Neighbourhood.id == bh.neighbourhood_id)
                  .order_by(bh.id).offset(index * 97).limit(1))
    house = dict(zip(("id", "uuid", "name", "lon", "lat", "kp"), row, strict=True))
    return {**house, "uuid": str(house["uuid"])}


def uuids(records) -> list[uuid.UUID]:
    return [uuid.UUID(r) for r in records]


def shoot(page, name: str, target: str | None = None) -> None:
    """With URBANORDER_SHOOT=1, the screen as docs/<name>, ``target`` at its top."""
    if os.environ.get("URBANORDER_SHOOT") == "1":
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        if target:  # below the sticky status strip
            page.locator(target).evaluate("n => { n.scrollIntoView(); scrollBy(0, -52); }")
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / name))


@pytest.fixture
def phone(browser):
    """Make phones: ``phone(profile=None, **context options)`` → (context, page, page errors);
    with ``profile`` a whole Chromium on that profile folder (a restart keeps it)."""
    made = []

    def make(profile=None, **options):
        options = {**PHONE, **options}
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            **options) if profile else browser.new_context(**options)
        errors: list[str] = []
        context.on("weberror", lambda error: errors.append(str(error.error)))
        made.append(context)
        return context, context.pages[0] if context.pages else context.new_page(), errors

    yield make
    for context in made:
        context.close()


def gps(lon: float, lat: float, accuracy: float = 8) -> dict:
    return {"longitude": lon, "latitude": lat, "accuracy": accuracy}


def sign_in(page, base: str, username: str) -> None:
    """Sign in on the sign-in page (opened unless already there); end on the field home."""
    if "/auth/login" not in page.url:
        page.goto(base + "/auth/login?next=/field/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/auth/login" not in u)
    if not page.url.startswith(base + "/field/"):
        page.goto(base + "/field/")
    wait_until(page, HOME_READY)


def start_field(page, base: str, username: str = "congan", *, form: bool = True) -> None:
    """Sign in (through the sign-in page, or with ``form=False`` by the server's one session
    of ``username``: ``session_cookies``); the field home controlled by the service worker,
    every field page kept."""
    if form:
        sign_in(page, base, username)
    else:
        with_session(page.context, base, username, PASSWORDS[username])
        page.goto(base + "/field/")
        wait_until(page, HOME_READY)
    wait_until(page, "document.body.dataset.sw === 'ready'")
    page.reload()
    wait_until(page, f"navigator.serviceWorker.controller !== null && {HOME_READY}")
    wait_until(page, CACHED)


def signed_in(page, base: str) -> bool:
    return page.request.get(base + "/api/v1/field/session").ok


def switch_user(page) -> None:
    """"Đổi người dùng" once the service worker has kept every page (no request in flight:
    see test_switching_user_ends_the_session_despite_a_late_answer)."""
    wait_until(page, CACHED)
    with page.expect_navigation(url="**/auth/login**"):
        page.click("form.signout button")


def download_workset(page, neighbourhood: str) -> int:
    page.select_option("#workset-neighbourhood", neighbourhood)
    page.click("#workset-download")
    wait_until(page, "Number(document.getElementById('workset').dataset.houses) > 0")
    return int(page.get_attribute("#workset", "data-houses"))


def open_form(page, url: str, offline: bool = False) -> None:
    response = page.goto(url)
    if offline:
        assert response is not None and response.from_service_worker, url
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    if "/field/inspect" not in url:  # the forms with a pin wait for the GPS fix
        wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")


def fill_house(page, n: int) -> None:
    for name, value in HOUSE.items():
        page.fill(f"#f-{name}", value.format(n=n))


def fill_incident(page, n: int, category: str) -> None:
    page.click(f"label.tile:has(input[value={category}])")
    page.fill("#f-description", f"Ghi nhận trên máy dùng chung số {n}")


def wait_sent(page, timeout: float = 60) -> None:
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=timeout)


def test_shared_phone_keeps_each_officers_records_and_drafts_to_themselves(phone, live_server):
    url, (a_id, b_id) = live_server.database_url, live_server.users.values()
    context, page, errors = phone()
    start_field(page, live_server, "congan")
    context.set_offline(True)
    incidents = []
    for n, category in enumerate(("residence", "drugs", "sanitation", "fire_safety")):
        open_form(page, live_server + INCIDENT_NEW, offline=True)
        fill_incident(page, n, category)
        incidents.append(save_record(page))
    open_form(page, live_server + HOUSE_NEW, offline=True)
    fill_house(page, 1)
    house = save_record(page)
    mine = uuids(incidents + [house])
    # A touched house draft of A's, not saved, with an owner's name (personal data).
    open_form(page, live_server + HOUSE_NEW, offline=True)
    owner_a = "Phạm Thị Bí Mật"
    page.fill("#f-owner_name", owner_a)
    wait_until(page, f"window.urbanField.drafts.get('{a_id}|house:new')"
               f".then(d => d?.touched && d.fields.owner_name === '{owner_a}')")
    page.goto(live_server + "/field/")
    wait_until(page, HOME_READY)
    # A's session ends without signing out; the signal comes back.
    context.clear_cookies()
    context.set_offline(False)
    wait_until(page, "!document.getElementById('session-ended').hidden")
    assert "đăng nhập lại để gửi 5 bản ghi" in page.inner_text("#session-ended")
    shoot(page, "field-session-ended.png")
    by_a = (db_count(url, Incident, Incident.reported_by == a_id),
            db_count(url, BoardingHouse, BoardingHouse.recorded_by == a_id))

    sign_in(page, live_server, "congan2")  # B, on the same phone (same IndexedDB)
    assert page.inner_text("#field-user") == NAMES["congan2"]
    page.evaluate("window.urbanField.sendAll().then(() => true)")
    wait_until(page, "document.getElementById('others-count').textContent.length > 0")
    assert page.locator("#queue-list > li").count() == 0
    assert page.get_attribute("#queue-count", "data-count") == "0"
    assert page.locator("#others").is_visible() and page.locator("#others-export").is_hidden()
    assert page.inner_text("#others-count").startswith("5 bản ghi của tài khoản khác")
    assert page.locator("#session-ended").is_hidden()
    assert db_count(url, FieldSubmission, FieldSubmission.client_uuid.in_(mine)) == 0
    assert (db_count(url, Incident, Incident.reported_by == a_id),
            db_count(url, BoardingHouse, BoardingHouse.recorded_by == a_id)) == by_a
    assert (db_count(url, Incident, Incident.reported_by == b_id),
            db_count(url, BoardingHouse, BoardingHouse.recorded_by == b_id)) == (0, 0)
    assert page.evaluate(f"{OUTBOX}.then(items => items.map(i => i.userId))") == [a_id] * 5
    # B's house form is a fresh one: nothing of A's draft in the page or in B's drafts.
    open_form(page, live_server + HOUSE_NEW)
    assert page.input_value("#f-owner_name") == "" and page.locator("#draft-note").is_hidden()
    assert owner_a not in page.content()
    assert owner_a not in page.evaluate(
        f"window.urbanField.drafts.of({b_id}).then(d => JSON.stringify(d))")

    switch_user(page)  # B hands the phone back; A signs in: A's records go, each once
    sign_in(page, live_server, "congan")
    wait_sent(page)
    wait_until(page, "document.getElementById('queue-count').dataset.count === '0'")
    assert db_count(url, Incident, Incident.client_uuid.in_(uuids(incidents)),
                    Incident.reported_by == a_id) == 4
    assert db_count(url, BoardingHouse, BoardingHouse.client_uuid == uuid.UUID(house),
                    BoardingHouse.recorded_by == a_id) == 1
    assert db_count(url, FieldSubmission, FieldSubmission.client_uuid.in_(mine)) == 5
    open_form(page, live_server + HOUSE_NEW)  # A's own draft is still A's
    assert page.input_value("#f-owner_name") == owner_a and page.locator("#draft-note").is_visible()
    assert errors == []


def test_switching_user_ends_the_session_despite_a_late_answer(phone, live_server):
    context, page, errors = phone()
    start_field(page, live_server, "congan")
    switch_user(page)
    asked, go_on, answered = SLOW["/field/inspect"] = tuple(threading.Event() for _ in range(3))
    try:
        # B signs in with a weak signal: signing in makes the service worker forget the
        # cached pages, the field home asks it to keep them again: /field/inspect is slow.
        sign_in(page, live_server, "congan2")
        if not asked.wait(10):
            pytest.fail("the service worker did not ask for /field/inspect")
        with page.expect_navigation(url="**/auth/login**"):
            page.click("form.signout button")  # B hands the phone over at once
        if signed_in(page, live_server):
            pytest.fail("signing out did not end the session at all")
        go_on.set()  # the answer to the request sent before signing out comes now
        if not answered.wait(10):
            pytest.fail("the slow answer never came")
        deadline = time.monotonic() + 3  # for it to reach the phone
        while time.monotonic() < deadline and not signed_in(page, live_server):
            page.wait_for_timeout(100)
    finally:
        go_on.set()
        SLOW.clear()
    assert not signed_in(page, live_server)
    page.goto(live_server + "/field/")
    assert "/auth/login" in page.url, f"{NAMES['congan2']} is signed in again"


def test_session_and_outbox_survive_a_browser_restart(phone, live_server, tmp_path):
    context, page, _ = phone()
    sign_in(page, live_server, "congan")
    state = tmp_path / "state.json"
    context.storage_state(path=state)
    context.close()
    context, page, errors = phone(storage_state=str(state))
    page.goto(live_server + "/field/")
    assert "/auth/login" not in page.url
    wait_until(page, HOME_READY)
    assert page.inner_text("#field-user") == NAMES["congan"]
    cookie = next(c for c in context.cookies() if c["name"] == "session")
    left = cookie["expires"] - time.time()
    assert abs(left - 12 * 3600) < 300, f"the session cookie ends in {left / 3600:.2f} h"

    # A real restart: the same Chromium profile launched twice, a record queued in between.
    first, page, _ = phone(tmp_path / "profile")
    start_field(page, live_server, "congan")
    first.set_offline(True)
    open_form(page, live_server + INCIDENT_NEW, offline=True)
    fill_incident(page, 1, "encroachment_sidewalk")
    record = save_record(page)
    first.close()
    second, page, restarted = phone(tmp_path / "profile", offline=True)
    response = page.goto(live_server + "/field/")
    assert response is not None and response.from_service_worker
    wait_until(page, HOME_READY)
    assert page.inner_text("#field-user") == NAMES["congan"]
    assert page.get_attribute("#queue-count", "data-count") == "1"
    assert page.evaluate(f"{OUTBOX}.then(items => items.map(i => i.uuid))") == [record]
    second.set_offline(False)
    wait_sent(page)
    session = page.request.get(live_server + "/api/v1/field/session")
    assert session.ok and session.json()["user"]["username"] == "congan"
    assert db_count(live_server.database_url, Incident,
                    Incident.client_uuid == uuid.UUID(record)) == 1
    assert errors == [] and restarted == []


def test_cold_start_offline_inspects_stored_and_unsent_houses(phone, live_server):
    url = live_server.database_url
    context, page, errors = phone()
    start_field(page, live_server, "congan", form=False)
    code = page.eval_on_selector("#workset-neighbourhood", "s => s.options[1].value")
    assert download_workset(page, code) > 0
    page.goto(live_server + "/field/inspect")
    wait_until(page, "document.body.dataset.sw === 'ready'")
    context.set_offline(True)
    open_form(page, live_server + HOUSE_NEW, offline=True)
    fill_house(page, 2)
    new_house = save_record(page)
    page.close()

    page = context.new_page()  # a cold start with no signal, from the service worker
    response = page.goto(live_server + "/field/")
    assert response is not None and response.from_service_worker
    wait_until(page, HOME_READY)
    wait_until(page, "document.querySelectorAll('#nearby-list li').length > 0")
    shoot(page, "field-home.png")
    stored = page.evaluate("window.urbanField.workset.get(window.urbanField.config.userId)"
                           ".then(set => set.houses[0])")
    open_form(page, f"{live_server}/field/inspect?house={stored['uuid']}", offline=True)
    assert page.inner_text("#house-name") == stored["name"]
    assert page.locator("#house-pending").is_hidden()
    page.check("input[name=fire_safety_pass][value=true]")
    page.fill("#f-residents_counted", "7")
    first = save_record(page)
    open_form(page, f"{live_server}/field/inspect?house={new_house}", offline=True)
    assert page.inner_text("#house-name") == HOUSE["name"].format(n=2)
    assert page.locator("#house-pending").is_visible()
    page.check("input[name=fire_safety_pass][value=true]")
    shoot(page, "field-inspect-offline.png")
    second = save_record(page)
    assert page.evaluate(f"{OUTBOX}.then(items => items.length)") == 3

    context.set_offline(False)
    wait_sent(page)
    linked = dict(rows(url, select(Inspection.client_uuid, Inspection.boarding_house_id)
                       .where(Inspection.client_uuid.in_(uuids([first, second])))))
    assert linked == {uuid.UUID(first): house_id(url, stored["uuid"]),
                      uuid.UUID(second): house_id(url, new_house)}
    assert errors == []


def test_offline_pin_map_draws_our_streets_with_tiles_blocked(phone, live_server):
    context, page, errors = phone()
    start_field(page, live_server, "congan", form=False)
    download_workset(page, "")
    for pattern in ("**/*.png", "**/basemap/**"):
        context.route(pattern, lambda route: route.abort())
    context.set_offline(True)
    open_form(page, live_server + HOUSE_NEW, offline=True)
    pin_map = "document.getElementById('pin-map')"
    wait_until(page, f"{pin_map}.dataset.vectors === 'workset'")
    streets = f"{pin_map}.querySelectorAll('.leaflet-overlay-pane path[stroke=\"#525252\"]')"
    wait_until(page, f"{streets}.length > 0")
    assert page.evaluate(f"{pin_map}.querySelectorAll('img.leaflet-tile').length") > 0
    assert page.evaluate(f"{pin_map}.querySelectorAll('img.leaflet-tile-loaded').length") == 0
    shoot(page, "field-pin-offline.png", "#location")
    assert errors == []


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_a_house_within_15_m_is_flagged_before_saving(phone, live_server, offline):
    house = demo_house(live_server.database_url, 1 + offline)
    context, page, errors = phone(geolocation=gps(house["lon"], house["lat"]))
    start_field(page, live_server, "congan", form=False)
    if offline:  # the phone's own copy answers
        download_workset(page, house["kp"])
        context.set_offline(True)
    open_form(page, live_server + HOUSE_NEW, offline=offline)
    fill_house(page, 3)
    page.click("#save-button")
    wait_until(page, "document.getElementById('duplicate-dialog').open")
    assert house["name"] in page.inner_text("#duplicate-list")
    if not offline:
        shoot(page, "field-duplicate.png")
    page.click(f"#duplicate-list a[data-inspect='{house['uuid']}']")
    page.wait_for_url(f"**/field/inspect?house={house['uuid']}*")
    wait_until(page, f"{FORM}.dataset.ready === 'true'")
    assert page.inner_text("#house-name") == house["name"]

    open_form(page, live_server + HOUSE_NEW, offline=offline)  # the draft is still there
    record = page.evaluate(f"{FORM}.dataset.uuid")
    page.click("#save-button")
    wait_until(page, "document.getElementById('duplicate-dialog').open")
    page.click("#duplicate-new")
    wait_until(page, f"{FORM}.dataset.lastSaved === '{record}'")
    context.set_offline(False)
    wait_sent(page)
    assert db_count(live_server.database_url, BoardingHouse,
                    BoardingHouse.client_uuid == uuid.UUID(record)) == 1
    assert errors == []


def quiet_spot(page, base: str) -> tuple[dict, str]:
    """A point near WARD_POINT with no house within 40 m, and its address hint."""
    for step in range(81):
        lon = WARD_POINT["longitude"] + (step % 9 - 4) * 0.0004
        lat = WARD_POINT["latitude"] + (step // 9 - 4) * 0.0004
        ask = f"{base}/api/v1/field/{{}}?lon={lon:.7f}&lat={lat:.7f}&radius=40"
        hint = page.request.get(ask.format("place")).json()["address_hint"]
        if hint and not page.request.get(ask.format("boarding-houses/nearby")).json()[
                "boarding_houses"]:
            return gps(lon, lat), hint
    raise AssertionError("no quiet spot near the ward point")


def test_a_minimal_house_record_takes_few_taps(phone, live_server):
    context, page, errors = phone(geolocation=gps(WARD_POINT["longitude"],
                                                  WARD_POINT["latitude"]))
    start_field(page, live_server, "congan", form=False)
    spot, hint = quiet_spot(page, live_server)
    context.set_geolocation(spot)
    taps, fields = [], []

    def tap(selector):
        taps.append(selector)
        page.locator(selector).tap()

    def type_into(selector, text, at_start=False):
        tap(selector)  # a field is tapped before it is typed into
        fields.append(selector)
        if at_start:
            page.keyboard.press("Home")
        page.keyboard.type(text)

    started = time.monotonic()
    tap("text=Ghi nhận cơ sở cho thuê trọ")
    page.wait_for_url("**" + HOUSE_NEW)
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")  # GPS ±8 m
    wait_until(page, "document.getElementById('f-address').dataset.prefilled === 'true'")
    prefilled = page.input_value("#f-address")
    assert prefilled == hint and prefilled
    record = page.evaluate(f"{FORM}.dataset.uuid")
    type_into("#f-name", "Nhà trọ Ba Chạm")
    type_into("#f-address", "Số 27, ", at_start=True)
    type_into("#f-rooms", "5")
    type_into("#f-residents", "8")
    type_into("#f-owner_name", "Đỗ Văn Chủ")
    type_into("#f-owner_phone", "0987654321")
    shoot(page, "field-house-form.png", ".card:has(#f-name)")
    tap("#save-button")
    wait_until(page, f"['sent', 'queued'].includes({FORM}.dataset.state)")
    took = f"{len(taps)} taps, {len(fields)} typed fields, {time.monotonic() - started:.1f} s"
    assert len(taps) <= 12 and len(fields) <= 6, (took, taps, fields)
    assert page.inner_text("#result-title") == "Đã gửi lên máy chủ", took
    address = scalar(live_server.database_url, select(BoardingHouse.address).where(
        BoardingHouse.client_uuid == uuid.UUID(record)))
    assert address == f"Số 27, {prefilled}", took
    assert errors == []


def test_a_violation_is_linked_to_a_house_nearby(phone, live_server):
    house = demo_house(live_server.database_url, 3)
    context, page, errors = phone(geolocation=gps(house["lon"] + 0.0001, house["lat"]))
    start_field(page, live_server, "congan", form=False)
    open_form(page, live_server + INCIDENT_NEW)
    page.locator("label.tile:has(input[value=residence])").tap()
    choice = page.locator(f".house-choice[data-house='{house['uuid']}']")
    choice.tap()
    assert choice.get_attribute("aria-pressed") == "true"
    page.fill("#f-description", "Không khai báo tạm trú cho 3 người thuê")
    shoot(page, "field-incident-house.png", ".house-link")
    record = save_record(page)
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    linked = scalar(live_server.database_url, select(Incident.boarding_house_id).where(
        Incident.client_uuid == uuid.UUID(record)))
    assert linked == house["id"]
    assert errors == []
