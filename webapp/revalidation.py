"""Conditional requests for map data (layers, tiles): one rule for their ETags' headers."""

from __future__ import annotations

import time

# Answers change with a deploy too: a restart gives every layer and tile new ETags.
PROCESS_STARTED = time.time_ns()


def revalidated(etag: str):
    """The headers that let the browser keep a layer or tile and ask whether it changed
    (weak: the same body gzip-, Brotli- or zstd-compressed)."""
    def apply(response):
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = "private, no-cache"  # keep, but always ask
        return response
    return apply
