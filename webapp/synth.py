"""A province-sized synthetic dataset (many wards side by side) for scale tests and benchmarks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Engine

from geo import synthetic
from models import queries
from webapp.demo import store_ward

# The demo ward spans ≈0.12° × 0.085°; wards are laid on a grid with a little margin.
STEP_LON, STEP_LAT = 0.13, 0.095
COLUMNS = 10
# A synthetic ward's name is its data (as a real ward's name is), not interface text.
WARD_NAME = "Phường mô phỏng {number:03d} (dữ liệu mô phỏng)"


def ward_codes(count: int) -> list[str]:
    return [f"synth-{i:03d}" for i in range(1, count + 1)]


def generate_province(
    engine: Engine, wards: int, *, houses_per_ward: int = 5000,
    incidents_per_ward: int = 20000, seed: int = 7000,
    progress: Callable[[str], None] = lambda _code: None,
) -> Iterator[dict]:
    """Generate and store ``wards`` synthetic wards, one transaction each (resumable).

    Wards already present (by code) are skipped, so an interrupted run can be continued.
    Yields the row counts of each ward stored.
    """
    for index, code in enumerate(ward_codes(wards)):
        with engine.begin() as conn:
            if queries.ward_by_code(conn, code) is not None:
                progress(code)
                continue
            shift = ((index % COLUMNS) * STEP_LON, -(index // COLUMNS) * STEP_LAT)
            data = synthetic.generate_ward(
                seed + index, boarding_houses=houses_per_ward, incidents=incidents_per_ward,
                centre_shift=shift, ward_code=code,
                ward_name=WARD_NAME.format(number=index + 1))
            counts = store_ward(conn, data, lambda _msg: None)
        progress(code)
        yield counts
