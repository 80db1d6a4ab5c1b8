"""What an import's dry run gives back: the rows ready to store and every problem found.

Its own module so that the checks filling it in (``geo.io.tiling``) and ``geo.io``'s
``check_import`` both import it, and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.lazy import deferred

gpd = deferred("geopandas")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportCheck:
    """The result of a dry run: rows ready to store (EPSG:4326) and every problem found.

    Street layers are prepared as a whole (``geo.streets``): ``summary`` says what was kept,
    merged, cut and dropped, and nothing in a street file is a row error.
    """

    layer: str
    total: int
    clean: gpd.GeoDataFrame
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source_crs: str = ""
    summary: list[str] = field(default_factory=list)
    topology: object = None  # khu phố: a ``geo.topology_report.TopologyReport``

    @property
    def ok(self) -> bool:
        return not self.errors and self.total > 0

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def counts_by_field(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for error in self.errors:
            counts[error.field] = counts.get(error.field, 0) + 1
        return counts
