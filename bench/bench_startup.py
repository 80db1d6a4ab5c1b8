"""Start-up: building the app and ``urbanorder --help``, against the stack's own imports.

Each measurement is a new interpreter (median of ``--runs``), wall time and peak RSS
(``ru_maxrss`` of the child). The reference is importing the libraries every request
needs anyway (flask, sqlalchemy, geoalchemy2, shapely, numpy, argon2) — what start-up
cannot go below without dropping one. ``--compare DIR`` also times another checkout
(e.g. a worktree of the commit before a change), same venv, same run.

    .venv/bin/python bench/bench_startup.py --runs 7 [--compare /tmp/old-checkout]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def _run(code: str, cwd: Path) -> tuple[float, float]:
    """Wall time of a new interpreter running ``code``, and its own peak RSS (MiB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + PEAK], cwd=cwd, check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(cwd)})
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.split()[-1]) / 1024  # ru_maxrss is KiB on Linux


def measure(cwd: Path, runs: int, db: str) -> dict[str, tuple[float, float]]:
    out = {}
    for label, code in CASES.items():
        times, peaks = [], []
        for _ in range(runs):
            elapsed, peak = _run(code.format(db=db), cwd)
            times.append(elapsed)
            peaks.append(peak)
        out[label] = (statistics.median(times), max(peaks))
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
    print("| checkout | measurement | median wall | peak RSS |")
    print("|---|---|---|---|")
    for checkout, rows in results.items():
        for label, (wall, peak) in rows.items():
            print(f"| {checkout} | {label} | {wall:.2f} s | {peak:.0f} MiB |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
