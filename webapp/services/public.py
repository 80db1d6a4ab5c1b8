"""A ward's public page: only what the ward has published, never personal data.

Published means a ranking snapshot in the ledger (``models.ledger``): the page shows the
official revision of a published month, never a month still being scored. The map shows
the khu phố coloured by that ranking and the model streets by name and status.
"""

from __future__ import annotations

from models import ledger, public, queries
from webapp.services.plans import plan_for
from webapp.services.province import SCORE_CLASSES

UNRANKED_COLOUR = "#e0e0e0"


def score_colour(total: float | None) -> str:
    """The choropleth colour of a published total (the province view's classes)."""
    if total is None:
        return UNRANKED_COLOUR
    return next((c["colour"] for c in SCORE_CLASSES if total >= c["min"]), UNRANKED_COLOUR)


def public_ward(conn, code: str):
    """The ward whose public page is ``code``'s, or ``None`` (no such ward, or its plan has
    not turned the page on: a ward is private until it says otherwise)."""
    ward = queries.ward_by_code(conn, code)
    if ward is None or not plan_for(conn, ward).public_page:
        return None
    return ward


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
    totals = {r["code"]: r["total"] for r in rows}
    areas = public.neighbourhood_features(conn, ward.id)
    for feature in areas:
        total = totals.get(feature["properties"]["code"])
        feature["properties"].update(total=total, colour=score_colour(total))
    plan = plan_for(conn, ward)
    return {"ward": ward, "plan_name": plan.name, "route_name": plan.route_name,
            "months": months[::-1], "month": shown, "rows": rows,
            "published_at": snapshot.published_at if snapshot else None,
            "revision": snapshot.revision if snapshot else None,
            "neighbourhoods": areas,
            "model_streets": public.model_street_features(conn, ward.id)}
