"""What a ward's public page (and a khu phố head's map) may read: names and shapes of khu
phố and model streets.

Explicit columns, never a table's all: a khu phố's head (``head_name``) is a person, a
model street's sponsors and budget are the ward's internal figures; neither is published.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, select

from models import dialects
from models.tables import ModelStreet, Neighbourhood

# Geometry precision of the public map: 1e-5° ≈ 1 m, plenty for a page, a third less text.
DECIMALS = 5


def _features(conn: Connection, table, geom, columns: tuple[str, ...], ward_id: int,
              order_by: str, within=None) -> list[dict]:
    stmt = (select(table.c.id, *(table.c[c] for c in columns),
                   dialects.geojson(table.c[geom], DECIMALS).label("geometry"))
            .where(table.c.ward_id == ward_id).order_by(table.c[order_by], table.c.id))
    if within is not None:
        stmt = stmt.where(within)
    return [{"type": "Feature", "id": row.id, "geometry": json.loads(row.geometry),
             "properties": {c: getattr(row, c) for c in columns}}
            for row in conn.execute(stmt)]


def neighbourhood_features(conn: Connection, ward_id: int,
                           only: list[int] | None = None) -> list[dict]:
    """The ward's khu phố (``only`` these ids, if given) as GeoJSON features: code, name."""
    table = Neighbourhood.__table__
    return _features(conn, table, "boundary", ("code", "name"), ward_id, "code",
                     None if only is None else table.c.id.in_(only))


def model_street_features(conn: Connection, ward_id: int,
                          neighbourhoods: list[int] | None = None) -> list[dict]:
    """The ward's model streets and clusters (of these khu phố, if given) as GeoJSON
    features: name, level, kind, status."""
    table = ModelStreet.__table__
    return _features(conn, table, "geom", ("name", "level", "kind", "status"), ward_id, "name",
                     None if neighbourhoods is None
                     else table.c.neighbourhood_id.in_(neighbourhoods))
