"""Foundation benchmark: demo load time and the incidents endpoint, on both backends.

Run:  .venv/bin/python bench/bench_foundation.py [--postgres URL] [--repeat 7] [--demo-runs 3]
Prints a Markdown table; figures are recorded in bench/README.md.

``--demo-runs N`` also times ``urbanorder demo`` as a user runs it: a new interpreter on a
new, empty database (migration included), N times per backend, wall and CPU time (user +
system) and the two times the command prints itself (the schema's, the demo's), next to
``urbanorder --help`` as the start-up reference of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.bench_startup import run_timed  # noqa: E402
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


@contextmanager
def demo_client(url: str):
    """``(app, engine, client)`` on the demo ward loaded at ``url``, the client signed in as
    urban staff (the layers answer signed-in users only); pools closed afterwards."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    load_demo(engine, replace=True, passwords=PASSWORDS)
    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    sign_in(client, "dothi", PASSWORDS["dothi"])
    try:
        yield app, engine, client
    finally:
        app.extensions["urbanorder_engine"].dispose()
        engine.dispose()


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


ROOT = Path(__file__).resolve().parent.parent
DEMO_SAYS = {"schema": re.compile(r"Cơ sở dữ liệu sẵn sàng \(\w+, ([\d.]+) s\)"),
             "demo": re.compile(r"Đã nạp dữ liệu mô phỏng sau ([\d.]+) s")}


def _urbanorder(url: str, instance: str, *args: str) -> tuple[float, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url,
           "URBANORDER_INSTANCE": instance}
    return run_timed([sys.executable, "-c", "from webapp.cli import main; main()", *args],
                     ROOT, env)


def demo_cli_rows(postgres: str, runs: int) -> list[tuple[str, str, str]]:
    """``urbanorder demo`` on a new database each run (both backends), and ``--help``."""
    samples: dict[str, list[tuple[float, ...]]] = {}

    def once(name: str, url: str) -> list:
        with tempfile.TemporaryDirectory() as instance:
            help_wall, help_cpu, _ = _urbanorder(url, instance, "--help")
            wall, cpu, out = _urbanorder(url, instance, "demo")
        said = [float(DEMO_SAYS[key].search(out).group(1)) for key in ("schema", "demo")]
        samples.setdefault(name, []).append((wall, cpu, *said, help_wall, help_cpu))
        return []

    for _ in range(runs):
        on_both_backends(postgres, once)
    rows = []
    for name, runs_ in samples.items():
        def med(i, runs_=runs_):
            return f"{statistics.median(r[i] for r in runs_):.2f} s"

        rows += [(name, "`urbanorder --help` (reference: start-up), wall / CPU",
                  f"{med(4)} / {med(5)}"),
                 (name, "`urbanorder demo` on an empty database, wall / CPU",
                  f"{med(0)} / {med(1)}"),
                 (name, "… as it reports itself: schema ready / demo loaded",
                  f"{med(2)} / {med(3)}")]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get(
        "URBANORDER_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--demo-runs", type=int, default=0,
                        help="also time `urbanorder demo` from the command line, N runs")
    parser.add_argument("--demo-only", action="store_true",
                        help="only the `urbanorder demo` rows")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    rows = [] if args.demo_only else on_both_backends(
        args.postgres, lambda name, url: bench_backend(name, url, args.repeat))
    if args.demo_runs or args.demo_only:
        rows += demo_cli_rows(args.postgres, args.demo_runs or 3)
    print("| backend | measurement | time |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
