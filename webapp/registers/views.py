"""Thin views of the register desk pages: types, the list, an entry, export and import."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import register_rows as rows
from geo import register_values as values
from geo import registers as schema
from geo.xlsform import write_xlsform
from models import photos as photo_store
from models import queries, records
from models import registers as store
from webapp.analysis import common
from webapp.auth.permissions import can, require
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.registers import bp
from webapp.services import register_types
from webapp.services import registers as service
from webapp.services.model_streets import Refused
from webapp.services.photos import MAX_PHOTOS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _type(ward, code: str):
    try:
        return register_types.register_type(db.conn, ward, code)
    except ApiError:
        abort(404)


def _entry(code: str, entry_id: int):
    """The ward, the register ``code`` and its entry ``entry_id``, or a 404."""
    ward = common.ward()
    row = _type(ward, code)
    found = store.entry(db.conn, ward.id, row.id, entry_id)
    if found is None:
        abort(404)
    return ward, row, found


def _personal() -> bool:
    return can("view_personal_data")


@bp.get("/registers")
@require("view_analysis")
def index():
    ward = common.ward()
    kept = store.types(db.conn, ward.id)
    have = {t.code for t in kept}
    presets = {code: d for code, d in register_types.presets().items() if code not in have}
    return render_template("registers/index.html", ward=ward, types=kept, presets=presets,
                           geometries=schema.GEOMETRIES, editable=can("edit_plan"))


def _define(save, message: str | None = None) -> Response:
    ward = common.ward()
    try:
        with db.transaction() as tx:
            code = save(tx, ward)
    except Refused as refused:
        return render_template("registers/refused.html", ward=ward,
                               errors=refused.errors), 400
    flash(message or _("Đã thêm sổ vào phường."), "info")
    return redirect(url_for("registers.entries", code=code))


@bp.post("/registers/presets")
@require("edit_plan")
def add_preset():
    return _define(lambda tx, ward: register_types.add_preset(tx, ward, current_user.id,
                                                       request.form.get("preset", "")))


@bp.post("/registers/xlsform")
@require("edit_plan")
def upload_xlsform():
    upload = request.files.get("xlsform")
    raw = upload.read() if upload else b""
    name = upload.filename if upload else ""
    return _define(lambda tx, ward: register_types.define_from_xlsform(tx, ward, current_user.id,
                                                                raw, name or "form.xlsx"))


@bp.post("/registers/<code>/xlsform")
@require("edit_plan")
def replace_xlsform(code: str):
    upload = request.files.get("xlsform")
    raw, name = (upload.read(), upload.filename) if upload else (b"", "")

    def save(tx, ward):
        row = _type(ward, code)
        return register_types.redefine_from_xlsform(tx, ward, current_user.id, row, raw,
                                             name or "form.xlsx")

    return _define(save, _("Đã cập nhật biểu mẫu của sổ."))


@bp.get("/registers/<code>/xlsform.xlsx")
@require("view_analysis")
def download_xlsform(code: str):
    row = _type(common.ward(), code)
    return Response(write_xlsform(row.definition), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={code}-xlsform.xlsx"})


@bp.get("/registers/<code>")
@require("view_analysis")
def entries(code: str):
    ward = common.ward()
    row = _type(ward, code)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    listing = service.list_page(db.conn, ward, row, request.args, _personal(), page)
    return render_template("registers/list.html", ward=ward, register=row, **listing,
                           args=request.args, can_record=can("record_incident"),
                           can_import=can("edit_plan"))


def _entry_page(ward, row, entry, errors=(), status=200):
    conn = db.conn
    fields = schema.public_fields(row.definition, _personal())
    if _personal() and any(f.get("personal") for f in fields):
        with db.transaction() as tx:  # who saw the personal fields of which entry
            records.audit(tx, ward.id, current_user.id, "view_personal_data",
                          "register_entry", entry.id)
    config = {"ward": ward.code, "api": url_for("api.index"), "geometry": json.loads(entry.geojson),
              "extent": queries.ward_extent(conn, ward.id),
              "allowLine": row.geometry_kind == "line",
              "allowPolygon": row.geometry_kind == "polygon",
              "allowPoint": row.geometry_kind == "point", "multiple": False, "picked": []}
    return render_template("registers/entry.html", ward=ward, register=row, entry=entry,
                           fields=fields, errors=list(errors), config=config,
                           photos=photo_store.photos_of(conn, ward.id, "register_entry", entry.id),
                           editable=can("record_incident"), display=values.display,
                           deletable=can("delete_register_entries"),
                           has_photo=any(f["kind"] == "photo" for f in row.definition["fields"]),
                           max_photos=MAX_PHOTOS), status


@bp.route("/registers/<code>/<int:entry_id>", methods=["GET", "POST"])
@require("view_analysis")
def entry(code: str, entry_id: int):
    ward, row, found = _entry(code, entry_id)
    if request.method == "GET":
        return _entry_page(ward, row, found)
    if not can("record_incident"):
        abort(403)
    uploads = [(f.filename, f.read()) for f in request.files.getlist("photos") if f.filename]
    remove = [int(v) for v in request.form.getlist("remove_photos") if v.isdigit()]
    try:
        with db.transaction() as tx:
            service.save_entry(tx, ward, current_user.id, row, request.form, entry_id,
                               uploads, remove)
    except Refused as refused:
        return _entry_page(ward, row, found, refused.errors, 400)
    flash(_("Đã lưu."), "info")
    return redirect(url_for("registers.entry", code=code, entry_id=entry_id))


@bp.post("/registers/<code>/<int:entry_id>/delete")
@require("delete_register_entries")
def delete_entry(code: str, entry_id: int):
    ward, row, found = _entry(code, entry_id)
    try:
        with db.transaction() as tx:
            service.delete_entry(tx, ward, current_user.id, row, found,
                                 request.form.get("reason"))
    except Refused as refused:
        return _entry_page(ward, row, found, refused.errors, 400)
    flash(_("Đã xóa bản ghi số %(id)s khỏi sổ; nhật ký thao tác giữ lại nội dung và lý do.",
            id=entry_id), "info")
    return redirect(url_for("registers.entries", code=code))


@bp.get("/registers/<code>/export.<any(xlsx, csv):fmt>")
@require("view_analysis")
def export(code: str, fmt: str):
    ward = common.ward()
    row = _type(ward, code)
    with db.transaction() as tx:  # an export with personal fields is audited
        headers, data = service.export_rows(tx, ward, row, _personal(), current_user.id)
    body = rows.to_xlsx(row.name, headers, data) if fmt == "xlsx" else rows.to_csv(headers, data)
    return Response(body, mimetype=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={code}.{fmt}"})


@bp.post("/registers/<code>/import")
@require("edit_plan")
def import_entries(code: str):
    ward = common.ward()
    row = _type(ward, code)
    upload = request.files.get("file")
    try:
        headers, data = rows.read_xlsx(upload.read() if upload else b"")
    except ValueError as refused:
        return render_template("registers/import.html", ward=ward, register=row,
                               errors=[(1, "", refused.args[0])]), 400
    with db.transaction() as tx:
        result = service.import_rows(tx, ward, current_user.id, row, headers, data)
    if "errors" in result:
        return render_template("registers/import.html", ward=ward, register=row,
                               errors=result["errors"]), 400
    flash(_("Đã nhập %(n)s dòng.", n=result["stored"]), "info")
    return redirect(url_for("registers.entries", code=code))
