"""The web map's tile grid (XYZ tiles in Web Mercator, EPSG:3857): bounds of a tile and
the projection of lon/lat onto it, as the browser's tiles and PostGIS's
``ST_TileEnvelope`` use them.

>>> [round(v, 6) for v in tile_bounds_lonlat(0, 0, 0)]  # the world: Mercator's ±85.05°
[-180.0, -85.051129, 180.0, 85.051129]
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_M = 6378137.0
HALF_WORLD_M = math.pi * EARTH_RADIUS_M  # 20 037 508.34 m: the grid spans ±this on both axes
MAX_ZOOM = 22


def is_tile(z: int, x: int, y: int) -> bool:
    """Whether ``z/x/y`` names a tile of the grid (0 ≤ z ≤ 22, 0 ≤ x, y < 2**z).

    >>> is_tile(3, 7, 0), is_tile(3, 8, 0), is_tile(23, 0, 0)
    (True, False, False)
    """
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z


def tile_bounds_mercator(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of tile ``z/x/y`` in EPSG:3857 metres (y counts down
    from the north edge, as in XYZ tile URLs).

    >>> [round(v) for v in tile_bounds_mercator(1, 1, 0)]
    [0, 0, 20037508, 20037508]
    """
    size = 2 * HALF_WORLD_M / 2 ** z
    minx = -HALF_WORLD_M + x * size
    maxy = HALF_WORLD_M - y * size
    return minx, maxy - size, minx + size, maxy


def mercator_to_lonlat(mx: float, my: float) -> tuple[float, float]:
    lon = math.degrees(mx / EARTH_RADIUS_M)
    lat = math.degrees(2 * math.atan(math.exp(my / EARTH_RADIUS_M)) - math.pi / 2)
    return lon, lat


def tile_bounds_lonlat(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of tile ``z/x/y`` in EPSG:4326 degrees."""
    minx, miny, maxx, maxy = tile_bounds_mercator(z, x, y)
    return (*mercator_to_lonlat(minx, miny), *mercator_to_lonlat(maxx, maxy))


def lonlat_to_mercator(coords: np.ndarray) -> np.ndarray:
    """EPSG:4326 ``(n, 2)`` lon/lat array to EPSG:3857 metres (the spherical formula that
    EPSG:3857 is defined by; shapes ``shapely.transform`` passes).

    >>> lonlat_to_mercator(np.array([[180.0, 45.0]])).round(2).tolist()
    [[20037508.34, 5621521.49]]
    """
    lon, lat = coords[:, 0], np.clip(coords[:, 1], -85.06, 85.06)
    mx = np.radians(lon) * EARTH_RADIUS_M
    my = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * EARTH_RADIUS_M
    return np.column_stack([mx, my])
