"""The PostgreSQL server the tests use: its URL, throw-away databases, and what a test
does when a backend is missing (fails in CI, skips elsewhere)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.databases import Dropper

POSTGRES_URL = os.environ.get(
    "URBANORDER_TEST_POSTGRES_URL",
    f"postgresql+psycopg://{os.environ.get('USER', 'root')}:urbanorder@127.0.0.1:5432/postgres",
)


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"backend required in CI: {reason}")
    pytest.skip(reason)


class PostgresDatabases:
    """Creates throw-away databases on the test server and drops them afterwards."""

    def __init__(self, url: str) -> None:
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self.url = make_url(url)
        self.created: list[str] = []
        self.dropper: Dropper | None = None

    def drop_soon(self, url: str) -> None:
        """Drop the database of ``url`` in the background, while the tests go on: each
        DROP DATABASE waits for a checkpoint, seconds at the end of a run for dozens."""
        name = make_url(url).database
        self.created.remove(name)
        self.dropper = self.dropper or Dropper(self)
        self.dropper.drop(name)

    def create(self, *, dropped_here: bool = True) -> str:
        """A new empty database's URL; dropped at this process's end if ``dropped_here``."""
        name = f"urbanorder_test_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        if dropped_here:
            self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.dropper is not None:
            self.dropper.close()
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()
