"""Shared fixtures: every database test runs on SpatiaLite and on PostGIS.

A backend that is not available here is skipped locally but fails under ``CI=true``
(the pattern of geoalchemy2's own test suite).
"""

from __future__ import annotations

import functools
import os

import pytest
from sqlalchemy import text

from models import migrate
from models.engine import make_engine
from tests.databases import (
    Templates,
    drop_shared_templates,
    run_folder,
    signed_in_client,
)
from tests.helpers import DEMO_PASSWORDS
from tests.postgres import POSTGRES_URL, PostgresDatabases, unavailable
from tests.province import province_template

# ``--cpu-report N``: where the suite's CPU goes (issue 12's budget is CPU, not wall time).
pytest_plugins = ("tests.cpu_report",)
# New password hashes at Argon2's cheapest cost, here and in every child process: hundreds
# of demo accounts and sign-ins cost 0.17 s of CPU each at the real cost. The tests of the
# real cost and of sign-in timing unset it (tests/webapp/auth/test_sign_in_hardening.py).
os.environ.setdefault("URBANORDER_TEST_CHEAP_HASHES", "1")

BACKENDS = ("spatialite", "postgis")
# Small enough for a quick suite, large enough for clusters and repeats to appear.
DEMO_SIZES = {"boarding_houses": 800, "incidents": 2500}
# The size of the demo that ``urbanorder demo`` loads in a test (``small_cli_demo``).
CLI_DEMO_SIZES = {"boarding_houses": 750, "incidents": 1500}


