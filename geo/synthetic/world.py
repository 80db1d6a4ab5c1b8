"""The synthetic ward's frame: its placement facts, the metric world (outline, QL51's axis,
a density field) and the small helpers every part of the generator uses."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pyproj
import shapely
from shapely import LineString, Polygon

from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

METRIC_EPSG = 5899
START = dt.date(2025, 1, 1)
AS_OF = dt.date(2026, 11, 20)
DEMONSTRATION_ROUTE = "Trục điểm kiểu mẫu Quốc lộ 51 (đoạn trung tâm phường)"
N_NEIGHBOURHOODS = 26
# Placement facts (lon, lat): approximate outline of Tam Phước, ≈45 km².
OUTLINE_LONLAT = ((106.895, 10.905), (106.910, 10.902), (106.920, 10.890), (106.932, 10.877),
                  (106.952, 10.871), (106.972, 10.868), (106.987, 10.859), (106.979, 10.850),
                  (106.956, 10.852), (106.945, 10.839), (106.940, 10.823), (106.928, 10.825),
                  (106.921, 10.839), (106.906, 10.850), (106.888, 10.852), (106.869, 10.856),
                  (106.872, 10.865), (106.891, 10.866), (106.890, 10.889))
QL51_LONLAT = ((106.914, 10.872), (106.935, 10.834))
INDUSTRIAL_PARKS_LONLAT = {"KCN Tam Phước": (106.939, 10.847),
                           "KCN Agtex Long Bình": (106.905, 10.895),
                           "Cụm công nghiệp Tam Phước 2": (106.885, 10.858)}
ENCROACHMENT = ("encroachment_sidewalk", "encroachment_road")
AT_HOUSE = ("residence", "fire_safety", "drugs")
STATUSES = ("reported", "verified", "minutes_issued", "resolved", "dismissed")


def _clean(values: pd.Series) -> pd.Series:
    """NFC-normalise text; missing values become ``None`` (object column) instead of NaN."""
    out = [None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
           else unicodedata.normalize("NFC", str(v)) if isinstance(v, str) else v
           for v in values]
    if any(v is None for v in out):
        return pd.Series(out, index=values.index, dtype=object)
    return pd.Series(out, index=values.index, dtype=values.dtype)


def _obj(values) -> pd.Series:
    """An object column keeping Python ``None`` (not NaN/NaT) for missing values."""
    return pd.Series(list(values), dtype=object)


def _parts(geom, kind: str = "LineString", min_size: float = 0.0) -> list:
    """Parts of ``geom`` of geometry type ``kind`` with length/area at least ``min_size``."""
    size = shapely.length if kind == "LineString" else shapely.area
    return [p for p in shapely.get_parts(geom) if p.geom_type == kind and size(p) >= min_size]


class _World:
    """Metric (EPSG:5899) frame of the synthetic ward: outline, QL51 axis, density field."""

    def __init__(self, rng: np.random.Generator, shift: tuple[float, float]):
        self.rng = rng
        self.shift = np.asarray(shift, dtype=float)
        self.fwd = pyproj.Transformer.from_crs(4326, METRIC_EPSG, always_xy=True)
        self.ward = self._outline(self.proj(OUTLINE_LONLAT))
        self.inner = self.ward.buffer(-15)
        self.safe = self.ward.buffer(-2)
        shapely.prepare(self.ward)
        shapely.prepare(self.safe)
        p1, p2 = self.proj(QL51_LONLAT)
        self.axis_len = float(np.hypot(*(p2 - p1)))
        self.origin, self.eu = p1, (p2 - p1) / self.axis_len
        self.ev = np.array([-self.eu[1], self.eu[0]])
        uv = self.to_uv(shapely.get_coordinates(self.ward.exterior))
        self.umin, self.vmin = uv.min(axis=0)
        self.umax, self.vmax = uv.max(axis=0)
        t = np.arange(self.umin - 1500, self.umax + 1500, 60.0)
        ql = LineString(self.from_uv(t, 45 * np.sin(np.pi * t / self.axis_len)))
        self.ql51 = max(_parts(self.ward.intersection(ql)), key=shapely.length)
        self.parks = self.proj(list(INDUSTRIAL_PARKS_LONLAT.values()))

    def proj(self, lonlat) -> np.ndarray:
        a = np.asarray(lonlat, dtype=float) + self.shift
        x, y = self.fwd.transform(a[:, 0], a[:, 1])
        return np.column_stack([x, y])

    def to_uv(self, xy: np.ndarray) -> np.ndarray:
        d = np.asarray(xy) - self.origin
        return np.column_stack([d @ self.eu, d @ self.ev])

    def from_uv(self, u, v) -> np.ndarray:
        u, v = np.broadcast_arrays(np.atleast_1d(np.asarray(u, float)), np.asarray(v, float))
        return self.origin + u[:, None] * self.eu + v[:, None] * self.ev

    def _outline(self, vertices: np.ndarray) -> Polygon:
        """Densify the outline and push vertices in/out with smooth noise (sd ≈ 50 m)."""
        ring = shapely.segmentize(Polygon(vertices), 200.0).exterior
        xy = shapely.get_coordinates(ring)[:-1]
        noise = np.convolve(np.tile(self.rng.normal(0, 1, len(xy)), 3),
                            np.ones(5) / 5, "same")[len(xy):2 * len(xy)] * 110
        tangent = np.roll(xy, -1, axis=0) - np.roll(xy, 1, axis=0)
        tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
        normal = np.column_stack([tangent[:, 1], -tangent[:, 0]])
        poly = shapely.make_valid(Polygon(xy + noise[:, None] * normal))
        return max(_parts(poly, "Polygon"), key=shapely.area)

    def density(self, xy: np.ndarray) -> np.ndarray:
        """Relative housing density in [0, 1]: QL51 corridor plus industrial parks."""
        d_ql = shapely.distance(shapely.points(xy), self.ql51)
        dens = 0.2 + np.exp(-((d_ql / 750) ** 2))
        for park in self.parks:
            dens += 0.75 * np.exp(-(np.hypot(*(xy - park).T) / 1000) ** 2)
        return np.clip(dens / 1.4, 0, 1)

    def sample(self, n: int, power: float = 1.0) -> np.ndarray:
        """``n`` random points in the ward, accepted with probability density**power."""
        x0, y0, x1, y1 = self.ward.bounds
        out, have = [np.empty((0, 2))], 0
        while have < n:
            xy = self.rng.uniform((x0, y0), (x1, y1), size=(max(4 * n, 200), 2))
            xy = xy[shapely.contains_xy(self.safe, xy[:, 0], xy[:, 1])]
            xy = xy[self.rng.random(len(xy)) < self.density(xy) ** power]
            out.append(xy)
            have += len(xy)
        return np.vstack(out)[:n]

    def along(self, geoms, s, offset) -> np.ndarray:
        """Points at distance ``s`` along ``geoms``, ``offset`` metres to the side, in the ward."""
        length = shapely.length(geoms)
        margin = np.minimum(40.0, length / 2)
        at, _, normal = _frame(geoms, np.clip(s, margin, length - margin))
        side = np.asarray(offset, float)[:, None] * normal
        xy = at + side
        mid = shapely.get_coordinates(shapely.line_interpolate_point(geoms, 0.5, normalized=True))
        for alt in (at - side, at, mid):
            bad = ~shapely.contains_xy(self.safe, xy[:, 0], xy[:, 1])
            xy[bad] = alt[bad]
        return xy


def _frame(geoms, s):
    """Point, unit tangent and left normal at distance ``s`` along each line of ``geoms``."""
    xy = [shapely.get_coordinates(shapely.line_interpolate_point(geoms, np.clip(t, 0, ln)))
          for ln in [shapely.length(geoms)] for t in (s, s + 1.0, s - 1.0)]
    at, d = xy[0], xy[1] - xy[2]
    d /= np.linalg.norm(d, axis=1, keepdims=True) + 1e-12
    return at, d, np.column_stack([-d[:, 1], d[:, 0]])


def _which(polys, xy: np.ndarray) -> np.ndarray:
    """Index of the polygon (of ``polys``) each point falls in; nearest one if on no polygon."""
    idx = np.full(len(xy), -1)
    for i, poly in enumerate(polys):
        idx[(idx < 0) & shapely.intersects_xy(poly, xy[:, 0], xy[:, 1])] = i
    for j in np.flatnonzero(idx < 0):
        idx[j] = int(np.argmin(shapely.distance(polys, shapely.Point(xy[j]))))
    return idx
