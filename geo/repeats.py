"""Repeat-violation locations: where incidents of one category recur close in space and
time (single-linkage components of an STRtree distance query, no distance matrix)."""

from __future__ import annotations

import numpy as np
import shapely

from geo.crs import STORAGE_EPSG, require_crs, to_metric
from geo.grid_stats import connected_labels
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")


def repeat_locations(incidents: gpd.GeoDataFrame, metric_epsg: int, radius_m: float = 15.0,
                     window_days: float = 90, min_count: int = 3) -> gpd.GeoDataFrame:
    """Places where incidents of one category recur: ≥ ``min_count`` linked incidents.

    Two incidents are linked when they share ``category``, lie within ``radius_m`` metres
    (metric CRS) and were observed at most ``window_days`` apart; a location is a connected
    component of links (single linkage, so a chain may stretch beyond ``radius_m``).

    Returns
    -------
    GeoDataFrame in EPSG:4326, one row per location, sorted by ``count`` descending:
    ``category``, ``count``, ``first_seen``, ``last_seen``, ``members`` (list of index
    labels of ``incidents``) and the members' centroid as a point geometry.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> inc = gpd.GeoDataFrame({"category": ["drugs"] * 3 + ["sanitation"],
    ...     "observed_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01",
    ...                                    "2026-01-15"])},
    ...     geometry=[Point(106.9, 10.85), Point(106.90005, 10.85)] * 2, crs=4326)
    >>> loc = repeat_locations(inc, 5899)
    >>> loc[["category", "count"]].values.tolist(), loc["members"].iloc[0]
    ([['drugs', 3]], [0, 1, 2])
    """
    require_crs(incidents)
    geoms = incidents.geometry
    observed = pd.to_datetime(incidents["observed_at"])
    ok = (geoms.notna() & ~geoms.is_empty & observed.notna()).to_numpy()
    valid, observed = incidents[ok], observed[ok]
    empty = gpd.GeoDataFrame({c: [] for c in ("category", "count", "first_seen", "last_seen",
                                              "members")}, geometry=[], crs=STORAGE_EPSG)
    if len(valid) == 0 or len(valid) < min_count:
        return empty
    metric = to_metric(gpd.GeoDataFrame(geometry=valid.geometry), metric_epsg).geometry
    xy = shapely.get_coordinates(metric.values)
    utc = observed.dt.tz_convert(None) if observed.dt.tz is not None else observed
    time_ns = utc.to_numpy().astype("datetime64[ns]").astype(np.int64)
    category = pd.factorize(valid["category"])[0]
    i, j = shapely.STRtree(metric.values).query(metric.values, predicate="dwithin",
                                                distance=radius_m)
    link = (i < j) & (category[i] == category[j])
    link &= np.abs(time_ns[i] - time_ns[j]) <= int(window_days * 86_400 * 1e9)
    label = connected_labels(len(valid), i[link], j[link])
    frame = pd.DataFrame({"label": label, "category": valid["category"].to_numpy(),
                          "t": observed.array, "x": xy[:, 0], "y": xy[:, 1],
                          "member": valid.index.to_numpy()})
    frame = frame[frame.groupby("label")["label"].transform("size") >= min_count]
    if frame.empty:
        return empty
    out = frame.groupby("label", sort=True).agg(
        category=("category", "first"), count=("member", "size"), first_seen=("t", "min"),
        last_seen=("t", "max"), members=("member", list), x=("x", "mean"), y=("y", "mean"))
    out = out.sort_values(["count", "first_seen"], ascending=[False, True], kind="stable")
    points = gpd.points_from_xy(out.pop("x"), out.pop("y"), crs=metric_epsg)
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry=points.to_crs(STORAGE_EPSG))
