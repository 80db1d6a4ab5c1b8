"""A layer's filters (box, dates, categories, statuses, khu phố, one feature) as SQL.

One home for both readers of a filtered layer, the GeoJSON layers (``models.layer_json``,
``models.queries.layer_select``) and the vector tiles (``models.tiles``), so that a filtered
map draws the same rows either way. The clauses are built once per *shape* of filter
(which filters are set) with bound parameters, and run with each filter's values.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Float, Integer, bindparam, func, select
from sqlalchemy.sql import visitors

from models import dialects
from models.tables import Neighbourhood

if TYPE_CHECKING:
    from models.queries import Layer


@dataclass
class LayerFilter:
    bbox: tuple[float, float, float, float] | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    neighbourhood_id: int | None = None
    feature_id: int | None = None


# Which of a LayerFilter's fields are set: the key of a statement built with parameters.
FilterShape = tuple[bool, ...]
_BBOX_NAMES = ("minx", "miny", "maxx", "maxy")


def filter_shape(flt: LayerFilter) -> FilterShape:
    """Which filters ``flt`` sets (not their values): equal shapes, one statement."""
    return (flt.feature_id is not None, flt.bbox is not None, flt.date_from is not None,
            flt.date_to is not None, bool(flt.categories), bool(flt.statuses),
            flt.neighbourhood_id is not None)


def filter_values(layer: Layer, flt: LayerFilter) -> dict:
    """The parameters of ``bound_filter_clauses`` for ``flt``'s values."""
    values = {}
    if flt.feature_id is not None:
        values["feature_id"] = flt.feature_id
    if flt.bbox is not None:
        values.update(zip(_BBOX_NAMES, (float(v) for v in flt.bbox), strict=True))
    if layer.date_column and flt.date_from is not None:
        values["date_from"] = datetime.combine(flt.date_from, datetime.min.time())
    if layer.date_column and flt.date_to is not None:
        values["date_to"] = datetime.combine(flt.date_to, datetime.max.time())
    if layer.category_column and flt.categories:
        values["categories"] = list(flt.categories)
    if layer.status_column and flt.statuses:
        values["statuses"] = list(flt.statuses)
    if flt.neighbourhood_id is not None:
        values["neighbourhood_id"] = flt.neighbourhood_id
    return values


def filter_clauses(conn: Connection, layer: Layer, flt: LayerFilter) -> list:
    """The WHERE clauses of ``flt`` on ``layer``'s own table (no joins), shared by the
    GeoJSON layers and the vector tiles, so a filtered map draws the same rows either way:
    ``bound_filter_clauses`` with ``flt``'s values in them."""
    values = filter_values(layer, flt)

    def give_value(bind) -> None:  # on copies: the cached clauses keep no filter's values
        if bind.key in values:
            bind.value, bind.required = values[bind.key], False

    return [visitors.cloned_traverse(clause, {}, {"bindparam": give_value})
            for clause in bound_filter_clauses(conn.dialect.name, layer, filter_shape(flt))]


@functools.lru_cache(maxsize=256)
def bound_filter_clauses(dialect: str, layer: Layer, shape: FilterShape) -> tuple:
    """The WHERE clauses of a filter of this shape on ``layer``'s own table, their values
    the parameters ``filter_values`` names (built once per shape: building them, and
    SQLAlchemy keying each new statement for its cache, cost more per request than a small
    page's SQL)."""
    feature, bbox, date_from, date_to, categories, statuses, neighbourhood = shape
    table = layer.table
    where = []
    if feature:
        where.append(table.c.id == bindparam("feature_id", type_=Integer))
    if bbox:
        box = tuple(bindparam(name, type_=Float) for name in _BBOX_NAMES)
        where.append(dialects.bbox_filter(dialect, table, layer.geom, box))
    if layer.date_column and date_from:
        where.append(table.c[layer.date_column] >= bindparam("date_from"))
    if layer.date_column and date_to:
        where.append(table.c[layer.date_column] <= bindparam("date_to"))
    if layer.category_column and categories:
        where.append(table.c[layer.category_column].in_(
            bindparam("categories", expanding=True)))
    if layer.status_column and statuses:
        where.append(table.c[layer.status_column].in_(bindparam("statuses", expanding=True)))
    if neighbourhood:
        khu_pho = bindparam("neighbourhood_id", type_=Integer)
        if layer.neighbourhood_column:
            where.append(table.c[layer.neighbourhood_column] == khu_pho)
        else:
            boundary = select(Neighbourhood.boundary).where(
                Neighbourhood.id == khu_pho).scalar_subquery()
            where.append(func.ST_Intersects(table.c[layer.geom], boundary))
    return tuple(where)
