"""Vector tiles as the web serves them: cached per process under the layer, z/x/y, scope
(one ward, or every ward for the province view) and the scope's layer version.

The version (``models.tiles.fingerprint``) is read again at most every
``TILE_VERSION_MAX_AGE`` seconds, in the background (``RecentValues``): a province's scans
millions of rows, and during field work it changes every few seconds, so re-reading it on
every tile would cost more than the tile. An edit thus shows in tiles that late plus one
reading (0: at once).
"""

from __future__ import annotations

import dataclasses
import hashlib

from flask import current_app

from models import queries, tiles
from webapp.extensions import db
from webapp.services.cache import RecentValues, VersionedCache

_TILES = VersionedCache(maxsize=4096)  # tiles are ≈ 1–40 kB: tens of MB per process at most
_recent: dict[float, RecentValues] = {}


def version(name: str, ward_id: int | None, read, setting: str = "TILE_VERSION_MAX_AGE") -> tuple:
    """``read(conn)``, the version of ``name`` in the scope, as trusted for ``setting``
    seconds (read on a connection of its own: it may be read again in the background)."""
    max_age = float(current_app.config[setting])
    recent = _recent.setdefault(max_age, RecentValues(max_age))
    engine = db.engine

    def fresh():
        with engine.connect() as conn:
            return read(conn)

    return recent.get((name, setting, ward_id, current_app.config["DATABASE_URL"]), fresh)


def tile_key(layer: tiles.TileLayer, z: int, x: int, y: int, ward_id: int | None,
             flt: queries.LayerFilter | None = None) -> tuple:
    """What the tile's content depends on: the cache key and (hashed) its ETag. ``flt``
    (the ward map's filters) is part of it, as a tuple.

    Counted cells (low zoom) follow a version trusted for ``TILE_CELLS_MAX_AGE``: during
    field work a province's version changes every second, and re-counting hundreds of
    thousands of points each time would leave every low-zoom tile cold; a density a
    minute old reads the same."""
    counted = layer.points and z < tiles.AGGREGATE_BELOW_ZOOM
    current = version(layer.name, ward_id, lambda conn: tiles.fingerprint(conn, layer, ward_id),
                      "TILE_CELLS_MAX_AGE" if counted else "TILE_VERSION_MAX_AGE")
    return (layer.name, z, x, y, ward_id, dataclasses.astuple(flt) if flt else None, current,
            current_app.config["DATABASE_URL"])


def etag(key: tuple, started: int) -> str:
    return hashlib.sha256(repr((key, started)).encode()).hexdigest()[:32]


def tile(conn, key: tuple) -> bytes:
    """The tile named by ``key`` (from ``tile_key``), from the cache or rendered."""
    name, z, x, y, ward_id, flt, *_ = key
    flt = queries.LayerFilter(*flt) if flt else None
    return _TILES.get(key, lambda: tiles.render(conn, tiles.TILE_LAYERS[name], z, x, y,
                                                ward_id, flt))
