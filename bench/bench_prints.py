"""Prints and desk pages on the demo, each next to a reference measured in the same run.

Run:  .venv/bin/python bench/bench_prints.py [--postgres URL] [--repeat 3] [--compare DIR]

Per backend (a new demo database each): the A3 ranking PDF and the 27-page atlas from the
command line (wall time of ``urbanorder print-ranking``, a new interpreter each run,
reference ``urbanorder --help`` for the start-up share); the atlas as the web's background
job (start to ready) and in one process; the reference for the atlas is one khu phố page
drawn from scratch (as every page was before the sheet was reused) times 27. Pages
(khu phố detail, hotspots, follow-ups) through the Flask stack, first request of a new app
and then warm; their reference is the SQL time of the same request (cursor execute
time). ``--compare DIR`` also times the command-line prints of another checkout (the old
code) on the same databases, runs alternating; command-line rows give wall and CPU time
(user + system). Prints Markdown tables and the load average before/after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.bench_startup import run_timed  # noqa: E402
from models import migrate  # noqa: E402
from models.engine import make_engine  # noqa: E402
from tests.helpers import csrf_token, sign_in  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.demo import load_demo  # noqa: E402

MONTH = "2026-10"
PASSWORDS = {"quantri": "bench-super-2026", "admin": "bench-admin-2026",
             "congan": "bench-police-2026", "dothi": "bench-staff-2026",
             "lanhdao": "bench-leader-2026"}
PAGES = [("khu phố detail", "/ranking/KP07?month=2026-10"),
         ("hotspots", "/hotspots"),
         ("follow-ups", "/boarding-houses/follow-ups")]


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0]


def _median(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} s (best {min(samples):.2f} s)"


def _cli(checkout: Path, url: str, instance: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU time (user + system) of ``urbanorder ARGS`` in a new interpreter."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "DATABASE_URL": url,
           "URBANORDER_INSTANCE": str(instance)}
    wall, cpu, _ = run_timed([sys.executable, "-c", "from webapp.cli import main; main()",
                              *args], checkout, env)
    return wall, cpu


def cli_rows(name: str, url: str, checkouts: list[Path], repeat: int) -> list[tuple]:
    """The command-line prints; with several checkouts their runs alternate (old, new,
    old, new…), so a load that changes during the run weighs on both alike."""
    cases = [("reference: `urbanorder --help` (start-up)", ["--help"]),
             ("`print-ranking --paper A3` (CLI)", ["print-ranking", "--month", MONTH,
                                                   "--paper", "A3", "-o", "{out}"]),
             ("`print-ranking --atlas` 27 pages (CLI)", ["print-ranking", "--month", MONTH,
                                                         "--atlas", "-o", "{out}"])]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out, instance = str(Path(tmp) / "out.pdf"), Path(tmp)
        for label, args in cases:
            samples = {checkout: [] for checkout in checkouts}
            for _ in range(repeat):
                for checkout in checkouts:
                    samples[checkout].append(_cli(checkout, url, instance,
                                                  *(a.format(out=out) for a in args)))
            for checkout, runs in samples.items():
                tag = "" if checkout == ROOT else f" [{checkout}]"
                rows.append((name, label + tag, _median([wall for wall, _ in runs]) +
                             f"; CPU {_median([cpu for _, cpu in runs])}"))
    return rows


def atlas_rows(name: str, app, repeat: int) -> list[tuple]:
    from geo import printmap
    from webapp import printing
    from webapp.extensions import db
    from webapp.services.wards import ward_named

    captured: dict = {}
    real = printmap.ranking_pdf

    def capture(layers, rows, meta, paper, atlas=False, **kw):
        captured.update(layers=layers, rows=rows, meta=meta)
        return real(layers, rows, meta, paper, atlas, **kw)

    rows_out = []
    with app.app_context(), db.engine.connect() as conn:
        ward = ward_named(conn, None, "bench")
        printmap.ranking_pdf = capture
        try:
            printing.ranking_pdf(conn, ward, MONTH, "A4")
        finally:
            printmap.ranking_pdf = real
        layers, rows, meta = captured["layers"], captured["rows"], captured["meta"]
        code = sorted(layers["neighbourhoods"]["code"])[6]
        one_page = []
        for _ in range(repeat):  # a fresh sheet for one page: the old per-page cost
            started = time.perf_counter()
            printmap.atlas_run_pdf(layers, rows, meta, "A4", False, [code])
            one_page.append(time.perf_counter() - started)
        rows_out.append((name, "reference: one khu phố page drawn from scratch × 27",
                         _median([27 * s for s in one_page])))
        for label, workers in [("atlas 27 pages, one process (reused sheet)", 1),
                               ("atlas 27 pages, one process per core", None)]:
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                printing.ranking_pdf(conn, ward, MONTH, "A4", atlas=True, workers=workers)
                samples.append(time.perf_counter() - started)
            rows_out.append((name, label + " (in process)", _median(samples)))
    return rows_out


def job_rows(name: str, app, repeat: int) -> list[tuple]:
    client = app.test_client()
    sign_in(client, "lanhdao", PASSWORDS["lanhdao"])
    token = csrf_token(client, "/ranking")
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        job = client.post("/ranking/atlas", data={"csrf_token": token, "month": MONTH,
                                                  "paper": "A4"}).headers["Location"]
        while client.get(job + ".json").get_json()["status"] == "running":
            time.sleep(0.1)
        samples.append(time.perf_counter() - started)
    return [(name, "atlas as the web's background job: start → ready", _median(samples))]


def page_rows(name: str, url: str, repeat: int) -> list[tuple]:
    rows = []
    for label, path in PAGES:
        app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        client = app.test_client()
        sign_in(client, "congan", PASSWORDS["congan"])
        sql = [0.0]
        engine = app.extensions["urbanorder_engine"]

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, many):
            context._bench_started = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, params, context, many, sql=sql):
            sql[0] += time.perf_counter() - context._bench_started

        timings, sql_times = [], []
        for _ in range(repeat + 1):
            sql[0] = 0.0
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
            sql_times.append(sql[0])
            assert response.status_code == 200, (path, response.status_code)
        rows.append((name, f"{label}: first request of a new app", f"{timings[0]:.2f} s"))
        rows.append((name, f"{label}: warm", _median(timings[1:])))
        rows.append((name, f"reference: {label}'s SQL (warm)", _median(sql_times[1:])))
        engine.dispose()
    return rows


def _postgres_database(admin_url: str) -> tuple[str, callable]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"bench_prints_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="admin URL of a PostGIS server (adds that backend)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another checkout for the CLI prints")
    parser.add_argument("--cli-only", action="store_true",
                        help="only the command-line prints (not the pages and the atlas)")
    args = parser.parse_args()
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SpatiaLite", f"sqlite:///{Path(tmp) / 'demo.db'}", lambda: None)]
        if args.postgres:
            backends.append(("PostGIS", *_postgres_database(args.postgres)))
        for name, url, drop in backends:
            try:
                engine = make_engine(url)
                migrate.upgrade(engine)
                load_demo(engine, passwords=PASSWORDS)
                engine.dispose()
                app = create_app({"DATABASE_URL": url, "TILE_URL": "", "SECRET_KEY": "bench",
                                  "RATELIMIT_ENABLED": False, "INSTANCE_DIR": Path(tmp)})
                if not args.cli_only:
                    results += page_rows(name, url, args.repeat)
                    results += atlas_rows(name, app, args.repeat)
                    results += job_rows(name, app, args.repeat)
                app.extensions["urbanorder_engine"].dispose()
                checkouts = [ROOT] + ([args.compare] if args.compare else [])
                print(f"{name}: load average {load()} before the command-line prints")
                results += cli_rows(name, url, checkouts, args.repeat)
            finally:
                drop()
    print("| backend | measurement | median |\n|---|---|---|")
    for row in results:
        print("| " + " | ".join(row) + " |")
    print(f"load average after: {load()}")


if __name__ == "__main__":  # the atlas's worker processes import this module again
    main()
