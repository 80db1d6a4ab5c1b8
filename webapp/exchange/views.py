"""Thin views: the export page and downloads, the import page (upload → dry run → confirm).

An uploaded file waits in the instance folder under a random token kept in the user's
session between the dry run and the confirmation; the confirmation checks the file again
and stores it in one transaction (``webapp.services.exchange``).
"""

from __future__ import annotations

import re

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from geo import io as geoio
from models import queries
from webapp import uploads
from webapp.auth.permissions import can, effective_roles, require
from webapp.exchange import bp
from webapp.exchange.files import export_layer
from webapp.extensions import db
from webapp.i18n import current_language, say
from webapp.services import exchange as service

LAYER_LABELS = {
    "neighbourhoods": _l("Khu phố (ranh giới)"),
    "streets": _l("Đường phố"),
    "model-streets": _l("Tuyến / cụm kiểu mẫu"),
    "boarding-houses": _l("Cơ sở cho thuê trọ, lưu trú"),
    "incidents": _l("Vụ vi phạm"),
}
MAX_ERRORS_SHOWN = 300
_SUFFIXES = {*geoio.GIS_SUFFIXES, *geoio.TABLE_SUFFIXES}


def _ward():
    for ward in queries.wards(db.conn):
        if ward.id == current_user.ward_id:
            return ward
    abort(404)


@bp.get("/exports")
@require("view_analysis")
def index():
    ward = _ward()
    return render_template("exchange/exports.html", ward=ward, labels=LAYER_LABELS,
                           counts=queries.layer_counts(db.conn, ward.id),
                           formats=geoio.EXPORT_FORMATS,
                           crs_name=geoio.SOURCE_CRS_CHOICES.get(ward.metric_epsg, ""),
                           personal=can("view_personal_data"))


@bp.get("/exports/<layer>.<fmt>")
@require("view_analysis")
def download(layer: str, fmt: str):
    if layer not in queries.LAYERS or fmt not in geoio.EXPORT_FORMATS:
        abort(404)
    crs = "ward" if request.args.get("crs") == "ward" else "4326"
    personal = request.args.get("personal") == "1" and can("view_personal_data") and \
        layer == "boarding-houses"
    ward = _ward()
    if personal:
        with db.transaction() as conn:
            out = export_layer(conn, ward, layer, fmt, crs, True, current_user.id,
                               locale=current_language())
    else:
        out = export_layer(db.conn, ward, layer, fmt, crs, locale=current_language())
    return Response(out.body, mimetype=out.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{out.filename}"',
        "Cache-Control": "private, no-store",
    })


def _importable() -> dict[str, str]:
    return {layer: LAYER_LABELS[layer] for layer, roles in service.IMPORT_PERMISSIONS.items()
            if effective_roles(current_user.role) & set(roles)}


def _options(form) -> dict:
    epsg = form.get("source_epsg", "")
    tolerance = form.get("tolerance_m", "50")
    return {
        "layer": form.get("layer", ""),
        "source_epsg": int(epsg) if epsg.isdigit() and int(epsg) in geoio.SOURCE_CRS_CHOICES
        else None,
        "replace": form.get("replace") == "1",
        "snap_slivers": form.get("snap_slivers") == "1",
        "tolerance_m": min(500.0, max(0.0, float(tolerance)))
        if re.fullmatch(r"\d{1,3}(\.\d+)?", tolerance) else 50.0,
    }


@bp.route("/imports", methods=["GET", "POST"])
def imports():
    layers = _importable()
    if not layers:
        abort(403)
    ward = _ward()
    choices = {"crs": geoio.SOURCE_CRS_CHOICES, "layers": layers}
    if request.method == "GET":
        return render_template("exchange/imports.html", ward=ward, plan=None, options={
            "layer": next(iter(layers)), "source_epsg": None, "replace": False,
            "snap_slivers": False, "tolerance_m": 50.0}, **choices)
    options = _options(request.form)
    if options["layer"] not in layers:
        abort(403)
    upload = request.files.get("file")
    if upload and upload.filename:
        try:
            token = uploads.save(upload, _SUFFIXES)
        except uploads.UploadError as err:
            flash(say(err.args[0]), "error")
            return redirect(url_for("exchange.imports"))
        mapping = None
    else:
        token = request.form.get("token", "")
        # No mapping fields at all (an OSM file shows none): use the guess again.
        mapping = {key[4:]: value for key, value in request.form.items()
                   if key.startswith("map:") and value} \
            if any(key.startswith("map:") for key in request.form) else None
    path = uploads.stored(token)
    if path is None:
        flash(_("Chưa chọn tệp, hoặc tệp đã hết hạn: hãy tải tệp lên lại."), "error")
        return redirect(url_for("exchange.imports"))
    req = service.ImportRequest(path, mapping=mapping, filename=path.name, **options)
    if request.form.get("action") == "commit":
        return _commit(ward, req, token, options, choices)
    return _report(ward, req, token, options, choices)


def _report(ward, req, token, options, choices, status=200):
    try:
        plan = service.dry_run(db.conn, ward, req)
    except geoio.ReadError as err:
        flash(say(err.args[0]), "error")
        return render_template("exchange/imports.html", ward=ward, plan=None, options=options,
                               token=token, **choices), 400
    return render_template(
        "exchange/imports.html", ward=ward, plan=plan, options=options, token=token,
        fields=geoio.fields_of(req.layer, plan.raw.tabular),
        columns=list(c for c in plan.raw.frame.columns if c != "geometry"),
        errors=plan.check.errors[:MAX_ERRORS_SHOWN], filename=req.path.name, **choices), status


def _commit(ward, req, token, options, choices):
    try:
        result = service.commit(db.engine, ward, req, current_user.id)
    except service.ImportRefused as refused:
        flash(say(refused.message), "error")
        return _report(ward, req, token, options, choices, status=422)
    except geoio.ReadError as err:
        flash(say(err.args[0]), "error")
        return redirect(url_for("exchange.imports"))
    uploads.discard(token)
    flash(_summary(result), "info")
    return redirect(url_for("exchange.imports"))


def _summary(result: dict) -> str:
    parts = [_("Đã nhập %(rows)s dòng vào lớp “%(layer)s”.", rows=result["rows"],
               layer=LAYER_LABELS[result["layer"]])]
    if result["layer"] == "streets":
        return " ".join([*parts, say(service.describe_streets(result))])
    if "moved" in result:
        moved = result["moved"]
        parts.append(_("Khu phố: thêm %(added)s, cập nhật %(updated)s, bỏ %(removed)s. Gán lại "
                       "khu phố theo vị trí: %(houses)s nhà trọ, %(incidents)s vụ việc, "
                       "%(streets)s tuyến/cụm kiểu mẫu.", added=result["added"],
                       updated=result["updated"], removed=result["removed"],
                       houses=moved["boarding-houses"], incidents=moved["incidents"],
                       streets=moved["model-streets"]))
    if result.get("unassigned"):
        parts.append(_("%(count)s điểm không thuộc khu phố nào.", count=result["unassigned"]))
    if "repeats" in result:
        parts.append(_("%(count)s vụ tái vi phạm.", count=result["repeats"]))
    return " ".join(parts)
