"""Layer pages as GeoJSON built by the database (issue 11: a layer costs what its SQL costs).

The database writes each feature (``json_build_object`` on PostGIS, ``json_object`` on
SpatiaLite) and the array of them (``json_agg`` / ``json_group_array``); Python only joins
that text into the response. Values come out as the application showed them before: times
in the ward's time to the minute, days as ``yyyy-mm-dd``, booleans as ``true``/``false``,
non-finite numbers as ``null`` (old rows, or rows written around the app's checks, never
make a layer invalid JSON), and each coded value with its label in the reader's language.
"""

from __future__ import annotations

import functools

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    Float,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from geo import vocabulary as vocab
from geo.i18n import translate
from models import dialects, wardtime
from models.layer_filters import FilterShape, LayerFilter, filter_shape, filter_values
from models.queries import KHU_PHO, LAYERS, STREET, Layer, bound_layer_select

FLOAT_MAX = 1.7976931348623157e308
# The coded properties whose label a feature carries as ``<property>_label``.
LABELS = {
    "category": vocab.INCIDENT_CATEGORIES,
    "street_class": vocab.STREET_CLASSES,
    "level": vocab.MODEL_STREET_LEVELS,
    "kind": vocab.MODEL_STREET_KINDS,
    "house_type": vocab.HOUSE_TYPES,
    "classification": vocab.CLASSIFICATIONS,
    "model_status": vocab.MODEL_HOUSE_STATUSES,
}
STATUS_LABELS = {
    "incidents": vocab.INCIDENT_STATUSES,
    "model-streets": vocab.MODEL_STREET_STATUSES,
}


def _value(dialect: str, column):
    """``column`` as the JSON value the API shows."""
    kind = column.type
    if isinstance(kind, wardtime.WardTime):
        return dialects.ward_minute(dialect, column)
    if isinstance(kind, Boolean) and dialect == "sqlite":  # stored 0/1
        return case((column.is_(None), None), (column != 0, func.json("true")),
                    else_=func.json("false"))
    if isinstance(kind, Float):
        finite = column.between(-FLOAT_MAX, FLOAT_MAX)  # false for NaN and ±Infinity
        return case((finite, column), else_=None)
    if isinstance(kind, Date) and dialect != "sqlite":
        return func.to_char(column, "YYYY-MM-DD")
    if isinstance(kind, JSON) and dialect == "sqlite":  # stored as text
        return func.json(column)
    return column


def _label(column, vocabulary: dict, locale: str):
    """The label of ``column``'s code in ``locale`` (``geo.vocabulary.label``: the code when
    unknown)."""
    whens = {code: translate(vocab.label(vocabulary, code), locale) for code in vocabulary}
    return func.coalesce(case(whens, value=column, else_=column), literal(""))


def _object(dialect: str, pairs: list[tuple[str, object]]):
    arguments = [part for name, value in pairs for part in (literal(name), value)]
    return (func.json_object if dialect == "sqlite" else func.json_build_object)(*arguments)


@functools.lru_cache(maxsize=64)
def _feature(dialect: str, layer_name: str, _offset_minutes: int, locale: str):
    """The expression of one feature of the layer (built once: it has many parts; the
    ward's offset and the labels' language are in the key since the expression holds
    them)."""
    layer = LAYERS[layer_name]
    table = layer.table
    properties = [(name, _value(dialect, table.c[name])) for name in layer.public_columns()]
    if "neighbourhood" in layer.joins:
        properties += [("neighbourhood_name", KHU_PHO.c.name),
                       ("neighbourhood_code", KHU_PHO.c.code)]
    if "street" in layer.joins:
        properties.append(("street_name", STREET.c.name))
    names = {name for name, _ in properties}
    labels = {**LABELS, **({"status": STATUS_LABELS[layer_name]}
                           if layer_name in STATUS_LABELS else {})}
    properties += [(f"{name}_label", _label(table.c[name], vocabulary, locale))
                   for name, vocabulary in labels.items() if name in names]
    geometry = dialects.geojson(table.c[layer.geom])
    return _object(dialect, [
        ("type", literal("Feature")), ("id", table.c.id),
        ("geometry", func.json(geometry) if dialect == "sqlite" else cast(geometry, JSON)),
        ("properties", _object(dialect, properties))])


def features_json(conn: Connection, layer: Layer, ward_id: int, flt: LayerFilter, limit: int,
                  offset: int = 0, locale: str = "vi") -> tuple[str, int, int]:
    """One page of ``layer`` as the text of a JSON array of GeoJSON features (their labels
    in ``locale``), how many it holds and how many rows match ``flt`` in all (one query: one
    snapshot on every backend)."""
    text, returned, matched = conn.execute(
        *features_statement(conn, layer, ward_id, flt, limit, offset, locale)).one()
    return text, returned, matched


def features_statement(conn: Connection, layer: Layer, ward_id: int, flt: LayerFilter,
                       limit: int, offset: int = 0, locale: str = "vi") -> tuple[Select, dict]:
    """The SQL of ``features_json`` and its parameters: one row of (array text, features,
    rows matched)."""
    statement = _page_statement(conn.dialect.name, layer, filter_shape(flt),
                                dialects.ward_offset_minutes(), locale)
    return statement, {"ward_id": ward_id, **filter_values(layer, flt), "limit": limit,
                       "offset": offset}


@functools.lru_cache(maxsize=256)
def _page_statement(dialect: str, layer: Layer, shape: FilterShape, offset_minutes: int,
                    locale: str):
    """``features_statement``'s SQL for filters of this shape, built once: building it (and
    SQLAlchemy keying each new statement for its compiled cache) was a fixed cost of every
    layer request, as much as a small page's SQL."""
    table = layer.table
    page = bound_layer_select(dialect, layer, shape, [table.c.id])
    feature = _feature(dialect, layer.name, offset_minutes, locale)
    order = (table.c[layer.order_by], table.c.id)
    rows = page.with_only_columns(
        feature.label("feature"), func.row_number().over(order_by=order).label("position"),
    ).order_by(*order).limit(bindparam("limit", type_=Integer)).offset(
        bindparam("offset", type_=Integer)).subquery()
    if dialect == "sqlite":  # the subquery's order is the aggregate's (SQLite has no ORDER BY)
        array = func.json_group_array(func.json(rows.c.feature))
    else:
        array = func.json_agg(aggregate_order_by(rows.c.feature, rows.c.position))
    # As text: the driver would parse json_agg's result into Python objects.
    matched = page.with_only_columns(func.count()).scalar_subquery()
    statement = select(func.coalesce(cast(array, Text), "[]"), func.count(), matched)
    return _constants_written_in(statement, _DIALECTS[dialect])


# Only to write constants as SQL literals; a statement runs on its connection's dialect.
_DIALECTS = {"sqlite": sqlite.dialect(),  # not pyformat: literal_column doubles a "%" itself
             "postgresql": postgresql.psycopg.dialect(paramstyle="named")}


def _constants_written_in(statement, dialect):
    """``statement`` with its constants (property names, labels, formats: ~60 on a page)
    written into the SQL as literals, as ``literal_binds`` writes them; the request's own
    values stay parameters. Bound, they were dumped on every execution, and psycopg parses
    afresh each query of more than 50 parameters (≈ 1.3 ms of CPU a request)."""
    def written(element):
        if not isinstance(element, BindParameter) or element.required:
            return None
        written_as = element.type.literal_processor(dialect)
        return None if written_as is None else literal_column(written_as(element.value),
                                                              element.type)

    return visitors.replacement_traverse(statement, {}, written)
