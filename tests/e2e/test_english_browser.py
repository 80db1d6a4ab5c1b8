"""The pages' JavaScript speaks the page's language: with the ``lang`` cookie set to English,
the ward map's layer control, status line and popups, and a phone's offline queue messages
are English (static/js/i18n.js, the catalogue the base template embeds)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import FORM, PHONE, open_field_home, save_record, wait_until, with_session

pytestmark = pytest.mark.e2e

LOADED = "document.body.dataset.layersLoaded === 'true'"
# Letters peculiar to Vietnamese, as tests/test_catalogue.py's VIETNAMESE.
VIETNAMESE_LETTERS = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"


# The words of the category tiles' labels that the browser laid out on more than one line.
WORDS_CUT_ACROSS_LINES = """
[...document.querySelectorAll('.tile-text')].flatMap(label => {
  const text = [...label.childNodes].find(n => n.nodeType === Node.TEXT_NODE);
  return [...text.textContent.matchAll(/\\S+/g)].filter(word => {
    const range = document.createRange();
    range.setStart(text, word.index);
    range.setEnd(text, word.index + word[0].length);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
  }).map(word => word[0]);
})"""


# The header cells of the popup bound to a layer's first feature, read from the HTML the
# page gave Leaflet: opening a popup pans the map to it, which redraws the map and loads
# its tiles (about 4 CPU-s a popup in Chromium and the server).
POPUP_HEADERS = """layer => {
    const html = UrbanMap.layers[layer].getLayers()[0].getPopup().getContent();
    const popup = new DOMParser().parseFromString(html, "text/html");
    return [...popup.querySelectorAll("th")].map(th => th.textContent.trim());
}"""


def english(context, base: str) -> None:
    """The language switch's cookie: English for this browser, before and after sign-in."""
    context.add_cookies([{"name": "lang", "value": "en", "url": base}])


def vietnamese_in(text: str) -> bool:
    return any(letter in text.lower() for letter in VIETNAMESE_LETTERS)


def shoot(page, name: str) -> None:
    folder = os.environ.get("URBANORDER_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name))


def test_the_map_layer_control_status_and_popups_are_english(browser, live_server):
    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    context = with_session(desk, live_server)
    english(context, live_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/")
    wait_until(page, LOADED)
    assert page.evaluate("document.documentElement.lang") == "en"
    names = [n.strip() for n in
             page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    # Our layers in English; the ward's route and registers keep the names the ward gave them.
    for wanted in ("Neighbourhood boundaries", "Streets", "Model street / cluster",
                   "Boarding houses", "Violations"):
        assert wanted in names, names
    for vietnamese in ("Ranh giới khu phố", "Đường phố", "Tuyến / cụm kiểu mẫu",
                       "Cơ sở cho thuê trọ", "Vụ vi phạm"):
        assert vietnamese not in names, names
    shoot(page, "en-map.png")  # docs/en-map.png (docs/translating.md)
    status = page.locator("#load-status").inner_text()
    assert status.startswith("In view:") and "Zoomed out" in status, status
    headers = page.evaluate(POPUP_HEADERS, "neighbourhoods")
    assert "Population" in headers and "Households" in headers, headers
    assert not [h for h in headers if vietnamese_in(h)], headers
    if os.environ.get("URBANORDER_SCREENSHOTS"):
        page.evaluate("UrbanMap.layers.neighbourhoods.getLayers()[0].openPopup()")
        page.locator(".leaflet-popup-content").wait_for()
        shoot(page, "en-map-popup.png")
    assert page.evaluate(POPUP_HEADERS, "streets")[0] == "Street class"
    assert errors == []
    context.close()


def test_the_phone_queue_speaks_english_offline(browser, live_server, police_session):
    context = browser.new_context(**{**PHONE, "locale": "en-GB"}, storage_state=police_session)
    english(context, live_server)
    page, errors = open_field_home(context, live_server)
    assert page.evaluate("document.documentElement.lang") == "en"

    context.set_offline(True)
    response = page.goto(live_server + "/field/incidents/new")
    assert response is not None and response.from_service_worker
    wait_until(page, f"{FORM} && {FORM}.dataset.ready === 'true'")
    wait_until(page, "document.getElementById('loc-status').dataset.level === 'ok'")
    assert page.locator("#loc-status").inner_text().startswith("Accuracy ±")
    assert page.locator("#net-state").inner_text() == "Offline"
    # English words are longer: the category tiles still fit the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # …and no word of a label is cut across two lines ("encroach / ment" was).
    assert page.evaluate(WORDS_CUT_ACROSS_LINES) == []
    shoot(page, "en-phone-form.png")
    page.click("label.tile:has(input[value=sanitation])")
    page.fill("#f-description", "Rác để sai giờ")
    save_record(page)
    wait_until(page, f"{FORM}.dataset.state === 'queued'")
    assert page.locator("#result-title").inner_text() == "Saved on the phone"
    body = page.locator("#result-body").inner_text()
    # The sender's word for an offline round (field/sender.js MESSAGES.offline).
    assert body.startswith("Not sent yet: no network connection. It will be sent again"), body
    assert "The record is still safe on this phone." in body, body
    shoot(page, "en-phone-saved.png")

    page.goto(live_server + "/field/")
    wait_until(page, "document.body.dataset.homeReady === 'true'")
    counter = page.locator("#queue-count")
    assert counter.get_attribute("data-count") == "1"
    assert counter.inner_text() == "1 record waiting to be sent"
    entry = page.locator("#queue-list > li").first
    assert entry.locator(".item-state").inner_text() == (
        "Waiting to be sent again — Not sent yet: no network connection. "
        "It will be sent again automatically.")
    assert entry.locator(".muted").inner_text().startswith("Saved at ")
    shoot(page, "en-phone-home.png")
    context.set_offline(False)
    wait_until(page, "document.getElementById('queue-count').dataset.count === '0'",
               timeout=90)
    assert counter.inner_text() == "No records waiting to be sent"
    assert errors == []
    context.close()
