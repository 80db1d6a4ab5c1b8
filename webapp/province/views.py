"""Province page: khu phố choropleth of the published rankings, incident density and
per-ward summaries, drawn from vector tiles of every ward."""

from __future__ import annotations

from flask import current_app, render_template, request

from geo import vocabulary as vocab
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.i18n import browser_labels
from webapp.province import bp
from webapp.services import province
from webapp.tiles.views import PROVINCE


@bp.get("/province")
@require("view_province")
def index():
    data = province.view(db.conn, current_app.config["DATABASE_URL"])
    config = {
        # The URL template of webapp.tiles for Leaflet; the scope asks for every ward.
        "tiles": f"{request.script_root}/tiles/{{layer}}/{{z}}/{{x}}/{{y}}.mvt?scope={PROVINCE}",
        "tileUrl": current_app.config["TILE_URL"] or "",
        "tileAttribution": current_app.config["TILE_ATTRIBUTION"] or "",
        "extent": data["extent"],
        "rankings": data["rankings"],
        "scoreClasses": province.SCORE_CLASSES,
        "densityClasses": province.DENSITY_CLASSES,
        "categories": browser_labels(vocab.INCIDENT_CATEGORIES),
        "incidentStatuses": browser_labels(vocab.INCIDENT_STATUSES),
        "houseStatuses": browser_labels(vocab.MODEL_HOUSE_STATUSES),
    }
    return render_template("province/index.html", wards=data["wards"], config=config,
                           score_classes=province.SCORE_CLASSES,
                           density_classes=province.DENSITY_CLASSES,
                           house_statuses=vocab.MODEL_HOUSE_STATUSES)
