"""Rows in: features and records written to the ward's tables, and bulk edits by id.

Geometry goes in as EWKT in the tables' SRID; on PostgreSQL a bulk insert with no ids to
return goes through COPY (``models.dialects.copy_rows``).
"""

from __future__ import annotations

import shapely
from sqlalchemy import Connection, delete, insert
from sqlalchemy.sql.schema import Table

from geo.lazy import deferred
from models import dialects
from models.tables import SRID

gpd = deferred("geopandas")
pd = deferred("pandas")


def ewkt(geometry) -> str:
    return f"SRID={SRID};{shapely.to_wkt(geometry, rounding_precision=8)}"


def insert_features(
    conn: Connection, table: Table, gdf: gpd.GeoDataFrame, geom_column: str, ward_id: int,
    returning_key: str | None = None, chunk: int = 5000,
) -> dict:
    """Insert the rows of ``gdf`` (columns named like ``table``'s) into ``table``.

    Returns ``{gdf[returning_key]: new id}`` when ``returning_key`` is given, so callers can
    link children to parents without guessing ids.
    """
    names = [c for c in gdf.columns if c in table.c and c != geom_column]
    records = _records(gdf[names])
    for record, geometry in zip(records, gdf.geometry.values, strict=True):
        record[geom_column] = ewkt(geometry)
        record["ward_id"] = ward_id
    ids: dict = {}
    if returning_key is None and conn.dialect.name == "postgresql":
        dialects.copy_rows(conn, table, records)
        return ids
    for start in range(0, len(records), chunk):
        part = records[start:start + chunk]
        if returning_key is None:
            conn.execute(insert(table), part)
            continue
        result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                              part)
        keys = gdf[returning_key].iloc[start:start + chunk].tolist()
        ids.update(zip(keys, result.scalars().all(), strict=True))
    return ids


def insert_rows(conn: Connection, table: Table, frame: pd.DataFrame, ward_id: int) -> list[int]:
    """Insert non-spatial rows (inspections, campaigns); their new ids in ``frame`` order."""
    names = [c for c in frame.columns if c in table.c]
    records = _records(frame[names])
    for record in records:
        record["ward_id"] = ward_id
    if not records:
        return []
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return conn.execute(stmt, records).scalars().all()


def _records(frame: pd.DataFrame) -> list[dict]:
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.to_pydatetime()
            elif hasattr(value, "item"):  # numpy scalars
                record[key] = value.item()
    return records


def insert_point_record(conn: Connection, table: Table, values: dict, lon: float,
                        lat: float) -> int:
    """Insert one row of a point layer at (lon, lat); returns its id."""
    row = {**values, "geom": ewkt(shapely.Point(lon, lat))}
    return conn.execute(insert(table).returning(table.c.id), [row]).scalar_one()


def update_point_record(conn: Connection, table: Table, ward_id: int, record_id: int,
                        values: dict, lon: float | None = None, lat: float | None = None) -> None:
    if lon is not None and lat is not None:
        values = {**values, "geom": ewkt(shapely.Point(lon, lat))}
    conn.execute(table.update().where(table.c.ward_id == ward_id, table.c.id == record_id)
                 .values(**values))


_IN_CHUNK = 900  # SQLite's bound-parameter limit is 999


def update_by_ids(conn: Connection, table, ids, **values) -> None:
    """Set ``values`` on the rows of ``table`` (a mapped class) with these ids."""
    ids = [int(i) for i in ids]
    for start in range(0, len(ids), _IN_CHUNK):
        conn.execute(table.__table__.update().where(
            table.__table__.c.id.in_(ids[start:start + _IN_CHUNK])).values(**values))


def update_column_by_id(conn: Connection, table, column: str, values: pd.Series) -> int:
    """Set ``column`` to ``values[id]`` on each row (``<NA>`` → NULL), grouped by value so a
    ward-wide re-link is a few statements; returns how many rows were set."""
    if values.empty:
        return 0
    keyed = values.astype("Int64").fillna(-1)
    for value, group in keyed.groupby(keyed):
        update_by_ids(conn, table, group.index, **{column: None if value == -1 else int(value)})
    return len(values)


def delete_ward_rows(conn: Connection, table, ward_id: int) -> int:
    """Delete every row of ``table`` in the ward; how many there were."""
    return conn.execute(delete(table).where(table.ward_id == ward_id)).rowcount
