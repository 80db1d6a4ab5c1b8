"""The desk pages in a real browser: incident buttons post to the transition endpoint.

Set URBANORDER_SCREENSHOTS=docs to refresh docs/desk-*.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_until, with_session

pytestmark = pytest.mark.e2e
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN"}


def _shot(page, name: str, full_page: bool = True) -> None:
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"desk-{name}.png"), full_page=full_page)


def _page(browser, live_server, path, username, **options):
    context = with_session(browser.new_context(**{**DESK, **options}), live_server, username)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + path)
    return page, errors


def _open_first(page, live_server, status: str) -> None:
    """Open the oldest incident with ``status`` from the list, as the user would."""
    page.goto(f"{live_server}/incidents/?status={status}&kp=")
    with page.expect_navigation():
        page.locator("table.incidents tbody tr td a").first.click()


def test_incident_list_and_screenshot(browser, live_server):
    page, errors = _page(browser, live_server, "/incidents/", "dothi")
    assert page.locator("table.incidents tbody tr").count() == 50
    assert "Vụ việc vi phạm" in page.locator("h1").inner_text()
    _shot(page, "incidents")
    page.locator("select[name=kp]").select_option("KP03")
    page.click("button:has-text('Lọc')")
    page.wait_for_url(re.compile(r"kp=KP03"))
    assert set(page.locator("td[data-label='Khu phố']").all_inner_texts()) <= {"Khu phố 3"}
    # The khu phố is remembered for the session.
    page.goto(live_server + "/incidents/")
    assert page.locator("select[name=kp]").input_value() == "KP03"
    assert errors == []


def test_transition_buttons_post_and_reload(browser, live_server):
    page, errors = _page(browser, live_server, "/incidents/", "dothi")
    _open_first(page, live_server, "reported")
    buttons = page.locator(".step-buttons button").all_inner_texts()
    assert buttons == ["Xác minh: có vi phạm", "Không vi phạm / hủy"]
    page.fill("textarea[name=note]", "Đã xác minh tại chỗ")
    with page.expect_navigation():
        page.click("button[data-to=verified]")
    assert "Đã xác minh" in page.locator(".page-head .status").inner_text()
    history = page.locator("table.history").inner_text()
    assert "Đã xác minh tại chỗ" in history and "Mới ghi nhận → Đã xác minh" in history
    # Minutes without a number: the server's Vietnamese message is shown, nothing changes.
    page.click("button[data-to=minutes_issued]")
    message = page.locator(".form-message")
    message.wait_for(state="visible")
    wait_until(page, "!document.querySelector('.form-message').textContent.includes('Đang gửi')")
    assert "số biên bản" in message.inner_text()
    page.fill("input[name=minutes_no]", "BB-12/2026")
    page.fill("input[name=fine_vnd]", "1500000")
    _shot(page, "incident")
    with page.expect_navigation():
        page.click("button[data-to=minutes_issued]")
    assert "Đã lập biên bản" in page.locator(".page-head .status").inner_text()
    facts = page.locator("dl.facts").inner_text()
    assert "BB-12/2026" in facts and "1.500.000 đ" in facts
    assert [e for e in errors if "400" not in e] == []


def test_leader_sees_no_buttons(browser, live_server):
    page, errors = _page(browser, live_server, "/incidents/", "lanhdao")
    _open_first(page, live_server, "reported")
    assert page.locator(".step-buttons").count() == 0
    assert "chỉ được xem" in page.content()
    assert errors == []


def test_house_record_as_police_and_users_page(browser, live_server):
    page, errors = _page(browser, live_server, "/boarding-houses/?fire_fail=1", "congan")
    page.locator("table.houses tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/boarding-houses/\d+$"))
    assert page.locator("section.personal").is_visible()
    _shot(page, "house")
    assert errors == []
    page, errors = _page(browser, live_server, "/admin/users", "admin")
    assert page.locator("table.users tbody tr").count() >= 4
    _shot(page, "users")
    assert errors == []


def test_phone_incident_list_is_cards(browser, live_server):
    page, errors = _page(browser, live_server, "/incidents/", "congan",
                         viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, width  # no sideways scrolling
    _shot(page, "incidents-phone", full_page=False)
    assert errors == []
