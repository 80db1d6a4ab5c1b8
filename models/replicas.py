"""Read replicas of a PostgreSQL primary: which one may answer a read, and how stale it is.

Staleness is measured against the primary's own WAL position, not against timestamps: every
check samples the primary's ``pg_current_wal_lsn()`` and then each replica's
``pg_last_wal_replay_lsn()``. A replica that has replayed the primary's position sampled at
time *t* holds every commit made before *t*, so ``now - t`` bounds its lag from above. That
holds while the primary is idle (nothing to replay is no lag), when replay is paused and
when a replica lost its primary (its position stops while the primary's moves on), where
``pg_last_xact_replay_timestamp()`` would mislead.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

PRIMARY_POSITION = text("SELECT pg_current_wal_lsn()::text")
REPLAYED_POSITION = text("SELECT pg_last_wal_replay_lsn()::text")
# A replica that does not answer a new connection within this many seconds counts as down
# (libpq's connect_timeout: below 2 s it is not reliable).
CONNECT_TIMEOUT_S = 2


def lsn_value(lsn: str | None) -> int | None:
    """A WAL position ``'16/B374D848'`` as a comparable integer (``None`` stays ``None``)."""
    if not lsn:
        return None
    high, low = lsn.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def primary_position(conn: Connection) -> int:
    """Where the primary's WAL ends now: a commit made on ``conn`` before this is at or
    before it."""
    return lsn_value(conn.execute(PRIMARY_POSITION).scalar_one())


@dataclass
class Replica:
    """One replica as last seen: its engine, the WAL position it had replayed, and the
    time of the latest primary sample that position covers (``None``: none retained)."""

    engine: Engine
    replayed: int | None = None
    covers_sample_at: float | None = None
    down: bool = True

    @property
    def name(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def lag_bound(self, now: float) -> float:
        """Seconds of commits this replica may miss, at most (infinite when unknown)."""
        if self.down or self.covers_sample_at is None:
            return float("inf")
        return max(0.0, now - self.covers_sample_at)


@dataclass
class Replicas:
    """The primary and its replicas, checked at most every ``check_every_s`` by whichever
    request comes first (no thread of its own: each worker process keeps its own view)."""

    primary: Engine
    replicas: list[Replica]
    max_lag_s: float
    check_every_s: float
    _samples: deque = field(default_factory=deque)  # (time.time(), primary position)
    _checked_at: float = float("-inf")
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _turn: itertools.count = field(default_factory=itertools.count)

    @classmethod
    def connect(cls, primary: Engine, urls, max_lag_s: float,
                pgbouncer: bool = False) -> Replicas | None:
        """Replicas of ``primary`` at ``urls``; ``None`` when there are none to use (no URL,
        or a SpatiaLite primary: SQLite has no replicas, the setting is ignored)."""
        from models.engine import make_engine

        if not urls or primary.dialect.name != "postgresql":
            return None
        engines = [make_engine(url, pgbouncer=pgbouncer,
                               connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
                   for url in urls]
        # Checked often enough that a replica keeping up stays inside the allowed lag.
        return cls(primary, [Replica(engine) for engine in engines], max_lag_s,
                   check_every_s=min(1.0, max_lag_s / 3))

    def dispose(self) -> None:
        for replica in self.replicas:
            replica.engine.dispose()

    # --- checking ------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Sample the primary, then every replica, if the last check is old enough; a
        request finding another one checking goes on with the previous view."""
        if not force and time.monotonic() - self._checked_at < self.check_every_s:
            return
        if not self._lock.acquire(blocking=force):
            return
        try:
            now = time.time()  # before the query: its position holds every commit before now
            with self.primary.connect() as conn:
                position = primary_position(conn)
            self._samples.append((now, position))
            while len(self._samples) > 1 and self._samples[0][0] < now - 2 * self.max_lag_s:
                self._samples.popleft()
            for replica in self.replicas:
                self._check(replica)
            self._checked_at = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - the primary down is the request's business
            log.warning("replica check skipped: primary unreachable (%s)", exc)
        finally:
            self._lock.release()

    def _check(self, replica: Replica) -> None:
        try:
            with replica.engine.connect() as conn:
                self.note_replayed(replica, lsn_value(conn.execute(REPLAYED_POSITION).scalar()))
        except Exception as exc:  # noqa: BLE001 - any failure: not usable until next check
            if not replica.down:
                log.warning("replica %s is down: %s", replica.name, exc)
            replica.down = True

    def note_replayed(self, replica: Replica, replayed: int | None) -> None:
        """Record that ``replica`` has replayed up to ``replayed`` (``None``: it is not in
        recovery, so not a replica of anything)."""
        replica.down = replayed is None
        replica.replayed = replayed
        # tuple(): a copy taken at once, while another request's check may append.
        covered = [at for at, position in tuple(self._samples)
                   if replayed is not None and position <= replayed]
        replica.covers_sample_at = covered[-1] if covered else None

    # --- choosing ------------------------------------------------------------------------

    def candidates(self) -> list[Replica]:
        """Replicas fit to answer a read now, in round-robin order (empty: use the primary)."""
        self.refresh()
        now = time.time()
        fresh = [r for r in self.replicas if r.lag_bound(now) <= self.max_lag_s]
        if not fresh:
            return []
        start = next(self._turn) % len(fresh)
        return fresh[start:] + fresh[:start]

    def connect_for_read(self, must_have: int | None) -> tuple[Connection, Replica] | None:
        """A connection to a replica fit to answer now that has replayed the WAL position
        ``must_have`` (the reader's own latest write, if any); ``None``: read on the primary.
        A replica that refuses the connection is down until a check finds it back."""
        for replica in self.candidates():
            try:
                conn = replica.engine.connect()
                if must_have is not None and (replica.replayed or 0) < must_have:
                    # It may have replayed the write since the last check: ask it.
                    self.note_replayed(replica,
                                       lsn_value(conn.execute(REPLAYED_POSITION).scalar()))
                    if (replica.replayed or 0) < must_have:
                        conn.close()
                        continue
            except OperationalError as exc:
                log.warning("replica %s is down: %s", replica.name, exc)
                replica.down = True
                continue
            return conn, replica
        return None


def parse_urls(setting: str | None) -> list[str]:
    """``DATABASE_REPLICA_URLS``: comma-separated URLs, blanks ignored; each checked."""
    urls = [part.strip() for part in (setting or "").split(",") if part.strip()]
    for url in urls:
        make_url(url)  # raises on a malformed URL at start-up, not at the first read
    return urls
