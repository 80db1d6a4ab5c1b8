"""GeoPackage reading and writing in a child process.

GDAL's GeoPackage driver brings its own SQLite; in a process that has loaded
mod_spatialite into another SQLite (the SpatiaLite backend), opening a GeoPackage can
crash the whole process (segmentation fault). A child Python process keeps the two
apart; frames cross as pickles between this module and its own child, nothing else.
The child runs ``_main`` (``-c``, not ``-m``: ``geo.io`` imports this module first, and
runpy warns about running a module already imported):

    _main(["read", "FILE.gpkg", "LAYER_HINT", "OUT.pickle"])
    _main(["write", "IN.pickle", "FILE.gpkg", "LAYER"])
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from geo.lazy import deferred
from geo.resources import SOURCE_ROOT

gpd = deferred("geopandas")
CHILD = "import sys; from geo.io.gpkg import _main; _main(sys.argv[1:])"


def _run(*args: str) -> None:
    # cwd: the folder holding ``geo`` (the checkout, or site-packages), importable by -c.
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                          text=True, timeout=600, cwd=SOURCE_ROOT)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise ValueError(lines[-1] if lines else f"GeoPackage: exit {done.returncode}")


def read(path: Path, layer_hint: str | None) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "frame.pickle"
        _run("read", str(path), layer_hint or "", str(out))
        return pickle.loads(out.read_bytes())  # noqa: S301 - written by our own child


def write(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        frame = Path(tmp) / "frame.pickle"
        frame.write_bytes(pickle.dumps(gdf))
        _run("write", str(frame), str(path), layer)


def _main(argv: list[str]) -> None:
    import pyogrio

    from geo.text import fold

    if argv[0] == "read":
        path, hint, out = argv[1:4]
        layers = [name for name, _ in pyogrio.list_layers(path)]
        layer = next((n for n in layers if fold(n) == fold(hint)), None) or next(
            (n for n in layers if pyogrio.read_info(path, layer=n)["features"]), layers[0])
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        Path(out).write_bytes(pickle.dumps(frame))
    elif argv[0] == "write":
        source, path, layer = argv[1:4]
        frame = pickle.loads(Path(source).read_bytes())  # noqa: S301 - from our parent
        frame.to_file(path, driver="GPKG", engine="pyogrio", layer=layer)
    else:
        raise SystemExit(f"unknown command {argv[0]}")
