"""Point layers counted per fine grid cell, kept current by the database itself.

Low-zoom tiles show a point layer as counts per cell (``models.tiles``). Counting the
points of a tile there and then reads every point under it: ≈170,000 incidents for one
z10 tile of the 100-ward province, 70 ms of SQL or more. ``tile_cell`` holds instead, per
layer and ward, the number of points in each tile of the grid at ``CELL_ZOOM``, the finest
cells a counted tile shows (16 × 16 cells on a z13 tile); a tile at a coarser zoom sums the
cells it covers, which nest exactly (they are Web Mercator tiles themselves).

Triggers on the point tables keep the counts, in the transaction of the write: every
INSERT, DELETE and UPDATE (also COPY, bulk statements, a ward removed, a migration's
UPDATE) changes them with the rows, so the counts can never drift from the points, and no
writer in Python has to remember them. PostgreSQL uses statement triggers with transition
tables (one statement over the changed cells, however many rows); SQLite row triggers.
Cells whose count falls to zero are removed.

The table is derived data, not a record: it lives on a ``MetaData`` of its own, so that
backups, their fingerprints and the schema tests of ``Base.metadata`` see records only (a
restore rebuilds it: SQLite's file copy holds it, pg_restore loads it and creates the
triggers after the data).
"""

from __future__ import annotations

import math

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, func, select

CELL_ZOOM = 17  # the migration's zoom (0009): changing it means a migration re-counting
# Layer name (as in ``models.tiles.TILE_LAYERS``) → the point table its cells count.
COUNTED_TABLES = {"incidents": "incident", "boarding-houses": "boarding_house"}
GEOMETRY = "geom"  # the point column of both tables

