"""Foundation benchmark: demo load time and the incidents endpoint, on both backends.

Run:  .venv/bin/python bench/bench_foundation.py [--postgres URL] [--repeat 7]
Prints a Markdown table; figures are recorded in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from models import migrate  # noqa: E402
from models.engine import make_engine  # noqa: E402
from tests.helpers import sign_in  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.demo import load_demo  # noqa: E402

VIEWPORT = "106.915,10.845,106.935,10.865"  # ≈2.2 × 2.2 km around QL51 at zoom 15
PASSWORDS = {"quantri": "bench-super-2026", "admin": "bench-admin-2026",
             "congan": "bench-police-2026", "dothi": "bench-staff-2026",
             "lanhdao": "bench-leader-2026"}


def on_both_backends(postgres: str, bench) -> list:
    """``bench(backend name, url)`` on a new SpatiaLite file and a new PostgreSQL database
    (dropped afterwards); the rows of both."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = list(bench("SpatiaLite", f"sqlite:///{tmp}/bench.db"))
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    database = f"urbanorder_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        url = make_url(postgres).set(database=database).render_as_string(hide_password=False)
        rows += bench("PostGIS", url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
    return rows


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples)


def bench_backend(name: str, url: str, repeat: int) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    counts = load_demo(engine, replace=True, passwords=PASSWORDS)
    load_s = time.perf_counter() - started
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    sign_in(client, "dothi", PASSWORDS["dothi"])  # the API answers signed-in users only
    rows = [(name, f"load demo ({counts['boarding_houses']} houses, "
                   f"{counts['incidents']} incidents)", f"{load_s:.2f} s")]
    for label, query in [
        ("incidents, whole ward, one page of 5000", "/api/v1/incidents?limit=5000"),
        ("incidents, whole ward, 2026 only", "/api/v1/incidents?from=2026-01-01&limit=20000"),
        ("incidents, viewport bbox", f"/api/v1/incidents?bbox={VIEWPORT}&limit=20000"),
        ("boarding houses, viewport bbox", f"/api/v1/boarding-houses?bbox={VIEWPORT}"),
    ]:
        body = json.loads(client.get(query).data)  # not get_json: the app limits client JSON
        median, best = timed(lambda q=query: client.get(q), repeat)
        rows.append((name, f"{label} → {body['numberReturned']} features",
                     f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms)"))
    rows += _transfer_rows(name, client, repeat)
    app.extensions["urbanorder_engine"].dispose()
    return rows


def _transfer_rows(name: str, client, repeat: int) -> list[tuple[str, str, str]]:
    """The whole ward's boarding houses as the map moves them: bytes and time per encoding,
    and a revalidation of the unchanged layer (If-None-Match → 304)."""
    url, rows = "/api/v1/boarding-houses?limit=20000", []
    for encoding in ("identity", "gzip", "br"):
        headers = {"Accept-Encoding": encoding}
        size = len(client.get(url, headers=headers).data)
        median, best = timed(lambda h=headers: client.get(url, headers=h), repeat)
        rows.append((name, f"boarding houses, whole ward, {encoding}: {size / 1024:,.0f} KiB",
                     f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms)"))
    etag = client.get(url).headers["ETag"]
    headers = {"If-None-Match": etag, "Accept-Encoding": "gzip"}
    assert client.get(url, headers=headers).status_code == 304
    median, best = timed(lambda: client.get(url, headers=headers), repeat)
    rows.append((name, "boarding houses, whole ward, unchanged: 304",
                 f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms)"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get(
        "URBANORDER_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = on_both_backends(args.postgres, lambda name, url: bench_backend(
        name, url, args.repeat))
    print("| backend | measurement | time |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
