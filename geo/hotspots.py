"""Where incidents concentrate: Getis-Ord Gi* hotspots on a metric grid (the places where
one kind recurs are ``geo.repeats``).

The incidents of a period are selected, counted on square cells covering the study area and
scored and classified by ``geo.gi_star``; touching hot cells are grouped into areas.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely

from geo.crs import metric_transformer, project_to_metric, require_crs
from geo.gi_star import Grid, classify, getis_ord_gi_star
from geo.grid_stats import touching_areas
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")


def _metric_boundary(boundary, metric_epsg: int):
    """``boundary`` (shapely geometry in lon/lat, or GeoDataFrame/GeoSeries) in metres."""
    framed = isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries)
    geom = require_crs(boundary).union_all() if framed else boundary
    if not isinstance(geom, shapely.Geometry) or geom.is_empty or geom.area == 0:
        raise ValueError("boundary must be a non-empty polygon in EPSG:4326")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError("boundary must be in EPSG:4326 (lon/lat degrees)")
    return project_to_metric(geom, metric_epsg)


def incident_grid(incidents: gpd.GeoDataFrame, boundary, metric_epsg: int,
                  cell_m: float = 50.0) -> Grid:
    """Count incidents on a regular grid of ``cell_m`` squares covering ``boundary``.

    Parameters
    ----------
    incidents : GeoDataFrame of points in EPSG:4326
    boundary : shapely (Multi)Polygon in lon/lat, or a GeoDataFrame/GeoSeries in EPSG:4326
        (unioned), e.g. the ward
    metric_epsg : int, the ward's metric CRS (VN-2000 TM-3)
    cell_m : float, cell size in metres

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> ward = box(106.900, 10.850, 106.905, 10.855)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.9021, 10.8521)] * 3, crs=4326)
    >>> grid = incident_grid(pts, ward, 5899, cell_m=100)
    >>> int(grid.counts.sum()), grid.n_cells, grid.x0 % 100, grid.outside
    (3, 25, 0.0, 0)
    """
    require_crs(incidents)
    if not cell_m > 0:
        raise ValueError("cell_m must be positive")
    area = _metric_boundary(boundary, metric_epsg)
    minx, miny, maxx, maxy = area.bounds
    x0, y0 = np.floor(minx / cell_m) * cell_m, np.floor(miny / cell_m) * cell_m
    cols = max(int(np.ceil((maxx - x0) / cell_m)), 1)
    rows = max(int(np.ceil((maxy - y0) / cell_m)), 1)
    cx = x0 + (np.arange(cols) + 0.5) * cell_m
    cy = y0 + (np.arange(rows) + 0.5) * cell_m
    shapely.prepare(area)
    mask = shapely.contains_xy(area, *np.meshgrid(cx, cy))
    counts = np.zeros((rows, cols), dtype=np.int64)
    geoms = incidents.geometry
    geoms = geoms[geoms.notna() & ~geoms.is_empty]
    if geoms.empty:
        return Grid(counts, mask, float(x0), float(y0), float(cell_m), metric_epsg, 0)
    # Project bare coordinates: much faster than GeoDataFrame.to_crs for 200,000 points.
    pts = np.asarray(geoms.values)
    if (shapely.get_type_id(pts) != 0).any():
        pts = shapely.centroid(pts)
    x, y = metric_transformer(metric_epsg).transform(shapely.get_x(pts), shapely.get_y(pts))
    c = np.floor((x - x0) / cell_m).astype(np.int64)
    r = np.floor((y - y0) / cell_m).astype(np.int64)
    inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
    inside[inside] = mask[r[inside], c[inside]]
    counts += np.bincount(r[inside] * cols + c[inside], minlength=rows * cols).reshape(rows, cols)
    return Grid(counts, mask, float(x0), float(y0), float(cell_m), metric_epsg,
                int((~inside).sum()))


def _end_of(value, tz) -> tuple[pd.Timestamp, bool]:
    """``(timestamp, inclusive)`` upper bound: a bare date covers its whole day."""
    ts = pd.Timestamp(value)
    if tz is not None and ts.tz is None:
        ts = ts.tz_localize(tz)
    whole_day = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    whole_day = whole_day or (isinstance(value, str) and len(value.strip()) <= 10)
    return (ts + pd.Timedelta(days=1), False) if whole_day else (ts, True)


def select_incidents(incidents: gpd.GeoDataFrame, categories=None, start=None,
                     end=None) -> gpd.GeoDataFrame:
    """Incidents of ``categories`` (a code or an iterable of codes) observed in [start, end].

    ``start``/``end`` are date-likes, both inclusive; an ``end`` given as a date (or a
    "YYYY-MM-DD" string) includes that whole day.

    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> inc = gpd.GeoDataFrame({"category": ["drugs", "sanitation", "drugs"],
    ...     "observed_at": pd.to_datetime(["2026-01-01 08:00", "2026-01-02 09:00",
    ...                                    "2026-02-01 10:00"])},
    ...     geometry=[Point(106.9, 10.85)] * 3, crs=4326)
    >>> select_incidents(inc, "drugs", end="2026-02-01").index.tolist()
    [0, 2]
    """
    keep = pd.Series(True, index=incidents.index)
    if categories is not None:
        categories = [categories] if isinstance(categories, str) else list(categories)
        keep &= incidents["category"].isin(categories)
    if start is not None or end is not None:
        observed = pd.to_datetime(incidents["observed_at"])
        tz = getattr(observed.dt, "tz", None)
        if start is not None:
            lo = pd.Timestamp(start)
            keep &= observed >= (lo.tz_localize(tz) if tz is not None and lo.tz is None else lo)
        if end is not None:
            hi, inclusive = _end_of(end, tz)
            keep &= (observed <= hi) if inclusive else (observed < hi)
    return incidents[keep.to_numpy()]


def hotspots(incidents: gpd.GeoDataFrame, boundary, metric_epsg: int, cell_m: float = 50.0,
             distance_m: float | None = None, categories=None, start=None, end=None,
             alpha_levels=(0.10, 0.05, 0.01), fdr: bool = True) -> gpd.GeoDataFrame:
    """Gi* hotspot map: study-area cells with ``count``, ``z``, ``p``, ``cls``, worst first.

    Incidents are filtered by ``categories`` and [``start``, ``end``] (see
    :func:`select_incidents`), counted on :func:`incident_grid`, scored by
    :func:`getis_ord_gi_star` and classified by :func:`classify`.

    Returns
    -------
    GeoDataFrame in EPSG:4326 (cell polygons) with ``row``, ``col``, ``count``, ``z``,
    ``p``, ``cls``, sorted by ``z`` descending.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> ward = box(106.90, 10.85, 106.91, 10.86)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.9051, 10.8551)] * 30
    ...                        + [Point(106.9012, 10.8523)], crs=4326)
    >>> hs = hotspots(pts, ward, 5899, cell_m=100)
    >>> int(hs["count"].iloc[0]), hs["cls"].iloc[0], len(hs)
    (30, 'hot_99', 121)
    """
    require_crs(incidents)
    grid = incident_grid(select_incidents(incidents, categories, start, end), boundary,
                         metric_epsg, cell_m)
    z, p = getis_ord_gi_star(grid, distance_m)
    cells = grid.cells(z=z, p=p, cls=classify(z, p, alpha_levels, fdr))
    order = np.lexsort((cells["col"], cells["row"], -cells["count"], -cells["z"].to_numpy()))
    return cells.iloc[order].reset_index(drop=True)


def hotspot_areas(cells: pd.DataFrame) -> pd.DataFrame:
    """Group touching hot cells (8-neighbourhood) into hotspot areas, worst first.

    ``cells`` is the output of :func:`hotspots` (``row``, ``col``, ``count``, ``z``, ``cls``).
    Each area reports its cells, incidents, strongest class and its peak cell's index in
    ``cells`` — what a ward officer acts on, rather than single 50 m cells.

    >>> import pandas as pd
    >>> cells = pd.DataFrame({"row": [0, 0, 5], "col": [0, 1, 5], "count": [3, 0, 4],
    ...                       "z": [5.0, 4.0, 3.0], "cls": ["hot_99", "hot_95", "hot_90"]})
    >>> hotspot_areas(cells)[["cells", "incidents", "max_z", "cls", "peak"]].values.tolist()
    [[2, 3, 5.0, 'hot_99', 0], [1, 4, 3.0, 'hot_90', 2]]
    """
    hot = cells[cells["cls"].astype(str).str.startswith("hot")]
    columns = ["area", "cells", "incidents", "max_z", "cls", "peak"]
    if hot.empty:
        return pd.DataFrame(columns=columns)
    area = touching_areas(hot["row"].to_numpy(), hot["col"].to_numpy())
    strength = {name: i for i, name in enumerate(("hot_99", "hot_95", "hot_90"))}
    frame = pd.DataFrame({"area": area, "count": hot["count"].to_numpy(),
                          "z": hot["z"].to_numpy(), "strength": hot["cls"].map(strength),
                          "position": [cells.index.get_loc(i) for i in hot.index]})
    grouped = frame.groupby("area").agg(
        cells=("z", "size"), incidents=("count", "sum"), max_z=("z", "max"),
        strength=("strength", "min"))
    grouped["peak"] = frame.loc[frame.groupby("area")["z"].idxmax(), ["area", "position"]] \
        .set_index("area")["position"]
    grouped["cls"] = grouped["strength"].map({v: k for k, v in strength.items()})
    ordered = grouped.reset_index().sort_values(["max_z", "incidents"], ascending=False)
    return ordered[columns].reset_index(drop=True)
