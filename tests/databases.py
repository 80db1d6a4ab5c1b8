"""Databases for tests: filled once per session as templates, reset before each test.

A test that writes works on its template's workspace, a copy at a fixed URL that is reset
to the template before the next test, so it leaves nothing behind and no test depends on
another having run first (issue 12). Only a workspace that was written to is reset: a
SQLite reset copies the template's file over it (milliseconds); a PostgreSQL reset renames
it away and makes it again with ``CREATE DATABASE .. TEMPLATE`` (a tenth of a second), and
the old one is dropped by a thread of its own (``DROP DATABASE`` may wait
seconds for the server's checkpoint; no test should wait with it). The workspace is a real
database: commits, triggers, constraints, other connections, threads and child processes
behave as in production, which a rollback of one shared connection would not give (the
app opens its own connections and refreshes caches in threads). Since its URL does not
change, one app per template serves the whole session.

Each template is signed in once per demo role when it is made, and each reset carries those
server-side sessions, so a test's client starts signed in by its cookie instead of paying
an Argon2 check (0.2 s of CPU) per test. The sign-in form itself is tested in
``tests/webapp/auth``.
"""

from __future__ import annotations

import queue
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.helpers import ROLE_USERS, sign_in

SESSION_COOKIES = ("session", "remember_token")
# database name -> whether anything in this process committed to it (PostgreSQL copies).
_COMMITTED: set[str] = set()


@event.listens_for(Engine, "commit")
def _note_commit(conn) -> None:
    _COMMITTED.add(conn.engine.url.database)


class DatabaseURL(str):
    """A database URL (a str) that knows its template's signed-in cookies."""

    cookies: dict[str, dict[str, str]]


def _backend(url: str) -> str:
    return "spatialite" if url.startswith("sqlite") else "postgis"


def _database(url: str) -> str:
    return make_url(url).database


def _signed_in_cookies(url: str, users: dict[str, str | None]) -> dict[str, dict[str, str]]:
    """Sign each of ``users`` ({username: password, None for a demo account's}) in on
    ``url`` once: ``{username: {cookie name: value}}``."""
    from tests.conftest import test_app

    cookies = {}
    for app in test_app(url):
        for username, password in users.items():
            client = app.test_client()
            sign_in(client, username, password)
            cookies[username] = {name: cookie.value for name in SESSION_COOKIES
                                 if (cookie := client.get_cookie(name)) is not None}
    return cookies


def signed_in_client(app, username: str):
    """A test client of ``app`` signed in as ``username`` through the session its
    database's template made for it, or through the sign-in form where there is none."""
    client = app.test_client()
    cookies = getattr(app.config["DATABASE_URL"], "cookies", {}).get(username)
    if cookies:
        for name, value in cookies.items():
            client.set_cookie(name, value)
    else:
        sign_in(client, username)
    return client


def _forget_cached_results() -> None:
    """Empty the per-process caches of computed results (``webapp.services``). They are
    keyed by the data's fingerprints (count, last id, last update), which two copies of one
    template may share after different writes: a test must not get another's result."""
    from webapp.services.cache import VersionedCache

    for name, module in list(sys.modules.items()):
        if name.startswith("webapp.services."):
            for value in vars(module).values():
                if isinstance(value, VersionedCache):
                    value.clear()


class _Dropper:
    """Drops PostgreSQL databases one after another in a thread, while tests go on."""

    def __init__(self, admin) -> None:
        self.admin, self.names = admin, queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (name := self.names.get()) is not None:
            with self.admin.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop(self, name: str) -> None:
        self.names.put(name)

    def close(self) -> None:
        self.names.put(None)
        self.thread.join()


