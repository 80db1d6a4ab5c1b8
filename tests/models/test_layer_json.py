"""Layers written as GeoJSON by the database hold what the ORM reads (both backends)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from sqlalchemy import insert, literal, select, text

from geo import vocabulary as vocab
from models import layer_json, queries
from models import wards as ward_records
from models.engine import make_engine
from models.tables import Incident

SQUARE = MultiPolygon([Polygon([(106.9, 10.8), (106.91, 10.8), (106.91, 10.81),
                                (106.9, 10.81)])])


def _expected(value):
    """The JSON value of an ORM cell as the API always showed it."""
    if not isinstance(value, list | dict) and pd.isna(value):  # None, NaN, NaT
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _same(got, want) -> bool:
    if isinstance(want, float) and isinstance(got, int | float):
        return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)
    return got == want


@pytest.mark.parametrize("name", list(queries.LAYERS))
def test_every_layer_matches_the_orm(demo_url, name):
    engine = make_engine(demo_url)
    layer = queries.LAYERS[name]
    with engine.connect() as conn:
        ward_id = queries.wards(conn)[0].id
        text_, count, matched = layer_json.features_json(conn, layer, ward_id,
                                                         queries.LayerFilter(), 100_000)
        frame = queries.read_layer(conn, layer, ward_id)
    engine.dispose()
    features = json.loads(text_)
    assert count == matched == len(features) == len(frame) > 0
    by_id = {int(row.id): row for row in frame.itertuples()}
    for feature in features:
        row = by_id[feature["id"]]
        assert feature["type"] == "Feature"
        for column in layer.public_columns():
            want = _expected(getattr(row, column))
            assert _same(feature["properties"][column], want), (column, feature["id"])
        assert shape(feature["geometry"]).equals_exact(row.geometry, 1e-6)
    ids = [f["id"] for f in features]
    assert ids == sorted(ids, key=lambda i: (getattr(by_id[i], layer.order_by), i))


def test_values_come_out_as_the_api_shows_them(migrated_engine):
    with migrated_engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "json", "Phường JSON", SQUARE, 5899, True)
        conn.execute(insert(Incident), [{
            "ward_id": ward, "category": "encroachment_sidewalk", "status": "resolved",
            "observed_at": datetime(2026, 12, 2, 6, 30), "resolved_at": None,
            "description": 'Dấu "ngoặc"\\ và \u0007 <b>', "is_repeat": True,
            "location_manual": False, "location_accuracy_m": 4.5,
            "geom": "SRID=4326;POINT(106.905 10.805)"}])
        # Written around the app's checks: ±Infinity, which JSON cannot hold.
        conn.execute(text("UPDATE incident SET location_accuracy_m = :inf"),
                     {"inf": float("inf")})
        features, count, _ = layer_json.features_json(
            conn, queries.LAYERS["incidents"], ward, queries.LayerFilter(), 10)
    (feature,) = json.loads(features)
    props = feature["properties"]
    assert count == 1
    assert props["observed_at"] == "2026-12-02T06:30" and props["resolved_at"] is None
    assert props["description"] == 'Dấu "ngoặc"\\ và \u0007 <b>'
    assert props["is_repeat"] is True and props["location_manual"] is False
    assert props["location_accuracy_m"] is None
    assert props["category_label"] == vocab.label(vocab.INCIDENT_CATEGORIES,
                                                  "encroachment_sidewalk")
    assert props["status_label"] == vocab.label(vocab.INCIDENT_STATUSES, "resolved")
    assert props["neighbourhood_name"] is None and props["street_name"] is None
    assert shapely.Point(feature["geometry"]["coordinates"]).equals(shapely.Point(106.905, 10.805))


def test_pages_follow_the_layers_order(migrated_engine):
    with migrated_engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "pages", "Phường Trang", SQUARE, 5899, True)
        conn.execute(insert(Incident), [{
            "ward_id": ward, "category": "encroachment_sidewalk", "status": "reported",
            "observed_at": datetime(2026, 12, 1, 8, minute), "is_repeat": False,
            "location_manual": False, "geom": "SRID=4326;POINT(106.905 10.805)"}
            for minute in range(7)])
        layer = queries.LAYERS["incidents"]
        pages = [json.loads(layer_json.features_json(conn, layer, ward, queries.LayerFilter(),
                                                     3, offset)[0]) for offset in (0, 3, 6, 9)]
        matched = {layer_json.features_json(conn, layer, ward, queries.LayerFilter(), 3,
                                            offset)[2] for offset in (0, 9)}
    assert matched == {7}
    ids = [[f["id"] for f in page] for page in pages]
    assert [len(page) for page in ids] == [3, 3, 1, 0]
    flat = [i for page in ids for i in page]
    assert flat == sorted(flat) and len(set(flat)) == 7


def _ids_passing(frame, flt: queries.LayerFilter) -> list[int]:
    """The ids of the incidents ``flt`` keeps, by pandas and shapely (not SQL)."""
    keep = frame.category.isin(flt.categories) & frame.status.isin(flt.statuses)
    keep &= frame.observed_at >= datetime.combine(flt.date_from, datetime.min.time())
    keep &= frame.observed_at <= datetime.combine(flt.date_to, datetime.max.time())
    keep &= frame.geometry.intersects(shapely.box(*flt.bbox))
    return sorted(int(i) for i in frame.id[keep])


def test_one_statement_per_filter_shape_each_filters_own_rows(demo_url):
    """The features' statement is built once per filter shape and run with the values: two
    filters of one shape (IN lists of different lengths) each get their own rows."""
    engine = make_engine(demo_url)
    layer = queries.LAYERS["incidents"]
    with engine.connect() as conn:
        ward_id = queries.wards(conn)[0].id
        frame = queries.read_layer(conn, layer, ward_id)
        minx, miny, maxx, maxy = frame.total_bounds
        middle = (minx + maxx) / 2
        days = sorted(frame.observed_at.dt.date.unique())
        categories = sorted(frame.category.unique())
        filters = [
            queries.LayerFilter(bbox=(minx, miny, middle, maxy), date_from=days[0],
                                date_to=days[len(days) // 2], categories=tuple(categories[:2]),
                                statuses=("reported",)),
            queries.LayerFilter(bbox=(middle, miny, maxx, maxy), date_from=days[len(days) // 3],
                                date_to=days[-1], categories=tuple(categories[1:4]),
                                statuses=("reported", "resolved")),
        ]
        statements = [layer_json.features_statement(conn, layer, ward_id, flt, 100_000)[0]
                      for flt in filters]
        pages = [layer_json.features_json(conn, layer, ward_id, flt, 100_000)
                 for flt in filters]
        values = layer_json.features_statement(conn, layer, ward_id, filters[0], 100_000)[1]
        parameters = set(statements[0].compile(dialect=conn.dialect).params)
    engine.dispose()
    assert statements[0] is statements[1]
    # Only the request's values are parameters; the constants are in the SQL's text.
    assert parameters == set(values)
    got = [sorted(f["id"] for f in json.loads(text_)) for text_, _, _ in pages]
    want = [_ids_passing(frame, flt) for flt in filters]
    assert got == want and all(want) and want[0] != want[1]
    assert [matched for _, _, matched in pages] == [len(ids) for ids in want]


def test_constants_written_into_the_sql_come_back_as_they_were(migrated_engine):
    """A label written into the SQL text keeps its quotes, backslashes and percent signs
    (psycopg's placeholders are ``%(name)s``: a ``%`` must be doubled exactly once)."""
    tricky = "50% của 'hẻm' \\ \"x\" %(name)s %s"
    dialect = layer_json._DIALECTS[migrated_engine.dialect.name]
    statement = layer_json._constants_written_in(select(literal(tricky), literal(-1.5)),
                                                 dialect)
    assert statement.compile(dialect=migrated_engine.dialect).params == {}
    with migrated_engine.connect() as conn:
        assert tuple(conn.execute(statement, {}).one()) == (tricky, -1.5)