tile_cell = Table(
    "tile_cell", MetaData(),
    Column("layer", String(32), primary_key=True),
    Column("ward_id", Integer, primary_key=True),
    Column("x", Integer, primary_key=True),
    Column("y", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)
# The province view sums every ward's cells of a tile: by position, whatever the ward.
Index("ix_tile_cell_position", tile_cell.c.layer, tile_cell.c.x, tile_cell.c.y)


def cell_sql(point: str, zoom: int = CELL_ZOOM) -> tuple[str, str]:
    """SQL of the column and row (from the north edge) of the ``zoom`` tile holding the
    lon/lat point ``point`` (a geometry expression), the same on PostGIS and SpatiaLite:
    the formula of ``geo.webtiles`` (spherical Web Mercator)."""
    n = 2 ** zoom
    lon, lat = f"ST_X({point})", f"ST_Y({point})"
    northing = f"ln(tan(radians({lat})) + 1 / cos(radians({lat})))"
    return (f"CAST(floor(({lon} + 180) / 360 * {n}) AS integer)",
            f"CAST(floor((1 - {northing} / pi()) / 2 * {n}) AS integer)")


def backfill_sql(layer: str, zoom: int = CELL_ZOOM) -> str:
    """Count the points already there (the migration that creates the table)."""
    x, y = cell_sql(GEOMETRY, zoom)
    return (f"INSERT INTO tile_cell (layer, ward_id, x, y, count) "
            f"SELECT '{layer}', ward_id, cx, cy, count(*) FROM "
            f"(SELECT ward_id, {x} AS cx, {y} AS cy FROM {COUNTED_TABLES[layer]}) AS cells "
            f"GROUP BY ward_id, cx, cy")


def _postgres_change(sources: list[tuple[str, int]], zoom: int) -> str:
    """The statement adding the points of the transition tables ``sources`` (name, +1 or
    −1 each) to their cells, in key order (two writers lock shared cells in one order)."""
    x, y = cell_sql(GEOMETRY, zoom)
    points = " UNION ALL ".join(f"SELECT ward_id, {x} AS cx, {y} AS cy, {sign} AS n "
                                f"FROM {source}" for source, sign in sources)
    return (f"INSERT INTO tile_cell AS t (layer, ward_id, x, y, count) "
            f"SELECT TG_ARGV[0], ward_id, cx, cy, sum(n) FROM ({points}) AS moved "
            f"GROUP BY ward_id, cx, cy HAVING sum(n) <> 0 ORDER BY ward_id, cx, cy "
            f"ON CONFLICT (layer, ward_id, x, y) DO UPDATE SET count = t.count + "
            f"excluded.count;")


def _postgres_emptied(zoom: int) -> str:
    x, y = cell_sql(GEOMETRY, zoom)
    return (f"DELETE FROM tile_cell AS t USING (SELECT DISTINCT ward_id, {x} AS cx, {y} AS cy "
            f"FROM old_rows) AS left_cells WHERE t.layer = TG_ARGV[0] "
            f"AND t.ward_id = left_cells.ward_id AND t.x = left_cells.cx "
            f"AND t.y = left_cells.cy AND t.count = 0;")


def _sqlite_cell(row: str, zoom: int) -> str:
    x, y = cell_sql(f"{row}.{GEOMETRY}", zoom)
    return f"ward_id = {row}.ward_id AND x = {x} AND y = {y}"


def trigger_ddl(dialect: str, zoom: int = CELL_ZOOM) -> list[str]:
    """The triggers that keep ``tile_cell`` (and on PostgreSQL their function)."""
    if dialect == "postgresql":
        statements = [f"""
            CREATE FUNCTION tile_cell_count() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                {_postgres_change([("new_rows", 1)], zoom)}
              ELSIF TG_OP = 'DELETE' THEN
                {_postgres_change([("old_rows", -1)], zoom)}
                {_postgres_emptied(zoom)}
              ELSIF TG_OP = 'UPDATE' THEN
                {_postgres_change([("new_rows", 1), ("old_rows", -1)], zoom)}
                {_postgres_emptied(zoom)}
              ELSE
                DELETE FROM tile_cell WHERE layer = TG_ARGV[0];
              END IF;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql"""]
        for layer, table in COUNTED_TABLES.items():
            run = f"EXECUTE FUNCTION tile_cell_count('{layer}')"
            statements += [
                f"CREATE TRIGGER {table}_tile_cell_insert AFTER INSERT ON {table} "
                f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT {run}",
                f"CREATE TRIGGER {table}_tile_cell_update AFTER UPDATE ON {table} "
                f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT {run}",
                f"CREATE TRIGGER {table}_tile_cell_delete AFTER DELETE ON {table} "
                f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT {run}",
                f"CREATE TRIGGER {table}_tile_cell_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT {run}",
            ]
        return statements
    statements = []
    for layer, table in COUNTED_TABLES.items():
        x, y = cell_sql(f"NEW.{GEOMETRY}", zoom)
        add = (f"INSERT INTO tile_cell (layer, ward_id, x, y, count) "
               f"VALUES ('{layer}', NEW.ward_id, {x}, {y}, 1) "
               f"ON CONFLICT (layer, ward_id, x, y) DO UPDATE SET count = count + 1;")
        old = f"layer = '{layer}' AND {_sqlite_cell('OLD', zoom)}"
        remove = (f"UPDATE tile_cell SET count = count - 1 WHERE {old}; "
                  f"DELETE FROM tile_cell WHERE {old} AND count = 0;")
        statements += [
            f"CREATE TRIGGER {table}_tile_cell_insert AFTER INSERT ON {table} "
            f"BEGIN {add} END",
            f"CREATE TRIGGER {table}_tile_cell_update AFTER UPDATE OF {GEOMETRY}, ward_id "
            f"ON {table} BEGIN {remove} {add} END",
            f"CREATE TRIGGER {table}_tile_cell_delete AFTER DELETE ON {table} "
            f"BEGIN {remove} END",
        ]
    return statements


def drop_trigger_ddl(dialect: str) -> list[str]:
    """What ``trigger_ddl`` created, dropped (the migration's downgrade)."""
    events = ("insert", "update", "delete") + (("truncate",) if dialect == "postgresql" else ())
    statements = []
    for table in COUNTED_TABLES.values():
        for event in events:
            name = f"{table}_tile_cell_{event}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}"
                              if dialect == "postgresql" else f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        statements.append("DROP FUNCTION IF EXISTS tile_cell_count()")
    return statements


def add_sqlite_math(dbapi_conn) -> None:
    """SQLite's math functions (``ln``, ``tan`` …) are a compile-time option: where the
    library lacks them, the triggers get Python's (the same values)."""
    try:
        dbapi_conn.execute("SELECT ln(2), tan(1), cos(1), radians(1), pi(), floor(1.5)")
    except Exception:  # noqa: BLE001 - the driver's own OperationalError: "no such function"
        for name, arity, function in (("ln", 1, math.log), ("tan", 1, math.tan),
                                      ("cos", 1, math.cos), ("radians", 1, math.radians),
                                      ("pi", 0, lambda: math.pi), ("floor", 1, math.floor)):
            dbapi_conn.create_function(name, arity, function, deterministic=True)


def counts_in_tile(layer: str, z: int, x: int, y: int, cells: int, ward_id: int | None):
    """SELECT of ``(cx, cy, count)``: the points of ``layer`` per cell of the ``cells`` ×
    ``cells`` grid of tile ``z/x/y`` (column, and row from the north edge), of one ward or
    (``None``) of all; only cells that hold points. The grid must not be finer than the
    stored cells."""
    grid_zoom = z + int(math.log2(cells))
    if 2 ** (grid_zoom - z) != cells or grid_zoom > CELL_ZOOM:
        raise ValueError(f"a {cells} × {cells} grid at z{z} is not a coarsening of the "
                         f"z{CELL_ZOOM} cells")
    shift, span = CELL_ZOOM - grid_zoom, 2 ** (CELL_ZOOM - z)
    t = tile_cell.c
    column = (t.x.op(">>")(shift) - x * cells).label("cx")
    row = (t.y.op(">>")(shift) - y * cells).label("cy")
    where = [t.layer == layer, t.x.between(x * span, (x + 1) * span - 1),
             t.y.between(y * span, (y + 1) * span - 1)]
    if ward_id is not None:
        where.append(t.ward_id == ward_id)
    total = func.sum(t.count)
    return (select(column, row, total.label("count")).where(*where)
            .group_by(column, row).having(total > 0))
