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


def test_ward_setup_migration_keeps_accounts_and_foreign_keys(migrated_engine):
    """0005 rebuilds app_user and audit_log on SQLite (nullable ward_id): rows survive, the
    rows that point at them too, and foreign keys are enforced again afterwards."""
    migrate.downgrade(migrated_engine, "0004")
    with migrated_engine.begin() as conn:
        conn.execute(text("INSERT INTO ward (code, name, metric_epsg, is_synthetic, boundary) "
                          "VALUES ('w', 'W', 5899, false, ST_GeomFromText("
                          "'MULTIPOLYGON(((106.9 10.8,106.91 10.8,106.91 10.81,106.9 10.8)))',"
                          " 4326))"))
        conn.execute(text("INSERT INTO app_user (username, password_hash, role, active, ward_id,"
                          " session_version) VALUES ('a', 'x', 'admin', true, 1, 1)"))
        conn.execute(text("INSERT INTO audit_log (user_id, action, entity, detail, ward_id) "
                          "VALUES (1, 'login', 'user', '{}', 1)"))
        conn.execute(text("INSERT INTO rubric_version (version, body, created_by, ward_id) "
                          "VALUES ('v', '{}', 1, 1)"))
    migrate.upgrade(migrated_engine)
    with migrated_engine.connect() as conn:
        counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("app_user", "audit_log", "rubric_version")]
        assert counts == [1, 1, 1]
        columns = {c["name"]: c for c in inspect(conn).get_columns("app_user")}
        assert columns["ward_id"]["nullable"]
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    with migrated_engine.connect() as conn:
        # A super-admin has no ward; a row pointing at a missing ward is still refused.
        conn.execute(text("INSERT INTO app_user (username, password_hash, role, active, "
                          "ward_id, session_version) VALUES ('s', 'x', 'superadmin', true, "
                          "NULL, 1)"))
        try:
            conn.execute(text("INSERT INTO app_user (username, password_hash, role, active, "
                              "ward_id, session_version) VALUES ('z', 'x', 'admin', true, 99, "
                              "1)"))
        except Exception as exc:  # noqa: BLE001 - each driver raises its own IntegrityError
            assert "foreign" in str(exc).lower() or "FOREIGN" in str(exc)
        else:
            raise AssertionError("a user of a missing ward was accepted")
        conn.rollback()
