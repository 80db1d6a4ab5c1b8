"""Read throughput of a layer endpoint on the primary alone and on primary + 1 replica, and
what routing costs per request.

Starts its own PostgreSQL primary and a pg_basebackup hot standby (tests/pgcluster.py, as
the replica test does), loads the demo ward, then for each configuration runs ``--workers``
app processes (each its own app and connection pools, as several server workers would be),
every one requesting the layer in a loop for ``--seconds``. Where the queries ran is read
from each cluster's ``pg_stat_database`` (transactions committed during the run).

    .venv/bin/python bench/bench_replicas.py [--workers 4] [--seconds 15]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from models import migrate  # noqa: E402
from models.engine import make_engine  # noqa: E402
from tests.helpers import sign_in  # noqa: E402
from tests.pgcluster import replicated_clusters  # noqa: E402

VIEWPORT = "106.915,10.845,106.935,10.865"  # as bench_foundation: ≈1,100 incidents
LAYER = f"/api/v1/incidents?bbox={VIEWPORT}&limit=20000"
PASSWORD = "bench-staff-2026"
PASSWORDS = {"quantri": "bench-super-2026", "admin": "bench-admin-2026",
             "congan": "bench-police-2026", "dothi": PASSWORD, "lanhdao": "bench-leader-2026"}


def make_app(primary_url: str, replica_urls: list[str]):
    from webapp import create_app

    return create_app({"DATABASE_URL": primary_url, "DATABASE_REPLICA_URLS": replica_urls,
                       "TILE_URL": "", "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})


def worker(primary_url, replica_urls, ready, start, seconds, results) -> None:
    """One server worker's worth of reads: requests done and their latencies."""
    app = make_app(primary_url, replica_urls)
    client = app.test_client()
    sign_in(client, "dothi", PASSWORD)
    assert client.get(LAYER).status_code == 200
    ready.put(True)
    start.wait()
    latencies, until = [], time.perf_counter() + seconds
    while (now := time.perf_counter()) < until:
        response = client.get(LAYER)
        assert response.status_code == 200
        latencies.append(time.perf_counter() - now)
    results.put(latencies)


def commits(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        done = conn.execute(text("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                                 "WHERE datname = current_database()")).scalar()
    engine.dispose()
    return done


def throughput(primary_url, replica_urls, workers: int, seconds: float, stats_urls) -> dict:
    spawn = multiprocessing.get_context("spawn")
    ready, start, results = spawn.Queue(), spawn.Event(), spawn.Queue()
    procs = [spawn.Process(target=worker, args=(primary_url, replica_urls, ready, start,
                                                seconds, results)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    for _ in procs:  # every worker has built its app and signed in
        ready.get(timeout=300)
    time.sleep(1.5)  # their sign-in reaches pg_stat_database before the count
    before = {name: commits(url) for name, url in stats_urls.items()}
    start.set()
    latencies = [x for _ in procs for x in results.get(timeout=seconds + 120)]
    # pg_stat_database is updated when a backend reports (at most each second, or on exit).
    for proc in procs:
        proc.join()
    time.sleep(1.5)
    after = {name: commits(url) for name, url in stats_urls.items()}
    latencies.sort()
    return {"requests": len(latencies), "rate": len(latencies) / seconds,
            "p50": statistics.median(latencies) * 1000,
            "p95": latencies[int(len(latencies) * 0.95)] * 1000,
            "transactions": {name: after[name] - before[name] for name in stats_urls}}


def routing_cost(primary_url: str, replica_urls: list[str], rounds: int) -> dict:
    """Microseconds per request for opening the request's read connection and one query:
    primary only, routed, and routed for a user whose own write the replica must be asked
    about (one more round trip). The three alternate, after a warm-up, so that the
    machine's other load falls on each alike."""
    from flask import session

    from webapp.extensions import OWN_WRITE, db

    apps = {"primary only": make_app(primary_url, []),
            "routed": make_app(primary_url, replica_urls),
            "routed, own write to ask about": make_app(primary_url, replica_urls)}
    asked = apps["routed, own write to ask about"].extensions["urbanorder_replicas"].replicas[0]
    samples: dict[str, list[float]] = {label: [] for label in apps}
    for round_number in range(rounds + 100):
        for label, app in apps.items():
            with app.test_request_context("/api/v1/incidents", method="GET"):
                if label.endswith("ask about") and asked.replayed:
                    session[OWN_WRITE] = [time.time(), asked.replayed]
                    asked.replayed -= 1  # known as just short of it: the replica is asked
                started = time.perf_counter()
                db.conn.execute(text("SELECT 1")).scalar()
                if round_number >= 100:
                    samples[label].append(time.perf_counter() - started)
    for app in apps.values():
        with app.app_context():
            if db.replicas is not None:
                db.replicas.dispose()
            db.engine.dispose()
    return {label: (statistics.median(values) * 1e6, statistics.fmean(values) * 1e6)
            for label, values in samples.items()}


def database_share(primary_url: str, rounds: int) -> tuple[float, float]:
    """Median milliseconds of one layer request, and of its statements in the database
    (cursor execute to return, rows fetched included): what a replica can take over."""
    from sqlalchemy import event

    from webapp.extensions import db

    app = make_app(primary_url, [])
    client = app.test_client()
    sign_in(client, "dothi", PASSWORD)
    spent: list[float] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_a: spent.append(-time.perf_counter()))
        event.listen(db.engine, "after_cursor_execute",
                     lambda *_a: spent.append(time.perf_counter()))
    whole, inside = [], []
    for _ in range(rounds):
        spent.clear()
        started = time.perf_counter()
        assert client.get(LAYER).status_code == 200
        whole.append(time.perf_counter() - started)
        inside.append(sum(spent))
    with app.app_context():
        db.engine.dispose()
    return statistics.median(whole) * 1000, statistics.median(inside) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    from webapp.demo import load_demo

    with replicated_clusters(replicas=1) as (primary, replicas):
        admin = create_engine(primary.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE urbanorder"))
        admin.dispose()
        primary_url, replica_url = primary.url("urbanorder"), replicas[0].url("urbanorder")
        engine = make_engine(primary_url)
        migrate.upgrade(engine)
        counts = load_demo(engine, passwords=PASSWORDS)
        engine.dispose()
        time.sleep(2)  # the replica replays the load
        print(f"demo: {counts['incidents']} incidents, {counts['boarding_houses']} houses; "
              f"{args.workers} workers × {args.seconds:.0f} s on {LAYER}")
        stats = {"primary": primary_url, "replica": replica_url}
        print("| configuration | requests/s | p50 | p95 | transactions on primary / replica |")
        print("|---|---|---|---|---|")
        # Alternated, twice: the machine's other load changes from minute to minute.
        for label, urls in (("primary only", []), ("primary + 1 replica", [replica_url])) * 2:
            run = throughput(primary_url, urls, args.workers, args.seconds, stats)
            print(f"| {label} | {run['rate']:.1f} | {run['p50']:.0f} ms | {run['p95']:.0f} ms "
                  f"| {run['transactions']['primary']} / {run['transactions']['replica']} |")
        whole, inside = database_share(primary_url, 30)
        print(f"\none layer request, one process: {whole:.0f} ms, of which {inside:.0f} ms in "
              "the database's statements")
        print("\n| read connection + SELECT 1 | median µs | mean µs (with the checks) |")
        print("|---|---|---|")
        for label, (median, mean) in routing_cost(primary_url, [replica_url],
                                                  args.rounds).items():
            print(f"| {label} | {median:.0f} | {mean:.0f} |")


if __name__ == "__main__":
    main()
