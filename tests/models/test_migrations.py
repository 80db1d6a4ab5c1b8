"""The Alembic schema is created, dropped and re-created identically on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, text

from models import migrate
from models.tables import Base

SPATIAL_COLUMNS = {
    "ward": "boundary", "neighbourhood": "boundary", "street": "geom", "model_street": "geom",
    "boarding_house": "geom", "incident": "geom", "campaign": "area",
}


def test_upgrade_creates_every_table_with_ward_id_and_timestamps(migrated_engine):
    inspector = inspect(migrated_engine)
    tables = set(inspector.get_table_names())
    assert set(Base.metadata.tables) <= tables
    for name in Base.metadata.tables:
        columns = {c["name"] for c in inspector.get_columns(name)}
        assert {"created_at", "updated_at"} <= columns, name
        if name != "ward":
            assert "ward_id" in columns, name


def test_geometry_columns_are_4326_and_indexed(migrated_engine):
    with migrated_engine.connect() as conn:
        for table, column in SPATIAL_COLUMNS.items():
            if conn.dialect.name == "postgresql":
                srid = conn.execute(text(
                    "SELECT srid FROM geometry_columns WHERE f_table_name = :t "
                    "AND f_geometry_column = :c"), {"t": table, "c": column}).scalar_one()
                indexed = conn.execute(text(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = :t "
                    "AND indexdef ILIKE '%gist%' AND indexdef LIKE :c"),
                    {"t": table, "c": f"%({column})%"}).scalar_one()
            else:
                srid, indexed = conn.execute(text(
                    "SELECT srid, spatial_index_enabled FROM geometry_columns "
                    "WHERE f_table_name = :t AND f_geometry_column = :c"),
                    {"t": table, "c": column}).one()
            assert srid == 4326, table
            assert indexed >= 1, table


def test_downgrade_then_upgrade_round_trips(migrated_engine):
    migrate.downgrade(migrated_engine, "base")
    assert "incident" not in inspect(migrated_engine).get_table_names()
    migrate.upgrade(migrated_engine)
    assert "incident" in inspect(migrated_engine).get_table_names()
    assert migrate.is_initialised(migrated_engine)
