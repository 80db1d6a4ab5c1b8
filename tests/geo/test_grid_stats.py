"""The numpy-only grid helpers of the hotspot analysis give exactly what scipy gives (the
window sums of ``ndimage.convolve``/``signal.oaconvolve``, ``ndimage.label``'s areas,
``csgraph``'s components, ``stats.norm``'s p-values), and the analysis imports no scipy."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from geo.grid_stats import connected_labels, disk_rows, touching_areas, two_sided_p, window_sum

scipy = pytest.importorskip("scipy")
from scipy import ndimage, signal, sparse, stats  # noqa: E402
from scipy.sparse import csgraph  # noqa: E402

# Cell sizes and distance bands in cells as the app and the esda tests use them.
BANDS = [(25.0, 0.0), (50.0, 1.0), (50.0, 1.5), (50.0, 3.0), (100.0, 4.2), (50.0, 8.0)]


def _disk_kernel(distance_m: float, cell_m: float) -> np.ndarray:
    reach = int(np.floor(distance_m / cell_m * (1 + 1e-9)))
    offsets = np.arange(-reach, reach + 1)
    di, dj = np.meshgrid(offsets, offsets, indexing="ij")
    return ((di * di + dj * dj) * cell_m**2 <= distance_m**2 * (1 + 1e-9)).astype(float)


@pytest.mark.parametrize(("cell_m", "cells"), BANDS)
def test_window_sums_equal_scipys_convolution(cell_m, cells):
    rng = np.random.default_rng(int(cell_m * cells))
    kernel = _disk_kernel(cells * cell_m, cell_m)
    assert sum(2 * half + 1 for _, half in disk_rows(cells * cell_m, cell_m)) == kernel.sum()
    for rows, cols in [(1, 1), (3, 40), (37, 29), (80, 120)]:
        values = rng.poisson(rng.uniform(0.2, 6), (rows, cols)) * (rng.random((rows, cols)) < 0.8)
        expected = (ndimage.convolve(values.astype(float), kernel, mode="constant")
                    if kernel.size <= 225 else
                    np.rint(signal.oaconvolve(values.astype(float), kernel, mode="same")))
        got = window_sum(values, disk_rows(cells * cell_m, cell_m))
        np.testing.assert_array_equal(got, expected)


def test_touching_areas_are_numbered_as_ndimage_labels_them():
    rng = np.random.default_rng(7)
    for _ in range(200):
        hot = rng.random(tuple(rng.integers(1, 40, 2))) < rng.uniform(0.05, 0.6)
        if not hot.any():
            continue
        rows, cols = np.nonzero(hot)
        shuffled = rng.permutation(len(rows))  # cells come in any order, offset anywhere
        rows, cols = rows[shuffled] + 11, cols[shuffled] + 5
        labels, _ = ndimage.label(hot, structure=np.ones((3, 3), dtype=int))
        np.testing.assert_array_equal(touching_areas(rows, cols),
                                      labels[rows - 11, cols - 5])


def test_components_equal_csgraphs_in_its_order():
    rng = np.random.default_rng(11)
    for n, m in [(1, 0), (5, 0), (50, 30), (300, 200), (2000, 2500)]:
        i, j = rng.integers(0, n, m), rng.integers(0, n, m)
        expected = csgraph.connected_components(
            sparse.coo_matrix((np.ones(m), (i, j)), shape=(n, n)), directed=False)[1]
        got = np.unique(connected_labels(n, i, j), return_inverse=True)[1]
        np.testing.assert_array_equal(got, expected)
    chain = np.arange(999)  # a long chain: one component, labelled by its first node
    assert set(connected_labels(1000, chain[::-1], chain[::-1] + 1).tolist()) == {0}


def test_two_sided_p_equals_the_normal_distributions():
    z = np.r_[np.random.default_rng(3).normal(0, 3, 5000), 0.0, 1e-300, 8.0, -40.0, 40.0]
    np.testing.assert_allclose(two_sided_p(z), 2 * stats.norm.sf(np.abs(z)), rtol=1e-13,
                               atol=1e-300)


def test_the_hotspot_analysis_imports_no_scipy():
    code = """
import sys
import geopandas as gpd
from shapely import Point, box
from geo import hotspots, repeats
ward = box(106.90, 10.85, 106.91, 10.86)
pts = gpd.GeoDataFrame({"category": ["drugs"] * 31, "observed_at": ["2026-01-01"] * 31},
                       geometry=[Point(106.9051, 10.8551)] * 30 + [Point(106.9012, 10.8523)],
                       crs=4326)
cells = hotspots.hotspots(pts, ward, 5899, cell_m=100)
assert cells["cls"].iloc[0] == "hot_99", cells.head()
assert len(hotspots.hotspot_areas(cells)) == 1
assert len(repeats.repeat_locations(pts, 5899)) == 1
print(sorted(m for m in sys.modules if m.split(".")[0] == "scipy"))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_doctests():
    import doctest

    import geo.grid_stats

    assert doctest.testmod(geo.grid_stats).failed == 0
