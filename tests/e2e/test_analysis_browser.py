"""The analysis pages in headless Chromium: ranking and hotspot maps, publishing, screenshots.

Set URBANORDER_SCREENSHOTS=docs to refresh docs/analysis-*.png (1366 × 850).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e import conftest
from tests.e2e.conftest import wait_until, with_session

pytestmark = pytest.mark.e2e

browser, live_server = conftest.browser, conftest.live_server
VIEWPORT = {"width": 1366, "height": 850}
LOADED = "document.body.dataset.layersLoaded === 'true'"
MONTH = "2026-10"  # published once for the tests that read it (``published``)
PUBLISH_MONTH = "2026-09"  # the month the publishing test publishes through the page


def _page(browser, live_server, path, username="lanhdao"):
    context = with_session(browser.new_context(viewport=VIEWPORT, locale="vi-VN"),
                           live_server, username)
    page = context.new_page()
    errors, external = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto(live_server + path)
    return page, errors, external


def _shot(page, name: str) -> None:
    shots = os.environ.get("URBANORDER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"analysis-{name}.png"))


def _publish(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#publish-button")


@pytest.fixture(scope="module")
def published(browser, live_server) -> str:
    """MONTH published by staff through the page, once for the module's tests that read it
    (they only read it, in any order)."""
    page, _, _ = _page(browser, live_server, f"/ranking?month={MONTH}", "dothi")
    wait_until(page, LOADED)
    if page.locator("#publish-button").count():
        _publish(page)
    assert "ĐÃ CÔNG BỐ" in page.locator("#ranking-state").inner_text()
    page.context.close()
    return MONTH


def test_staff_publish_with_confirmation(browser, live_server):
    page, errors, _ = _page(browser, live_server, f"/ranking?month={PUBLISH_MONTH}", "dothi")
    wait_until(page, LOADED)
    assert "BẢN NHÁP" in page.locator("#ranking-state").inner_text()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel" leaves it a draft
    page.click("#publish-button")
    assert "BẢN NHÁP" in page.locator("#ranking-state").inner_text()
    _publish(page)
    assert "ĐÃ CÔNG BỐ" in page.locator("#ranking-state").inner_text()
    assert "Đã công bố xếp hạng" in page.locator(".flash").inner_text()
    assert page.locator("#publish-button").count() == 0
    assert errors == []


def test_ranking_map_draws_every_khu_pho_with_its_rank(browser, live_server, published):
    page, errors, external = _page(browser, live_server, f"/ranking?month={published}")
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


def test_khu_pho_page_shows_criteria_and_trend(browser, live_server, published):
    page, errors, _ = _page(browser, live_server, f"/ranking?month={published}")
    with page.expect_navigation():
        page.locator("#ranking-table tbody tr").first.locator("a").click()
    assert page.locator(".criteria-table tbody tr").count() >= 9
    assert page.locator("#trend-chart .point").count() == 12
    assert page.locator("#trend-chart .point.published").count() >= 1
    assert "Tiến độ tuyến đường/cụm dân cư kiểu mẫu" in page.content()
    assert errors == []
    _shot(page, "khu-pho")


def test_hotspot_map_draws_hot_cells(browser, live_server):
    page, errors, external = _page(browser, live_server, "/hotspots")
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
    page, errors, _ = _page(browser, live_server, "/coverage")
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


def test_atlas_prints_in_the_background_with_progress_and_downloads(browser, live_server,
                                                                   tmp_path):
    """'In tập bản đồ' → the job's page counts pages drawn → the PDF downloads (27 pages)."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) not installed")
    page, errors, external = _page(browser, live_server, f"/ranking?month={MONTH}")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("In tập bản đồ")).click()
    assert "/ranking/atlas/" in page.url
    texts, shot = set(), False
    wait_until(page, "document.getElementById('atlas-progress').max > 1", timeout=120)
    for _ in range(2400):  # until ready, noting what the page says meanwhile
        text = page.locator("#atlas-progress-text").inner_text()
        texts.add(text)
        if not shot and re.fullmatch(r"Đang vẽ trang ([3-9]|1\d|2[0-6])/27…", text):
            shot = True  # a few pages in: what the docs show
            _shot(page, "atlas-progress")
        if page.locator("#atlas-ready").is_visible():
            break
        page.wait_for_timeout(100)
    assert any(re.fullmatch(r"Đang vẽ trang \d+/27…", t) for t in texts), texts
    assert page.locator("#atlas-progress-text").inner_text() == "Đã in xong 27 trang."
    with page.expect_download() as info:
        page.click("#atlas-download")
    download = info.value
    assert re.fullmatch(r"xep-hang-.+-2026-10-atlas-A4-\d{8}-\d{4}\.pdf",
                        download.suggested_filename)
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+27\b", pages)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "2", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert sum(image.histogram()[:128]) > 500  # the khu phố page has ink on it
    assert errors == [] and external == []
