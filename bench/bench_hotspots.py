"""Hotspots benchmark: our convolution Gi* against PySAL esda, side by side in one run.

Run:  .venv/bin/python bench/bench_hotspots.py [--incidents 200000] [--cell 50]
          [--distance-cells 1.5 3] [--repeat 7] [--esda-repeat 3]
Needs esda and libpysal (not runtime dependencies). Generates the synthetic ward with
200,000 incidents (fixed seed), builds the 50 m grid once, then times, median of runs:
(a) ``geo.gi_star.getis_ord_gi_star``; (b) esda: ``DistanceBand`` weights on the cell
centres + ``G_Local(star=True, transform="B", permutations=0)``, and ``G_Local`` alone on
prebuilt weights. Asserts max |Δz| < 1e-6, then measures peak traced memory (tracemalloc,
separate runs so tracing does not slow the timed ones). Prints a Markdown table; figures are
recorded in bench/README.md.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from esda import G_Local  # noqa: E402
from libpysal.weights import DistanceBand  # noqa: E402

from geo.gi_star import getis_ord_gi_star  # noqa: E402
from geo.hotspots import hotspots, incident_grid  # noqa: E402
from geo.synthetic import METRIC_EPSG, generate_ward  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples), result


def peak_mib(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--boarding-houses", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cell", type=float, default=50.0)
    parser.add_argument("--distance-cells", type=float, nargs="+", default=[1.5, 3.0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--esda-repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # libpysal's island / esda's "Gi* requested" notices

    started = time.perf_counter()
    data = generate_ward(args.seed, boarding_houses=args.boarding_houses,
                         incidents=args.incidents)
    generate_s = time.perf_counter() - started
    incidents, ward = data["incidents"], data["ward"]
    grid_s, _, grid = timed(lambda: incident_grid(incidents, ward, METRIC_EPSG, args.cell), 3)
    y = grid.counts[grid.mask].astype(float)
    centres = grid.centres()
    print(f"Python {platform.python_version()}, numpy {np.__version__}; "
          f"generate_ward({args.seed}, incidents={args.incidents:,}): {fmt(generate_s)}")
    print(f"grid {grid.shape[0]}×{grid.shape[1]} at {args.cell:g} m: {grid.n_cells:,} "
          f"study-area cells, {int(grid.counts.sum()):,} incidents counted "
          f"({grid.outside} outside), max {int(grid.counts.max())} a cell, "
          f"incident_grid {fmt(grid_s)} (median of 3)\n")
    print("| band | measurement | median | best | peak traced memory |")
    print("|---|---|---|---|---|")

    for cells in args.distance_cells:
        distance = cells * args.cell
        band = f"{distance:g} m ({cells:g} cells)"

        def ours(distance=distance):
            return getis_ord_gi_star(grid, distance)

        def weights(distance=distance):
            return DistanceBand(centres, distance, binary=True, silence_warnings=True)

        def statistic(w):
            return G_Local(y, w, transform="B", star=True, permutations=0)

        ours_med, ours_best, (z, _) = timed(ours, args.repeat)
        full_med, full_best, lg = timed(lambda: statistic(weights()), args.esda_repeat)
        w = weights()
        stat_med, stat_best, lg2 = timed(lambda w=w: statistic(w), args.esda_repeat)
        dz = max(np.abs(z[grid.mask] - lg.Zs).max(), np.abs(z[grid.mask] - lg2.Zs).max())
        assert dz < 1e-6, f"max |Δz| = {dz}"
        neighbours = int(np.median(np.asarray(w.sparse.sum(axis=1)).ravel())) + 1
        mem_ours = peak_mib(ours)
        mem_esda = peak_mib(lambda: statistic(weights()))
        mem_stat = peak_mib(lambda w=w: statistic(w))
        print(f"| {band} | ours: `getis_ord_gi_star` | {fmt(ours_med)} | {fmt(ours_best)} "
              f"| {mem_ours:,.1f} MiB |")
        print(f"| {band} | esda: `DistanceBand` + `G_Local` | {fmt(full_med)} "
              f"| {fmt(full_best)} | {mem_esda:,.1f} MiB |")
        print(f"| {band} | esda: `G_Local` on prebuilt weights | {fmt(stat_med)} "
              f"| {fmt(stat_best)} | {mem_stat:,.1f} MiB |")
        print(f"| {band} | speed-up vs weights + statistic / statistic only "
              f"| **{full_med / ours_med:,.0f}×** / **{stat_med / ours_med:,.0f}×** "
              f"| max abs Δz {dz:.1e} | {neighbours} cells a window |")

    end_s, _, cells_gdf = timed(
        lambda: hotspots(incidents, ward, METRIC_EPSG, cell_m=args.cell), 3)
    hot = int(cells_gdf["cls"].str.startswith("hot").sum())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nEnd to end `hotspots()` (grid + Gi* + FDR classes + cell polygons in EPSG:4326): "
          f"{fmt(end_s)} (median of 3), {hot:,} hot cells. Process peak RSS {rss:,.0f} MiB.")


if __name__ == "__main__":
    main()
