"""A police phone (Chromium, 360×740, touch, GPS) records offline; each record arrives once."""

from __future__ import annotations

import io
import json
import os
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models.engine import make_engine
from models.tables import BoardingHouse, FieldSubmission, Incident, Photo
from tests.e2e.conftest import (
    FORM,
    PHONE,
    WARD_POINT,
    open_field_home,
    save_record,
    sign_in_page,
    wait_until,
)

pytestmark = pytest.mark.e2e

OUTBOX = "window.urbanField.outbox.all()"


def shoot(page, name: str) -> None:
    """Screenshot the top of the page into $URBANORDER_SCREENSHOTS (docs/ for the README)."""
    folder = os.environ.get("URBANORDER_SCREENSHOTS")
    if folder:
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(folder) / name))


@pytest.fixture
def phone(request, browser, live_server, police_session):
    """A signed-in police phone, /field/ opened once online; param: GPS accuracy (m)."""
    gps = {**WARD_POINT, "accuracy": getattr(request, "param", WARD_POINT["accuracy"])}
    context = browser.new_context(**{**PHONE, "geolocation": gps}, storage_state=police_session)
    page, errors = open_field_home(context, live_server)
    yield context, page, errors
    context.close()


def open_form(page, url: str, offline: bool = False, gps: bool = True) -> None:
    response = page.goto(url)
    if offline:
        assert response is not None and response.from_service_worker, url
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    if gps:
        wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")


