"""Two registers for the demo ward (trees and cameras, from the shipped presets) with a few
entries each, so that the register pages, the map overlay and the phone form have something
to show. Positions lie on the demo's own streets; values are checked against the presets."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import shapely

from geo import register_values as values
from geo import registers as schema
from geo.resources import DATA_DIR
from models import registers as store
from models.writes import ewkt

SPECIES = ("Sao đen", "Dầu rái", "Me tây", "Bằng lăng", "Lim xẹt", "Phượng vĩ")


def _values(code: str, n: int, rng: random.Random, day: date) -> dict:
    if code == "trees":
        return {"species": rng.choice(SPECIES), "height_m": round(rng.uniform(3, 22), 1),
                "trunk_cm": rng.randint(15, 120),
                "condition": rng.choice(("good", "good", "pruning", "dangerous")),
                "planted_on": (day - timedelta(days=rng.randint(400, 6000))).isoformat()}
    broken = rng.random() < 0.3
    return {"camera_code": f"CAM-{n + 1:03d}", "owner_kind": rng.choice(("police", "ward",
                                                                         "household")),
            "status": "broken" if broken else "working", "connected": not broken,
            "checked_on": (day - timedelta(days=rng.randint(1, 60))).isoformat(),
            "repair_plan": "Thay nguồn, sửa trong tháng" if broken else None}


def add_demo_registers(conn, ward_id: int, streets, kp_of, today: date, seed: int) -> int:
    """``streets``: the demo's street lines (EPSG:4326); ``kp_of(point)`` → khu phố id."""
    rng = random.Random(seed)
    presets = schema.load_presets(DATA_DIR / "registers")
    lines = [line for line in streets if line.length > 0]
    stored = 0
    for code, count in (("trees", 12), ("cameras", 8)):
        definition = presets[code]
        type_id = store.add_type(conn, ward_id, definition, None)
        for n in range(count):
            point = shapely.line_interpolate_point(rng.choice(lines), rng.random(),
                                                   normalized=True)
            attributes, errors = values.validate_attributes(
                definition, {k: v for k, v in _values(code, n, rng, today).items()
                             if v is not None}, photos=1)
            assert not errors, errors  # the presets and these values must agree
            store.insert_entry(conn, {
                "ward_id": ward_id, "register_type_id": type_id,
                "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "attributes": attributes, "neighbourhood_id": kp_of(point)}, ewkt(point))
            stored += 1
    return stored
