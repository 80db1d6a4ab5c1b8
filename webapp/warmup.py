"""A new server process gets ready for field records before the first ones arrive.

Building the app imports nothing heavy (start-up stays short), so a fresh worker's first
field records used to pay for importing geopandas and building each ward's locator
(``webapp.services.locator``) while the phones' records queued behind them: after a start
or a restart the first second's answers took 2–5 times the usual. A background thread
now does that work as soon as the process has its app; requests are served meanwhile,
and one that needs a locator before the thread built it builds it itself, as before.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)


def start(app) -> threading.Thread:
    """Warm ``app``'s process in a daemon thread; returns the thread."""
    thread = threading.Thread(target=warm, args=(app,), name="urbanorder-warm-up", daemon=True)
    thread.start()
    return thread


def warm(app) -> int:
    """Import what field records and layers need and build the locators of the wards (as
    many as the locator cache keeps); returns how many were built. A failure is logged,
    never raised: the requests build what they need."""
    started = time.perf_counter()
    try:
        import geopandas  # noqa: F401  (layers and locators read GeoDataFrames)

        from models import queries
        from webapp.extensions import db
        from webapp.services.locator import CACHED_WARDS, ward_places

        with app.app_context(), db.engine.connect() as conn:
            wards = queries.wards(conn)[:CACHED_WARDS]
            for ward in wards:
                ward_places(conn, ward)
    except Exception:  # a database still migrating, a broken layer: the request will say
        log.exception("warm-up stopped; requests build what they need")
        return 0
    log.info("warmed up: %d ward locator(s) in %.1f s", len(wards),
             time.perf_counter() - started)
    return len(wards)
