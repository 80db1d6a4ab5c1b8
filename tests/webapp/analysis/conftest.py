"""Fixtures for the analysis pages: signed-in clients on the shared writable demo, and a
private demo database for tests that change ward-wide settings (the rubric)."""

from __future__ import annotations

import pytest

from tests.helpers import DEMO_PASSWORDS, ROLE_USERS, api_headers, sign_in

BACKENDS = ("spatialite", "postgis")  # as tests/conftest.py


def pytest_generate_tests(metafunc):
    if "private_url" in metafunc.fixturenames:
        metafunc.parametrize("private_url", BACKENDS, indirect=True)


def _make_client(app, role: str):
    client = app.test_client()
    sign_in(client, ROLE_USERS[role])
    client.csrf_headers = api_headers(client)
    client.csrf = client.csrf_headers["X-CSRFToken"]
    return client


@pytest.fixture
def writer(writable_app):
    """``writer("urban_staff")``: a signed-in client on the shared writable demo.

    Publishing a month there is permanent for the session: every test uses its own months.
    """
    return lambda role: _make_client(writable_app, role)


@pytest.fixture(scope="session")
def _private_databases(request, tmp_path_factory):
    """One small demo per backend that only these tests write to (rubric edits)."""
    from models import migrate
    from models.engine import make_engine
    from webapp.demo import load_demo

    cache: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in cache:
            if backend == "spatialite":
                url = f"sqlite:///{tmp_path_factory.mktemp('analysis') / 'a.db'}"
            else:
                url = request.getfixturevalue("postgres_databases").create()
            engine = make_engine(url)
            migrate.upgrade(engine)
            load_demo(engine, passwords=DEMO_PASSWORDS, boarding_houses=200, incidents=500)
            engine.dispose()
            cache[backend] = url
        return cache[backend]

    return get


@pytest.fixture
def private_url(request, _private_databases):
    return _private_databases(request.param)


@pytest.fixture
def private_app(private_url):
    from webapp import create_app

    app = create_app({"DATABASE_URL": private_url, "TILE_URL": "", "TESTING": True,
                      "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})
    yield app
    app.extensions["urbanorder_engine"].dispose()


@pytest.fixture
def private(private_app):
    """``private("admin")``: a signed-in client on the private demo."""
    return lambda role: _make_client(private_app, role)
