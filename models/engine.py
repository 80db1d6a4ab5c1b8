"""Engines for the two backends: SpatiaLite (embedded default) and PostGIS."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from geo.i18n import N_, Message, translate
from models import tile_cells

SPATIALITE_HINT = Message(N_(
    "Không nạp được SpatiaLite (mod_spatialite). Hãy cài gói Debian/Ubuntu "
    "'libsqlite3-mod-spatialite' (sudo apt-get install libsqlite3-mod-spatialite) hoặc đặt "
    "biến SPATIALITE_LIBRARY_PATH."))
EXTENSION_HINT = Message(N_("sqlite3 của Python ở đây không nạp được phần mở rộng và thiếu "
                            "pysqlite3: pip install pysqlite3-binary."))


class StartUpError(RuntimeError):
    """An error of making an engine, raised before anyone's language is known (the app
    starting, any command): its text is the message (``args[0]``, a ``geo.i18n.Message``) in
    the interface's two languages, Vietnamese / English, as a traceback or a log shows it."""

    def __str__(self) -> str:
        message = self.args[0]
        return f"{message} / {translate(message, 'en')}"


class SpatialBackendError(StartUpError):
    """The spatial extension of a backend is missing; the message says what to install."""


class DatabaseSettingError(StartUpError):
    """The database server is set up in a way the app cannot work with; the message says
    what to change."""


def _sqlite_dbapi():
    """The sqlite3 module to use: the standard one if it can load extensions."""
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    try:
        from pysqlite3 import dbapi2
    except ImportError as exc:
        raise SpatialBackendError(EXTENSION_HINT) from exc
    return dbapi2


def _load_spatialite(dbapi_conn, _record) -> None:
    # GDAL (pyogrio's wheel) must be loaded before mod_spatialite: loaded after it, reading
    # or writing a file crashes the process (free(): invalid pointer). geo.lazy defers
    # pyogrio, so the first connection loads it here.
    import pyogrio  # noqa: F401

    library = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
    try:
        dbapi_conn.enable_load_extension(True)
        dbapi_conn.load_extension(library)
        dbapi_conn.enable_load_extension(False)
    except Exception as exc:  # the driver raises OperationalError of its own module
        raise SpatialBackendError(SPATIALITE_HINT) from exc
    dbapi_conn.execute("PRAGMA foreign_keys = ON")
    tile_cells.add_sqlite_math(dbapi_conn)  # the tile-cell triggers compute with them
    # WAL: readers never wait for the writer, nor the writer for readers.
    dbapi_conn.execute("PRAGMA journal_mode = WAL")
    dbapi_conn.execute("PRAGMA synchronous = NORMAL")
    if dbapi_conn.execute("SELECT CheckSpatialMetaData()").fetchone()[0] < 1:
        dbapi_conn.execute("SELECT InitSpatialMetaData(1, 'WGS84')")


IMMEDIATE = "sqlite_begin_immediate"
# A request's read connection: each statement sees the latest commit (no BEGIN), so a page
# reading after its own write transaction sees that write, as before WAL.
READ_EACH_STATEMENT = "sqlite_read_each_statement"


def _own_transactions(dbapi_conn, _record) -> None:
    # pysqlite would BEGIN (deferred) by itself before the first write; we BEGIN in _begin.
    dbapi_conn.isolation_level = None


def _begin(conn) -> None:
    """A write transaction takes the write lock at BEGIN (``IMMEDIATE``), where SQLite's
    busy timeout waits for it; a deferred one that read first and then wrote could only
    fail with "database is locked" when another writer got there in between."""
    options = conn.get_execution_options()
    if options.get(IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif not options.get(READ_EACH_STATEMENT):
        conn.exec_driver_sql("BEGIN")


UTC_NAMES = frozenset({"UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal",
                       "Zulu", "Etc/Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "GMT0"})


def _require_utc(dbapi_conn, _record) -> None:
    zone = dbapi_conn.execute("SHOW timezone").fetchone()[0]
    dbapi_conn.rollback()
    if zone not in UTC_NAMES:
        raise DatabaseSettingError(Message(N_(
            "Qua PgBouncer, cơ sở dữ liệu phải có múi giờ UTC (đang là %(zone)s): ALTER "
            "DATABASE <tên> SET timezone = 'UTC'."), zone=zone))


def make_engine(url: str, *, pgbouncer: bool = False, **kwargs) -> Engine:
    """Create an engine for ``url`` with the backend's spatial extension ready.

    SQLite URLs get mod_spatialite loaded on every connection (through pysqlite3 where
    the standard module cannot load extensions) and their folder created. ``pgbouncer``:
    the PostgreSQL URL is a PgBouncer in transaction mode (docs/scaling.md).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed.set(drivername="sqlite+pysqlite"),
            module=_sqlite_dbapi(),
            connect_args={"check_same_thread": False, "timeout": 30},
            **kwargs,
        )
        event.listen(engine, "connect", _load_spatialite)
        event.listen(engine, "connect", _own_transactions)
        event.listen(engine, "begin", _begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # System timestamps (created_at, updated_at) are UTC on both backends, as SQLite's
        # CURRENT_TIMESTAMP is; pages convert them to the ward's time.
        if not pgbouncer:
            connect_args = {"options": "-c timezone=UTC", **kwargs.pop("connect_args", {})}
            return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args,
                                 **kwargs)
        # Transaction pooling: the next transaction may run on another server connection, so
        # nothing may outlive one. psycopg would prepare a statement run five times, and
        # PgBouncer 1.18 (Debian 12) refuses the startup "options": the database's default
        # time zone must be UTC instead, which each new connection checks.
        connect_args = {"prepare_threshold": None, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _require_utc)
        return engine
    raise SpatialBackendError(Message(N_("Không hỗ trợ loại cơ sở dữ liệu: %(backend)s."),
                                      backend=parsed.get_backend_name()))
