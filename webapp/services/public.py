"""A ward's public page: only what the ward has published, never personal data.

Published means a ranking snapshot in the ledger (``models.ledger``): the page shows the
official revision of a published month, never a month still being scored. The map shows
the khu phố coloured by that ranking and the model streets by name and status; the task
progress per unit is the figures of the unit's latest submitted report, not a live count;
the target progress is the figures the ward froze when it published them
(``publishing.publish_targets``), never a live computation.
"""

from __future__ import annotations

from models import ledger, public, queries
from models import work_queries as work_store
from webapp.services.plans import plan_for
from webapp.services.province import SCORE_CLASSES

UNRANKED_COLOUR = "#e0e0e0"


def score_colour(total: float | None) -> str:
    """The choropleth colour of a published total (the province view's classes)."""
    if total is None:
        return UNRANKED_COLOUR
    return next((c["colour"] for c in SCORE_CLASSES if total >= c["min"]), UNRANKED_COLOUR)


def map_layers(conn, ward_id: int, totals: dict,
               neighbourhoods: list[int] | None = None) -> tuple[list[dict], list[dict]]:
    """The khu phố (``neighbourhoods`` only, if given) coloured by the published ``totals``
    (code → total) and the model streets in them, as GeoJSON features: what the public page
    draws, and a khu phố head's map of their own khu phố."""
    areas = public.neighbourhood_features(conn, ward_id, neighbourhoods)
    for feature in areas:
        total = totals.get(feature["properties"]["code"])
        feature["properties"].update(total=total, colour=score_colour(total))
    return areas, public.model_street_features(conn, ward_id, neighbourhoods)


def latest_totals(conn, ward_id: int) -> dict:
    """Code → total of the latest published ranking (empty when none is published)."""
    months = ledger.snapshots(conn, ward_id)
    snapshot = ledger.snapshot(conn, ward_id, months[-1].month) if months else None
    return {r["code"]: r["total"] for r in snapshot.rows} if snapshot else {}


def public_ward(conn, code: str):
    """The ward whose public page is ``code``'s, or ``None`` (no such ward, or its plan has
    not turned the page on: a ward is private until it says otherwise)."""
    ward = queries.ward_by_code(conn, code)
    if ward is None or not plan_for(conn, ward).public_page:
        return None
    return ward


def unit_progress(conn, ward_id: int) -> list[dict]:
    """Per unit, its latest *submitted* monthly report (Bảng 3) in figures only: how many
    tasks, how many done, the mean % done. The rows' texts stay inside the ward: a unit's
    result or difficulty may name a person."""
    latest = {}
    for report in work_store.unit_reports(conn, ward_id):  # ordered by month
        latest[report.unit_id] = report
    out = []
    for report in sorted(latest.values(), key=lambda r: r.unit):
        shares = [float(r["percent"]) for r in report.rows or []
                  if isinstance(r.get("percent"), int | float)]
        out.append({"unit": report.unit, "month": report.month, "tasks": len(report.rows or []),
                    "done": sum(share >= 100 for share in shares),
                    "mean_percent": sum(shares) / len(shares) if shares else None})
    return out


def published_targets(conn, ward_id: int, month: str | None) -> dict | None:
    """The target figures published for ``month``, or for the latest month before it (the
    latest of all when ``month`` is ``None``): ``{"month", "published_at", "rows"}``, or
    ``None``."""
    snapshot = ledger.latest_target_snapshot(conn, ward_id, month)
    if snapshot is None:
        return None
    return {"month": snapshot.month, "published_at": snapshot.published_at,
            "rows": list(snapshot.rows)}


def page(conn, ward, month: str | None) -> dict | None:
    """The page's data for ``month`` (default: the latest published one); ``None`` when
    ``month`` is not a published month of the ward."""
    months = [row.month for row in ledger.snapshots(conn, ward.id)]
    shown = month or (months[-1] if months else None)
    if shown is not None and shown not in months:
        return None
    snapshot = ledger.snapshot(conn, ward.id, shown) if shown else None
    rows = sorted(snapshot.rows, key=lambda r: (r.get("rank") is None, r.get("rank") or 0,
                                                 r["code"])) if snapshot else []
    areas, streets = map_layers(conn, ward.id, {r["code"]: r["total"] for r in rows})
    plan = plan_for(conn, ward)
    return {"ward": ward, "plan_name": plan.name, "route_name": plan.route_name,
            "months": months[::-1], "month": shown, "rows": rows,
            "published_at": snapshot.published_at if snapshot else None,
            "revision": snapshot.revision if snapshot else None,
            "neighbourhoods": areas, "units": unit_progress(conn, ward.id),
            # By default the latest published figures; for a chosen month, that month's.
            "targets": published_targets(conn, ward.id, month),
            "model_streets": streets}
