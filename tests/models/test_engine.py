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
    with pytest.raises(SpatialBackendError, match="libsqlite3-mod-spatialite") as refused:
        engine.connect()
    # Raised before anyone's language is known: the traceback says it in both languages.
    assert str(refused.value).startswith("Không nạp được SpatiaLite (mod_spatialite).")
    assert " / Could not load SpatiaLite (mod_spatialite). Install the Debian/Ubuntu package " \
        "'libsqlite3-mod-spatialite'" in str(refused.value)


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


def test_files_can_be_read_after_spatialite_is_loaded(tmp_path):
    """pyogrio's GDAL loaded after mod_spatialite crashed the process on the first file
    read; with heavy libraries deferred (geo.lazy) the connection loads it first."""
    import subprocess
    import sys
    code = (f"from models.engine import make_engine\nfrom sqlalchemy import text\n"
            f"e = make_engine('sqlite:///{tmp_path / 'a.db'}')\n"
            "with e.connect() as c: c.execute(text('select 1'))\n"
            "import geopandas as gpd, shapely\n"
            "g = gpd.GeoDataFrame(geometry=[shapely.Point(106.9, 10.8)], crs=4326)\n"
            f"g.to_file('{tmp_path / 'a.gpkg'}')\n"
            f"print(len(gpd.read_file('{tmp_path / 'a.gpkg'}')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-1000:]
    assert result.stdout.strip() == "1"
