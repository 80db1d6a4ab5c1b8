"""Reads on a real hot-standby replica: routing, read-your-own-writes, lag, a cancelled
read, a stopped replica, and PgBouncer in transaction mode. The test starts its own primary,
replica and PgBouncer (tests/pgcluster.py) on free ports, and removes them."""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import session
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from models import migrate
from models.engine import DatabaseSettingError, make_engine
from models.replicas import PRIMARY_POSITION, REPLAYED_POSITION, lsn_value
from models.tables import AuditLog, BoardingHouse
from tests.conftest import test_app
from tests.helpers import DEMO_PASSWORDS, ROLE_USERS, api_headers, sign_in
from tests.pgcluster import pgbouncer, replicated_clusters, server_binaries
from tests.postgres import unavailable
from tests.webapp.field.conftest import incident_payload, post
from webapp.demo import load_demo
from webapp.extensions import OWN_WRITE, db

MAX_LAG_S = 1.5
# Statements of the replica check itself, not of the request.
CHECKS = (PRIMARY_POSITION.text, REPLAYED_POSITION.text)


@pytest.fixture(scope="module")
def clusters():
    if server_binaries() is None:
        unavailable("PostgreSQL server programs with PostGIS (postgresql-15-postgis-3) "
                     "are not installed under /usr/lib/postgresql")
    with replicated_clusters(replicas=1) as (primary, replicas):
        admin = create_engine(primary.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE urbanorder"))
        admin.dispose()
        engine = make_engine(primary.url("urbanorder"))
        migrate.upgrade(engine)
        load_demo(engine, passwords=DEMO_PASSWORDS, boarding_houses=60, incidents=150)
        engine.dispose()
        yield primary, replicas[0]


@pytest.fixture(scope="module")
def app(clusters):
    primary, replica = clusters
    for app in test_app(primary.url("urbanorder"),
                        DATABASE_REPLICA_URLS=[replica.url("urbanorder")],
                        REPLICA_MAX_LAG_S=MAX_LAG_S):
        app.statements = []
        with app.app_context():
            for label, engine in (("primary", db.engine),
                                  ("replica", db.replicas.replicas[0].engine)):
                event.listen(engine, "before_cursor_execute", _recorder(app.statements, label))
        wait_for_replay(clusters)
        yield app


def _recorder(log: list, label: str):
    def record(_conn, _cursor, statement, *_args):
        if statement not in CHECKS:
            log.append(label)
    return record


@contextmanager
def ran_on(app):
    """Where the statements of the block ran: a list of "primary" / "replica"."""
    app.statements.clear()
    where: list[str] = []
    yield where
    where.extend(app.statements)


def replica_sql(clusters, sql: str):
    engine = create_engine(clusters[1].url("urbanorder"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def wait_for_replay(clusters, timeout: float = 20) -> None:
    primary = create_engine(clusters[0].url("urbanorder"))
    with primary.connect() as conn:
        target = lsn_value(conn.execute(PRIMARY_POSITION).scalar())
    primary.dispose()
    deadline = time.monotonic() + timeout
    while lsn_value(replica_sql(clusters, REPLAYED_POSITION.text)) < target:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@contextmanager
def replay_paused(clusters):
    replica_sql(clusters, "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        replica_sql(clusters, "SELECT pg_wal_replay_resume()")
        wait_for_replay(clusters)


def caught_up(app, clusters) -> None:
    """The replica has replayed everything, and the app's check has seen it."""
    wait_for_replay(clusters)
    with app.app_context():
        db.replicas.refresh(force=True)


@pytest.fixture(scope="module")
def staff(app):
    client = app.test_client()
    sign_in(client, ROLE_USERS["urban_staff"])
    return client


def test_the_routed_connection_is_the_replica_for_reads_only(app, clusters):
    in_recovery = text("SELECT pg_is_in_recovery()")
    with app.test_request_context("/", method="GET"):
        assert db.conn.execute(in_recovery).scalar() is True
    with app.test_request_context("/", method="POST"):
        assert db.conn.execute(in_recovery).scalar() is False
    with app.app_context():  # commands and scripts: no request, the primary
        assert db.conn.execute(in_recovery).scalar() is False


def test_an_own_write_binds_reads_to_the_primary_only_while_a_replica_may_miss_it(app):
    in_recovery = text("SELECT pg_is_in_recovery()")
    beyond_any_replica = 2 ** 62  # a WAL position no server has reached
    for wrote_at, on_replica in ((time.time(), False), (time.time() - MAX_LAG_S - 2, True)):
        with app.test_request_context("/", method="GET"):
            session[OWN_WRITE] = [wrote_at, beyond_any_replica]
            assert db.conn.execute(in_recovery).scalar() is on_replica
            assert (OWN_WRITE in session) is not on_replica  # an old one is dropped


def test_map_api_rankings_and_exports_read_on_the_replica(app, clusters, staff):
    wait_for_replay(clusters)  # the replica holds what the staff's sign-in wrote
    for url in ("/", "/api/v1/incidents?limit=50", "/api/v1/boarding-houses", "/ranking",
                "/exports/incidents.geojson"):
        with ran_on(app) as where:
            response = staff.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        assert where and set(where) == {"replica"}, (url, where)


def test_a_write_lands_on_the_primary_and_its_writer_reads_it_back(app, clusters):
    police = app.test_client()
    with replay_paused(clusters):
        # Signing in writes the server-side session; the next page must find it.
        sign_in(police, ROLE_USERS["police"])
        with ran_on(app) as where:
            assert police.get("/").status_code == 200
        assert set(where) == {"primary"}
        police.csrf_headers = api_headers(police)
        with ran_on(app) as where:
            created = post(police, "/api/v1/field/incidents", incident_payload())
        assert created.status_code == 201, created.get_json()
        assert set(where) == {"primary"}
        incident_id = created.get_json()["id"]
        with ran_on(app) as where:
            again = police.get(f"/api/v1/incidents/{incident_id}")
        assert again.status_code == 200 and set(where) == {"primary"}
        # The replica really is behind: it does not have the incident yet.
        assert replica_sql(clusters, f"SELECT count(*) FROM incident WHERE id = {incident_id}") == 0
    # Once a check has seen the replica replay the write, the writer's reads go back to it.
    caught_up(app, clusters)
    with ran_on(app) as where:
        assert police.get(f"/api/v1/incidents/{incident_id}").status_code == 200
    assert set(where) == {"replica"}


def test_personal_data_views_audit_on_the_primary(app, clusters):
    police = app.test_client()
    sign_in(police, ROLE_USERS["police"])
    wait_for_replay(clusters)
    with app.app_context():
        house_id = db.conn.execute(select(func.min(BoardingHouse.id))).scalar()
        audits = select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "view_personal_data", AuditLog.entity_id == house_id)
        before = db.conn.execute(audits).scalar()
    with ran_on(app) as where:
        response = police.get(f"/boarding-houses/{house_id}")
    assert response.status_code == 200
    assert {"primary", "replica"} <= set(where)  # the audit on the primary, the rest not
    with app.app_context():
        assert db.conn.execute(audits).scalar() == before + 1


def test_a_lagging_replica_is_skipped_until_it_catches_up(app, clusters, staff):
    with replay_paused(clusters):
        with app.app_context():
            with db.engine.begin() as conn:  # someone else's write the replica cannot replay
                conn.execute(text("UPDATE ward SET name = name"))
            lagging_since = time.monotonic()
            while time.monotonic() - lagging_since < MAX_LAG_S + 0.5:
                db.replicas.refresh()
                time.sleep(0.1)
        with ran_on(app) as where:
            assert staff.get("/api/v1/incidents?limit=10").status_code == 200
        assert set(where) == {"primary"}
    caught_up(app, clusters)
    with ran_on(app) as where:
        assert staff.get("/api/v1/incidents?limit=10").status_code == 200
    assert set(where) == {"replica"}


def test_reads_and_writes_through_pgbouncer_in_transaction_mode(clusters):
    if shutil.which("pgbouncer") is None and not Path("/usr/sbin/pgbouncer").exists():
        unavailable("pgbouncer is not installed (Debian package pgbouncer)")
    primary, replica = clusters
    admin = create_engine(primary.url(), isolation_level="AUTOCOMMIT")

    def database_time_zone(zone: str) -> None:
        with admin.connect() as conn:  # PgBouncer 1.18 passes no startup options
            conn.execute(text(f"ALTER DATABASE urbanorder SET timezone = '{zone}'"))

    with pgbouncer(primary) as port:
        bounced = f"postgresql+psycopg://postgres@127.0.0.1:{port}/urbanorder"
        plain = make_engine(bounced)
        with pytest.raises(OperationalError, match="unsupported startup parameter"):
            plain.connect()
        plain.dispose()
        database_time_zone("Asia/Ho_Chi_Minh")
        local = make_engine(bounced, pgbouncer=True)
        with pytest.raises(DatabaseSettingError, match="ALTER DATABASE"):
            local.connect()
        local.dispose()
    database_time_zone("UTC")
    # A new PgBouncer: its server connections keep the time zone they were opened with.
    with pgbouncer(primary) as port:
        bounced = f"postgresql+psycopg://postgres@127.0.0.1:{port}/urbanorder"
        for app in test_app(bounced, DATABASE_PGBOUNCER=True,
                            DATABASE_REPLICA_URLS=[replica.url("urbanorder")],
                            REPLICA_MAX_LAG_S=MAX_LAG_S):
            police = app.test_client()
            sign_in(police, ROLE_USERS["police"])
            police.csrf_headers = api_headers(police)
            for _ in range(3):  # more than psycopg's five executions of each statement
                created = post(police, "/api/v1/field/incidents", incident_payload())
                assert created.status_code == 201, created.get_json()
                for _ in range(3):
                    shown = police.get(f"/api/v1/incidents/{created.get_json()['id']}")
                    assert shown.status_code == 200
            with app.app_context(), db.engine.connect() as conn:
                assert conn.execute(text("SHOW timezone")).scalar() == "UTC"
            with app.test_request_context("/", method="GET"):  # the replica, same settings
                assert db.conn.execute(text("SELECT pg_is_in_recovery()")).scalar() is True
    admin.dispose()


def test_a_read_the_replica_cancels_runs_again_on_the_primary(app, clusters, staff):
    replica_engine = db_replica_engine(app)
    cancelled = []

    def conflict_with_recovery(*_args):
        if not cancelled:  # once, as a hot standby cancels a query whose rows vacuum removed
            cancelled.append(True)
            raise psycopg.errors.SerializationFailure(
                "canceling statement due to conflict with recovery")

    caught_up(app, clusters)
    event.listen(replica_engine, "before_cursor_execute", conflict_with_recovery)
    try:
        with ran_on(app) as where:
            response = staff.get("/api/v1/incidents?limit=10")
    finally:
        event.remove(replica_engine, "before_cursor_execute", conflict_with_recovery)
    assert cancelled and response.status_code == 200
    assert len(response.get_json()["features"]) == 10
    assert where[0] == "replica" and where[-1] == "primary"
    with ran_on(app) as where:  # the replica is not down: the next read is on it again
        assert staff.get("/api/v1/incidents?limit=10").status_code == 200
    assert set(where) == {"replica"}


def db_replica_engine(app):
    with app.app_context():
        return db.replicas.replicas[0].engine


def test_a_stopped_replica_falls_back_to_the_primary(app, clusters, staff):
    caught_up(app, clusters)
    with ran_on(app) as where:
        assert staff.get("/api/v1/incidents?limit=10").status_code == 200
    assert set(where) == {"replica"}
    clusters[1].stop()
    # At once, before any check has noticed: the connection fails, the primary answers.
    for url in ("/api/v1/incidents?limit=10", "/", "/ranking"):
        with ran_on(app) as where:
            response = staff.get(url)
        assert response.status_code == 200, url
        assert set(where) == {"primary"}, url
