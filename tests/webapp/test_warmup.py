"""A server process builds its wards' locators before the first field records arrive."""

from __future__ import annotations

from models import queries
from webapp import create_app, warmup
from webapp.extensions import db
from webapp.services import locator


def test_warm_up_builds_each_wards_locator_once(demo_url, monkeypatch):
    app = create_app({"DATABASE_URL": demo_url, "SECRET_KEY": "t", "TILE_URL": ""})
    built = []
    real_build = locator._build
    monkeypatch.setattr(locator, "_build", lambda conn, ward: built.append(ward.id) or
                        real_build(conn, ward))
    locator._LOCATORS.clear()
    try:
        warmup.start(app).join(timeout=60)
        with app.app_context(), db.engine.connect() as conn:
            wards = queries.wards(conn)
            assert sorted(built) == sorted(w.id for w in wards)
            locator.ward_places(conn, wards[0])  # a record's look-up: already built
        assert len(built) == len(wards)
    finally:
        locator._LOCATORS.clear()
        app.extensions["urbanorder_engine"].dispose()


def test_a_failed_warm_up_is_logged_not_raised(tmp_path, caplog):
    """A database without the tables yet (a server started before ``urbanorder init``)."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/empty.db", "SECRET_KEY": "t",
                      "TILE_URL": ""})
    assert warmup.warm(app) == 0
    assert "warm-up stopped" in caplog.text
