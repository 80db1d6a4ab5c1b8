"""The desk page of a register entry in Chromium (1280×800): photos a khu phố head sent by
Zalo added from files, a wrong one removed after the page asks, thumbnails shown."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import shapely
from PIL import Image
from sqlalchemy import select

from models import photos as photo_store
from models import registers as store
from models import writes
from models.engine import make_engine
from models.tables import Photo, Ward
from tests.e2e.conftest import WARD_POINT, wait_until, with_session
from tests.e2e.test_registers_browser import trees  # noqa: F401 (the preset in the ward)
from webapp.services.photos import clean_photo

pytestmark = pytest.mark.e2e
DESK = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"}


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def tree_entry(live_server, trees):  # noqa: F811
    """A tree of the trees preset with one photo (the wrong one): (its page's path, id)."""
    engine = make_engine(live_server.database_url)
    with engine.begin() as conn:
        ward_id = conn.execute(select(Ward.id)).scalars().first()
        type_id = store.type_by_code(conn, ward_id, trees).id
        point = shapely.Point(WARD_POINT["longitude"], WARD_POINT["latitude"])
        entry_id = store.insert_entry(conn, {
            "ward_id": ward_id, "register_type_id": type_id,
            "attributes": {"species": "Sao đen", "condition": "pruning", "height_m": 12.5}},
            writes.ewkt(point))
        photo = clean_photo(_jpeg((90, 90, 90)), "sai.jpg")
        photo_store.add_photo(conn, ward_id, "register_entry", entry_id, data=photo.data,
                          content_type="image/jpeg", width=photo.width, height=photo.height,
                          sha256=photo.sha256, user_id=None)
    engine.dispose()
    return f"/registers/{trees}/{entry_id}", entry_id


def _photo_ids(url: str, entry_id: int) -> list[int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = list(conn.execute(select(Photo.id).where(
            Photo.entity == "register_entry", Photo.entity_id == entry_id)
            .order_by(Photo.id)).scalars())
    engine.dispose()
    return found


def test_desk_adds_and_removes_an_entry_photo(browser, live_server, tree_entry, tmp_path):
    path, entry_id = tree_entry
    (wrong,) = _photo_ids(live_server.database_url, entry_id)
    context = with_session(browser.new_context(**DESK), live_server, "congan")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + path)
    files = []
    for name, colour in (("zalo-1.jpg", (46, 125, 50)), ("zalo-2.jpg", (200, 120, 30))):
        files.append(tmp_path / name)
        files[-1].write_bytes(_jpeg(colour))
    page.set_input_files("#entry-photos input[type=file]", [str(f) for f in files])
    page.check(f"input[name=remove_photos][value='{wrong}']")

    questions: list[str] = []

    def answer(dialog, accept: bool):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("#entry-form button[type=submit]")
    page.wait_for_timeout(300)
    assert questions and "Xoá các ảnh đã chọn" in questions[0]
    assert _photo_ids(live_server.database_url, entry_id) == [wrong]  # refused: nothing sent

    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        page.click("#entry-form button[type=submit]")
    assert "Đã lưu." in page.inner_text("main")
    kept = _photo_ids(live_server.database_url, entry_id)
    assert len(kept) == 2 and wrong not in kept
    assert page.locator("ul.thumbs:not(.photo-edit) img").count() == 2
    assert page.locator("input[name=remove_photos]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.evaluate("document.getElementById('entry-photos').scrollIntoView({block: 'center'})")
    wait_until(page, "[...document.querySelectorAll('.thumbs img')]"
                     ".every((img) => img.complete && img.naturalWidth > 0)")
    folder = Path(os.environ.get("URBANORDER_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / "register-photos-form.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / "register-photos.png"))
    assert (folder / "register-photos.png").stat().st_size > 10_000
    assert errors == []
    context.close()
