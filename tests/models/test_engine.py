"""SpatiaLite loading: works through pysqlite3 and fails with a message naming the package."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models import engine as engine_module
from models.engine import SpatialBackendError, make_engine


def test_spatialite_is_loaded(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT spatialite_version()")).scalar()
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_missing_spatialite_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("SPATIALITE_LIBRARY_PATH", str(tmp_path / "no_such_mod_spatialite"))
    engine = make_engine(f"sqlite:///{tmp_path / 'y.db'}")
    with pytest.raises(SpatialBackendError, match="libsqlite3-mod-spatialite"):
        engine.connect()


def test_python_without_extension_loading_uses_pysqlite3(monkeypatch):
    class NoExtensions:
        pass

    monkeypatch.setattr(engine_module.sqlite3, "Connection", NoExtensions)
    module = engine_module._sqlite_dbapi()
    assert module.__name__.startswith("pysqlite3")
    assert hasattr(module.Connection, "enable_load_extension")


def test_unknown_backend_is_refused():
    with pytest.raises(SpatialBackendError, match="Unsupported"):
        make_engine("mysql://localhost/x")
