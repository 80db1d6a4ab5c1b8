"""Map page: the ward's layers with filters, legend and popups (data from the API)."""

from __future__ import annotations

from datetime import date

from flask import current_app, redirect, render_template, request, url_for

from geo import vocabulary as vocab
from models import queries
from webapp import wards
from webapp.auth.permissions import can
from webapp.clock import local_today
from webapp.extensions import db
from webapp.map import bp
from webapp.map.builder import ward_map
from webapp.security import csp_nonce
from webapp.services.plans import plan_for

# From this zoom the map loads incidents and boarding houses as GeoJSON with full popups;
# below it they come as vector tiles (counted per cell below models.tiles.AGGREGATE_BELOW_ZOOM),
# so a whole ward's records never travel to the browser at once.
POINTS_DETAIL_ZOOM = 16


def _month(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/")
def index():
    try:
        ward = wards.resolve(request.args.get("ward"))
    except wards.NoWard as missing:
        if can("manage_wards") and not queries.wards(db.conn):
            return redirect(url_for("setup.first_ward"))
        if can("view_province"):  # a province viewer has no ward of their own
            return redirect(url_for("province.index"))
        return render_template("map/empty.html", code=str(missing)), 404
    conn = db.conn
    plan = plan_for(conn, ward)
    first, last = queries.incident_date_range(conn, ward.id)
    last = last or local_today()
    default_from = _months_before(last, 2)  # the latest three months of records
    shell = ward_map(queries.ward_extent(conn, ward.id), current_app.config["TILE_URL"],
                     current_app.config["TILE_ATTRIBUTION"])
    # folium's own inline scripts must carry this response's CSP nonce to run.
    for part in ("header", "body"):
        shell[part] = shell[part].replace("<script>", f'<script nonce="{csp_nonce()}">')
    config = {
        "map": shell["name"],
        "ward": ward.code,
        "api": url_for("api.index"),
        "tiles": f"{request.script_root}/tiles/{{layer}}/{{z}}/{{x}}/{{y}}.mvt",
        "detailZoom": POINTS_DETAIL_ZOOM,
        "hasTiles": bool(current_app.config["TILE_URL"]),
        "categories": vocab.INCIDENT_CATEGORIES,
        "incidentStatuses": vocab.INCIDENT_STATUSES,
        "modelStreetStatuses": vocab.MODEL_STREET_STATUSES,
        "modelHouseStatuses": vocab.MODEL_HOUSE_STATUSES,
        "criteria": plan.criteria_labels(),
        "routeColour": vocab.DEMONSTRATION_ROUTE_COLOUR,
        "routeName": plan.route_name,
    }
    return render_template(
        "map/index.html",
        ward=ward,
        shell=shell,
        config=config,
        neighbourhoods=queries.neighbourhood_names(conn, ward.id),
        categories=vocab.INCIDENT_CATEGORIES,
        incident_statuses=vocab.INCIDENT_STATUSES,
        model_street_statuses=vocab.MODEL_STREET_STATUSES,
        model_house_statuses=vocab.MODEL_HOUSE_STATUSES,
        route_colour=vocab.DEMONSTRATION_ROUTE_COLOUR,
        route_name=plan.route_name,
        month_min=_month(first) if first else None,
        month_max=_month(last),
        default_from=_month(default_from),
        default_to=_month(last),
    )