@pytest.fixture(scope="session")
def postgres_databases():
    try:
        databases = PostgresDatabases(POSTGRES_URL)
        with databases.admin.connect() as conn:
            available = conn.execute(text(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not here"
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    if not available:
        unavailable("the PostGIS extension is not installed (postgresql-15-postgis-3)")
    yield databases
    databases.drop_all()


def pytest_sessionfinish(session):
    """The run's end (after every xdist worker's): drop the PostgreSQL templates that the
    workers made for one another (``Templates.get``)."""
    if hasattr(session.config, "workerinput"):
        return  # a worker: others may still be copying them
    drop_shared_templates(run_folder(session.config._tmp_path_factory), POSTGRES_URL)


# The fixtures that migrate ``fresh_url``: they get a copy of a database migrated once per
# session instead (Alembic's upgrade costs about a second of CPU).
MIGRATED = frozenset({"migrated_engine", "empty_app"})


@pytest.fixture
def fresh_url(request, tmp_path, templates):
    """A URL of a new database on the backend named by ``request.param``: empty, or
    migrated for a test that takes ``migrated_engine`` or ``empty_app``; a PostgreSQL one
    is dropped after the test."""
    postgres = request.getfixturevalue("postgres_databases") \
        if request.param == "postgis" else None
    if MIGRATED & set(request.fixturenames):
        url = templates.get("migrated", request.param, lambda _engine: None,
                            users={}).fresh_copy(tmp_path)
    elif postgres is None:
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = postgres.create()
    yield url
    if postgres is not None:
        postgres.drop_soon(url)


def pytest_generate_tests(metafunc):
    for name in ("fresh_url", "backend", "_demo_template", "_writable_copy", "_province_copy"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, BACKENDS, indirect=True)


@pytest.fixture
def backend(request):
    """The backend's name, for a fixture that makes its own database of it."""
    return request.param


@pytest.fixture
def migrated_engine(fresh_url):
    engine = make_engine(fresh_url)  # migrated already (``MIGRATED``)
    yield engine
    engine.dispose()


def database_factory(request, tmp_path_factory, name: str, fill):
    """Per backend, one migrated database filled by ``fill(engine)``, made on first use."""
    cache: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in cache:
            if backend == "spatialite":
                url = f"sqlite:///{tmp_path_factory.mktemp(name) / f'{name}.db'}"
            else:
                url = request.getfixturevalue("postgres_databases").create()
            engine = make_engine(url)
            migrate.upgrade(engine)
            fill(engine)
            engine.dispose()
            cache[backend] = url
        return cache[backend]

    return get


def demo_fill(**sizes):
    """``fill(engine)``: a synthetic demo of ``sizes`` with the test passwords."""
    def fill(engine):
        from webapp.demo import load_demo

        load_demo(engine, passwords=DEMO_PASSWORDS, **sizes)

    return fill


def demo_database_factory(request, tmp_path_factory, name: str, **sizes):
    """Per backend, one database holding a small synthetic demo, made on first use."""
    return database_factory(request, tmp_path_factory, name, demo_fill(**sizes))


@pytest.fixture(scope="session")
def templates(request, tmp_path_factory):
    """The session's template databases (``tests/databases.py``), reset per test."""
    made = Templates(request, tmp_path_factory)
    yield made
    made.close()


def database_copy(template):
    """A fixture body: ``{"url": the template's workspace, "written": False, "template"}``
    for one test; set ``written`` when something other than this process's SQLAlchemy may
    have written to it."""
    holder = {"url": template.checkout(), "written": False, "template": template}
    yield holder
    template.checkin(written=holder["written"])


def shared_app(template, url=None):
    """A fixture body: the template's app for the session (on its workspace, or ``url``);
    the settings a test changes are put back after it."""
    from webapp.extensions import limiter

    app = template.shared_app(url)
    config = dict(app.config)
    app.signed_in = {}
    # Flask-Limiter keeps "enabled" on its one instance, set by the latest create_app: a
    # test that made a rate-limited app of its own must not leave this one limited.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    yield app
    app.config.clear()
    app.config.update(config)


def test_app(url: str, **config):
    """An app on ``url`` for tests (no basemap, no rate limits, ``config`` overriding);
    dispose it when done."""
    from webapp import create_app

    app = create_app({"DATABASE_URL": url, "TILE_URL": "", "TESTING": True,
                      "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, **config})
    yield app
    app.extensions["urbanorder_engine"].dispose()
    if app.extensions["urbanorder_replicas"] is not None:
        app.extensions["urbanorder_replicas"].dispose()


test_app.__test__ = False  # a helper, not a test


WRITABLE_SIZES = {"boarding_houses": 300, "incidents": 600}


@pytest.fixture
def province_databases(templates, tmp_path):
    """``province_databases(backend)``: a new copy of the two-ward province, for a test
    that only reads it. A copy, not the template: PostgreSQL copies no database that
    another worker is reading, and this way the template is made once per run."""
    def copy(backend: str) -> str:
        (tmp_path / backend).mkdir(exist_ok=True)
        return province_template(templates, backend).fresh_copy(tmp_path / backend)

    return copy


@pytest.fixture
def _province_copy(request, templates):
    yield from database_copy(province_template(templates, request.param))


@pytest.fixture
def province_url(_province_copy):
    """URL of this test's copy of the two-ward province (reset after the test), its users
    signed in once (``signed_in_client``)."""
    return _province_copy["url"]


@pytest.fixture
def _writable_copy(request, templates):
    """This test's own copy of the small writable demo of ``request.param``."""
    template = templates.get("writable", request.param, demo_fill(**WRITABLE_SIZES))
    yield from database_copy(template)


@pytest.fixture
def writable_url(_writable_copy):
    """URL of this test's own copy of the writable demo (reset after the test)."""
    _writable_copy["written"] = True  # the test may hand it to a child process
    return _writable_copy["url"]


@pytest.fixture
def writable_app(_writable_copy):
    yield from shared_app(_writable_copy["template"])


@pytest.fixture
def _demo_template(request, templates):
    return templates.get("demo", request.param, demo_fill(**DEMO_SIZES))


@pytest.fixture
def demo_url(_demo_template):
    """URL of the database holding the (small) synthetic demo, shared by the session: do
    not write to it (a test that writes takes ``writable_url``)."""
    return _demo_template.shared()


@pytest.fixture
def demo_app(_demo_template):
    yield from shared_app(_demo_template, _demo_template.shared())


@pytest.fixture
def anonymous(demo_app):
    return demo_app.test_client()


@pytest.fixture
def client(demo_app):
    """Signed in as urban-management staff (no access to personal data)."""
    return signed_in_client(demo_app, "dothi")


@pytest.fixture
def client_as(demo_app):
    """``client_as("police")``: a test client signed in with that role's demo account."""
    from tests.helpers import ROLE_USERS

    return lambda role: signed_in_client(demo_app, ROLE_USERS[role])


def writable_demo_app(copy):
    """The app on ``copy`` (``_writable_copy``: this test's writable demo), its demo ward as
    ``app.ward``; ``signed_in_as(app, role)`` gives one signed-in client per role."""
    from models import queries
    from webapp.demo import DEMO_WARD
    from webapp.extensions import db

    for app in shared_app(copy["template"]):
        if not hasattr(app, "ward"):
            with app.app_context():
                app.ward = queries.ward_by_code(db.conn, DEMO_WARD)
        yield app


def signed_in_as(app, role: str):
    """A client of ``app`` signed in with ``role``'s demo account (``.csrf``, ``.csrf_headers``),
    made once per test."""
    from tests.helpers import ROLE_USERS, csrf_token

    if role not in app.signed_in:
        client = signed_in_client(app, ROLE_USERS[role])
        client.csrf = csrf_token(client, "/")
        client.csrf_headers = {"X-CSRFToken": client.csrf}
        app.signed_in[role] = client
    return app.signed_in[role]


@pytest.fixture(scope="session")
def _geopackage_child():
    from tests.gpkg_child import WarmChild

    child = WarmChild()
    yield child
    child.close()


@pytest.fixture(scope="module")
def warm_geopackage_child(_geopackage_child):
    """For a module that reads and writes many GeoPackages: ``geo.io.gpkg`` sends them to
    one warm child process instead of starting one per file (``tests/gpkg_child.py``)."""
    from geo.io import gpkg

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gpkg, "_run", _geopackage_child.run)
        yield


@pytest.fixture
def small_cli_demo(monkeypatch):
    """The demo that ``urbanorder demo`` and the set-up page's button load is a quarter of
    the real one (3,000 houses, 6,000 incidents: the wheel test loads that one). What the
    command and page tests check does not depend on the demo's size, and a quarter of it
    loads in a quarter of the time."""
    from geo import synthetic

    monkeypatch.setattr(synthetic, "generate_ward", functools.partial(
        synthetic.generate_ward, **CLI_DEMO_SIZES))


@pytest.fixture
def empty_app(fresh_url):
    """An app on a migrated database with no ward and no account (a first run)."""
    yield from test_app(fresh_url)  # migrated already (``MIGRATED``)
