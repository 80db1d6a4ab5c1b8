"""The synthetic ward's khu phố, street network and model streets / clusters."""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely
from shapely import LineString, MultiPolygon, Polygon
from shapely.ops import substring

from geo.lazy import deferred
from geo.synthetic import names as vn
from geo.synthetic.world import AS_OF, DEMONSTRATION_ROUTE, METRIC_EPSG, _frame, _parts, _World

gpd = deferred("geopandas")
pd = deferred("pandas")


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
