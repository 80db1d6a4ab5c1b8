"""The synthetic ward's boarding houses with their inspections, and its incidents."""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely

from geo.lazy import deferred
from geo.synthetic import names as vn
from geo.synthetic.world import (
    AS_OF,
    AT_HOUSE,
    ENCROACHMENT,
    METRIC_EPSG,
    N_NEIGHBOURHOODS,
    START,
    STATUSES,
    _obj,
    _World,
)

gpd = deferred("geopandas")
pd = deferred("pandas")


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
