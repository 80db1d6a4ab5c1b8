"""Storing a ward's street layer and keeping every record linked to its street.

An import adds only the segments the ward does not have yet (a file imported twice adds
nothing), or with ``replace`` swaps the whole layer in the import's transaction; either way
every boarding house, incident and model street is then re-linked to its street by
geometry, so no ``street_id`` points at a street that is gone or at the wrong one.
"""

from __future__ import annotations

import shapely

from geo import assign
from geo.lazy import deferred
from geo.streets import street_key
from models import queries, wards, writes
from models.tables import BoardingHouse, Incident, ModelStreet

gpd = deferred("geopandas")
pd = deferred("pandas")

# How far a record may lie from its street (the field rules of webapp.services.field).
STREET_WITHIN_M = {"boarding-houses": 100.0, "incidents": 60.0, "model-streets": 30.0}
_TABLES = {"boarding-houses": BoardingHouse, "incidents": Incident, "model-streets": ModelStreet}


def _stored_keys(conn, ward) -> set[str]:
    stored = queries.read_layer(conn, queries.LAYERS["streets"], ward.id, columns=["id"])
    return {street_key(g) for g in stored.geometry}


def store(conn, ward, rows: gpd.GeoDataFrame, replace: bool, insert) -> dict:
    """Store prepared street rows (``geo.streets`` output); ``insert`` writes a frame.

    Returns counts: ``added``, ``already_there``, ``removed`` and the re-links per layer.
    """
    result = {"added": 0, "already_there": 0, "removed": 0}
    if replace:
        result["removed"] = wards.remove_streets(conn, ward.id)
    else:
        keys = _stored_keys(conn, ward)
        fresh = [street_key(g) not in keys for g in rows.geometry]
        result["already_there"] = len(rows) - sum(fresh)
        rows = rows[fresh]
    insert(rows)
    result["added"] = len(rows)
    result["relinked"] = relink(conn, ward)
    return result


def relink(conn, ward) -> dict[str, int]:
    """Set ``street_id`` of every boarding house, incident and model street from where it
    lies; returns how many changed per layer."""
    streets = queries.read_layer(conn, queries.LAYERS["streets"], ward.id, columns=["id"])
    changed = {}
    for layer, table in _TABLES.items():
        features = queries.read_layer(conn, queries.LAYERS[layer], ward.id,
                                      columns=["id", "street_id"])
        if features.empty:
            changed[layer] = 0
            continue
        if layer == "model-streets":
            features = features.set_geometry(features.geometry.map(anchor), crs=4326)
        nearest = assign.nearest_feature(features, streets, ward.metric_epsg,
                                         STREET_WITHIN_M[layer])["id"].astype("Int64")
        old = features["street_id"].astype("Int64")
        moved = nearest.fillna(-1).to_numpy() != old.fillna(-1).to_numpy()
        update = pd.Series(nearest[moved].to_numpy(), index=features["id"][moved].to_numpy())
        changed[layer] = writes.update_column_by_id(conn, table, "street_id", update)
    return changed


def anchor(geom):
    """The point that decides which khu phố and street a model street belongs to: the
    middle of a line, a point inside a cluster polygon."""
    if geom.geom_type in ("LineString", "MultiLineString"):
        merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        if merged.geom_type == "LineString":
            return merged.interpolate(0.5, normalized=True)
    return geom.point_on_surface()
