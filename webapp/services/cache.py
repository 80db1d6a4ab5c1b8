"""Results kept per process, keyed by their inputs and the version of the data they read.

A key holds the layers' fingerprints (``models.fingerprints.layer_fingerprint``: count, last
id, last update), so an edit, import or deletion makes a new key and the stale entry just
ages out; nothing has to be invalidated by hand. Each worker process has its own cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class VersionedCache:
    """A small LRU of computed results (``maxsize`` entries), safe across threads."""

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: Hashable, compute: Callable[[], object]):
        """The value stored for ``key``, computing and storing it if there is none.

        >>> cache, calls = VersionedCache(maxsize=1), []
        >>> [cache.get(k, lambda: calls.append(k) or k * 2) for k in (1, 1, 2, 1)]
        [2, 2, 4, 2]
        >>> calls
        [1, 2, 1]
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two first requests may both compute
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class RecentValues:
    """Values re-read at most once per ``max_age`` seconds per key, safe across threads.

    For versions that are costly to read on every request: a province's fingerprints scan
    millions of rows (0.6 s for 2,000,000 incidents), so they are trusted for ``max_age``
    seconds. Past that the old value is still answered while one background thread reads
    the new one: no request waits for the scan, and a change shows at most ``max_age`` plus
    one reading later. ``max_age`` 0 reads every time, in the caller's thread.
    """

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._items: dict = {}
        self._reading: set = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, read: Callable[[], object]):
        """``read()``'s value for ``key``; ``read`` must not need the caller's thread (its
        own database connection), as it may run in another.

        >>> now = [0.0]
        >>> recent, reads = RecentValues(5, clock=lambda: now[0]), []
        >>> def read():
        ...     reads.append(now[0])
        ...     return len(reads)
        >>> [recent.get("k", read) for now[0] in (0.0, 4.9)]
        [1, 1]
        >>> now[0] = 5.0; recent.get("k", read)  # stale: the old value, a new one on its way
        1
        >>> recent.join(); recent.get("k", read)
        2
        """
        now = self._clock()
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and now - kept[0] >= self.max_age > 0 \
                    and key not in self._reading:
                self._reading.add(key)
                threading.Thread(target=self._refresh, args=(key, read, now),
                                 daemon=True, name=f"refresh {key!r}").start()
        if kept is not None and (now - kept[0] < self.max_age or self.max_age > 0):
            return kept[1]
        value = read()
        with self._lock:
            self._items[key] = (now, value)
        return value

    def _refresh(self, key: Hashable, read: Callable[[], object], now: float) -> None:
        try:
            value = read()
            with self._lock:
                self._items[key] = (now, value)
        finally:
            with self._lock:
                self._reading.discard(key)

    def join(self, timeout: float = 10.0) -> None:
        """Wait for the background readings under way (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if not self._reading:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("a version is still being read")
            time.sleep(0.005)


class TrustedWhile:
    """Values re-read when older than ``max_age`` seconds or when ``generation()`` (this
    process's commits) has moved since they were read; read in the caller's thread.

    For versions cheap to read but read on every request (a ward's layer fingerprints):
    another process's write shows within ``max_age``, this process's own at once.

    >>> now, generation, reads = [0.0], [0], []
    >>> trusted = TrustedWhile(1.0, lambda: generation[0], clock=lambda: now[0])
    >>> def read():
    ...     reads.append(now[0])
    ...     return len(reads)
    >>> [trusted.get("k", read) for now[0] in (0.0, 0.5)]
    [1, 1]
    >>> generation[0] += 1; trusted.get("k", read)  # a commit here: read again
    2
    >>> now[0] = 1.6; trusted.get("k", read)  # too old
    3
    """

    def __init__(self, max_age: float, generation: Callable[[], int],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._generation = generation
        self._clock = clock
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, read: Callable[[], object]):
        now, generation = self._clock(), self._generation()
        with self._lock:
            kept = self._items.get(key)
        if kept is not None and kept[1] == generation and now - kept[0] < self.max_age:
            return kept[2]
        value = read()
        with self._lock:
            self._items[key] = (now, generation, value)
        return value
