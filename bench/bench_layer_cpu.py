"""CPU time of this process per layer request (issue 11: the endpoints' fixed cost).

The wall-clock ratio of ``bench_layers.py`` moves with the machine's load; the CPU time the
Python process spends on a request (``time.process_time`` around N test-client requests,
no profiler) hardly does. On SpatiaLite it includes the SQL (the database runs in the
process); on PostGIS it is the Flask, SQLAlchemy and driver side alone. ``--profile`` prints
a cProfile of one query's loop instead, on CPU time, to find what is not the SQL.

Run:  .venv/bin/python bench/bench_layer_cpu.py [--postgres URL] [--requests 200]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_foundation import demo_client, on_both_backends  # noqa: E402
from bench.bench_layers import QUERIES  # noqa: E402

IDENTITY = {"Accept-Encoding": "identity"}


def cpu_per_request(client, path: str, requests: int) -> float:
    """Seconds of this process's CPU per request of ``path`` (after one warm-up)."""
    assert client.get(path, headers=IDENTITY).status_code == 200
    started = time.process_time()
    for _ in range(requests):
        client.get(path, headers=IDENTITY)
    return (time.process_time() - started) / requests


def bench_backend(backend: str, url: str, requests: int, profile: str | None) -> list:
    rows = []
    with demo_client(url) as (_app, _engine, client):
        if profile:
            client.get(profile, headers=IDENTITY)
            profiler = cProfile.Profile(time.process_time)
            profiler.runcall(lambda: [client.get(profile, headers=IDENTITY)
                                      for _ in range(requests)])
            print(f"== {backend}: {profile}", file=sys.stderr)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
            return rows
        for name, query, label in QUERIES:
            cpu = cpu_per_request(client, f"/api/v1/{name}?{query}", requests)
            rows.append((backend, label, f"{cpu * 1000:.2f} ms"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get(
        "URBANORDER_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", metavar="PATH", help="profile this request instead")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    rows = on_both_backends(args.postgres, lambda name, url: bench_backend(
        name, url, args.requests, args.profile))
    print(f"load after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    if rows:
        print("| backend | layer request | CPU per request |")
        print("|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
