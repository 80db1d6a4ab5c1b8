"""The ward's public page in Debian's headless Chromium, on a phone, with no tiles and no
sign-in: the khu phố drawn in their published colours, the model streets over them."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import serve, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def public_server(tmp_path_factory):
    from models import migrate
    from models.engine import make_engine
    from tests.webapp.public.test_public_page import _fill
    from webapp import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('public-e2e') / 'e2e.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    _fill(engine, True)
    engine.dispose()
    base, server = serve(create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e"}),
                         url)
    yield base
    server.close()


def test_a_resident_reads_the_public_page_on_a_phone(browser, public_server):
    from webapp.demo import DEMO_WARD

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    errors, external = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: external.append(req.url)
            if not req.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(f"{public_server}/public/{DEMO_WARD}")
    wait_until(page, "document.body.dataset.mapReady === 'true'")
    fills = page.locator("#public-map path").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))")
    assert "#006d2c" in fills and "#d7191c" in fills  # 91.5 at the top, under 50 at the foot
    strokes = page.locator("#public-map path[fill='none']").count()
    assert strokes > 5  # model streets drawn as lines over the khu phố
    assert page.locator("#public-ranking tbody tr").count() > 10
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    assert errors == [] and external == []
    context.close()
