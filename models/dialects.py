"""The few places where SpatiaLite and PostGIS need different SQL."""

from __future__ import annotations

import zlib

from sqlalchemy import ColumnElement, Text, and_, func, literal_column, select, text
from sqlalchemy.sql.schema import Table
from sqlalchemy.types import TypeDecorator

from geo import wardzone
from models.tables import SRID


def bbox_filter(dialect: str, table: Table, geom_column: str, bbox,
                exact: bool = True) -> ColumnElement[bool]:
    """Rows whose geometry intersects ``bbox`` (minx, miny, maxx, maxy), through the index.

    PostGIS uses its GiST index inside ``ST_Intersects``; SpatiaLite's R*Tree is only used
    when queried explicitly through its ``SpatialIndex`` virtual table, and stores
    single-precision boxes, so the exact test follows it. ``exact=False`` stops at the
    index's boxes (a few rows just outside may come): for callers that clip or bin the rows
    themselves, it is ≈5× cheaper on many points.
    """
    minx, miny, maxx, maxy = bbox
    column = table.c[geom_column]
    if dialect == "postgresql":
        envelope = func.ST_MakeEnvelope(minx, miny, maxx, maxy, SRID)
        return func.ST_Intersects(column, envelope) if exact else column.op("&&")(envelope)
    index_hits = (
        select(literal_column("rowid"))
        .select_from(text("SpatialIndex"))
        .where(
            literal_column("f_table_name", Text) == table.name,
            literal_column("f_geometry_column", Text) == geom_column,
            literal_column("search_frame") == func.BuildMbr(minx, miny, maxx, maxy, SRID),
        )
    )
    if not exact:
        return table.c.id.in_(index_hits)
    intersects = func.ST_Intersects(column, func.BuildMbr(minx, miny, maxx, maxy, SRID)) == 1
    return and_(table.c.id.in_(index_hits), intersects)


def geojson(column, decimals: int = 7):
    """GeoJSON text of ``column`` with ``decimals`` digits (7 ≈ 1 cm at the equator)."""
    return func.ST_AsGeoJSON(column, decimals)


