"""Register SQL on both backends: JSON filters, the bounding box, a ward's removal."""

from __future__ import annotations

import uuid
from datetime import date

import shapely
from sqlalchemy import func, select

from geo import registers as schema
from geo.resources import DATA_DIR
from models import records
from models import registers as store
from models import wards as ward_records
from models.writes import ewkt

SQUARE = shapely.box(106.90, 10.80, 106.95, 10.85)


def _world(conn):
    ward_id = ward_records.insert_ward(conn, f"w{uuid.uuid4().hex[:6]}", "Phường Thử",
                                       shapely.MultiPolygon([SQUARE]), 9210, False)
    user_id = records.add_user(conn, ward_id, f"u{uuid.uuid4().hex[:6]}", "x", "urban_staff",
                               "Cán Bộ")
    definition = schema.load_presets(DATA_DIR / "registers")["flood_points"]
    type_id = store.add_type(conn, ward_id, definition, user_id)
    for n, (x, depth, resolved, day) in enumerate([(106.91, 20, True, "2026-01-05"),
                                                   (106.92, 50, False, "2026-02-10"),
                                                   (106.99, 10, False, "2026-03-01")]):
        store.insert_entry(conn, {
            "ward_id": ward_id, "register_type_id": type_id, "client_uuid": uuid.uuid4(),
            "attributes": {"street": f"Hẻm {n}", "depth_cm": depth, "resolved": resolved,
                           "cause": "rain" if n else "tide", "observed_on": day},
            "created_by": user_id, "updated_by": user_id}, ewkt(shapely.Point(x, 10.82)))
    return ward_id, type_id


def test_filters_paging_and_bbox(migrated_engine):
    with migrated_engine.begin() as conn:
        ward_id, type_id = _world(conn)
        found, total = store.list_entries(conn, ward_id, type_id, choices={"cause": "rain"})
        assert total == 2 and {e.attributes["street"] for e in found} == {"Hẻm 1", "Hẻm 2"}
        found, total = store.list_entries(conn, ward_id, type_id, choices={"resolved": True})
        assert [e.attributes["street"] for e in found] == ["Hẻm 0"]
        found, total = store.list_entries(conn, ward_id, type_id, date_field="observed_on",
                                          date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
        assert [e.attributes["street"] for e in found] == ["Hẻm 1"]
        page, total = store.list_entries(conn, ward_id, type_id, limit=2, offset=2)
        assert total == 3 and len(page) == 1 and page[0].created_by_name == "Cán Bộ"
        inside = store.entries_in_bbox(conn, ward_id, type_id, (106.9, 10.8, 106.95, 10.85), 10)
        assert sorted(e.attributes["street"] for e in inside) == ["Hẻm 0", "Hẻm 1"]
        assert [t.entries for t in store.types(conn, ward_id)] == [3]


def test_a_ward_with_registers_can_be_removed(migrated_engine):
    with migrated_engine.begin() as conn:
        ward_id, _type_id = _world(conn)
        assert ward_records.counts(conn, ward_id, ward_records.RECORD_TABLES)[
            "register_entry"] == 3
    with migrated_engine.begin() as conn:
        ward_records.delete_ward(conn, ward_id, None)
    with migrated_engine.connect() as conn:
        left = conn.execute(select(func.count()).select_from(store.RegisterEntry).where(
            store.RegisterEntry.ward_id == ward_id)).scalar()
        assert left == 0 and store.types(conn, ward_id) == []