def add_photo(page) -> None:
    out = io.BytesIO()  # a 2400×1800 "camera" JPEG; the page shrinks it to 1600 px
    Image.new("RGB", (2400, 1800), (30, 110, 160)).save(out, "JPEG", quality=90)
    page.set_input_files("#photo-input", files=[
        {"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}])
    wait_until(page, "document.getElementById('photo-list').dataset.count === '1'")


def fill_house(page, n: int) -> None:
    page.click("#more-fields > summary")  # the optional fields are folded
    for name, value in {"name": f"Nhà trọ Ngoại Tuyến {n}", "address": f"số {n}, hẻm 12, QL51",
                        "rooms": str(4 + n), "residents": str(6 + n), "extinguishers": "2",
                        "owner_name": "Trần Thị Chủ Trọ", "owner_phone": "0912 345 678",
                        "owner_id_number": "075123456789"}.items():
        page.fill(f"#f-{name}", value)
    page.check("input[name=house_type][value=rooming_house]")
    page.select_option("#f-classification", "average")
    page.check("input[name=has_alarm]")


def fill_incident(page, n: int, category: str) -> None:
    page.click(f"label.tile:has(input[value={category}])")
    page.fill("#f-description", f"Ghi nhận ngoại tuyến số {n}")


def db_count(url: str, model, *where) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(model).where(*where)).scalar()
    engine.dispose()
    return count


def test_twenty_records_offline_arrive_exactly_once(phone, live_server):
    context, page, errors = phone
    context.set_offline(True)
    houses, incidents = [], []
    categories = ("residence", "fire_safety", "encroachment_sidewalk", "sanitation", "drugs")
    for n in range(20):
        context.set_geolocation({**WARD_POINT, "latitude": WARD_POINT["latitude"] + n * 0.0002})
        if n % 2 == 0:
            open_form(page, live_server + "/field/boarding-houses/new", offline=True)
            fill_house(page, n)
            if n == 4:
                add_photo(page)
            houses.append(save_record(page))
        else:
            open_form(page, live_server + "/field/incidents/new", offline=True)
            fill_incident(page, n, categories[n % len(categories)])
            if n == 7:
                add_photo(page)
                shoot(page, "field-incident.png")
            incidents.append(save_record(page))
        assert page.evaluate(f"{FORM}.dataset.state") == "queued"
    # An unsaved form keeps its draft and UUID across a reload.
    open_form(page, live_server + "/field/incidents/new", offline=True)
    draft_uuid = page.evaluate(f"{FORM}.dataset.uuid")
    page.fill("#f-description", "Bản nháp chưa lưu")
    page.wait_for_timeout(600)
    page.reload()
    wait_until(page, f"{FORM}.dataset.ready === 'true'")
    assert page.evaluate(f"{FORM}.dataset.uuid") == draft_uuid
    assert page.input_value("#f-description") == "Bản nháp chưa lưu"
    assert page.locator("#draft-note").is_visible()
    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    counter = page.locator("#queue-count")
    assert counter.get_attribute("data-count") == "20"
    assert "20 bản ghi đang chờ gửi" in counter.inner_text()
    assert page.locator("#queue-list > li").count() == 20
    assert page.locator("#net-state").get_attribute("data-online") == "false"
    queued = page.evaluate(f"{OUTBOX}.then(items => items.map(i => ({{uuid: i.uuid, "
                           "url: i.url, payload: i.payload, photos: i.photos.length})))")
    assert sorted(i["uuid"] for i in queued) == sorted(houses + incidents)
    posts = []
    page.on("request", lambda r: posts.append(r.url.split("/api/v1/")[1])
            if r.method == "POST" and "/api/v1/" in r.url else None)
    context.set_offline(False)
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=90)
    # The backlog goes in batches: the runs without photos (records 0–3, 5–6, 8–19) each in
    # one request, the two records with photos alone, oldest first.
    assert posts.count("field/batch") == 3, posts
    assert len(posts) == 5, posts
    wait_until(page, "document.getElementById('queue-count').dataset.count === '0'")
    assert "Khu phố" in page.locator("#sent-list").inner_text()

    url = live_server.database_url
    wanted = [uuid.UUID(u) for u in houses + incidents]
    assert db_count(url, BoardingHouse, BoardingHouse.client_uuid.in_(wanted)) == 10
    assert db_count(url, Incident, Incident.client_uuid.in_(wanted)) == 10
    assert db_count(url, FieldSubmission, FieldSubmission.client_uuid.in_(wanted)) == 20
    assert sum(1 for i in queued if i["photos"]) == 2
    assert db_count(url, Photo) >= 2

    # Replaying a stored record with the same UUID creates nothing new.
    house = next(i for i in queued if i["uuid"] == houses[0])
    token = page.evaluate("document.querySelector('meta[name=csrf-token]').content")
    before = db_count(url, BoardingHouse)
    response = page.request.post(live_server + house["url"], headers={"X-CSRFToken": token},
                                 multipart={"payload": json.dumps(house["payload"])})
    assert response.status == 200 and response.json()["replayed"] is True, response.text()
    assert db_count(url, BoardingHouse) == before
    assert errors == []


@pytest.mark.parametrize("phone", [250], indirect=True)
def test_poor_accuracy_blocks_saving_until_the_pin_is_dragged(phone, live_server):
    context, page, errors = phone
    open_form(page, live_server + "/field/incidents/new", gps=False)
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'block'")
    assert "±250 m" in page.inner_text("#loc-status")
    fill_incident(page, 1, "drugs")
    page.click("#save-button")
    page.wait_for_timeout(300)
    assert page.locator("#e-location").is_visible()
    assert page.evaluate(f"{OUTBOX}.then(items => items.length)") == 0
    assert page.evaluate(f"{FORM}.dataset.lastSaved") is None

    pin = page.locator(".pin-icon").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=8)
    page.mouse.up()
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")
    assert "bằng tay" in page.inner_text("#loc-status")
    record = save_record(page)
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    assert db_count(live_server.database_url, Incident, Incident.location_manual.is_(True),
                    Incident.client_uuid == uuid.UUID(record)) == 1
    assert errors == []


def test_house_form_prefills_the_address_and_inspection_needs_a_follow_up(phone, live_server):
    context, page, errors = phone
    open_form(page, live_server + "/field/boarding-houses/new")
    wait_until(page, "document.getElementById('f-address').value !== ''")
    assert "Khu phố" in page.input_value("#f-address")  # nearest street, khu phố
    page.fill("#f-name", "Nhà trọ Bình An")
    page.goto(live_server + "/field/")
    wait_until(page, "document.querySelectorAll('#nearby-list a').length > 0")
    page.locator("#nearby-list a", has_text="Kiểm tra").first.click()
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    page.check("input[name=fire_safety_pass][value=false]")
    assert page.locator("#f-follow_up_on").is_visible()
    page.fill("#f-residents_counted", "14")
    page.click("details.more > summary")
    page.fill("#f-findings", "Bình chữa cháy hết hạn, lối thoát nạn bị chắn.")
    page.click("#save-button")
    page.wait_for_timeout(300)
    assert page.locator("#e-follow_up_on").is_visible()
    assert page.evaluate(f"{OUTBOX}.then(items => items.length)") == 0
    page.fill("#f-follow_up_on", "2030-01-15")
    shoot(page, "field-inspection.png")
    save_record(page)
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    assert errors == []


