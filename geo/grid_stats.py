"""Exact sums and components on grids of cells, with numpy alone (no scipy: its
``ndimage``, ``signal``, ``stats`` and ``sparse`` cost more to import than a ward's whole
hotspot analysis takes).

>>> window_sum(np.eye(3, dtype=int), disk_rows(1.0, 1.0)).tolist()
[[1.0, 2.0, 0.0], [2.0, 1.0, 2.0], [0.0, 2.0, 1.0]]
"""

from __future__ import annotations

import math

import numpy as np

# Relative slack on the distance threshold: a threshold of exactly k cells includes the
# cells k away, as DistanceBand's ``d <= threshold`` does on exactly representable centres.
_EPS = 1e-9


def disk_rows(distance_m: float, cell_m: float) -> list[tuple[int, int]]:
    """The disk of cell offsets whose centres are within ``distance_m``, row by row:
    ``(row offset, half-width)``, each row spanning columns ``-half … +half``."""
    reach = int(np.floor(distance_m / cell_m * (1 + _EPS)))
    limit = distance_m**2 * (1 + _EPS)
    rows = []
    for di in range(-reach, reach + 1):
        half = reach
        while half > 0 and (di * di + half * half) * cell_m**2 > limit:
            half -= 1
        rows.append((di, half))
    return rows


def window_sum(values: np.ndarray, disk: list[tuple[int, int]]) -> np.ndarray:
    """Sum of the integer ``values`` over the ``disk`` (``disk_rows``) centred on every
    cell, zero beyond the edges: for each row of the disk, a difference of running sums."""
    rows, cols = values.shape
    reach = max(abs(di) for di, _ in disk)
    padded = np.zeros((rows + 2 * reach, cols + 2 * reach + 1), dtype=np.int64)
    padded[reach:reach + rows, reach + 1:reach + 1 + cols] = values
    running = np.cumsum(padded, axis=1)  # running[:, k]: sum of the first k padded columns
    total = np.zeros((rows, cols), dtype=np.int64)
    for di, half in disk:
        band = running[reach + di:reach + di + rows]
        total += band[:, reach + half + 1:reach + half + 1 + cols] - band[:, reach - half:
                                                                          reach - half + cols]
    return total.astype(np.float64)


_erfc = np.frompyfunc(math.erfc, 1, 1)


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """``2 · P(Z > |z|)`` for a standard normal Z (what ``2 * scipy.stats.norm.sf(|z|)``
    gives, to within 1e-16)."""
    return _erfc(np.abs(z) / math.sqrt(2)).astype(np.float64)


def connected_labels(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The component of each of ``n`` nodes linked by the edges ``i[k]``–``j[k]``, named
    by its smallest node: components ordered by it are in the order
    ``scipy.sparse.csgraph.connected_components`` and ``scipy.ndimage.label`` number them.

    >>> connected_labels(5, np.array([3, 1]), np.array([4, 3])).tolist()
    [0, 1, 2, 1, 1]
    """
    label = np.arange(n)
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    while True:
        lowest = np.minimum(label[i], label[j])
        pulled = label.copy()
        np.minimum.at(pulled, i, lowest)
        np.minimum.at(pulled, j, lowest)
        pulled = pulled[pulled]  # each label is a node of the component: follow it down
        if np.array_equal(pulled, label):
            return label
        label = pulled


def touching_areas(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Area number (1, 2, …) of each cell, cells touching at a side or a corner sharing
    one, numbered in reading order from the lowest row (as ``scipy.ndimage.label`` with a
    3 × 3 structure numbers them)."""
    rows, cols = rows - rows.min(), cols - cols.min()
    width = int(cols.max()) + 2  # a spare column: a neighbour across the edge is no cell
    raster = rows * width + cols
    order = np.argsort(raster, kind="stable")
    node = np.full(int(raster.max()) + width + 2, -1)
    node[raster[order]] = np.arange(len(order))  # node k: the k-th cell in reading order
    i, j = [], []
    for step in (1, width - 1, width, width + 1):  # right, and the three cells above
        ahead = raster[order] + step
        found = node[ahead] >= 0
        i.append(np.flatnonzero(found))
        j.append(node[ahead[found]])
    label = connected_labels(len(order), np.concatenate(i), np.concatenate(j))
    area = np.empty(len(order), dtype=np.int64)
    area[order] = np.unique(label, return_inverse=True)[1] + 1
    return area
