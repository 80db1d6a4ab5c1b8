"""Where incidents concentrate: Getis-Ord Gi* hotspots on a metric grid (the places where
one kind recurs are ``geo.repeats``).

Gi* uses binary distance weights between the centres of square cells (the cell itself
included) and is computed from window sums of the count grid and of the study-area mask over
a disk of cells, one running sum per row of the disk: O(cells × disk diameter), never an
n × n matrix, exact in integers. Its z-scores equal PySAL
``esda.G_Local(y, DistanceBand(centres, distance_m, binary=True), transform="B",
star=True).Zs`` (see ``tests/geo/test_hotspots.py``); p-values are two-sided and the classes
use esda's Benjamini–Hochberg FDR threshold.

Only numpy, shapely and pyproj (the sums and components in ``geo.grid_stats``): scipy's
``stats``, ``ndimage`` and ``sparse`` took ≈1.5 s to import on a ward's first hotspot page,
longer than the analysis (bench/README.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely

from geo.crs import STORAGE_EPSG, metric_transformer, project_to_metric, require_crs
from geo.grid_stats import disk_rows, touching_areas, two_sided_p, window_sum
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

CLASSES = ("hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "not_significant")
NOT_SIGNIFICANT = "not_significant"


@dataclass(frozen=True)
class Grid:
    """Incident counts on square cells in the ward's metric CRS (``metric_epsg``).

    ``counts`` (int64, rows × cols; zero outside the study area) and ``mask`` (True for
    cells whose centre lies inside the boundary). Cell ``(row, col)`` spans
    ``x0 + col·cell_m … x0 + (col+1)·cell_m`` and ``y0 + row·cell_m … y0 + (row+1)·cell_m``;
    row 0 is the southernmost, ``x0``/``y0`` are multiples of ``cell_m``. ``outside`` counts
    incidents in no study-area cell (ignored by the statistic).
    """

    counts: np.ndarray
    mask: np.ndarray
    x0: float
    y0: float
    cell_m: float
    metric_epsg: int
    outside: int = 0

    shape = property(lambda self: self.counts.shape, doc="(rows, cols)")

    @property
    def n_cells(self) -> int:
        """Number of cells in the study area."""
        return int(self.mask.sum())

    def centres(self) -> np.ndarray:
        """Metric (x, y) of the study-area cell centres, row-major, shape (n_cells, 2)."""
        rows, cols = np.nonzero(self.mask)
        return np.column_stack([self.x0 + (cols + 0.5) * self.cell_m,
                                self.y0 + (rows + 0.5) * self.cell_m])

    def cells(self, **values: np.ndarray) -> gpd.GeoDataFrame:
        """The study-area cells as polygons in EPSG:4326, row-major.

        Columns ``row``, ``col``, ``count`` and one per keyword (a 2-D array shaped like
        ``counts``, e.g. ``z=z, p=p, cls=cls``).
        """
        rows, cols = np.nonzero(self.mask)
        data = {"row": rows, "col": cols, "count": self.counts[rows, cols]}
        data.update({name: np.asarray(arr)[rows, cols] for name, arr in values.items()})
        x, y = self.x0 + cols * self.cell_m, self.y0 + rows * self.cell_m
        boxes = shapely.box(x, y, x + self.cell_m, y + self.cell_m)
        return gpd.GeoDataFrame(data, geometry=boxes, crs=self.metric_epsg).to_crs(STORAGE_EPSG)


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


def getis_ord_gi_star(grid: Grid, distance_m: float | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Getis-Ord Gi* z-scores and two-sided p-values of every study-area cell.

    Neighbours of a cell are the study-area cells whose centres lie within ``distance_m``
    of its centre, the cell itself included, all with weight 1. With ``n`` study-area cells,
    counts ``y`` (mean ``ȳ``, population standard deviation ``s``) and ``c_i`` neighbours,
    ``z_i = (Σ_j w_ij y_j − c_i ȳ) / (s √((n c_i − c_i²) / (n − 1)))`` — algebraically
    esda's ``(G_i − E[G_i]) / √V[G_i]`` for ``G_Local(star=True, transform="B")``.
    Where it is undefined (all counts equal, e.g. no incidents, or a window covering the whole
    area) z is 0 and p is 1. The normal p-values are too small for sparse counts (a few
    incidents per window or fewer): widen ``distance_m`` or the cells there.

    Parameters
    ----------
    grid : Grid
    distance_m : float, optional
        Distance band in metres; default 1.5 × ``grid.cell_m`` (the 8 surrounding cells).

    Returns
    -------
    z, p : ndarray of float, shaped like ``grid.counts``; NaN outside the study area.

    Examples
    --------
    >>> import numpy as np
    >>> counts = np.zeros((7, 7), dtype=np.int64)
    >>> counts[2:5, 2:5] = 4
    >>> grid = Grid(counts, np.ones((7, 7), bool), 0.0, 0.0, 50.0, 5899)
    >>> z, p = getis_ord_gi_star(grid)
    >>> round(float(z[3, 3]), 2), round(float(z[0, 0]), 2), bool(p[3, 3] < 1e-9)
    (6.93, -0.98, True)
    """
    if distance_m is None:
        distance_m = 1.5 * grid.cell_m
    if not distance_m >= 0:
        raise ValueError("distance_m must be non-negative")
    z = np.full(grid.shape, np.nan)
    p = np.full(grid.shape, np.nan)
    n = grid.n_cells
    if n == 0:
        return z, p
    disk = disk_rows(distance_m, grid.cell_m)
    y = np.where(grid.mask, grid.counts, 0)
    lag = window_sum(y, disk)[grid.mask]
    card = window_sum(grid.mask, disk)[grid.mask]
    yv = y[grid.mask].astype(np.float64)
    mean, sd = yv.mean(), yv.std()
    spread = card * (n - card) / (n - 1) if n > 1 else np.zeros(n)
    denom = sd * np.sqrt(spread)
    defined = (denom > 0) & (sd > 1e-12 * max(1.0, abs(mean)))
    zin = np.zeros(n)
    zin[defined] = (lag[defined] - card[defined] * mean) / denom[defined]
    z[grid.mask] = zin
    p[grid.mask] = two_sided_p(zin)
    return z, p


