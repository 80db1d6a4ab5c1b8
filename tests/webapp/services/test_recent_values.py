"""RecentValues: a stale version is answered at once and re-read in the background, once."""

from __future__ import annotations

import threading

from webapp.services.cache import RecentValues


def test_a_stale_value_is_read_again_in_the_background_once():
    now, started, release = [0.0], threading.Event(), threading.Event()
    reads: list[float] = []

    def slow_read():
        reads.append(now[0])
        if len(reads) > 1:
            started.set()
            release.wait(5)
        return len(reads)

    recent = RecentValues(5, clock=lambda: now[0])
    assert recent.get("k", slow_read) == 1
    now[0] = 6.0
    assert recent.get("k", slow_read) == 1  # the old value, without waiting
    assert started.wait(5)
    assert recent.get("k", slow_read) == 1  # still reading: no second reader
    release.set()
    recent.join()
    assert recent.get("k", slow_read) == 2
    assert reads == [0.0, 6.0]


def test_max_age_zero_reads_every_time_in_the_callers_thread():
    callers = []
    recent = RecentValues(0)
    values = [recent.get("k", lambda: callers.append(threading.current_thread()) or 7)
              for _ in range(3)]
    assert values == [7, 7, 7]
    assert callers == [threading.current_thread()] * 3
