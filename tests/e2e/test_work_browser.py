"""The task pages in Debian's headless Chromium: a khu phố head, on a phone, sees the late
task their unit co-operates on flagged, updates progress with a photo and submits the
unit's Bảng 3; the leader reads the per-unit overview at a desk. Screenshots at 360×740
and 1280×800 go to the test's folder (URBANORDER_SCREENSHOTS to keep them elsewhere)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.conftest import demo_database, serve, wait_until, with_session

pytestmark = pytest.mark.e2e

HEAD, HEAD_PASSWORD = "truongkp1", "truong-khu-pho-1-pass"
KP_UNIT = "Ban điều hành khu phố 1"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN"}
DESK = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"}


@pytest.fixture(scope="module")
def work_server(tmp_path_factory):
    from sqlalchemy import select

    from models import queries
    from models import work_queries as store
    from models.work import WorkUnit
    from webapp import create_app
    from webapp.demo import DEMO_WARD
    from webapp.users import create_user

    url, engine = demo_database(tmp_path_factory, "work-e2e", boarding_houses=60,
                                incidents=120)
    with engine.begin() as tx:
        ward = queries.ward_by_code(tx, DEMO_WARD)
        head_id, _ = create_user(tx, ward.id, HEAD, "khu_pho_head", HEAD_PASSWORD)
        unit_id = tx.execute(select(WorkUnit.id).where(WorkUnit.ward_id == ward.id,
                                                       WorkUnit.name == KP_UNIT)).scalar_one()
        store.add_member(tx, ward.id, unit_id, head_id, "Trưởng khu phố")
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e",
                      "INSTANCE_DIR": tmp_path_factory.mktemp("instance")})
    base, server = serve(app, url)
    base.unit_id = unit_id
    yield base
    server.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("URBANORDER_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("work-shots")


def _photo(path: Path) -> Path:
    image = Image.new("RGB", (1200, 800), (40, 120, 60))
    exif = Image.Exif()
    exif[0x0110] = "Phone Model X"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _fits(page, width: int) -> None:
    wider = page.evaluate(f"""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > {width} + 0.5)
        .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' +
             Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wider


def test_a_khu_pho_head_updates_progress_and_submits_the_report_on_a_phone(
        browser, work_server, shots, tmp_path):
    context = with_session(browser.new_context(**PHONE), work_server, HEAD, HEAD_PASSWORD)
    page = context.new_page()
    errors = _watch(page)
    page.goto(f"{work_server}/tasks")
    assert page.url.endswith("/tasks")
    # The late task their unit co-operates on (2.1, Công an leads) is flagged.
    late = page.locator("#tasks-table tbody tr", has_text="Rà soát, phân loại 100% cơ sở")
    assert late.count() == 1 and "Quá hạn" in late.inner_text()
    _fits(page, 360)
    page.screenshot(path=str(shots / "tasks-phone.png"), full_page=True)
    late.locator("a").first.click()
    page.wait_for_selector("#progress-form")
    page.fill("#progress-form input[name=percent]", "85")
    page.fill("#progress-form textarea[name=note]", "Khu phố 1 đã rà soát thêm 12 cơ sở")
    page.set_input_files("#progress-form input[name=files]", str(_photo(tmp_path / "anh.jpg")))
    page.click("#save-progress")
    page.wait_for_selector("#progress-table")
    row = page.locator("#progress-table tbody tr", has_text="rà soát thêm 12 cơ sở")
    assert row.count() == 1 and "anh.jpg" in row.inner_text()
    assert "85" in page.locator("#task-percent").inner_text()
    # The photo is served back without its EXIF.
    href = row.locator("a.evidence-link").first.get_attribute("href")
    served = page.request.get(f"{work_server}{href}")
    assert served.ok and b"Phone Model X" not in served.body()
    _fits(page, 360)
    page.screenshot(path=str(shots / "task-phone.png"), full_page=True)
    # The unit's Bảng 3 (rows: the tasks it leads), pre-filled from the data, submitted.
    page.goto(f"{work_server}/tasks/units/{work_server.unit_id}/report")
    page.wait_for_selector("#unit-report")
    assert "Ra mắt mô hình nhà trọ" in page.locator("#unit-report").inner_text()
    page.click("#submit-report")
    page.wait_for_selector("#submitted")
    _fits(page, 360)
    page.screenshot(path=str(shots / "unit-report-phone.png"), full_page=True)
    # Their own khu phố's map, drawn from the page's data (no tiles needed).
    page.goto(f"{work_server}/tasks")
    page.click("#own-map-link")
    wait_until(page, "document.body.dataset.mapReady === 'true'")
    assert page.locator("#public-map path").count() >= 1
    assert KP_UNIT.replace("Ban điều hành k", "K") in page.locator("h1").inner_text()
    _fits(page, 360)
    page.screenshot(path=str(shots / "own-map-phone.png"), full_page=True)
    # A khu phố head reaches no other page: the ward's map sends them back to the tasks.
    page.goto(f"{work_server}/")
    assert page.url.endswith("/tasks")
    assert errors == []
    context.close()


def test_the_leader_reads_the_overview_and_the_submission_at_a_desk(browser, work_server,
                                                                    shots):
    context = with_session(browser.new_context(**DESK), work_server, "lanhdao")
    page = context.new_page()
    errors = _watch(page)
    page.goto(f"{work_server}/tasks/overview")
    page.wait_for_selector("#units-overview")
    overview = page.locator("#units-overview").inner_text()
    assert KP_UNIT in overview and "Công an phường" in overview
    flagged = page.locator("#flagged").inner_text()
    assert "Quá hạn" in flagged
    page.screenshot(path=str(shots / "overview-desk.png"), full_page=True)
    page.goto(f"{work_server}/tasks/reports")
    submitted = page.locator("tr", has_text=KP_UNIT)
    assert submitted.count() >= 1
    page.screenshot(path=str(shots / "reports-desk.png"), full_page=True)
    page.goto(f"{work_server}/tasks")
    page.wait_for_selector("#tasks-table")
    page.screenshot(path=str(shots / "tasks-desk.png"), full_page=True)
    assert errors == []
    context.close()
