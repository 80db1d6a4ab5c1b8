"""Extensions, created unbound and attached to an app in ``create_app``."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager, nullcontext

from flask import Flask, current_app, g, has_request_context, request, session
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import OperationalError

from models.engine import IMMEDIATE, READ_EACH_STATEMENT, make_engine
from models.replicas import Replica, Replicas, primary_position

log = logging.getLogger(__name__)

# Requests that only read; any other method may write, so it reads on the primary.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The session key of the user's latest write: [UTC epoch seconds, primary WAL position].
# Until a replica has replayed that position, this user's reads stay on the primary.
OWN_WRITE = "db_wrote"
# A write this many seconds older than the allowed lag is on every replica still in use.
CLOCK_MARGIN_S = 1.0


class _Commits:
    """How many transactions this process has committed on the primary. A version read
    from the data may be trusted while this is unchanged (a lost increment between threads
    still changes it)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn) -> None:
        if not conn.get_execution_options().get(READ_EACH_STATEMENT):  # a read changes nothing
            self.count += 1


class Database:
    """The app's engine, and one connection per request opened on first use.

    With ``DATABASE_REPLICA_URLS`` (PostgreSQL), a read-only request reads on a replica
    that keeps up (``models.replicas``), unless its user wrote something a replica has not
    replayed yet; writes and every other request use the primary.
    """

    def init_app(self, app: Flask) -> None:
        pgbouncer = app.config["DATABASE_PGBOUNCER"]
        engine = make_engine(app.config["DATABASE_URL"], pgbouncer=pgbouncer)
        app.extensions["urbanorder_engine"] = engine
        app.extensions["urbanorder_commits"] = commits = _Commits()
        event.listen(engine, "commit", commits)
        app.extensions["urbanorder_replicas"] = Replicas.connect(
            engine, app.config["DATABASE_REPLICA_URLS"], app.config["REPLICA_MAX_LAG_S"],
            pgbouncer)
        app.teardown_appcontext(self._close)
        app.after_request(self._remember_write)
        app.register_error_handler(OperationalError, self._read_again_on_primary)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["urbanorder_engine"]

    @property
    def commits(self) -> int:
        """This process's commits so far (``_Commits``)."""
        return current_app.extensions["urbanorder_commits"].count

    @property
    def replicas(self) -> Replicas | None:
        return current_app.extensions["urbanorder_replicas"]

    @property
    def conn(self) -> Connection:
        """The request's read connection (opened lazily, closed at teardown). After the
        request wrote, reads move to the primary, which holds what it wrote."""
        if "db_conn" in g and g.db_replica is not None and "db_wrote" in g:
            g.db_replaced.append(g.pop("db_conn"))
        if "db_conn" not in g:
            g.setdefault("db_replaced", [])
            conn, g.db_replica = self._read_connection()
            g.db_conn = conn.execution_options(**{READ_EACH_STATEMENT: True})
        return g.db_conn

    def _read_connection(self) -> tuple[Connection, Replica | None]:
        replicas = self.replicas
        if replicas is None or not has_request_context() or "db_wrote" in g \
                or g.get("db_primary_only") or request.method not in READ_ONLY_METHODS:
            return self.engine.connect(), None
        chosen = replicas.connect_for_read(self._own_write(replicas.max_lag_s))
        return chosen or (self.engine.connect(), None)

    @staticmethod
    def _read_again_on_primary(exc: OperationalError):
        """A read-only request whose replica failed under it (went down, or cancelled a query
        in a conflict with recovery) runs again, once, on the primary — from its first
        step, the sign-in gate included. One that has written is not run twice."""
        replica, conn = g.get("db_replica"), g.get("db_conn")
        lost = conn is not None and conn.invalidated
        if replica is None or conn is None or "db_wrote" in g or \
                request.method not in READ_ONLY_METHODS or \
                not (lost or "conflict with recovery" in str(exc.orig)):
            raise exc
        log.warning("replica %s failed a read, reading on the primary: %s", replica.name, exc)
        replica.down = replica.down or lost  # until a check reaches it again
        g.db_replaced.append(g.pop("db_conn"))
        g.db_replica, g.db_primary_only = None, True
        g.pop("_login_user", None)  # Flask-Login's user, perhaps half-read on the replica
        return current_app.preprocess_request() or current_app.dispatch_request()

    @staticmethod
    def _own_write(max_lag_s: float) -> int | None:
        """The WAL position of this user's latest write, while a replica may miss it."""
        wrote = session.get(OWN_WRITE)
        if not (isinstance(wrote, list) and len(wrote) == 2):
            return None
        if time.time() - wrote[0] > max_lag_s + CLOCK_MARGIN_S:
            session.pop(OWN_WRITE)  # every replica still in use holds it by now
            return None
        return int(wrote[1])

    @contextmanager
    def writer(self):
        """One primary connection for the transactions of a request that makes many (a
        batch's records, each its own ``transaction``): one pool check-out and its ping,
        not one per record."""
        if g.get("db_writer") is not None:
            yield
            return
        reused = self._primary_read_connection()
        with nullcontext(reused) if reused is not None else self._write_connection() as conn:
            g.db_writer = conn
            try:
                yield
            finally:
                g.db_writer = None

    @contextmanager
    def transaction(self):
        """One transaction for one submission: everything or nothing."""
        shared = None
        if has_request_context():
            shared = g.get("db_writer") or self._primary_read_connection()
        with nullcontext(shared) if shared is not None else self._write_connection() as conn:
            with _write_transaction(conn):
                yield conn
            if self.replicas is not None and has_request_context():
                g.db_wrote = primary_position(conn)

    def _write_connection(self) -> Connection:
        return self.engine.connect().execution_options(**{IMMEDIATE: True})

    @staticmethod
    def _primary_read_connection() -> Connection | None:
        """The request's read connection, when it is open on the PostgreSQL primary: a
        write may run on it — a pool check-out, its ping, a BEGIN and a COMMIT fewer than
        on a second connection (a field record's request: 11 round trips, not 16).
        SQLite's writes keep their own connection, which takes the write lock at BEGIN."""
        conn = g.get("db_conn")
        if conn is None or g.get("db_replica") is not None or conn.invalidated or \
                conn.dialect.name != "postgresql":
            return None
        return conn

    def _remember_write(self, response):
        """A request that wrote (or could have, by its method) notes where the primary's
        WAL was afterwards in the user's session: read-your-own-writes."""
        if self.replicas is None:
            return response
        position = g.get("db_wrote")
        if position is None and request.method not in READ_ONLY_METHODS:
            with self.engine.connect() as conn:  # e.g. an import writing on its own engine
                position = primary_position(conn)
        if position is not None:
            session[OWN_WRITE] = [time.time(), position]
        return response

    @staticmethod
    def _close(exc) -> None:
        for conn in (g.pop("db_conn", None), *g.pop("db_replaced", ())):
            if conn is None:
                continue
            # A read connection's transaction only read (writes go through ``transaction``),
            # so it ends with COMMIT, not the pool's ROLLBACK: psycopg forgets its prepared
            # statements at every ROLLBACK, and none would ever be prepared on a connection
            # that serves a request at a time. SQLite's read connection has no transaction.
            if exc is None and not conn.invalidated and conn.in_transaction() and \
                    conn.dialect.name == "postgresql":
                conn.commit()
            conn.close()


@contextmanager
def _write_transaction(conn: Connection):
    """A write transaction on ``conn``. On the request's read connection, the transaction
    its reads began (PostgreSQL's READ COMMITTED: each statement sees the latest commits,
    so nothing read before is stale for the write) becomes the write's, and it counts as a
    commit (``_Commits``) while it writes."""
    reading = conn.get_execution_options().get(READ_EACH_STATEMENT, False)
    if reading:
        conn.execution_options(**{READ_EACH_STATEMENT: False})
    try:
        with conn.get_transaction() if conn.in_transaction() else conn.begin():
            yield conn
    finally:
        if reading:
            conn.execution_options(**{READ_EACH_STATEMENT: True})


db = Database()

csrf = CSRFProtect()
compress = Compress()
# The store comes from the app's RATELIMIT_STORAGE_URI (webapp.config: in-process counters
# unless URBANORDER_RATELIMIT_STORAGE_URI names a store the worker processes share).
limiter = Limiter(key_func=get_remote_address)
