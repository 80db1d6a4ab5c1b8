"""The few places where SpatiaLite and PostGIS need different SQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, literal_column, select, text
from sqlalchemy.sql.schema import Table

from models.tables import SRID


def bbox_filter(dialect: str, table: Table, geom_column: str, bbox) -> ColumnElement[bool]:
    """Rows whose geometry intersects ``bbox`` (minx, miny, maxx, maxy), through the index.

    PostGIS uses its GiST index inside ``ST_Intersects``; SpatiaLite's R*Tree is only used
    when queried explicitly through its ``SpatialIndex`` virtual table, and stores
    single-precision boxes, so the exact test follows it.
    """
    minx, miny, maxx, maxy = bbox
    column = table.c[geom_column]
    if dialect == "postgresql":
        return func.ST_Intersects(column, func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID))
    index_hits = (
        select(literal_column("rowid"))
        .select_from(text("SpatialIndex"))
        .where(
            literal_column("f_table_name") == table.name,
            literal_column("f_geometry_column") == geom_column,
            literal_column("search_frame") == func.BuildMbr(minx, miny, maxx, maxy, SRID),
        )
    )
    exact = func.ST_Intersects(column, func.BuildMbr(minx, miny, maxx, maxy, SRID)) == 1
    return and_(table.c.id.in_(index_hits), exact)


def geojson(column, decimals: int = 7):
    """GeoJSON text of ``column`` with ``decimals`` digits (7 ≈ 1 cm at the equator)."""
    return func.ST_AsGeoJSON(column, decimals)


def wkb(column):
    """Well-known binary of ``column`` (SpatiaLite blobs are not WKB)."""
    return func.ST_AsBinary(column)


def copy_rows(conn, table: Table, records: list[dict]) -> None:
    """Bulk-insert ``records`` into ``table`` with PostgreSQL's COPY (≈10× executemany).

    Python-side column defaults (which COPY would skip) are filled in first; geometry
    values are EWKT text, which PostGIS parses on input.
    """
    if not records:
        return
    columns = [c for c in table.c if c.name in records[0] or _python_default(c) is not None]
    names = [c.name for c in columns]
    cursor = conn.connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for record in records:
            copy.write_row([record[c.name] if c.name in record else _python_default(c)()
                            for c in columns])


def _python_default(column):
    default = column.default
    if default is None or not getattr(default, "is_scalar", False) and \
            not getattr(default, "is_callable", False):
        return None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg
