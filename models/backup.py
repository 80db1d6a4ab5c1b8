"""What a backup must reproduce: per-table row counts and content hashes, schema revision.

A table's hash is the SHA-256 of its rows in primary-key order, each row one line of
canonical JSON (geometries as SRID and hex WKB, photos by their SHA-256, dates in ISO format,
JSON documents with sorted keys), so a database and its restored copy hash identically.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from alembic.script import ScriptDirectory
from geoalchemy2 import Geometry
from sqlalchemy import Connection, LargeBinary, func, inspect, select, text, type_coerce

import models.tables  # noqa: F401  (every table registers on the metadata)
from geo.i18n import N_, Message
from models.base import Base
from models.migrate import MIGRATIONS

# Rows fetched at a time: photo blobs make rows large, memory stays bounded.
_BATCH = 500


def app_tables(conn: Connection) -> list:
    """The app's tables present in this database, parents before children."""
    present = set(inspect(conn).get_table_names())
    return [table for table in Base.metadata.sorted_tables if table.name in present]


def schema_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def pg_server_major(conn: Connection) -> int:
    """The PostgreSQL server's major version (15 for 15.x)."""
    return int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000


def pg_export_snapshot(conn: Connection) -> str:
    """The id of this transaction's snapshot, for ``pg_dump --snapshot`` to see the same
    data as the fingerprints read on ``conn`` (REPEATABLE READ, kept open meanwhile)."""
    return conn.execute(text("SELECT pg_export_snapshot()")).scalar()


def code_revision() -> str:
    """The schema revision this version of the software migrates to (Alembic head)."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def is_empty(conn: Connection) -> bool:
    """True when no app table holds a row (a new database, or one just initialised)."""
    return not any(conn.execute(select(1).select_from(table).limit(1)).first()
                   for table in app_tables(conn))


def _canonical(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):  # geometry as WKB
        return bytes(value).hex()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _blob_digest(value):
    """A stored file (a photo) stands in the hash by its own SHA-256."""
    return None if value is None else "sha256:" + hashlib.sha256(bytes(value)).hexdigest()


def _selected(conn: Connection, table):
    """The table's columns as stored (geometry as SRID + WKB), only those this database has,
    in primary-key order; and per column the function giving its canonical form."""
    present = {column["name"] for column in inspect(conn).get_columns(table.name)}
    columns, forms = [], []
    for column in table.c:
        if column.name not in present:
            continue
        if isinstance(column.type, Geometry):
            columns.append(func.ST_SRID(column).label(f"{column.name}_srid"))
            columns.append(type_coerce(func.ST_AsBinary(column), LargeBinary).label(column.name))
            forms += [_canonical, _canonical]
        else:
            columns.append(column)
            forms.append(_blob_digest if isinstance(column.type, LargeBinary) else _canonical)
    order = list(table.primary_key.columns) or [c for c in table.c if c.name in present]
    return select(*columns).order_by(*order), forms


def table_fingerprint(conn: Connection, table) -> dict:
    stmt, forms = _selected(conn, table)
    digest = hashlib.sha256()
    rows = 0
    for row in conn.execution_options(stream_results=True, yield_per=_BATCH).execute(stmt):
        line = [form(value) for form, value in zip(forms, row, strict=True)]
        digest.update(json.dumps(line, ensure_ascii=False).encode())
        digest.update(b"\n")
        rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def fingerprints(conn: Connection) -> dict[str, dict]:
    """``{table: {"rows": n, "sha256": hex}}`` for every app table in the database."""
    return {table.name: table_fingerprint(conn, table) for table in app_tables(conn)}


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[Message]:
    """One message per table whose count or content differs (empty: identical), said in
    the reader's language where shown (``geo.i18n``)."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(Message(N_("bảng %(name)s: thừa sau phục hồi"), name=name))
        elif got is None:
            problems.append(Message(N_("bảng %(name)s: thiếu sau phục hồi"), name=name))
        elif want["rows"] != got["rows"]:
            problems.append(Message(N_("bảng %(name)s: %(rows)s dòng, bản sao lưu có "
                                       "%(expected)s"), name=name, rows=got["rows"],
                                    expected=want["rows"]))
        elif want["sha256"] != got["sha256"]:
            problems.append(Message(N_("bảng %(name)s: nội dung khác bản sao lưu (mã băm không "
                                       "khớp)"), name=name))
    return problems
