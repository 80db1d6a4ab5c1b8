"""The migrations build the schema that ``models.tables`` describes, on both backends: a
fresh database at head compared with the metadata by Alembic's autogenerate finds nothing.

A model changed without a migration (or a migration that builds something else) fails here
with the operations ``alembic revision --autogenerate`` would write. What is filtered out
is what the backends legitimately hold beyond the metadata, each with its reason below.
"""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from sqlalchemy import MetaData, inspect

from models import migrate, tile_cells
from models.dialects import LEDGER_TABLES
from models.engine import make_engine
from models.tables import Base
from tests.conftest import BACKENDS

# The ledger's guard (models.dialects.ledger_guard_ddl) is DDL the metadata cannot express:
# a unique index on an expression, so that a ward's chain has one head.
LEDGER_GUARD_INDEXES = frozenset(f"uq_{table}_chain" for table in LEDGER_TABLES)
# Migrations 0002 and 0005 add the user and street links to the spatial tables with plain
# ADD COLUMN (rebuilding those tables on SpatiaLite would drop their geometry registration),
# and SQLite cannot later drop a column that has a REFERENCES clause: these links are foreign
# keys on PostgreSQL only, by design (see the comments in those migrations).
POSTGRES_ONLY_FOREIGN_KEYS = frozenset({
    ("boarding_house", "recorded_by"), ("incident", "reported_by"),
    ("inspection", "officer_id"), ("campaign", "created_by"), ("model_street", "street_id"),
})


def _extension_tables(url: str) -> set[str]:
    """The tables the spatial extension itself creates in an empty database: SpatiaLite's
    metadata (SpatialIndex, KNN, sql_statements_log…), none of ours."""
    if not url.startswith("sqlite"):
        return set()  # PostGIS keeps spatial_ref_sys, which geoalchemy2's filter knows
    empty = make_engine(url.replace(".db", "-empty.db"))
    with empty.connect() as conn:
        names = set(inspect(conn).get_table_names())
    empty.dispose()
    return names


def _legitimate(diff, sqlite: bool, extension_tables: set[str]) -> bool:
    operation = diff[0]
    if operation == "remove_table":
        return diff[1].name in extension_tables
    if operation == "remove_index":
        return diff[1].name in LEDGER_GUARD_INDEXES
    if operation == "add_fk" and sqlite:
        fk = diff[1]
        return len(fk.columns) == 1 and (fk.table.name, fk.columns[0].name) in \
            POSTGRES_ONLY_FOREIGN_KEYS
    return False


def _models(*extra) -> MetaData:
    """Every table the migrations make: the records' metadata and the derived ``tile_cell``
    (models.tile_cells keeps it on a MetaData of its own, outside backups), and ``extra``."""
    combined = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in (*Base.metadata.sorted_tables, tile_cells.tile_cell, *extra):
        table.to_metadata(combined)
    return combined


def _differences(engine, extension_tables: set[str], metadata=None) -> list:
    metadata = _models() if metadata is None else metadata
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy cannot reflect the expression index; it says so, and we filter it.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": alembic_helpers.include_object})
        found = compare_metadata(context, metadata)
    sqlite = engine.dialect.name == "sqlite"
    return [diff for diff in _flatten(found) if not _legitimate(diff, sqlite, extension_tables)]


def _flatten(diffs) -> list:
    # Column changes come as a list of operations per column.
    flat = []
    for diff in diffs:
        flat.extend(diff if isinstance(diff, list) else [diff])
    return flat


@pytest.fixture(scope="module", params=BACKENDS)
def at_head(request, tmp_path_factory):
    """A fresh database migrated to head, and the extension's own tables, per backend."""
    if request.param == "spatialite":
        url = f"sqlite:///{tmp_path_factory.mktemp('drift') / 'drift.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    engine = make_engine(url)
    migrate.upgrade(engine)
    yield engine, _extension_tables(url)
    engine.dispose()


def test_migrations_at_head_match_the_models(at_head):
    assert _differences(*at_head) == []


def test_the_check_sees_a_model_change_without_a_migration(at_head):
    """The comparison is live: a column the migrations never added is reported."""
    from sqlalchemy import Column, String

    changed = _models()
    changed.tables["ward"].append_column(Column("motto", String(80)))
    found = _differences(*at_head, changed)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "ward", "motto")]
