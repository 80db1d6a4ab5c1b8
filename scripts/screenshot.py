"""Screenshot a page of the app in headless Debian Chromium (for docs/ and for looking).

    .venv/bin/python scripts/screenshot.py --out docs/map.png [--path /?from=2026-06]
        [--size 1366x850] [--view LAT,LON,ZOOM] [--mobile] [--user NAME --password PW]
        [--lang en]

Serves the app (DATABASE_URL or instance/urbanorder.db, no basemap tiles) on a free
localhost port, waits until the map reports its layers loaded, prints page errors.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    # wait_for_function uses eval, which the app's CSP forbids; evaluate() does not.
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--size", default="1366x850")
    parser.add_argument("--view", help="LAT,LON,ZOOM to move the map to before the shot")
    parser.add_argument("--mobile", action="store_true")
    parser.add_argument("--user", help="sign in as this account first")
    parser.add_argument("--password", default=os.environ.get("URBANORDER_PASSWORD", ""))
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--lang", default="vi", help="the interface language (vi, en)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from webapp import create_app

    app = create_app({"TILE_URL": ""})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height},
                                locale="en-GB" if args.lang == "en" else "vi-VN",
                                is_mobile=args.mobile, has_touch=args.mobile)
        # The language switch's cookie: the sign-in page and the pages after it speak it.
        page.context.add_cookies([{"name": "lang", "value": args.lang,
                                   "url": f"http://127.0.0.1:{port}/"}])
        page.on("pageerror", lambda exc: print("page error:", exc, file=sys.stderr))
        if args.user:
            page.goto(f"http://127.0.0.1:{port}/auth/login")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/auth/login" not in url)
        page.goto(f"http://127.0.0.1:{port}{args.path}")
        # The ward map reports its GeoJSON layers, the province view its vector tiles.
        ready = " && ".join(f"(!document.body.dataset.{flag} || "
                            f"document.body.dataset.{flag} === 'true')"
                            for flag in ("layersLoaded", "tilesLoaded"))
        wait_until(page, ready, timeout=120)
        if args.view:
            lat, lon, zoom = args.view.split(",")
            page.evaluate(f"(window.UrbanMap && UrbanMap.map || window.provinceMap)"
                          f".setView([{lat}, {lon}], {zoom})")
            page.wait_for_timeout(500)
            wait_until(page, ready, timeout=120)
        page.wait_for_timeout(800)
        page.screenshot(path=args.out, full_page=args.full_page)
        browser.close()
    server.close()
    print(args.out)


if __name__ == "__main__":
    main()
