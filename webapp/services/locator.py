"""Each ward's ``geo.locate.WardLocator``, built once per version of its layers.

The key holds the fingerprints of the ward's row (its boundary), khu phố, streets and model
streets, read in one statement on the caller's connection (inside a submission's
transaction: the version that transaction sees). An import, an edit or a deletion of any of
them makes a new key, so the next record is placed against the new layers; the stale entry
ages out of the LRU. Each worker process keeps its own.
"""

from __future__ import annotations

from geo.locate import WardLocator
from models import queries
from webapp.services.cache import VersionedCache

LAYERS = ("neighbourhoods", "streets", "model-streets")
_LOCATORS = VersionedCache(maxsize=128)  # a province's wards, a few versions each


def _build(conn, ward) -> WardLocator:
    frames = [queries.read_layer(conn, queries.LAYERS[name], ward.id, columns=["id"])
              for name in LAYERS]
    return WardLocator(queries.ward_boundary(conn, ward.id), *frames, ward.metric_epsg)


def ward_locator(conn, ward) -> WardLocator:
    """The locator of ``ward`` for the layers as ``conn`` sees them now."""
    version = queries.layers_fingerprint(conn, ward.id, LAYERS)
    return _LOCATORS.get((ward.id, ward.metric_epsg, version), lambda: _build(conn, ward))
