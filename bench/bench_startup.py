"""Start-up: building the app and ``urbanorder --help``, against the stack's own imports.

Each measurement is a new interpreter (median of ``--runs``): wall time, CPU time (user +
system of the child: on a machine shared with other jobs the wall time is mostly waiting
for a core, the CPU time much less so) and peak RSS (``ru_maxrss`` of the child). The
reference is importing the libraries every request needs anyway (flask, sqlalchemy,
geoalchemy2, shapely, numpy, argon2) — what start-up cannot go below without dropping one.
"server ready" is ``urbanorder serve`` (waitress, one process; ``--workers 2``: gunicorn)
from its start to its first answer of the sign-in page, on an initialised SQLite database —
also how long the server is down after a crash, before the supervisor's restart delay.
``--compare DIR`` also times another checkout (e.g. a worktree of the commit before a
change), same venv, same run.

    .venv/bin/python bench/bench_startup.py --runs 7 [--compare /tmp/old-checkout]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "reference: import flask, sqlalchemy, geoalchemy2, shapely, numpy, argon2":
        "import flask, sqlalchemy, geoalchemy2, shapely, numpy, argon2",
    "create_app()": "from webapp import create_app\ncreate_app({{'DATABASE_URL': "
                    "'sqlite:///{db}', 'SECRET_KEY': 'bench'}})",
    "urbanorder --help": "import contextlib, io, sys\nsys.argv = ['urbanorder', '--help']\n"
                         "from webapp import cli\nwith contextlib.redirect_stdout(io.StringIO()),"
                         " contextlib.suppress(SystemExit):\n    cli.main()",
}


PEAK = "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def run_timed(argv: list[str], cwd: Path, env: dict) -> tuple[float, float, str]:
    """Run ``argv`` (a new interpreter); its wall time, CPU time (user + system, from the
    children's rusage) and standard output. Shared by the other benchmarks' CLI rows."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, check=True, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout


def _run(code: str, cwd: Path) -> tuple[float, float, float]:
    """Wall and CPU time of a new interpreter running ``code``, and its peak RSS (MiB)."""
    elapsed, cpu, out = run_timed([sys.executable, "-c", code + PEAK], cwd,
                                  {**os.environ, "PYTHONPATH": str(cwd)})
    return elapsed, cpu, int(out.split()[-1]) / 1024  # ru_maxrss is KiB on Linux


def server_ready(cwd: Path, db: str, workers: int, port: int = 5397) -> float:
    """Seconds from starting ``urbanorder serve`` to its first answer of ``/auth/login``."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "DATABASE_URL": f"sqlite:///{db}",
           "SECRET_KEY": "bench-startup"}
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "serve",
               "--port", str(port)] + (["--workers", str(workers)] if workers > 1 else [])
    start = time.perf_counter()
    server = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 60:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=5).close()
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("the server did not answer within 60 s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def measure(cwd: Path, runs: int, db: str) -> dict[str, tuple[float, float, float]]:
    out = {}
    subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()", "init"],
                   cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(cwd), "DATABASE_URL": f"sqlite:///{db}"})
    servers = ((1, "server ready (waitress)"), (2, "server ready (gunicorn, 2 workers)"))
    for workers, label in servers:
        wall = statistics.median(server_ready(cwd, db, workers) for _ in range(runs))
        out[label] = (wall, float("nan"), float("nan"))
    for label, code in CASES.items():
        samples = [_run(code.format(db=db), cwd) for _ in range(runs)]
        out[label] = (statistics.median(s[0] for s in samples),
                      statistics.median(s[1] for s in samples), max(s[2] for s in samples))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/bench.db"
        results = {"this checkout": measure(ROOT, args.runs, db)}
        if args.compare:
            results[str(args.compare)] = measure(args.compare, args.runs, db)
    print("| checkout | measurement | median wall | median CPU | peak RSS |")
    print("|---|---|---|---|---|")
    for checkout, rows in results.items():
        for label, (wall, cpu, peak) in rows.items():
            cpu_s = "—" if cpu != cpu else f"{cpu:.2f} s"  # NaN: a server's CPU is not timed
            peak_s = "—" if peak != peak else f"{peak:.0f} MiB"
            print(f"| {checkout} | {label} | {wall:.2f} s | {cpu_s} | {peak_s} |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
