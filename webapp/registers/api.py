"""The registers' API (``/api/v1/registers/…``) and the phone form built from a definition.

A phone's entry goes through the field API's exactly-once path (``webapp.field.api``'s
``record_endpoint``) as the submission kind ``register_entry``, so the offline queue
(``static/js/field/queue.js``) sends it like any field record.
"""

from __future__ import annotations

from flask import jsonify, render_template, request, url_for

from geo import registers as schema
from models import queries
from models import registers as store
from webapp.analysis import common
from webapp.api.params import parse_bbox
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.field import api as field_api
from webapp.field import pages as field_pages
from webapp.registers import bp
from webapp.services import register_types
from webapp.services import registers as service

API = "/api/v1/registers"


def _summary(row) -> dict:
    return {"code": row.code, "name": row.name, "geometry": row.geometry_kind,
            "symbol": row.definition["symbol"],
            "features": url_for("registers.features", code=row.code),
            "page": url_for("registers.entries", code=row.code)}


@bp.get(API)
@require("view_analysis")
def index_json():
    ward = common.ward()
    return jsonify({"registers": [_summary(r) for r in store.types(db.conn, ward.id)]})


@bp.get(f"{API}/<code>")
@require("view_analysis")
def definition(code: str):
    row = register_types.register_type(db.conn, common.ward(), code)
    return jsonify({**_summary(row), "definition": {
        **row.definition, "fields": schema.public_fields(row.definition, personal=False)}})


@bp.get(f"{API}/<code>/features")
@require("view_analysis")
def features(code: str):
    ward = common.ward()
    row = register_types.register_type(db.conn, ward, code)
    raw = request.args.get("bbox", "").strip()
    bbox = parse_bbox(raw) if raw else queries.ward_extent(db.conn, ward.id)
    return jsonify(service.map_features(db.conn, ward, row, bbox))


field_api.record_endpoint(bp, f"{API}/<code>/entries", "create_entry", "register_entry",
                          "record_incident", "code")


@bp.get("/field/registers")
@require("record_incident")
def phone_index():
    """The ward's registers, each a link to its phone form (kept for offline use)."""
    ward = field_pages._ward()
    return render_template("registers/phone_index.html", ward=ward,
                           registers=store.types(db.conn, ward.id),
                           config=field_pages._config(ward, page="registers"))


@bp.get("/field/registers/<code>/new")
@require("record_incident")
def phone_form(code: str):
    ward = field_pages._ward()
    row = register_types.register_type(db.conn, ward, code)
    fields = schema.public_fields(row.definition, personal=True)
    config = field_pages._config(
        ward, page="register", draftKey=f"register:{code}:new",
        submitUrl=url_for("registers.create_entry", code=code),
        register={"code": row.code, "name": row.name, "geometry": row.geometry_kind})
    return render_template("registers/phone.html", ward=ward, register=row, fields=fields,
                           config=config, has_photo=any(f["kind"] == "photo" for f in fields))
