"""A layer's fingerprint changes with every edit, even two in the same second (both backends).

Caches of computed results (rankings, hotspots, tiles, ETags) key on it; SQLite's
CURRENT_TIMESTAMP has whole seconds, so an edit right after another looked like none.
"""

from __future__ import annotations

from datetime import datetime

from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import update

from models import fingerprints, queries, writes
from models import wards as ward_records
from models.tables import Incident

SQUARE = MultiPolygon([Polygon([(106.9, 10.8), (106.91, 10.8), (106.91, 10.81),
                                (106.9, 10.81)])])


def test_every_edit_changes_the_fingerprint(migrated_engine):
    layer = queries.LAYERS["incidents"]
    with migrated_engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "fp", "Phường Dấu", SQUARE, 5899, True)
        incident = writes.insert_point_record(conn, Incident.__table__, {
            "ward_id": ward, "category": "encroachment_sidewalk", "status": "reported",
            "observed_at": datetime(2026, 12, 1, 8, 0)}, 106.905, 10.805)
    seen = []
    with migrated_engine.connect() as conn:
        seen.append(fingerprints.layer_fingerprint(conn, layer, ward))
    for status in ("in_progress", "resolved", "reported"):
        with migrated_engine.begin() as conn:
            conn.execute(update(Incident).where(Incident.id == incident).values(status=status))
        with migrated_engine.connect() as conn:
            seen.append(fingerprints.layer_fingerprint(conn, layer, ward))
            assert fingerprints.layers_fingerprint(conn, ward, ("incidents",))[1] == seen[-1]
    assert len(set(seen)) == len(seen) == 4
