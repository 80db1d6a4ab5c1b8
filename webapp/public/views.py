"""``/public/<ward code>``: what a ward discloses to its residents, when its plan says so.

Anyone may read it, signed in or not; a ward that has not turned it on (or a month not
published) is a 404, the same answer as a ward that does not exist.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.targets import STATUS_LABELS
from webapp.extensions import db
from webapp.i18n import browser_labels
from webapp.public import bp
from webapp.services import public as service
from webapp.services.province import SCORE_CLASSES


def map_config(neighbourhoods: list[dict], model_streets: list[dict]) -> dict:
    """What ``static/js/public.js`` draws (``#public-config``): the khu phố and model
    streets, the tiles if any, and the labels in the request's language."""
    return {"tileUrl": current_app.config["TILE_URL"] or "",
            "tileAttribution": current_app.config["TILE_ATTRIBUTION"] or "",
            "neighbourhoods": {"type": "FeatureCollection", "features": neighbourhoods},
            "modelStreets": {"type": "FeatureCollection", "features": model_streets},
            "levels": browser_labels(vocab.MODEL_STREET_LEVELS),
            "statuses": browser_labels(vocab.MODEL_STREET_STATUSES),
            "text": {"score": _("Điểm"), "unranked": _("Chưa xếp hạng")}}


@bp.get("/public/<code>")
def ward(code: str):
    found = service.public_ward(db.conn, code)
    if found is None:
        abort(404)
    month = None
    if request.args.get("month"):
        try:
            month = fmt.parse_month(request.args["month"])
        except ValueError:
            abort(404)
    data = service.page(db.conn, found, month)
    if data is None:
        abort(404)
    config = map_config(data["neighbourhoods"], data["model_streets"])
    response = current_app.make_response(render_template(
        "public/ward.html", data=data, config=config, score_classes=SCORE_CLASSES,
        levels=vocab.MODEL_STREET_LEVELS, statuses=vocab.MODEL_STREET_STATUSES,
        target_labels=STATUS_LABELS))
    # Published figures change only by a new revision: a few minutes' caching is safe.
    response.headers["Cache-Control"] = "public, max-age=300"
    # Said in the visitor's language (the lang cookie, else the browser's): a cache keeps
    # one copy per language, not the first visitor's for everyone.
    response.vary.update(("Cookie", "Accept-Language"))
    return response