class Template:
    """One migrated, filled database of one backend, and its workspace: a copy at a fixed
    URL, reset to the template before each test that uses it unless nothing wrote to it,
    with one app on it for the session (making an app costs 0.1 s of CPU)."""

    def __init__(self, url: str, cookies: dict, admin, dropper: _Dropper | None) -> None:
        self.url, self.cookies, self.admin, self.dropper = url, cookies, admin, dropper
        if _backend(url) == "spatialite":
            self.work = DatabaseURL(url[:-len(".db")] + "-work.db")
        else:
            self.work = DatabaseURL(admin.url.set(database=_database(url) + "_w")
                                    .render_as_string(hide_password=False))
        self.work.cookies = cookies
        self.dirty, self.exists = True, False
        self.apps: dict[str, tuple] = {}  # url -> (app, its maker, to finish)

    def shared(self) -> DatabaseURL:
        """The template itself, for tests that only read."""
        wrapped = DatabaseURL(self.url)
        wrapped.cookies = self.cookies
        return wrapped

    def checkout(self) -> DatabaseURL:
        """The workspace, holding what the template holds, for one test (then ``checkin``)."""
        if self.dirty:
            self._reset()
        _COMMITTED.discard(_database(self.work))
        self.signature = self._file_signature()
        return self.work

    def checkin(self, *, written: bool = False) -> None:
        """The test ended. The next one gets a reset workspace if ``written`` (a child
        process may have written), if something in this process committed to it
        (PostgreSQL) or if its files changed (SQLite: a write leaves frames in the WAL)."""
        self.dirty = written or _database(self.work) in _COMMITTED or \
            self._file_signature() != self.signature
        if self.dirty:
            _forget_cached_results()

    def _file_signature(self) -> tuple | None:
        if _backend(self.url) != "spatialite":
            return None
        files = (Path(_database(self.work)), Path(_database(self.work) + "-wal"))
        stats = [f.stat() if f.exists() else None for f in files]
        # Opening the file makes an empty WAL: only one holding frames means a write.
        return tuple((st.st_mtime_ns, st.st_size) if st and st.st_size else None
                     for st in stats)

    def fresh_copy(self, folder: Path) -> str:
        """A new database of the template's, for one test (dropped at the session's end)."""
        if _backend(self.url) == "spatialite":
            shutil.copyfile(_database(self.url), folder / "test.db")
            return f"sqlite:///{folder / 'test.db'}"
        name = f"urbanorder_test_{uuid.uuid4().hex[:10]}"
        with self.admin.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_database(self.url)}"'))
        self.admin.created.append(name)
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def shared_app(self, url: DatabaseURL | None = None):
        """The session's app on the workspace (or on ``url``); ``close`` disposes it."""
        url = url or self.work
        if url not in self.apps:
            from tests.conftest import test_app

            maker = test_app(url)
            self.apps[url] = (next(maker), maker)
        return self.apps[url][0]

    def _reset(self) -> None:
        if self.work in self.apps:
            self.apps[self.work][0].extensions["urbanorder_engine"].dispose()
        work = _database(self.work)
        if _backend(self.url) == "spatialite":
            for suffix in ("-wal", "-shm"):
                Path(work + suffix).unlink(missing_ok=True)
            shutil.copyfile(_database(self.url), work)
        else:
            with self.admin.admin.connect() as conn:
                if self.exists:  # renamed away at once, dropped in the background
                    self._rename_away(conn, work)
                conn.execute(text(f'CREATE DATABASE "{work}" TEMPLATE "{_database(self.url)}"'))
        self.exists, self.dirty = True, False

    def _rename_away(self, conn, work: str) -> None:
        old = f"{work}_old_{uuid.uuid4().hex[:8]}"
        for _ in range(100):
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name"), {"name": work})
            try:
                conn.execute(text(f'ALTER DATABASE "{work}" RENAME TO "{old}"'))
                break
            except OperationalError:  # a terminated connection has not quite gone yet
                time.sleep(0.05)
        else:
            raise RuntimeError(f"{work} is still in use")
        self.dropper.drop(old)

    def close(self) -> None:
        for _app, maker in self.apps.values():
            next(maker, None)  # disposes its engines
        if self.exists and self.dropper is not None:
            self.dropper.drop(_database(self.work))


class Templates:
    """The session's templates, made on first use, per name and backend."""

    def __init__(self, request, tmp_path_factory) -> None:
        self.request, self.tmp_path_factory = request, tmp_path_factory
        self.made: dict[tuple[str, str], Template] = {}
        self.dropper: _Dropper | None = None

    def close(self) -> None:
        """Dispose the apps, drop the workspaces and wait for every drop."""
        for template in self.made.values():
            template.close()
        if self.dropper is not None:
            self.dropper.close()

    def get(self, name: str, backend: str, fill: Callable[[Engine], None], *,
            users: dict[str, str | None] | None = None) -> Template:
        """The template ``name`` of ``backend``: migrated, then ``fill(engine)``, then
        signed in once as each of ``users`` ({username: password}; by default the demo's
        accounts, whose passwords ``tests.helpers`` knows)."""
        from models import migrate
        from models.engine import make_engine

        key = (name, backend)
        if key not in self.made:
            admin = None
            if backend == "spatialite":
                url = f"sqlite:///{self.tmp_path_factory.mktemp(name) / f'{name}.db'}"
            else:
                admin = self.request.getfixturevalue("postgres_databases")
                url = admin.create()
                self.dropper = self.dropper or _Dropper(admin)
            engine = make_engine(url)
            migrate.upgrade(engine)
            fill(engine)
            engine.dispose()
            cookies = _signed_in_cookies(
                url, dict.fromkeys(ROLE_USERS.values()) if users is None else users)
            if backend == "spatialite":  # everything in the main file: one file to copy
                engine = make_engine(url)
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                engine.dispose()
            self.made[key] = Template(url, cookies, admin, self.dropper)
        return self.made[key]
