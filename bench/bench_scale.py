"""Province-scale benchmarks: assigning 1,000,000 points to khu phố; one ward-month ranking.

    .venv/bin/python bench/bench_scale.py assign [--points 1000000 --wards 100]
    DATABASE_URL=postgresql+psycopg://…/province .venv/bin/python bench/bench_scale.py ranking

The ranking benchmark reads a database filled by `urbanorder synth --wards 100`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from geo.assign import assign_polygon  # noqa: E402
from geo.synthetic import generate_ward  # noqa: E402
from webapp.synth import COLUMNS, STEP_LAT, STEP_LON  # noqa: E402


def _median_time(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def bench_assign(points: int, wards: int, repeat: int) -> None:
    started = time.perf_counter()
    parts = []
    for index in range(wards):
        shift = ((index % COLUMNS) * STEP_LON, -(index // COLUMNS) * STEP_LAT)
        kp = generate_ward(7000 + index, boarding_houses=0, incidents=0,
                           centre_shift=shift)["neighbourhoods"]
        parts.append(kp.assign(id=np.arange(len(kp)) + 1000 * index))
    polygons = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)
    print(f"{len(polygons)} khu phố generated in {time.perf_counter() - started:.0f} s")
    rng = np.random.default_rng(1)
    minx, miny, maxx, maxy = polygons.total_bounds
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(minx, maxx, points),
                                                       rng.uniform(miny, maxy, points)),
                           crs=4326)
    ours, assigned = _median_time(lambda: assign_polygon(pts, polygons), repeat)
    reference, joined = _median_time(
        lambda: gpd.sjoin(pts, polygons[["id", "geometry"]], how="left", predicate="within"),
        repeat)
    inside = joined["id"].dropna()
    inside = inside[~inside.index.duplicated()]
    agree = (assigned.loc[inside.index].astype("int64") == inside.astype("int64")).mean()
    print(f"| assign {points:,} points to {len(polygons):,} khu phố | {ours:.2f} s | "
          f"geopandas.sjoin(within) {reference:.2f} s | ratio {reference / ours:.2f}× | "
          f"agreement {agree:.4%} | {assigned.notna().sum():,} inside |")


def bench_ranking(repeat: int, month: str) -> None:
    from models import queries
    from webapp import create_app
    from webapp.extensions import db
    from webapp.services import analysis

    app = create_app({"TILE_URL": "", "SECRET_KEY": "bench"})
    with app.app_context():
        conn = db.conn
        all_wards = queries.wards(conn)
        counts = {name: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                  for name, table in (("wards", "ward"), ("khu phố", "neighbourhood"),
                                      ("boarding houses", "boarding_house"),
                                      ("incidents", "incident"))}
        print("database:", ", ".join(f"{k}: {v:,}" for k, v in counts.items()))
        for ward in (all_wards[0], all_wards[len(all_wards) // 2], all_wards[-1]):
            analysis.compute(conn, ward, month)  # warm caches and plans
            seconds, rows = _median_time(lambda w=ward: analysis.compute(conn, w, month),
                                         repeat)
            print(f"| {db.engine.dialect.name} | ranking {ward.code} {month} "
                  f"({len(rows)} khu phố, with last month for changes) | {seconds:.3f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["assign", "ranking"])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--wards", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--month", default="2026-10")
    args = parser.parse_args()
    if args.what == "assign":
        bench_assign(args.points, args.wards, args.repeat)
    else:
        if not os.environ.get("DATABASE_URL"):
            parser.error("set DATABASE_URL to a database filled by `urbanorder synth`")
        bench_ranking(args.repeat, args.month)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
