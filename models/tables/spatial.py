"""How the tables store geometry: EPSG:4326, with a spatial index."""

from __future__ import annotations

from geoalchemy2 import Geometry

SRID = 4326


def geometry(kind: str) -> Geometry:
    return Geometry(kind, srid=SRID, spatial_index=True)