def ward_offset_minutes() -> int:
    """The ward's offset from UTC, in whole minutes (fixed: no daylight saving)."""
    return int(wardzone.utc_offset().total_seconds() // 60)


def _sqlite_shift() -> str:
    return f"{ward_offset_minutes():+d} minutes"


def _postgres_shifted(column):
    return column + literal_column(f"interval '{ward_offset_minutes()} minutes'")


def ward_date(dialect: str, column):
    """The ward's calendar day of a ``models.wardtime.WardTime`` ``column`` (stored UTC)."""
    if dialect == "sqlite":
        return func.date(column, _sqlite_shift())
    return func.date(_postgres_shifted(column))


def ward_minute(dialect: str, column):
    """ISO text of a ``WardTime`` ``column`` in the ward's time, to the minute."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%dT%H:%M", column, _sqlite_shift())
    return func.to_char(_postgres_shifted(column), 'YYYY-MM-DD"T"HH24:MI')


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
    # COPY bypasses SQLAlchemy's bind processing: apply the columns' own conversions
    # (models.wardtime.WardTime stores ward times as UTC).
    convert = [c.type.process_bind_param if isinstance(c.type, TypeDecorator) else None
               for c in columns]
    cursor = conn.connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for record in records:
            values = (record[c.name] if c.name in record else _python_default(c)()
                      for c in columns)
            copy.write_row([value if to_db is None else to_db(value, conn.dialect)
                            for value, to_db in zip(values, convert, strict=True)])


def _python_default(column):
    default = column.default
    if default is None or not getattr(default, "is_scalar", False) and \
            not getattr(default, "is_callable", False):
        return None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg


# --- append-only ledger tables (models.ledger) ----------------------------------------------

# Each table with the unique keys a REPLACE could collide on (besides ``id``).
LEDGER_TABLES = {"audit_log": (), "ranking_snapshot": (("ward_id", "month", "revision"),),
                 "target_snapshot": (("ward_id", "month"),)}
# The tables a migration before ``target_snapshot`` (0013) guarded: a migration runs with
# the tables of its own time, not today's.
FIRST_LEDGER_TABLES = ("audit_log", "ranking_snapshot")
LEDGER_REFUSED = "is append-only (models.ledger)"


def _chain_index(table: str) -> str:
    # One successor per row: two writers can never fork a chain.
    return (f"CREATE UNIQUE INDEX uq_{table}_chain ON {table} "
            f"(coalesce(ward_id, 0), prev_hash)")


def _tables(only: tuple[str, ...] | None) -> dict[str, tuple]:
    return LEDGER_TABLES if only is None else {name: LEDGER_TABLES[name] for name in only}


def ledger_guard_ddl(dialect: str, only: tuple[str, ...] | None = None,
                     function: bool = True) -> list[str]:
    """Triggers that refuse UPDATE, DELETE (unless the ward has a ``ledger_purge`` permit),
    REPLACE and TRUNCATE on the ledger tables (``only`` these, when given), and the chain
    indexes; on PostgreSQL also the triggers' function unless ``function`` is false (it
    exists already when a later migration guards one more table).

    SQLite's REPLACE deletes the conflicting row without firing DELETE triggers (unless
    recursive_triggers is on), so a BEFORE INSERT trigger refuses any row that would
    collide with an existing one on any unique key.
    """
    tables = _tables(only)
    statements = [_chain_index(table) for table in tables]
    if dialect == "postgresql" and function:
        statements.append(f"""
            CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                IF EXISTS (SELECT 1 FROM ledger_purge WHERE ward_id = OLD.ward_id) THEN
                  RETURN OLD;
                END IF;
              END IF;
              RAISE EXCEPTION '% {LEDGER_REFUSED}: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
            END; $$ LANGUAGE plpgsql""")
    if dialect == "postgresql":
        for table in tables:
            statements += [
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION ledger_append_only()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()"""]
        return statements
    for table, keys in tables.items():
        collisions = " OR ".join(
            ["id = NEW.id", "(coalesce(ward_id, 0) = coalesce(NEW.ward_id, 0) "
             "AND prev_hash = NEW.prev_hash)",
             *("(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys)])
        refuse = "BEGIN SELECT RAISE(ABORT, '{table} {refused}: {op} refused'); END"
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            + refuse.format(table=table, refused=LEDGER_REFUSED, op="UPDATE"),
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN NOT EXISTS "
            f"(SELECT 1 FROM ledger_purge WHERE ward_id = OLD.ward_id) "
            + refuse.format(table=table, refused=LEDGER_REFUSED, op="DELETE"),
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN EXISTS "
            f"(SELECT 1 FROM {table} WHERE {collisions}) "
            + refuse.format(table=table, refused=LEDGER_REFUSED, op="REPLACE"),
        ]
    return statements


def ledger_unguard_ddl(dialect: str, only: tuple[str, ...] | None = None,
                       function: bool = True) -> list[str]:
    """What ``ledger_guard_ddl`` created, dropped (for downgrades and for tests that play
    an attacker with full access to the database file)."""
    tables = _tables(only)
    statements = [f"DROP INDEX IF EXISTS uq_{table}_chain" for table in tables]
    if dialect == "postgresql":
        for table in tables:
            statements += [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                           f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"]
        return [*statements, "DROP FUNCTION IF EXISTS ledger_append_only()"] if function \
            else statements
    for table in tables:
        statements += [f"DROP TRIGGER IF EXISTS {table}_{what}"
                       for what in ("no_update", "no_delete", "no_replace")]
    return statements


def chain_lock(conn, table: str, ward_id: int | None) -> None:
    """Hold the ward's chain of ``table`` until the transaction ends, so that two writers
    append one after the other. SQLite serialises writers already."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:table_key, :ward)"),
                     {"table_key": zlib.crc32(table.encode()) & 0x7FFFFFFF,
                      "ward": ward_id or 0})


def refresh_statistics(conn) -> None:
    """Let the query planner see the rows just loaded in bulk (both backends' ``ANALYZE``).

    Without statistics PostgreSQL guesses a handful of rows per ward and nests loops over
    whole tables: the demo's follow-up list took 0.45 s instead of 10 ms until autovacuum
    got round to it.
    """
    conn.execute(text("ANALYZE"))
