"""Browser-test fixtures: the demo app served on localhost, Debian's headless Chromium."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.databases import made_once, run_folder
from tests.helpers import DEMO_PASSWORDS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# A phone in the ward: 360×740, touch, GPS (±10 m) granted.
WARD_POINT = {"latitude": 10.853, "longitude": 106.925, "accuracy": 10}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN", "permissions": ["geolocation"], "geolocation": WARD_POINT}


class LiveServer(str):
    """The server's base URL (a str, so ``live_server + "/"`` works), its database URL and
    the cookies of its users' sign-ins (``session_cookies``)."""

    database_url: str
    sessions: dict[str, list[dict]]


def _require_chromium():
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Debian chromium is required in CI")
    pytest.skip("Debian chromium is not installed")


def serve(wsgi_app, database_url: str, threads: int = 4):
    """Serve ``wsgi_app`` with waitress on a free localhost port: (LiveServer, server)."""
    from waitress.server import create_server

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queue depth chatter
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(wsgi_app, host="127.0.0.1", port=port, threads=threads)
    threading.Thread(target=server.run, daemon=True).start()
    base = LiveServer(f"http://127.0.0.1:{port}")
    base.database_url, base.sessions = database_url, {}
    return base, server


def demo_database(tmp_path_factory, name: str, **sizes):
    """A new SpatiaLite file holding a demo of ``sizes``: (its URL, an engine on it — the
    caller adds what its tests need and disposes it). Each module's server gets its own
    file, copied from one made once per run and size (by the first xdist worker to ask)."""
    from models.engine import make_engine

    def make(folder: Path) -> dict:
        from models import migrate
        from webapp.demo import load_demo

        made = folder / "demo.db"
        engine = make_engine(f"sqlite:///{made}")
        migrate.upgrade(engine)
        load_demo(engine, passwords=DEMO_PASSWORDS, **sizes)
        with engine.connect() as conn:  # everything in the main file: one file to copy
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return {"path": str(made)}

    key = "-".join(f"{layer}{count}" for layer, count in sorted(sizes.items()))
    demo = made_once(run_folder(tmp_path_factory), f"e2e-demo-{key}", make)
    target = tmp_path_factory.mktemp(name) / "e2e.db"
    shutil.copyfile(demo["path"], target)
    url = f"sqlite:///{target}"
    return url, make_engine(url)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The demo app on SpatiaLite served by waitress on a free localhost port."""
    from webapp import create_app

    url, engine = demo_database(tmp_path_factory, "e2e", boarding_houses=800, incidents=2500)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "e2e",
                      "INSTANCE_DIR": tmp_path_factory.mktemp("instance")})
    base, server = serve(app, url)
    yield base
    server.close()


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium per test process (a launch costs about a second of CPU)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(_chromium):
    """The session's Chromium for a module; what the module left open is closed after it."""
    yield _chromium
    _close_contexts_since(_chromium, ())


@pytest.fixture(autouse=True)
def _close_contexts(request):
    """Close the browser contexts a test opened and left open: an open page keeps running
    its timers and map redraws, which costs Chromium CPU for the rest of the module."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = tuple(browser.contexts)
    yield
    _close_contexts_since(browser, before)


def _close_contexts_since(browser, kept) -> None:
    for context in browser.contexts:
        if context not in kept:
            context.close()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` in the page until truthy.

    Playwright's wait_for_function compiles its predicate with eval, which the app's
    Content-Security-Policy rightly forbids; evaluate() goes through the DevTools protocol.
    The page may be between two documents (a click that loads the next page): then the
    context is gone or ``document.body`` is still null, and the expression is not true
    yet rather than an error; the last such error is in the timeout's message.
    """
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    failure = None
    while True:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError as error:
            failure = error
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}"
                                 + (f" (last error: {failure})" if failure else ""))
        page.wait_for_timeout(100)


FORM = "document.getElementById('record-form')"


def open_field_home(context, base: str):
    """A new page of ``context`` on the field home, opened once online and then controlled by
    the service worker (the field pages open offline from here on): (page, the list its
    page errors go to)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/field/")
    wait_until(page, "document.body.dataset.sw === 'ready' && "
                     "document.body.dataset.homeReady === 'true'")
    page.reload()  # now controlled by the service worker
    wait_until(page, "navigator.serviceWorker.controller !== null")
    return page, errors


def save_record(page) -> str:
    """Press a field form's save button, answering "create new" to the nearby-incident and
    duplicate-house questions; the record's UUID once it is in the outbox."""
    record = page.evaluate(f"{FORM}.dataset.uuid")
    page.click("#save-button")
    for _ in range(300):
        for dialog, button in (("nearby-dialog", "#nearby-new"),
                               ("duplicate-dialog", "#duplicate-new")):
            if page.evaluate(f"document.getElementById('{dialog}')?.open === true"):
                page.click(button)
        if page.evaluate(f"{FORM}.dataset.lastSaved === '{record}' && "
                         f"{FORM}.dataset.busy === 'false'"):
            return record
        page.wait_for_timeout(100)
    raise AssertionError(page.locator("#form-error, #save-hint").all_inner_texts())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # the sign-in's 302 is its answer, not a page to fetch


def session_cookies(server: LiveServer, username: str, password: str | None = None):
    """The cookies of one sign-in of ``username`` on ``server``, posted to the sign-in form
    without a browser once per server and user (Playwright's cookie format). A context that
    adds them starts signed in: a test that is not about signing in opens no sign-in page
    (a page load, a submit and a redirect in Chromium each time). The contexts share one
    server-side session, so none of them signs out; the tests of the form, of signing out
    and of switching users sign in through the page (``sign_in_page``)."""
    if username not in server.sessions:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                             _NoRedirect)
        with opener.open(server + "/auth/login") as answer:
            token = re.search(r'name="csrf-token" content="([^"]+)"', answer.read().decode())
        form = {"username": username, "password": password or DEMO_PASSWORDS[username],
                "csrf_token": token.group(1)}
        try:
            opener.open(server + "/auth/login", urllib.parse.urlencode(form).encode())
        except urllib.error.HTTPError as answer:
            assert answer.code == 302, f"{username} could not sign in: {answer.code}"
        else:
            raise AssertionError(f"{username} could not sign in")
        server.sessions[username] = [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path,
             "expires": c.expires or -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}
            for c in jar]
    return server.sessions[username]


def with_session(context, server: LiveServer, username: str = "dothi",
                 password: str | None = None):
    """``context``, signed in as ``username`` on ``server`` (``session_cookies``)."""
    context.add_cookies(session_cookies(server, username, password))
    return context


def sign_in_page(page, url, username="dothi"):
    """Open ``url``; sign in on the way through the sign-in form (the app sends strangers
    there)."""
    page.goto(url)
    if "/auth/login" in page.url:
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/auth/login" not in u)


@pytest.fixture(scope="module")
def police_session(live_server):
    """Cookies of one police sign-in for a module's contexts (sign-in is rate limited):
    ``browser.new_context(storage_state=police_session)``."""
    return {"cookies": session_cookies(live_server, "congan"), "origins": []}