def test_refused_record_waits_for_the_officer_and_is_corrected(phone, live_server):
    context, page, errors = phone
    context.set_offline(True)
    open_form(page, live_server + "/field/boarding-houses/new", offline=True)
    fill_house(page, 1)
    page.fill("#f-rooms", "1")
    page.fill("#f-residents", "100")  # the server refuses more than 20 people per room
    record = save_record(page)
    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    context.set_offline(False)
    item = f"#queue-list li[data-uuid='{record}']"
    wait_until(page, f"document.querySelector(\"{item}\")?.dataset.state === 'error'")
    assert "Cần sửa" in page.inner_text(item) and "20 người/phòng" in page.inner_text(item)
    assert page.locator("#queue-count").get_attribute("data-count") == "0"
    attempts = f"{OUTBOX}.then(items => items.find(i => i.uuid === '{record}').attempts)"
    tried = page.evaluate(attempts)
    page.evaluate("window.urbanField.sendAll()")  # "Gửi ngay" does not resend it either
    assert page.evaluate(attempts) == tried
    page.click(f"{item} button:has-text('Sửa lại')")
    page.wait_for_url("**/field/boarding-houses/new")
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    assert page.evaluate(f"{FORM}.dataset.uuid") == record  # same record, same UUID
    assert "20 người/phòng" in page.inner_text("#e-residents")
    page.fill("#f-residents", "12")
    save_record(page)
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    assert db_count(live_server.database_url, BoardingHouse,
                    BoardingHouse.client_uuid == uuid.UUID(record)) == 1
    assert errors == []


def test_expired_session_keeps_records_until_sign_in(phone, live_server):
    context, page, errors = phone
    context.set_offline(True)
    open_form(page, live_server + "/field/incidents/new", offline=True)
    fill_incident(page, 1, "sanitation")
    record = save_record(page)
    context.clear_cookies()  # the session ends while the phone is offline
    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    context.set_offline(False)
    wait_until(page, f"{OUTBOX}.then(items => items[0]?.state === 'auth')")
    wait_until(page, "!document.getElementById('session-ended').hidden")
    assert "đăng nhập lại để gửi 1 bản ghi" in page.inner_text("#session-ended")
    # The list re-renders after the outbox changes: wait for it, not for a fixed moment.
    wait_until(page, "document.getElementById('queue-list').innerText"
                     ".includes('Đăng nhập lại để gửi')")
    with page.expect_navigation():
        page.click("#session-ended a")
    sign_in_page(page, page.url, "congan")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    wait_until(page, f"{OUTBOX}.then(items => items.length === 0)", timeout=60)
    assert db_count(live_server.database_url, Incident,
                    Incident.client_uuid == uuid.UUID(record)) == 1
    assert errors == []


def test_a_second_report_on_the_spot_joins_the_open_incident(phone, live_server):
    context, page, errors = phone
    open_form(page, live_server + "/field/incidents/new")
    fill_incident(page, 1, "construction_order")
    save_record(page)  # a new incident (an older one nearby, if any, is declined)
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    first = page.evaluate("window.urbanField.sent.recent(1).then(r => r[0].id)")
    open_form(page, live_server + "/field/incidents/new")
    fill_incident(page, 2, "construction_order")
    second = uuid.UUID(page.evaluate(f"{FORM}.dataset.uuid"))
    page.click("#save-button")
    wait_until(page, "document.getElementById('nearby-dialog').open")
    page.click(f"#nearby-list [data-attach='{first}']")
    wait_until(page, f"{FORM}.dataset.state === 'sent'")
    assert f"Đã gộp vào vụ số {first}" in page.inner_text("#result")
    url = live_server.database_url
    assert db_count(url, Incident, Incident.client_uuid == second) == 0
    assert db_count(url, FieldSubmission, FieldSubmission.client_uuid == second,
                    FieldSubmission.entity_id == first) == 1
    assert errors == []
