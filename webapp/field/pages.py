"""Mobile field pages (offline-capable forms) and the service worker that caches them.

The pages only render the forms; records are queued in the phone's IndexedDB and sent to
the field API (``webapp.field.api``) by ``static/js/field/sender.js``.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import formatting as fmt
from geo import schema
from geo import vocabulary as vocab
from models import model_streets, queries, records
from webapp import wards
from webapp.auth.permissions import RECORDABLE_CATEGORIES, can, require
from webapp.clock import local_now
from webapp.extensions import db
from webapp.field import bp
from webapp.i18n import browser_labels, current_language

PERSONAL_FIELDS = ["owner_name", "owner_phone", "owner_id_number"]


@bp.app_context_processor
def _validation_limits() -> dict:
    """``geo.schema``'s limits, for the field forms' maxlength/min/max and (as JSON in the
    page) for their scripts: the phone checks the numbers the server checks. App-wide: other
    blueprints' phone pages (registers) extend field/_layout.html too."""
    return {"limits": schema.client_limits()}


def _ward():
    try:
        return wards.resolve()
    except wards.NoWard:
        abort(404)


def _config(ward, **extra) -> dict:
    """What the page scripts need, as JSON in the page (no inline code)."""
    minx, miny, maxx, maxy = queries.ward_extent(db.conn, ward.id)
    return {
        "userId": current_user.id,
        "role": current_user.role,
        "ward": {"code": ward.code, "name": ward.name, "extent": [minx, miny, maxx, maxy]},
        "tileUrl": current_app.config["TILE_URL"] or "",
        "tileAttribution": current_app.config.get("TILE_ATTRIBUTION") or "",
        "userName": current_user.full_name,
        "neighbourhoods": [{"code": n.code, "name": n.name}
                           for n in queries.neighbourhood_names(db.conn, ward.id)],
        "canInspect": can("inspect_boarding_house"),
        "personal": can("view_personal_data"),
        "api": {
            "streets": url_for("api.layer_collection", name="streets"),
            "neighbourhoods": url_for("api.layer_collection", name="neighbourhoods"),
            "houses": url_for("api.layer_collection", name="boarding-houses"),
            "nearbyIncidents": "/api/v1/field/incidents/nearby",
            "nearbyHouses": "/api/v1/field/boarding-houses/nearby",
            "place": "/api/v1/field/place",
            "workingSet": "/api/v1/field/working-set",
        },
        "pages": {
            "home": url_for("field.home"),
            "incident": url_for("field.new_incident"),
            "house": url_for("field.new_boarding_house"),
        },
        **extra,
    }


@bp.get("/field/")
def home():
    if not (can("record_incident") or can("record_boarding_house")):
        abort(403)
    ward = _ward()
    return render_template("field/home.html", ward=ward, config=_config(ward, page="home"))


@bp.get("/field/incidents/new")
@require("record_incident")
def new_incident():
    ward = _ward()
    codes = RECORDABLE_CATEGORIES.get(current_user.role, ())
    categories = [(code, vocab.INCIDENT_CATEGORIES[code]) for code in codes]
    config = _config(ward, page="incident", draftKey="incident:new",
                     submitUrl="/api/v1/field/incidents",
                     categories={code: _(c["vi"]) for code, c in categories})
    running = model_streets.running_campaigns(db.conn, ward.id, local_now().date())
    locale = current_language()
    campaigns = {"none": _("Không thuộc đợt ra quân nào"),
                 **{str(c.id): f"{c.name} ({fmt.day_month(c.starts_on, locale=locale)}–"
                               f"{fmt.day_month(c.ends_on, locale=locale)})"
                    for c in running}}
    return render_template("field/incident.html", ward=ward, categories=categories,
                           config=config, campaigns=campaigns if running else None)


@bp.get("/field/boarding-houses/new")
@require("record_boarding_house")
def new_boarding_house():
    ward = _ward()
    config = _config(ward, page="house", draftKey="house:new",
                     submitUrl="/api/v1/field/boarding-houses")
    return render_template("field/boarding_house.html", ward=ward, house=None,
                           config=config, **_house_vocabularies())


@bp.get("/field/boarding-houses/<uuid:house_uuid>/edit")
@require("record_boarding_house")
def edit_boarding_house(house_uuid):
    if not can("view_personal_data"):
        abort(403)
    ward = _ward()
    house = queries.house_for_edit(db.conn, ward.id, house_uuid)
    if house is None:
        abort(404)
    with db.transaction() as conn:
        records.audit(conn, ward.id, current_user.id, "view_personal_data", "boarding_house",
                      house.id, fields=PERSONAL_FIELDS, page="field_edit")
    values = {key: _plain(value) for key, value in house._mapping.items()
              if key not in ("lon", "lat", "id", "ward_id", "client_uuid")}
    location = {"lon": house.lon, "lat": house.lat, "accuracy_m": house.location_accuracy_m,
                "manual": bool(house.location_manual)}
    config = _config(ward, page="house", draftKey=f"house:edit:{house_uuid}",
                     submitUrl=f"/api/v1/field/boarding-houses/{house_uuid}",
                     values=values, location=location, houseUuid=str(house_uuid))
    return render_template("field/boarding_house.html", ward=ward, house=house,
                           config=config, **_house_vocabularies())


@bp.get("/field/inspect")
@require("inspect_boarding_house")
def inspect():
    """One page for every inspection (kept by the service worker): the house comes from the
    phone's working set, or a house recorded on the phone and not sent yet, by ``?house=``."""
    ward = _ward()
    config = _config(ward, page="inspection")
    return render_template("field/inspection.html", ward=ward, config=config,
                           house_types=browser_labels(vocab.HOUSE_TYPES))


@bp.get("/field/boarding-houses/<uuid:house_uuid>/inspect")
@require("inspect_boarding_house")
def inspect_boarding_house(house_uuid):
    """The inspection page of one house (links from before the offline page existed)."""
    house = records.house_by_uuid(db.conn, _ward().id, house_uuid)
    if house is None:
        abort(404)
    return redirect(url_for("field.inspect", house=str(house_uuid), id=house.id))


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the site root so that its scope can be the whole site."""
    response = send_from_directory(current_app.static_folder, "sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _house_vocabularies() -> dict:
    """The house form's choices, their labels in the request's language."""
    return {
        "house_types": browser_labels(vocab.HOUSE_TYPES),
        "classifications": browser_labels(vocab.CLASSIFICATIONS),
        "model_statuses": {code: s["label"] for code, s in browser_labels(
            vocab.MODEL_HOUSE_STATUSES).items()},
    }


def _plain(value):
    """A DB value as JSON for the form (dates as yyyy-mm-dd)."""
    if isinstance(value, date):
        return value.isoformat()
    return value
