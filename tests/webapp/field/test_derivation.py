"""Issue 11 item 1: the field forms' one-point derivation (``geo.locate`` from the per-ward
cache) gives the answers of the geopandas batch functions, on the demo ward, both backends,
for many random points — inside, on edges, in slivers, outside the ward, near streets and
near resolved incidents."""

from __future__ import annotations

import random
from datetime import timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from sqlalchemy import update

from geo import assign
from geo.crs import to_metric
from models import queries, writes
from models.tables import Street
from webapp.demo import DEMO_WARD
from webapp.extensions import db
from webapp.services import locator
from webapp.services.field import MODEL_STREET_WITHIN_M, STREET_WITHIN_M, FieldService

POINTS = 1500


def _layer(conn, ward, name, columns=("id",)):
    return queries.read_layer(conn, queries.LAYERS[name], ward.id, columns=list(columns))


def _random_points(conn, ward, rng: random.Random) -> gpd.GeoDataFrame:
    """Uniform over the ward's extent grown by ≈ 150 m, plus points a few metres from
    streets and khu phố edges (where ties and tolerances decide)."""
    minx, miny, maxx, maxy = queries.ward_extent(conn, ward.id)
    grow = 150 / 110_000
    coords = [(rng.uniform(minx - grow, maxx + grow), rng.uniform(miny - grow, maxy + grow))
              for _ in range(POINTS // 2)]
    lines = list(_layer(conn, ward, "streets").geometry) + \
        [g.boundary for g in _layer(conn, ward, "neighbourhoods").geometry]
    for _ in range(POINTS - len(coords)):
        on = rng.choice(lines).interpolate(rng.random(), normalized=True)
        drift = rng.choice([0, 1, 5, 20, 55, 61, 99, 101]) / 110_000
        angle = rng.uniform(0, 2 * np.pi)
        coords.append((on.x + drift * np.cos(angle), on.y + drift * np.sin(angle)))
    return gpd.GeoDataFrame(geometry=[shapely.Point(c) for c in coords], crs=4326)


def _place_reference(points, boundary, kp, epsg) -> list[tuple]:
    """What the field forms answered before (``assign.place_in_ward`` of issue 10):
    containment, else the metric distance to the ward, else the nearest khu phố."""
    inside = assign.assign_polygon(points, kp)
    metric_ward = gpd.GeoSeries([boundary], crs=4326).to_crs(epsg=epsg).iloc[0]
    distance = to_metric(points, epsg).distance(metric_ward)
    nearest = assign.neighbourhood_of(points, kp, epsg, assign.EDGE_TOLERANCE_M + 1)
    out = []
    for i in points.index:
        if not pd.isna(inside[i]):
            out.append((int(inside[i]), False))
        elif distance[i] > assign.EDGE_TOLERANCE_M:
            out.append((None, True))
        else:
            out.append((None if pd.isna(nearest[i]) else int(nearest[i]), pd.isna(nearest[i])))
    return out


def _ids(series: pd.Series) -> list:
    return [None if pd.isna(v) else int(v) for v in series]


@pytest.fixture
def ward_conn(demo_app):
    with demo_app.app_context():
        conn = db.conn
        yield conn, queries.ward_by_code(conn, DEMO_WARD)


def test_khu_pho_street_and_model_street_match_the_geopandas_derivation(ward_conn):
    conn, ward = ward_conn
    points = _random_points(conn, ward, random.Random(11))
    where = locator.ward_locator(conn, ward)
    kp, epsg = _layer(conn, ward, "neighbourhoods"), ward.metric_epsg
    expected_places = _place_reference(points, queries.ward_boundary(conn, ward.id), kp, epsg)
    places = [where.place(p.x, p.y) for p in points.geometry]
    assert [(kp_id, error is not None) for kp_id, _, error in places] == expected_places
    assert {kp_id is None for kp_id, *_ in places} == {True, False}  # both cases were tried
    for name, method, within in (
            ("streets", where.street, STREET_WITHIN_M["incident"]),
            ("streets", where.street, STREET_WITHIN_M["boarding_house"]),
            ("model-streets", where.model_street, MODEL_STREET_WITHIN_M)):
        expected = _ids(assign.nearest_feature(points, _layer(conn, ward, name), epsg,
                                               within)["id"])
        assert [method(p.x, p.y, within) for p in points.geometry] == expected, name
        assert any(expected) and None in expected, name


def test_repeat_flag_matches_flag_repeats(ward_conn):
    conn, ward = ward_conn
    incidents = _layer(conn, ward, "incidents",
                       ("id", "category", "observed_at", "resolved_at"))
    resolved = incidents[incidents["resolved_at"].notna()]
    rng, service = random.Random(7), FieldService(ward, None)
    flags, expected = [], []
    for _, earlier in resolved.sample(300, random_state=3).iterrows():
        metres = rng.choice([0, 3, 10, 14.5, 16, 25]) / 110_000
        lon, lat = earlier.geometry.x + metres, earlier.geometry.y
        observed = earlier["resolved_at"] + timedelta(days=rng.uniform(-10, 120))
        clean = {"category": earlier["category"], "observed_at": observed.to_pydatetime()}
        flags.append(service._is_repeat(conn, clean, {"lon": lon, "lat": lat}))
        new = gpd.GeoDataFrame({"category": [clean["category"]], "observed_at": [observed],
                                "resolved_at": [pd.NaT]},
                               geometry=[shapely.Point(lon, lat)], crs=4326)
        both = pd.concat([incidents[incidents["category"] == clean["category"]], new],
                         ignore_index=True)
        expected.append(bool(assign.flag_repeats(both, ward.metric_epsg).iloc[-1]))
    assert flags == expected
    assert 30 < sum(flags) < 270  # both answers were exercised


def test_a_street_edit_is_seen_by_the_next_record(writable_app):
    with writable_app.app_context():
        conn = db.conn
        ward = queries.ward_by_code(conn, DEMO_WARD)
        street = _layer(conn, ward, "streets").iloc[0]
        on = street.geometry.interpolate(0.5, normalized=True)
        assert locator.ward_locator(conn, ward).street(on.x, on.y, 60) == street["id"]
        moved = shapely.affinity.translate(street.geometry, yoff=0.01)  # ≈ 1.1 km north
        with db.transaction() as tx:
            tx.execute(update(Street).where(Street.id == int(street["id"]))
                       .values(geom=writes.ewkt(moved)))
        try:
            assert locator.ward_locator(conn, ward).street(on.x, on.y, 60) != street["id"]
        finally:
            with db.transaction() as tx:
                tx.execute(update(Street).where(Street.id == int(street["id"]))
                           .values(geom=writes.ewkt(street.geometry)))
            # SQLite's updated_at has whole seconds: the restore may not change the key.
            locator._LOCATORS.clear()
