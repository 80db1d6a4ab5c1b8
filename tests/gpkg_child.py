"""``geo.io.gpkg``'s child process, started once and kept warm for many GeoPackages.

``geo.io.gpkg`` reads and writes each GeoPackage in a new Python process (GDAL's SQLite
and mod_spatialite's must not meet in one process). Each start imports geopandas: half a
second of CPU, and the exchange tests read and write dozens of GeoPackages. Here one child
runs the same ``geo.io.gpkg._main`` for one request after another: still a process apart
from the app's, so the isolation holds, and an error comes back as the per-file child's
last line of stderr would. The tests of ``geo/io`` and of broken uploads keep the real
per-file child.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from geo.resources import SOURCE_ROOT

SERVE = """
import json, os, sys, traceback
from geo.io.gpkg import _main
answers = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # what the libraries print goes to stderr, not among the answers
for line in sys.stdin:
    try:
        _main(json.loads(line))
        answer = None
    except SystemExit as exc:
        answer = str(exc.code)
    except Exception as exc:
        answer = traceback.format_exception_only(exc)[-1].strip()
    answers.write(json.dumps(answer) + "\\n")
    answers.flush()
"""


class WarmChild:
    """``run(*args)``: what ``geo.io.gpkg._run`` does, in the one warm child."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def run(self, *args: str) -> None:
        with self.lock:
            if self.process is None:
                self.process = subprocess.Popen(
                    [sys.executable, "-c", SERVE], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                    cwd=SOURCE_ROOT)
            try:
                self.process.stdin.write(json.dumps(args) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except BrokenPipeError:
                line = ""
            if not line:  # it died (GDAL crashed): the next request starts another
                code, self.process = self.process.wait(), None
                raise ValueError(f"GeoPackage: exit {code}")
        if (error := json.loads(line)) is not None:
            raise ValueError(error)

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
            self.process = None
