"""Extensions, created unbound and attached to an app in ``create_app``."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask, current_app, g
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, Engine

from models.engine import IMMEDIATE, READ_EACH_STATEMENT, make_engine


class Database:
    """The app's engine, and one connection per request opened on first use."""

    def init_app(self, app: Flask) -> None:
        app.extensions["urbanorder_engine"] = make_engine(app.config["DATABASE_URL"])
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["urbanorder_engine"]

    @property
    def conn(self) -> Connection:
        """The request's read connection (opened lazily, closed at teardown)."""
        if "db_conn" not in g:
            g.db_conn = self.engine.connect().execution_options(**{READ_EACH_STATEMENT: True})
        return g.db_conn

    @contextmanager
    def transaction(self):
        """One transaction for one submission: everything or nothing."""
        with self.engine.connect().execution_options(**{IMMEDIATE: True}) as conn, \
                conn.begin():
            yield conn

    @staticmethod
    def _close(_exc) -> None:
        conn = g.pop("db_conn", None)
        if conn is not None:
            conn.close()


db = Database()

csrf = CSRFProtect()
compress = Compress()
# The store comes from the app's RATELIMIT_STORAGE_URI (webapp.config: in-process counters
# unless URBANORDER_RATELIMIT_STORAGE_URI names a store the worker processes share).
limiter = Limiter(key_func=get_remote_address)
