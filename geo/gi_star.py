"""Getis-Ord Gi* on a grid of incident counts: z-scores, two-sided p-values and hot/cold
classes (``geo.hotspots`` counts the incidents onto the ``Grid`` and maps the result).

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

from dataclasses import dataclass

import numpy as np
import shapely

from geo.crs import STORAGE_EPSG
from geo.grid_stats import disk_rows, two_sided_p, window_sum
from geo.lazy import deferred

gpd = deferred("geopandas")

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
