"""The province view's data: every ward's summary and the latest published ranking of
each khu phố, cached per data version (read again at most every TILE_VERSION_MAX_AGE)."""

from __future__ import annotations

import shapely

from geo.i18n import N_
from models import province, tiles
from webapp.services.cache import VersionedCache
from webapp.services.tiles import version

_VIEWS = VersionedCache(maxsize=4)
# Classes of the choropleth, by published total (0–100), the default rubric's tier marks.
# The labels are msgids, said in the reader's language where shown.
SCORE_CLASSES = ({"min": 90, "colour": "#006d2c", "label": N_("Từ 90 điểm")},
                 {"min": 75, "colour": "#31a354", "label": N_("75 – dưới 90 điểm")},
                 {"min": 50, "colour": "#fdae61", "label": N_("50 – dưới 75 điểm")},
                 {"min": 0, "colour": "#d7191c", "label": N_("Dưới 50 điểm")})

# Incident density of the counted cells (incidents per km², all recorded time); msgids too.
DENSITY_CLASSES = ({"min": 1600, "colour": "#bd0026", "label": N_("Từ 1.600 vụ/km²")},
                   {"min": 400, "colour": "#f03b20", "label": N_("400 – 1.600 vụ/km²")},
                   {"min": 100, "colour": "#fd8d3c", "label": N_("100 – 400 vụ/km²")},
                   {"min": 25, "colour": "#fecc5c", "label": N_("25 – 100 vụ/km²")},
                   {"min": 0, "colour": "#ffffb2", "label": N_("Dưới 25 vụ/km²")})


def _versions(database_url: str) -> tuple:
    layers = [version(name, None, lambda c, layer=tiles.TILE_LAYERS[name]:
                      tiles.fingerprint(c, layer, None))
              for name in ("wards", "neighbourhoods", "incidents", "boarding-houses")]
    return (*layers, version("rankings", None, province.snapshot_version),
            database_url)


def view(conn, database_url: str) -> dict:
    """Ward summaries (with their published month and mean total), the ranking of each
    khu phố keyed ``"<ward id>:<code>"`` and the province's extent. ``database_url`` (the
    app's) keeps apps on different databases in one process apart in the cache."""
    return _VIEWS.get(_versions(database_url), lambda: _compute(conn))


def _compute(conn) -> dict:
    summaries = {s["id"]: s for s in province.ward_summaries(conn)}
    rankings = {}
    for snap in province.latest_published(conn):
        ranked = [r for r in snap.rows if r.get("total") is not None]
        summary = summaries.get(snap.ward_id)
        if summary is None:
            continue
        summary["month"] = snap.month
        summary["mean_total"] = (round(sum(r["total"] for r in ranked) / len(ranked), 1)
                                 if ranked else None)
        for row in snap.rows:
            rankings[f"{snap.ward_id}:{row['code']}"] = {
                "total": row.get("total"), "rank": row.get("rank"), "of": len(snap.rows),
                "month": snap.month, "ward": summary["name"]}
    rows = province.ward_outlines(conn)
    outlines = shapely.from_wkb([wkb for _, wkb in rows])
    for (ward_id, _), outline in zip(rows, outlines, strict=True):
        summaries[ward_id]["bounds"] = [round(v, 6) for v in outline.bounds]
    extent = list(shapely.total_bounds(outlines)) if len(outlines) else None
    return {"wards": list(summaries.values()), "rankings": rankings, "extent": extent}
