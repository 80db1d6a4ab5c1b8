"""Each ward's ``geo.locate.WardLocator``, built once per version of its layers.

The key holds the fingerprints of the ward's row (its boundary), khu phố, streets and model
streets, read in one statement on the caller's connection (inside a submission's
transaction: the version that transaction sees). An import, an edit or a deletion of any of
them makes a new key, so the next record is placed against the new layers; the stale entry
ages out of the LRU. Each worker process keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.locate import WardLocator
from models import fingerprints, queries
from webapp.services.cache import VersionedCache

LAYERS = ("neighbourhoods", "streets", "model-streets")
NAMED = {"neighbourhoods": ["id", "code", "name"], "streets": ["id", "name"],
         "model-streets": ["id", "name"]}
CACHED_WARDS = 100  # a province's wards (``webapp.warmup`` builds as many at start)
_LOCATORS = VersionedCache(maxsize=128)  # those wards, and a few older versions


@dataclass(frozen=True)
class WardPlaces:
    """The locator of a ward's layers and their names at that same version, so that the
    answer to a record names its khu phố, street and model street without another query."""

    locator: WardLocator
    neighbourhoods: dict[int, tuple[str, str]]  # id → (code, name)
    streets: dict[int, str]
    model_streets: dict[int, str]

    def names(self, neighbourhood_id, street_id, model_street_id) -> dict:
        """The "derived" names of an answer (``models.queries.link_names``' shape)."""
        kp = self.neighbourhoods.get(neighbourhood_id)
        return {"neighbourhood": {"code": kp[0], "name": kp[1]} if kp else None,
                "street": self.streets.get(street_id),
                "model_street": self.model_streets.get(model_street_id)}


def _build(conn, ward) -> WardPlaces:
    kp, streets, model_streets = (
        queries.read_layer(conn, queries.LAYERS[name], ward.id, columns=NAMED[name])
        for name in LAYERS)
    locator = WardLocator(queries.ward_boundary(conn, ward.id), kp, streets, model_streets,
                          ward.metric_epsg)
    return WardPlaces(locator, _column(kp, "id", ("code", "name")), _column(streets),
                      _column(model_streets))


def _column(frame, key: str = "id", values=("name",)) -> dict:
    """``{int(key): value}`` (or a tuple of values) of each row of ``frame``."""
    rows = zip(*(frame[name] for name in (key, *values)), strict=True)
    if len(values) == 1:
        return {int(row[0]): row[1] for row in rows}
    return {int(row[0]): tuple(row[1:]) for row in rows}


def ward_places(conn, ward) -> WardPlaces:
    """The locator and names of ``ward`` for the layers as ``conn`` sees them now."""
    version = fingerprints.layers_fingerprint(conn, ward.id, LAYERS)
    return _LOCATORS.get((ward.id, ward.metric_epsg, version), lambda: _build(conn, ward))


def ward_locator(conn, ward) -> WardLocator:
    """The locator of ``ward`` for the layers as ``conn`` sees them now."""
    return ward_places(conn, ward).locator
