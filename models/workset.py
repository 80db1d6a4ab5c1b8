"""The SQL of an officer's offline working set: one query per layer, small GeoJSON.

Houses come as plain rows (lon/lat, names of their khu phố and street, the earliest open
follow-up); streets, khu phố and model streets as GeoJSON text with 6 decimals (≈ 10 cm),
cut to an area (a polygon in EPSG:4326) or the whole ward. Owner personal data is selected
only when ``personal`` is asked for.
"""

from __future__ import annotations

import json

import shapely
from sqlalchemy import Connection, and_, func, select
from sqlalchemy.sql.schema import Table

from models import dialects
from models.tables import (
    PERSONAL_COLUMNS,
    SRID,
    BoardingHouse,
    Inspection,
    ModelStreet,
    Neighbourhood,
    Street,
)

GEOJSON_DECIMALS = 6

HOUSE_COLUMNS = ("house_type", "rooms", "residents", "classification", "antt_commitment_on",
                 "extinguishers", "has_alarm", "has_escape_route", "model_status",
                 "last_inspection_on", "fire_safety_pass")


def neighbourhood(conn: Connection, ward_id: int, code: str):
    """One khu phố of the ward by code: ``(id, code, name, boundary)`` (shapely), or None."""
    kp = Neighbourhood.__table__
    row = conn.execute(select(kp.c.id, kp.c.code, kp.c.name, dialects.wkb(kp.c.boundary))
                       .where(kp.c.ward_id == ward_id, kp.c.code == code)).first()
    if row is None:
        return None
    return row[0], row[1], row[2], shapely.from_wkb(bytes(row[3]))


def open_follow_ups(ward_id: int):
    """Per house, the earliest follow-up date of an inspection not yet fulfilled."""
    ins = Inspection.__table__
    return (select(ins.c.boarding_house_id, func.min(ins.c.follow_up_on).label("follow_up_on"))
            .where(ins.c.ward_id == ward_id, ins.c.follow_up_on.is_not(None),
                   ins.c.follow_up_done_on.is_(None))
            .group_by(ins.c.boarding_house_id).subquery("follow_up"))


def houses(conn: Connection, ward_id: int, neighbourhood_id: int | None, limit: int,
           personal: bool = False) -> list[dict]:
    """Up to ``limit`` boarding houses of the ward (or of one khu phố), in id order."""
    bh, kp, st = BoardingHouse.__table__, Neighbourhood.__table__, Street.__table__
    follow = open_follow_ups(ward_id)
    columns = [bh.c.client_uuid.label("uuid"), bh.c.id, bh.c.name, bh.c.address,
               func.ST_X(bh.c.geom).label("lon"), func.ST_Y(bh.c.geom).label("lat"),
               kp.c.code.label("neighbourhood_code"), kp.c.name.label("neighbourhood_name"),
               st.c.name.label("street_name"), *(bh.c[name] for name in HOUSE_COLUMNS),
               follow.c.follow_up_on]
    if personal:
        columns += [bh.c[name] for name in PERSONAL_COLUMNS]
    where = [bh.c.ward_id == ward_id]
    if neighbourhood_id is not None:
        where.append(bh.c.neighbourhood_id == neighbourhood_id)
    stmt = (select(*columns).select_from(bh)
            .outerjoin(kp, kp.c.id == bh.c.neighbourhood_id)
            .outerjoin(st, st.c.id == bh.c.street_id)
            .outerjoin(follow, follow.c.boarding_house_id == bh.c.id)
            .where(*where).order_by(bh.c.id).limit(limit))
    return [dict(row) for row in conn.execute(stmt).mappings()]


def _in_area(conn: Connection, table: Table, geom: str, area):
    """Rows of ``table`` whose ``geom`` meets ``area`` (through the spatial index)."""
    if area is None:
        return None
    polygon = func.ST_GeomFromText(shapely.to_wkt(area, rounding_precision=7), SRID)
    hit = func.ST_Intersects(table.c[geom], polygon)
    if conn.dialect.name == "sqlite":
        hit = hit == 1
    return and_(dialects.bbox_filter(conn.dialect.name, table, geom, area.bounds), hit)


def _collection(conn: Connection, table: Table, geom: str, properties: tuple[str, ...],
                ward_id: int, area=None, order_by: str = "id") -> dict:
    """A GeoJSON FeatureCollection of ``table``'s rows in the ward (and ``area``)."""
    columns = [table.c.id, *(table.c[name] for name in properties),
               dialects.geojson(table.c[geom], GEOJSON_DECIMALS).label("__geojson")]
    where = [table.c.ward_id == ward_id]
    inside = _in_area(conn, table, geom, area)
    if inside is not None:
        where.append(inside)
    stmt = select(*columns).where(*where).order_by(table.c[order_by], table.c.id)
    features = [{"type": "Feature", "id": row[0],
                 "properties": dict(zip(properties, row[1:-1], strict=True)),
                 "geometry": json.loads(row[-1])}
                for row in conn.execute(stmt)]
    return {"type": "FeatureCollection", "features": features}


def streets(conn: Connection, ward_id: int, area=None) -> dict:
    return _collection(conn, Street.__table__, "geom", ("name", "street_class", "named"),
                       ward_id, area)


def neighbourhoods(conn: Connection, ward_id: int) -> dict:
    return _collection(conn, Neighbourhood.__table__, "boundary", ("code", "name"), ward_id,
                       order_by="code")


def model_streets(conn: Connection, ward_id: int, area=None) -> dict:
    return _collection(conn, ModelStreet.__table__, "geom", ("name", "level", "status"),
                       ward_id, area)
