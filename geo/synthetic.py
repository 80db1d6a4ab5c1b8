"""Deterministic SYNTHETIC demo ward placed where Tam Phước ward (Biên Hòa, Đồng Nai) is.

No openly licensed khu phố or street data for Tam Phước exists offline, so the demo dataset
is generated: a ward outline spanning the real ward's extent, khu phố tiling it, a street
network around Quốc lộ 51, model streets, boarding houses, inspections, incidents and peak
campaigns. Everything is invented except the placement facts (extent, QL51's course,
industrial parks along QL51) and is labelled as synthetic. All metric work happens in
VN-2000 / TM-3 107°45' (EPSG:5899); every GeoDataFrame returned is in EPSG:4326.

The generator never assigns khu phố, nearest street or repeat flags to points: the loader
derives those from geometry (``geo.assign``), exactly as for real data.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pyproj
import shapely
from shapely import LineString, MultiPolygon, Polygon
from shapely.ops import substring

from geo import _synthetic_names as vn
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


def _neighbourhoods(w: _World, n: int) -> np.ndarray:
    """Voronoi cells of well-spread seeds (closer where housing is dense), clipped to the ward."""
    cand, seeds, radius = w.sample(4000, power=0.5), [], 1000.0
    while len(seeds) < n:
        for p in cand:
            if len(seeds) < n and (not seeds or np.hypot(*(np.array(seeds) - p).T).min() > radius):
                seeds.append(p)
        radius *= 0.9
    seeds = np.array(seeds)
    for it in range(4):
        vor = shapely.voronoi_polygons(shapely.multipoints(seeds),
                                       extend_to=w.ward.buffer(3000), ordered=True)
        cells = shapely.make_valid(shapely.intersection(shapely.get_parts(vor), w.ward))
        cells = np.array([MultiPolygon(_parts(c, "Polygon")) for c in cells])
        if it == 3:
            break
        cent = shapely.centroid(cells)
        outside = ~shapely.contains(w.ward, cent)
        cent[outside] = shapely.point_on_surface(cells[outside])
        seeds = 0.5 * seeds + 0.5 * shapely.get_coordinates(cent)
    c = shapely.get_coordinates(shapely.point_on_surface(cells))
    band = np.floor((w.ward.bounds[3] - c[:, 1]) / 1800)
    return cells[np.lexsort((c[:, 0], band))]


def _streets(w: _World, prefix: str) -> gpd.GeoDataFrame:
    """QL51, provincial and main roads, a perturbed local grid and alleys (metric CRS)."""
    rng, rows = w.rng, [("Quốc lộ 51", "national", w.ql51, "Quốc lộ 51", 0)]

    def wavy(fixed, lo, hi, along_u, amp):
        t = np.arange(lo, hi + 40.0, 40.0)
        ph, wl = rng.uniform(0, 2 * np.pi, 2), rng.uniform(500, 2500, 2)
        off = fixed + amp * (np.sin(2 * np.pi * t / wl[0] + ph[0])
                             + 0.5 * np.sin(2 * np.pi * t / wl[1] + ph[1]))
        return LineString(w.from_uv(t, off) if along_u else w.from_uv(off, t))

    def add(name, cls, line, clip, min_len):
        parts = _parts(clip.intersection(line), min_size=min_len)
        rows.extend((name, cls, p, name, 0) for p in parts)
        return bool(parts)

    mains = iter(rng.permutation(vn.MAIN_ROADS))
    perp_u = np.linspace(w.umin + 1200, w.umax - 1200, 6) + rng.uniform(-250, 250, 6)
    para_v = np.array([-3200.0, -1700.0, 1500.0, 3000.0]) + rng.uniform(-250, 250, 4)
    centre = int(np.argmin(np.abs(perp_u - w.axis_len / 2)))
    for i, u in enumerate(perp_u):
        name, cls = (vn.PROVINCIAL_ROADS[0], "provincial") if i == centre else (next(mains), "main")
        add(name, cls, wavy(u, w.vmin - 200, w.vmax + 200, False, 60), w.ward, 200)
    for i, v in enumerate(para_v):
        name, cls = (vn.PROVINCIAL_ROADS[1], "provincial") if i == 1 else (next(mains), "main")
        add(name, cls, wavy(v, w.umin - 200, w.umax + 200, True, 60), w.ward, 200)
    k = 1
    for along_u, (lo, hi), (olo, ohi), taken in (
            (False, (w.umin, w.umax), (w.vmin, w.vmax), perp_u),
            (True, (w.vmin, w.vmax), (w.umin, w.umax), np.r_[0.0, para_v])):
        pos = lo + rng.uniform(100, 300)
        while pos < hi:
            a = olo + rng.uniform(-300, 300)
            while a < ohi and np.abs(taken - pos).min() > 140:
                seg = rng.uniform(400, 1300)
                mid = w.from_uv(a + seg / 2, pos) if along_u else w.from_uv(pos, a + seg / 2)
                if rng.random() < 0.1 + 0.9 * w.density(mid)[0] and add(
                        f"Đường {prefix} {k}", "local", wavy(pos, a, a + seg, along_u, 15),
                        w.inner, 120):
                    k += 1
                a += seg + rng.uniform(0, 250)
            pos += rng.uniform(230, 420)
    used = {r[0] for r in rows}
    for parent, _, geom, _, _ in list(rows):
        length = geom.length
        mid = shapely.get_coordinates(geom.interpolate(0.5, normalized=True))
        n = rng.poisson(length / 1000 * 6 * w.density(mid)[0] ** 1.3) if length > 100 else 0
        if n == 0:
            continue
        s = rng.uniform(30, length - 30, n)
        at, tan, nrm = _frame(np.repeat(geom, n), s)
        side = rng.choice([-1.0, 1.0], n)
        ln = rng.uniform(60, 240, n)[:, None]
        p1 = at + side[:, None] * nrm * ln * 0.5 + tan * rng.normal(0, 12, (n, 1))
        p2 = at + side[:, None] * nrm * ln + tan * rng.normal(0, 25, (n, 1))
        for j, line in enumerate(shapely.linestrings(np.stack([at, p1, p2], axis=1))):
            num = 2 * int(s[j] // 8) + (1 if side[j] > 0 else 2)
            while f"Hẻm {num} {parent}" in used:
                num += 2
            parts = _parts(w.inner.intersection(line), min_size=40)
            if parts:
                name = f"Hẻm {num} {parent}"
                used.add(name)
                rows.append((name, "alley", max(parts, key=shapely.length), parent, num))
    df = pd.DataFrame(rows, columns=["name", "street_class", "geometry", "_road", "_hem"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs=METRIC_EPSG)


def _model_streets(w: _World, streets: gpd.GeoDataFrame, kps, kp_codes, kp_names):
    """One ward-level QL51 demonstration route plus 1–3 model streets/clusters per khu phố."""
    rng = w.rng
    s0 = w.ql51.project(w.ward.centroid)
    route = substring(w.ql51, max(s0 - 1250, 0), min(s0 + 1250, w.ql51.length))
    rows = [dict(name=DEMONSTRATION_ROUTE, level="ward", kind="street", status="in_progress",
                 registered_on=dt.date(2026, 5, 8), target_date=dt.date(2027, 3, 31),
                 achieved_on=None, accepted_on=None,
                 criteria=dict(zip(vn.CRITERIA, (True, False, True, True, False, False),
                                   strict=True)),
                 frontage_households=412, commitments_signed=int(rng.integers(300, 400)),
                 budget_vnd=3_200_000_000, socialised_vnd=1_150_000_000,
                 neighbourhood_code=None, geometry=route)]
    candidates = streets[streets.street_class != "national"]
    tree = shapely.STRtree(candidates.geometry.values)
    used: set[int] = set()
    for kp, code, kp_name in zip(kps, kp_codes, kp_names, strict=True):
        inner, tiles = kp.buffer(-20), set()
        for _ in range(int(rng.choice([1, 2, 3], p=[0.5, 0.38, 0.12]))):
            geom = None
            if rng.random() < 0.7:
                hits = [i for i in tree.query(inner, predicate="intersects") if i not in used]
                pieces = [(max(_parts(inner.intersection(candidates.geometry.iloc[i])),
                               key=shapely.length, default=LineString()), i) for i in hits]
                pieces = sorted((p for p in pieces if p[0].length >= 150),
                                key=lambda p: -p[0].length)[:6]
                if pieces:
                    piece, i = pieces[int(rng.integers(len(pieces)))]
                    used.add(i)
                    ln = min(piece.length, rng.uniform(300, 900))
                    a = rng.uniform(0, piece.length - ln)
                    geom, kind = substring(piece, a, a + ln), "street"
                    road = candidates.name.iloc[i]
                    name = (f"Tuyến hẻm kiểu mẫu {road}" if road.startswith("Hẻm")
                            else f"Tuyến đường kiểu mẫu {road} ({kp_name})")
            if geom is None:
                base = next(b for b in (kp.buffer(-150), kp.buffer(-60), inner, kp)
                            if not b.is_empty)
                xy = rng.uniform(base.bounds[:2], base.bounds[2:], (300, 2))
                xy = xy[shapely.contains_xy(base, xy[:, 0], xy[:, 1])]
                c = (shapely.Point(xy[np.argmax(w.density(xy) * rng.random(len(xy)))])
                     if len(xy) else base.representative_point())
                hw, hh = rng.uniform(50, 150), rng.uniform(40, 100)
                box = np.array([(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)])
                box = box + rng.normal(0, 8, box.shape)
                ang = np.arctan2(w.eu[1], w.eu[0]) + rng.normal(0, 0.2)
                rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
                poly = Polygon(box @ rot.T + shapely.get_coordinates(c))
                geom = max(_parts(shapely.make_valid(poly.intersection(kp.buffer(-5))),
                                  "Polygon"), key=shapely.area)
                tile = int(rng.integers(1, 16))
                while tile in tiles:
                    tile += 1
                tiles.add(tile)
                kind, name = "cluster", f"Cụm dân cư kiểu mẫu Tổ {tile}, {kp_name}"
            rows.append(dict(name=name, level="neighbourhood", kind=kind,
                             neighbourhood_code=code, geometry=geom))
    vn.model_street_attributes(rng, rows, AS_OF)
    cols = ["name", "level", "kind", "status", "registered_on", "target_date", "achieved_on",
            "accepted_on", "criteria", "frontage_households", "commitments_signed",
            "budget_vnd", "socialised_vnd", "neighbourhood_code", "geometry"]
    df = pd.DataFrame(rows)[cols]
    return gpd.GeoDataFrame(df, geometry="geometry", crs=METRIC_EPSG)


def _boarding_houses(w: _World, streets, kp_of, n: int, gaps: set[int]):
    """Boarding houses a few metres off the nearest street, and their inspections."""
    rng, geoms = w.rng, streets.geometry.values
    xy0 = w.sample(n, power=1.6)
    idx = shapely.STRtree(geoms).nearest(shapely.points(xy0))
    s = shapely.line_locate_point(geoms[idx], shapely.points(xy0))
    off = rng.choice([-1.0, 1.0], n) * rng.uniform(6, 14, n)
    xy = w.along(geoms[idx], s, off)
    kp = kp_of(xy)
    num = 2 * (s // 8).astype(int) + np.where(off > 0, 1, 2)
    road, hem = streets._road.to_numpy()[idx], streets._hem.to_numpy()[idx]
    address = [f"số {num[i]}, Hẻm {hem[i]}, {road[i]}" if hem[i] else f"số {num[i]}, {road[i]}"
               for i in range(n)]
    types = np.array(list(vn.HOUSE_PREFIX))
    house_type = types[rng.choice(5, n, p=[0.82, 0.06, 0.05, 0.02, 0.05])]
    rooms = np.clip(np.round(rng.lognormal(np.log(9), 0.6, n)), 3, 60).astype(int)
    rooms = np.where(np.isin(house_type, ["dormitory", "hotel"]),
                     np.clip(rooms * 3, 15, 60), rooms)
    residents = np.maximum(np.round(rooms * rng.normal(1.8, 0.45, n)), 0).astype(int)
    owners, female = vn.person_names(rng, n, 0.45)
    label = [vn.HOUSE_NAMES[i] for i in rng.integers(0, len(vn.HOUSE_NAMES), n)]
    names = [f"{vn.HOUSE_PREFIX[t]} {lb}" for t, lb in zip(house_type, label, strict=True)]
    review_rate = rng.beta(8, 2.6, N_NEIGHBOURHOODS)[kp]
    commit_rate = rng.beta(7, 3, N_NEIGHBOURHOODS)[kp]
    cls = rng.choice(np.array(["good", "average", "poor"], dtype=object), n, p=[0.4, 0.45, 0.15])
    cls = np.where(rng.random(n) < review_rate, cls, None)
    commitment = vn.dates_between(rng, dt.date(2025, 1, 2), dt.date(2026, 11, 15), n)
    signed = rng.random(n) < commit_rate
    ext = np.where(rng.random(n) < 0.15, 0, np.ceil(rooms / 10) + rng.poisson(0.5, n)).astype(int)
    alarm = rng.random(n) < 0.35 + 0.4 * (house_type != "rooming_house")
    escape = rng.random(n) < 0.75
    inspections, last_on, last_pass = vn.inspections(rng, ext, escape, alarm, residents)
    # model boarding houses: a few % recognised, none in the "gap" khu phố
    ok = (cls == "good") & signed & (last_pass == True) & ~np.isin(kp, list(gaps))  # noqa: E712
    status = np.full(n, "none", object)
    pool = rng.permutation(np.flatnonzero(ok))
    first = pool[np.unique(kp[pool], return_index=True)[1]]  # one per khu phố that can
    rec = np.union1d(first, pool[:max(0, round(0.035 * n) - len(first))])
    status[rec] = "recognised"
    cand = np.flatnonzero((status == "none") & np.isin(cls, ["good", "average"]))
    status[rng.permutation(cand)[:round(0.07 * n)]] = "candidate"
    rec_on = np.full(n, None, object)
    rec_day = vn.dates_between(rng, dt.date(2025, 9, 1), AS_OF, len(rec))
    rec_day = np.minimum(np.maximum(rec_day, commitment[rec] + 14), np.datetime64(AS_OF))
    rec_on[rec] = [vn.day(d) for d in rec_day]  # after the owner's commitment
    df = pd.DataFrame({
        "name": names, "address": address, "owner_name": owners,
        "owner_phone": vn.phones(rng, n), "owner_id_number": vn.cccd_numbers(rng, female),
        "house_type": house_type, "rooms": rooms, "residents": residents,
        "classification": _obj(cls),
        "antt_commitment_on": _obj(vn.day(d) if sg else None
                                   for d, sg in zip(commitment, signed, strict=True)),
        "extinguishers": ext, "has_alarm": alarm, "has_escape_route": escape,
        "model_status": status, "model_recognised_on": _obj(rec_on),
        "last_inspection_on": _obj(last_on), "fire_safety_pass": _obj(last_pass)})
    gdf = gpd.GeoDataFrame(df, geometry=shapely.points(xy), crs=METRIC_EPSG)
    return gdf, inspections, kp


def _times(rng, day_p, days, n: int, hours: str) -> np.ndarray:
    """``n`` timestamps: a day drawn from ``day_p``, an hour from the ``hours`` profile."""
    h = np.asarray(vn.HOURS[hours], float)
    d = days[rng.choice(len(days), n, p=day_p)].astype("datetime64[m]")
    return d + rng.choice(24, n, p=h / h.sum()) * 60 + rng.integers(0, 60, n)


def _incidents(w: _World, streets, houses, kp_house, lagging: set[int], m: int):
    """Incidents with seasonality, campaign spikes, hotspot clusters and repeat chains."""
    rng, geoms = w.rng, streets.geometry.values
    days = np.arange(np.datetime64(START), np.datetime64(AS_OF) + 1)
    month = days.astype("datetime64[M]").astype(int) % 12
    y26 = days >= np.datetime64("2026-01-01")
    campaign = np.zeros(len(days), bool)
    for a, b, _ in vn.CAMPAIGNS:
        campaign |= (days >= np.datetime64(a)) & (days <= np.datetime64(b))

    def day_p(key, boost, f26):
        wt = np.asarray(vn.MONTH_FACTOR[key])[month] * np.where(campaign, boost, 1)
        wt = wt * np.where(y26, f26, 1)
        return wt / wt.sum()

    mid = shapely.get_coordinates(shapely.line_interpolate_point(geoms, 0.5, normalized=True))
    cls_w = streets.street_class.map({"national": 3, "provincial": 2, "main": 2, "local": 1,
                                      "alley": 0.6}).to_numpy()
    st_w = shapely.length(geoms) * cls_w * w.density(mid) ** 1.5
    st_w /= st_w.sum()
    tree = shapely.STRtree(geoms)

    def on_streets(n, lo, hi):
        i = rng.choice(len(geoms), n, p=st_w)
        s = rng.uniform(0, 1, n) * shapely.length(geoms[i])
        return w.along(geoms[i], s, rng.choice([-1.0, 1.0], n) * rng.uniform(lo, hi, n))

    def snapped(xy, lo, hi):
        i = tree.nearest(shapely.points(xy))
        s = shapely.line_locate_point(geoms[i], shapely.points(xy))
        return w.along(geoms[i], s, rng.choice([-1.0, 1.0], len(xy)) * rng.uniform(lo, hi, len(xy)))

    # hotspots: QL51 at the industrial-park gates, plus markets and school gates
    gates = shapely.line_interpolate_point(w.ql51, w.ql51.project(shapely.points(w.parks)))
    centres = np.vstack([shapely.get_coordinates(gates), snapped(w.sample(4, 2.0), 0, 0)])
    sd = rng.uniform(30, 60, len(centres))
    parts = []  # (category, times, xy, house, status, resolved)

    def block(cat, t, xy, house=None, status=None, resolved=None):
        n = len(t)
        parts.append((np.full(n, cat, object), t, xy,
                      np.full(n, -1) if house is None else house,
                      np.full(n, None, object) if status is None else status,
                      np.full(n, np.datetime64("NaT"), "datetime64[m]")
                      if resolved is None else resolved))

    counts = dict(zip(vn.CATEGORY_SHARE, rng.multinomial(m, list(vn.CATEGORY_SHARE.values())),
                      strict=True))
    if len(houses) == 0:  # nowhere to place house incidents
        counts["sanitation"] += sum(counts.pop(c) for c in AT_HOUSE)
    # repeat chains: ≥3 incidents at one spot within 90 days, each after the last was resolved
    for r in range(min(10, m // 300)):
        cat = ENCROACHMENT[int(rng.random() < 0.3)]
        spot = (snapped(centres[r % len(centres)] + rng.normal(0, 80, (1, 2)), 3, 3) if r < 5
                else on_streets(1, 3, 3))
        k = int(rng.integers(3, 6))
        t = np.datetime64(vn.day(vn.dates_between(rng, dt.date(2025, 1, 15),
                                              dt.date(2026, 7, 15), 1)[0]), "m") + 7 * 60
        ts, res = [], []
        for _ in range(k):
            ts.append(t)
            res.append(t + int(rng.uniform(0.3, 2.5) * 1440))
            t = res[-1] + int(rng.uniform(2, 14) * 1440)
        st = np.full(k, "resolved", object)
        if rng.random() < 0.5:
            st[-1], res[-1] = "minutes_issued", np.datetime64("NaT")
        xy = spot + np.clip(rng.normal(0, 2, (k, 2)), -3.5, 3.5)
        block(cat, np.array(ts), xy, status=st, resolved=np.array(res, "datetime64[m]"))
        counts[cat] -= k
    for cat in ENCROACHMENT + ("illegal_advertising", "sanitation"):
        n = counts[cat]
        key = "enc" if cat in ENCROACHMENT else cat
        p = day_p(key, {"enc": 1.8, "sanitation": 1.4}.get(key, 1.6), 0.9 if key == "enc" else 1)
        n_hot = int(n * (0.3 if key == "enc" else 0.1 if cat == "illegal_advertising" else 0))
        h = rng.integers(0, len(centres), n_hot)
        xy_hot = snapped(centres[h] + rng.normal(0, 1, (n_hot, 2)) * sd[h, None], 2, 6)
        xy = np.vstack([xy_hot, on_streets(n - n_hot, 2, 7 if key != "sanitation" else 12)])
        block(cat, _times(rng, p, days, n, "day"), xy)
    n = counts["construction_order"]
    block("construction_order", _times(rng, day_p("construction_order", 1.5, 1), days, n,
                                       "office"), snapped(w.sample(n, 1.0), 8, 25))
    res_w = houses.residents.to_numpy() + 1.0
    res_w *= np.where(houses.classification == "poor", 2.0, 1.0)
    res_w *= np.where(houses.antt_commitment_on.isna(), 1.5, 1.0)
    lag = np.isin(kp_house, list(lagging))
    hxy = shapely.get_coordinates(houses.geometry.values)
    for cat in (c for c in AT_HOUSE if c in counts):
        wt = res_w * np.where((houses.extinguishers == 0) & (cat == "fire_safety"), 2.0, 1.0)
        hs = rng.choice(len(houses), counts[cat], p=wt / wt.sum())
        for group, f26 in ((False, 0.6), (True, 1.15)):
            sel = hs[lag[hs] == group]
            t = _times(rng, day_p("house", 1.3, f26), days, len(sel),
                       "night" if cat == "drugs" else "office")
            block(cat, t, hxy[sel], house=sel)
    cat, t, xy, house, status, resolved = (np.concatenate(c) for c in zip(*parts, strict=True))
    # status by age; resolution delay by category
    age = (np.datetime64(AS_OF) + 1 - t).astype("timedelta64[m]").astype(float) / 1440
    probs = np.array([[0.40, 0.30, 0.12, 0.13, 0.05], [0.12, 0.22, 0.20, 0.40, 0.06],
                      [0.04, 0.08, 0.13, 0.67, 0.08], [0.01, 0.02, 0.05, 0.83, 0.09]])
    cum = probs.cumsum(axis=1)[np.digitize(age, [7, 30, 90])]
    drawn = np.array(STATUSES, object)[(rng.random(len(t))[:, None] > cum).sum(axis=1)]
    free = status == None  # noqa: E711
    status[free] = drawn[free]
    base = {"illegal_advertising": (0.05, 1.0), "construction_order": (2, 15),
            "sanitation": (0.3, 2), "encroachment_sidewalk": (0.2, 1.5),
            "encroachment_road": (0.2, 1.5)}
    lo, scale = np.array([base.get(c, (0.5, 5)) for c in cat]).reshape(-1, 2).T
    delay = ((lo + rng.exponential(1, len(t)) * scale) * 1440).astype(int)
    new_res = t + delay
    resolved = np.where(free & (status == "resolved"), new_res, resolved)
    late = (status == "resolved") & (resolved > np.datetime64(AS_OF) + 1)
    status[late] = np.where(rng.random(late.sum()) < 0.5, "minutes_issued", "verified")
    resolved[late] = np.datetime64("NaT")
    share = np.array([vn.MINUTES_SHARE[c] for c in cat])
    has_min = (status == "minutes_issued") | ((status == "resolved")
                                              & (rng.random(len(t)) < share))
    order = np.argsort(t, kind="stable")
    cat, t, xy, house, status, resolved, has_min = (
        a[order] for a in (cat, t, xy, house, status, resolved, has_min))
    minutes = np.full(len(t), None, object)
    minutes[has_min] = [f"{k}/BB-XPHC" for k in range(1, has_min.sum() + 1)]
    lo, hi = np.array([vn.FINE_RANGE[c] for c in cat]).reshape(-1, 2).T
    fine = (np.round(rng.uniform(lo, hi) / 5e5) * 5e5).astype(np.int64)
    reporters = vn.person_names(rng, 60)[0]
    return gpd.GeoDataFrame({
        "category": cat, "observed_at": t.astype("datetime64[ns]"), "status": status,
        "reporter": [reporters[i] for i in rng.integers(0, 60, len(t))],
        "description": [vn.DESCRIPTIONS[c][rng.integers(len(vn.DESCRIPTIONS[c]))] for c in cat],
        "minutes_no": _obj(minutes),
        "fine_vnd": _obj(int(f) if h else None for f, h in zip(fine, has_min, strict=True)),
        "resolved_at": _obj(pd.Timestamp(r).to_pydatetime() if not np.isnat(r) else None
                            for r in resolved),
        "house_index": _obj(int(h) if h >= 0 else None for h in house),
    }, geometry=shapely.points(xy), crs=METRIC_EPSG)


def generate_ward(seed: int = 2026, *, boarding_houses: int = 3000, incidents: int = 6000,
                  centre_shift: tuple[float, float] = (0.0, 0.0), ward_code: str = "tam-phuoc",
                  ward_name: str = "Phường Tam Phước (dữ liệu mô phỏng)",
                  ) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Generate a synthetic ward where Tam Phước (Biên Hòa, Đồng Nai) is.

    The result is fully determined by the arguments (``numpy.random.default_rng(seed)``).
    Metric work is done in EPSG:5899; every GeoDataFrame returned is in EPSG:4326. The
    generator does not assign khu phố, nearest street or repeat flags to points: the loader
    derives those from geometry.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    boarding_houses, incidents : int
        Number of boarding houses and incidents (runtime grows linearly with both).
    centre_shift : (float, float)
        Offset in degrees (lon, lat) added to every placement fact, so a province-sized
        generator can put several synthetic wards side by side.
    ward_code, ward_name : str
        Code and display name of the ward; the name (without "Phường" and the bracket)
        also names the local streets ("Đường Tam Phước 12").

    Returns
    -------
    dict
        ``ward``, ``neighbourhoods``, ``streets``, ``model_streets``, ``boarding_houses``,
        ``incidents`` (GeoDataFrames, EPSG:4326) and ``inspections``, ``campaigns``
        (DataFrames). Missing values are ``None`` in object columns. ``house_index`` (in
        ``inspections`` and ``incidents``) is a row position in ``boarding_houses``.

    Examples
    --------
    >>> data = generate_ward(7, boarding_houses=200, incidents=300)
    >>> data["ward"].crs.to_epsg(), len(data["boarding_houses"]), len(data["incidents"])
    (4326, 200, 300)
    >>> 20 <= len(data["neighbourhoods"]) <= 30
    True
    """
    rng = np.random.default_rng(seed)
    w = _World(rng, centre_shift)
    kps = _neighbourhoods(w, N_NEIGHBOURHOODS)
    codes = [f"KP{i + 1:02d}" for i in range(len(kps))]
    kp_names = [f"Khu phố {i + 1}" for i in range(len(kps))]
    streets = _streets(w, vn.place_name(ward_name))
    model = _model_streets(w, streets, kps, codes, kp_names)
    ids = rng.permutation(len(kps))
    gaps, lagging = set(ids[:5].tolist()), set(ids[5:9].tolist())
    houses, inspections, kp_house = _boarding_houses(
        w, streets, lambda xy: _which(kps, xy), boarding_houses, gaps)
    inc = _incidents(w, streets, houses, kp_house, lagging, incidents)
    area = shapely.area(kps) / 1e6
    n_house = np.bincount(kp_house, minlength=len(kps))
    lodgers = np.bincount(kp_house, weights=houses.residents, minlength=len(kps))
    households = np.round(area * rng.uniform(150, 300, len(kps)) + n_house * rng.uniform(
        4, 7, len(kps))).astype(int) + 50
    population = np.round(households * rng.uniform(3.2, 3.8, len(kps)) + 0.9 * lodgers)
    hoods = gpd.GeoDataFrame({
        "code": codes, "name": kp_names, "population": population.astype(int),
        "households": households, "head_name": vn.person_names(rng, len(kps), 0.3)[0]},
        geometry=list(kps), crs=METRIC_EPSG)
    ward = gpd.GeoDataFrame({"code": [ward_code], "name": [ward_name],
                             "metric_epsg": [METRIC_EPSG], "is_synthetic": [True]},
                            geometry=[MultiPolygon([w.ward])], crs=METRIC_EPSG)
    out = {"ward": ward, "neighbourhoods": hoods,
           "streets": streets[["name", "street_class", "geometry"]], "model_streets": model,
           "boarding_houses": houses, "inspections": inspections, "incidents": inc,
           "campaigns": vn.campaigns()}
    for key, df in out.items():
        if isinstance(df, gpd.GeoDataFrame):
            df = df.to_crs(4326)
        df = df.reset_index(drop=True)
        for col in df.columns:
            if col != "geometry" and (df[col].dtype == object
                                      or pd.api.types.is_string_dtype(df[col].dtype)):
                df[col] = _clean(df[col])
        out[key] = df
    return out
