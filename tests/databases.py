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

Under pytest-xdist the first worker to need a template makes it and the others use it too
(the SQLite file in the run's folder, the PostgreSQL database dropped at the run's end);
each worker has its own workspaces. Each template is signed in once per demo role when it
is made, and each reset carries those server-side sessions, so a test's client starts
signed in by its cookie instead of paying an Argon2 check (0.2 s of CPU) per test. The
sign-in form itself is tested in ``tests/webapp/auth``.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
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


class Dropper:
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

    def __init__(self, url: str, cookies: dict, admin, dropper: Dropper | None,
                 folder: Path) -> None:
        """``folder``: this process's own, for a SQLite workspace (the template itself may
        be another worker's too)."""
        self.url, self.cookies, self.admin, self.dropper = url, cookies, admin, dropper
        if _backend(url) == "spatialite":
            self.work = DatabaseURL(f"sqlite:///{folder / 'work.db'}")
        else:
            workspace = f"{_database(url)}_w{_worker()}"
            self.work = DatabaseURL(admin.url.set(database=workspace)
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


def _worker() -> str:
    """This pytest-xdist worker's name ("gw0"…), "" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def run_folder(tmp_path_factory) -> Path:
    """The folder of the whole run: under pytest-xdist each worker's base folder is one of
    its subfolders (the controller's base folder is the run's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if _worker() else base


def made_once(run: Path, name: str, make: Callable[[Path], dict]) -> dict:
    """What ``make(folder)`` answered (JSON) for ``name``: made by the first worker of the
    ``run`` folder that asks, in a folder of the run's, and read by the others."""
    with open(run / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        record = run / f"{name}.json"
        if record.exists():
            return json.loads(record.read_text())
        folder = run / name
        folder.mkdir(exist_ok=True)  # a worker that failed to make it may have left it
        from tests.cpu_report import charged  # (imported first as a plugin, by conftest)

        with charged(f"made once: {name}"):
            made = make(folder)
        record.write_text(json.dumps(made))
        return made


# In the run's folder: the PostgreSQL templates the workers made, one name a line, dropped
# by ``drop_shared_templates`` once every worker has finished.
POSTGRES_TEMPLATES = "postgres-templates.txt"


def drop_shared_templates(folder: Path, admin_url: str) -> None:
    """Drop the PostgreSQL templates listed in ``folder`` (at the end of the run)."""
    listed = folder / POSTGRES_TEMPLATES
    if not listed.exists():
        return
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in listed.read_text().split():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    listed.unlink()


class Templates:
    """The session's templates, made on first use, per name and backend, by one worker for
    all of them (``get``)."""

    def __init__(self, request, tmp_path_factory) -> None:
        self.request, self.tmp_path_factory = request, tmp_path_factory
        self.made: dict[tuple[str, str], Template] = {}
        self.dropper: Dropper | None = None
        self.run_folder = run_folder(tmp_path_factory)

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
        accounts, whose passwords ``tests.helpers`` knows).

        The first worker of the run to ask makes it, the others wait for it and use it too
        (a template costs seconds of CPU). A template that tests copy is never read in
        place (``Template.shared``), since PostgreSQL copies no database that another
        worker is reading: a test that reads one reads a ``fresh_copy``.
        """
        key = (name, backend)
        if key not in self.made:
            admin = None
            if backend == "postgis":
                admin = self.request.getfixturevalue("postgres_databases")
                self.dropper = self.dropper or Dropper(admin)
            users = dict.fromkeys(ROLE_USERS.values()) if users is None else users
            url, cookies = self._made_once(name, backend, fill, users, admin)
            self.made[key] = Template(url, cookies, admin, self.dropper,
                                      self.tmp_path_factory.mktemp(f"{name}-work"))
        return self.made[key]

    def _made_once(self, name: str, backend: str, fill, users, admin) -> tuple[str, dict]:
        """The run's template ``name``: made here unless a worker made it already."""
        def make(folder: Path) -> dict:
            create = None
            if admin is not None:  # not dropped by this worker: another may still use it
                def create():
                    url = admin.create(dropped_here=False)
                    with open(self.run_folder / POSTGRES_TEMPLATES, "a") as listed:
                        listed.write(_database(url) + "\n")
                    return url
            url, cookies = self._make(name, backend, fill, users, folder, create)
            return {"url": url, "cookies": cookies}

        made = made_once(self.run_folder, f"template-{name}-{backend}", make)
        return made["url"], made["cookies"]

    @staticmethod
    def _make(name: str, backend: str, fill, users, folder: Path,
              create: Callable[[], str] | None) -> tuple[str, dict]:
        """Make the template in ``folder`` (SQLite) or as ``create()`` (PostgreSQL): its
        URL and its users' cookies."""
        from models import migrate
        from models.engine import make_engine

        url = f"sqlite:///{folder / f'{name}.db'}" if backend == "spatialite" else create()
        engine = make_engine(url)
        migrate.upgrade(engine)
        fill(engine)
        engine.dispose()
        cookies = _signed_in_cookies(url, users)
        if backend == "spatialite":  # everything in the main file: one file to copy
            engine = make_engine(url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
        return url, cookies
