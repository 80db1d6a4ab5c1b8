"""Results kept per process, keyed by their inputs and the version of the data they read.

A key holds the layers' fingerprints (``models.queries.layer_fingerprint``: count, last
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
    millions of rows, so they are read again only when ``max_age`` has passed (and a change
    shows that much later). ``max_age`` 0 reads every time.
    """

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, read: Callable[[], object]):
        """``read()``'s value for ``key``, read again if older than ``max_age``.

        >>> now = [0.0]
        >>> recent, reads = RecentValues(5, clock=lambda: now[0]), []
        >>> def read():
        ...     reads.append(now[0])
        ...     return len(reads)
        >>> [recent.get("k", read) for now[0] in (0.0, 4.9, 5.0, 6.0)]
        [1, 1, 2, 2]
        """
        now = self._clock()
        with self._lock:
            kept = self._items.get(key)
        if kept is not None and now - kept[0] < self.max_age:
            return kept[1]
        value = read()
        with self._lock:
            self._items[key] = (now, value)
        return value
