"""The analysis pages in headless Chromium: ranking and hotspot maps, publishing, screenshots.

Set URBANORDER_SCREENSHOTS=docs to refresh docs/analysis-*.png (1366 × 850).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e import conftest
from tests.e2e.conftest import sign_in_page, wait_until

pytestmark = pytest.mark.e2e

browser, live_server = conftest.browser, conftest.live_server
VIEWPORT = {"width": 1366, "height": 850}
LOADED = "document.body.dataset.layersLoaded === 'true'"
MONTH = "2026-10"


def _page(browser, url, username="lanhdao"):
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    page = context.new_page()
    errors, external = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:")) else None)
    sign_in_page(page, url, username)
    return page, errors, external


def _shot(page, name: str) -> None:
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"analysis-{name}.png"))


def test_staff_publish_with_confirmation(browser, live_server):
    page, errors, _ = _page(browser, f"{live_server}/ranking?month={MONTH}", "dothi")
    wait_until(page, LOADED)
    assert "BẢN NHÁP" in page.locator("#ranking-state").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel" leaves it a draft
    page.click("#publish-button")
    assert "BẢN NHÁP" in page.locator("#ranking-state").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#publish-button")
    assert "ĐÃ CÔNG BỐ" in page.locator("#ranking-state").inner_text()
    assert "Đã công bố xếp hạng" in page.locator(".flash").inner_text()
    assert page.locator("#publish-button").count() == 0
    assert errors == []


def test_ranking_map_draws_every_khu_pho_with_its_rank(browser, live_server):
    page, errors, external = _page(browser, f"{live_server}/ranking?month={MONTH}")
    wait_until(page, LOADED)
    state = page.evaluate("window.analysisState")
    assert state.get("error") is None, state
    assert state["polygons"] == 26 and state["labels"] == 26
    assert page.locator("#ranking-map path.leaflet-interactive").count() == 26
    labels = page.locator(".rank-label .rank-pin").all_inner_texts()
    assert len(labels) == 26 and "1" in labels
    ranks = page.locator("#ranking-table tbody .rank-cell").all_inner_texts()
    assert sorted(labels) == sorted(r if r != "—" else "?" for r in ranks)
    assert page.locator("#publish-button").count() == 0  # leaders only read
    assert "ĐÃ CÔNG BỐ" in page.locator("#ranking-state").inner_text()
    assert errors == [] and external == []
    _shot(page, "ranking")


def test_khu_pho_page_shows_criteria_and_trend(browser, live_server):
    page, errors, _ = _page(browser, f"{live_server}/ranking?month={MONTH}")
    with page.expect_navigation():
        page.locator("#ranking-table tbody tr").first.locator("a").click()
    assert page.locator(".criteria-table tbody tr").count() >= 9
    assert page.locator("#trend-chart .point").count() == 12
    assert page.locator("#trend-chart .point.published").count() >= 1
    assert "Tiến độ tuyến đường/cụm dân cư kiểu mẫu" in page.content()
    assert errors == []
    _shot(page, "khu-pho")


def test_hotspot_map_draws_hot_cells(browser, live_server):
    page, errors, external = _page(browser, f"{live_server}/hotspots")
    wait_until(page, LOADED)
    state = page.evaluate("window.analysisState")
    assert state.get("error") is None, state
    assert state["hotCells"] > 0
    assert page.locator(".leaflet-cells-pane path").count() == state["cells"]
    assert page.locator("#hot-table tbody tr").count() > 0
    page.locator("[data-zoom-cell='1']").click()
    page.locator(".leaflet-popup-content").wait_for()
    assert "Điểm nóng" in page.locator(".leaflet-popup-content").inner_text()
    page.locator(".leaflet-popup-close-button").click()
    page.goto(f"{live_server}/hotspots")
    wait_until(page, LOADED)
    assert errors == [] and external == []
    _shot(page, "hotspots")


def test_coverage_and_targets_pages(browser, live_server):
    page, errors, _ = _page(browser, f"{live_server}/coverage")
    wait_until(page, LOADED)
    state = page.evaluate("window.analysisState")
    assert state.get("error") is None, state
    assert state["polygons"] == 26 and state["modelHouses"] > 0
    assert page.locator("#coverage-table tr.gap-row").count() == state["gaps"]
    _shot(page, "coverage")
    page.goto(f"{live_server}/targets")
    assert page.locator("#targets-table tbody tr").count() == 11
    assert errors == []
    _shot(page, "targets")
