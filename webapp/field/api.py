"""Field API (docs/field-api.md): idempotent submissions and the look-ups forms need."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from flask import jsonify, request
from flask_login import current_user

from geo import vocabulary as vocab
from models import records
from webapp import wards
from webapp.api.params import parse_codes
from webapp.auth.permissions import require
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.field import bp
from webapp.services import submissions
from webapp.services.field import FieldService, describe

API = "/api/v1"


def _submit(kind: str, target, handler_name: str):
    ward = wards.resolve()
    files = [(f.filename or "ảnh", f.read()) for f in request.files.getlist("photos")]
    service = FieldService(ward, current_user)
    try:
        submission = submissions.parse(kind, None if target is None else str(target),
                                       request.form.get("payload"), files)
        submission.target = target
        status, body = submissions.run(submission, ward, current_user,
                                       getattr(service, handler_name),
                                       partial(describe, ward_id=ward.id))
    except submissions.Rejected as rejected:
        return jsonify(rejected.to_dict()), rejected.status
    return jsonify(body), status


@bp.post(f"{API}/field/boarding-houses")
@require("record_boarding_house")
def create_boarding_house():
    return _submit("boarding_house.create", None, "save_house")


@bp.post(f"{API}/field/boarding-houses/<uuid:house_uuid>")
@require("record_boarding_house")
def update_boarding_house(house_uuid):
    return _submit("boarding_house.update", house_uuid, "save_house")


@bp.post(f"{API}/field/boarding-houses/<uuid:house_uuid>/inspections")
@require("inspect_boarding_house")
def create_inspection(house_uuid):
    return _submit("inspection.create", house_uuid, "inspect_house")


@bp.post(f"{API}/field/incidents")
@require("record_incident")
def create_incident():
    return _submit("incident.create", None, "record_incident")


@bp.post(f"{API}/incidents/<int:incident_id>/transition")
@require("work_incidents")
def transition(incident_id: int):
    return _submit("incident.transition", incident_id, "transition")


def _point() -> tuple[float, float]:
    try:
        lon, lat = float(request.args["lon"]), float(request.args["lat"])
    except (KeyError, ValueError):
        raise ApiError(400, "Cần tham số lon và lat (số thập phân).",
                       "lon and lat are required numbers.", "lon") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApiError(400, "Tọa độ ngoài phạm vi.", "Coordinates out of range.", "lon")
    return lon, lat


def _jsonable(rows: list[dict]) -> list[dict]:
    for row in rows:
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = value.isoformat(timespec="minutes")
            elif isinstance(value, date):
                row[key] = value.isoformat()
            elif isinstance(value, float) and key == "distance_m":
                row[key] = round(value, 1)
    return rows


@bp.get(f"{API}/field/incidents/nearby")
@require("record_incident")
def nearby_incidents():
    lon, lat = _point()
    (category,) = parse_codes(request.args.get("category", ""), vocab.INCIDENT_CATEGORIES,
                              "category", "Loại vi phạm")[:1]
    service = FieldService(wards.resolve(), current_user)
    rows = service.nearby_open_incidents(db.conn, lon, lat, category)
    keep = ("id", "category", "status", "observed_at", "description", "distance_m")
    out = [{k: row[k] for k in keep} for row in rows]
    for row in out:
        row["category_label"] = vocab.label(vocab.INCIDENT_CATEGORIES, row["category"])
        row["status_label"] = vocab.INCIDENT_STATUSES.get(row["status"], row["status"])
    return jsonify({"incidents": _jsonable(out)})


@bp.get(f"{API}/field/boarding-houses/nearby")
@require("record_incident")
def nearby_houses():
    lon, lat = _point()
    service = FieldService(wards.resolve(), current_user)
    rows = service.nearby_houses(db.conn, lon, lat)
    uuids = records.house_uuids(db.conn, [row["id"] for row in rows])
    out = [{"id": row["id"], "uuid": uuids.get(row["id"]), "name": row["name"],
            "address": row["address"], "distance_m": row["distance_m"]} for row in rows]
    return jsonify({"boarding_houses": _jsonable(out)})