def fdr_threshold(p: np.ndarray, alpha: float) -> float:
    """Benjamini–Hochberg p cut-off at ``alpha``; ``-inf`` when nothing is rejected.

    Same search as ``esda.fdr`` (largest k with ``p_(k) < k·alpha/n``, returning
    ``k·alpha/n``), except that esda returns the Bonferroni bound ``alpha/n`` when no
    hypothesis is rejected, where this returns ``-inf`` so that ``p <= threshold`` selects
    nothing.

    >>> fdr_threshold(np.array([0.001, 0.02, 0.04, 0.5]), 0.05)
    0.025
    """
    p = np.sort(np.asarray(p, dtype=np.float64).ravel())
    n = p.size
    passed = np.flatnonzero(p < np.arange(1, n + 1) * alpha / n)
    return float((passed[-1] + 1) * alpha / n) if passed.size else float("-inf")


def classify(z: np.ndarray, p: np.ndarray, alpha_levels=(0.10, 0.05, 0.01),
             fdr: bool = True) -> np.ndarray:
    """Hot/cold class of each cell at the strictest level it is significant at.

    A cell is significant at level α when ``p <= threshold(α)``: the Benjamini–Hochberg
    threshold over all cells with a finite p (``fdr=True``) or α itself. Labels are
    ``hot_<confidence>`` (z > 0) / ``cold_<confidence>`` (z < 0), e.g. ``hot_99`` for
    α = 0.01, and ``not_significant``; cells with NaN p (outside the study area) get None.

    Examples
    --------
    >>> classify(np.array([4.0, -2.0, 0.1]), np.array([6e-5, 0.0455, 0.92]), fdr=False).tolist()
    ['hot_99', 'cold_95', 'not_significant']
    """
    z, p = np.asarray(z, dtype=np.float64), np.asarray(p, dtype=np.float64)
    labels = np.full(p.shape, None, dtype=object)
    finite = np.isfinite(p)
    labels[finite] = NOT_SIGNIFICANT
    for alpha in sorted(alpha_levels, reverse=True):  # loosest first, strictest wins
        cut = fdr_threshold(p[finite], alpha) if fdr else alpha
        level = f"{(1 - alpha) * 100:g}"
        sig = finite & (np.where(finite, p, np.inf) <= cut)
        labels[sig & (z > 0)] = f"hot_{level}"
        labels[sig & (z < 0)] = f"cold_{level}"
    return labels


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
