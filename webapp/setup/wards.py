"""The super-admin's wards: list, create from a boundary file, change the outline (with a
report of what would fall outside), remove, and choose the ward to work in."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import io as geoio
from geo.numbers import form_id
from models import queries
from webapp import uploads
from webapp.auth import WARD_CHOICE
from webapp.auth.permissions import require
from webapp.auth.views import safe_next
from webapp.extensions import db
from webapp.i18n import Labels, say
from webapp.services import wards as service
from webapp.setup import bp
from webapp.setup.forms import BoundaryForm, RemoveForm, WardForm

BOUNDARY_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".kml"}


def _epsg(raw: str | None) -> int | None:
    return form_id(raw)


def _ward_or_404(code: str):
    ward = queries.ward_by_code(db.conn, code)
    if ward is None:
        abort(404)
    return ward


def _read_upload(upload, source_epsg):
    """The outline in an uploaded file, read from a temporary copy that is then removed."""
    name = Path(upload.filename or "").name
    if Path(name).suffix.lower() not in BOUNDARY_SUFFIXES:
        raise service.WardError(_("Tệp ranh giới phải là GeoJSON, GeoPackage, Shapefile nén .zip "
                                "hoặc KML."))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("boundary" + Path(name).suffix.lower())
        upload.save(path)
        return service.read_outline(path, source_epsg)


@bp.get("/admin/wards")
@require("manage_wards")
def wards():
    conn = db.conn
    rows = [(w, service.holdings(conn, w.id)) for w in queries.wards(conn)]
    return render_template("setup/wards.html", rows=rows, form=WardForm(),
                           working=current_user.ward_id)


@bp.route("/admin/wards/new", methods=["GET", "POST"])
@require("manage_wards")
def new_ward():
    form = WardForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            outline = _read_upload(form.boundary.data, _epsg(form.source_epsg.data))
            with db.transaction() as tx:
                made = service.create(tx, code=form.code.data, name=form.name.data,
                                      province=form.province.data, outline=outline,
                                      metric_epsg=_epsg(form.metric_epsg.data),
                                      preset=form.preset.data, user_id=current_user.id)
        except (service.WardError, geoio.ReadError) as err:
            error, status = err.args[0], 400
        else:
            session[WARD_CHOICE] = made["id"]
            notes = " ".join(say(note) for note in made["notes"])
            flash(_("Đã tạo %(name)s: hệ tọa độ mét EPSG:%(epsg)s (%(reason)s).",
                    name=made["name"], epsg=made["metric_epsg"], reason=say(made["crs_reason"]))
                  + (" " + notes if notes else ""), "info")
            return redirect(url_for("setup.ward", code=made["code"]))
    elif request.method == "POST":
        status = 400
    return render_template("setup/ward_new.html", form=form, error=error), status


@bp.get("/admin/wards/<code>")
@require("manage_wards")
def ward(code: str):
    row = _ward_or_404(code)
    return _detail(row)


def _detail(row, report=None, token=None, error=None, status=200):
    conn = db.conn
    return render_template(
        "setup/ward.html", ward=row, held=service.holdings(conn, row.id),
        extent=queries.ward_extent(conn, row.id), boundary_form=BoundaryForm(),
        remove_form=RemoveForm(), report=report, token=token, error=error,
        labels=Labels(service.RECORD_LABELS), working=current_user.ward_id == row.id), status


@bp.post("/admin/wards/<code>/work")
@require("manage_wards")
def work_in(code: str):
    row = _ward_or_404(code)
    session[WARD_CHOICE] = row.id
    flash(_("Đang làm việc tại %(name)s.", name=row.name), "info")
    return redirect(safe_next(request.form.get("next")))


@bp.post("/admin/wards/<code>/boundary")
@require("manage_wards")
def set_boundary(code: str):
    row = _ward_or_404(code)
    token = request.form.get("token", "")
    try:
        if request.form.get("action") == "confirm":
            path = uploads.stored(token)
            if path is None:
                raise service.WardError(_("Tệp đã hết hạn: hãy tải tệp ranh giới lên lại."))
            outline = service.read_outline(path, _epsg(request.form.get("source_epsg")))
            with db.transaction() as tx:
                done = service.set_boundary(tx, row, outline, current_user.id)
            uploads.discard(token)
            moved = done["moved"]
            flash(_("Đã đổi ranh giới %(name)s. Gán lại khu phố theo vị trí: %(houses)s cơ sở "
                    "trọ, %(incidents)s vụ vi phạm, %(streets)s tuyến/cụm kiểu mẫu.",
                    name=row.name, houses=moved.get("boarding-houses", 0),
                    incidents=moved.get("incidents", 0),
                    streets=moved.get("model-streets", 0)), "info")
            return redirect(url_for("setup.ward", code=code))
        form = BoundaryForm()
        if not form.validate_on_submit():
            raise service.WardError(" ".join(e for errs in form.errors.values() for e in errs))
        token = uploads.save(form.boundary.data, BOUNDARY_SUFFIXES)
        outline = service.read_outline(uploads.stored(token), _epsg(form.source_epsg.data))
        report = {"outside": service.outside(db.conn, row, outline.shape),
                  "notes": [say(note) for note in outline.notes],
                  "source_epsg": form.source_epsg.data or ""}
    except (service.WardError, uploads.UploadError, geoio.ReadError) as err:
        return _detail(row, error=err.args[0], status=400)
    return _detail(row, report=report, token=token)


@bp.post("/admin/wards/<code>/remove")
@require("manage_wards")
def remove(code: str):
    row = _ward_or_404(code)
    form = RemoveForm()
    if not form.validate_on_submit() or form.confirm_code.data.strip() != row.code:
        return _detail(row, error=_("Gõ đúng mã phường “%(code)s” để xác nhận xóa.",
                                    code=row.code), status=400)
    try:
        with db.transaction() as tx:
            service.remove(tx, row, current_user.id, force=bool(form.force.data))
    except service.WardError as err:
        return _detail(row, error=err.args[0], status=400)
    if session.get(WARD_CHOICE) == row.id:
        session.pop(WARD_CHOICE)
    flash(_("Đã xóa %(name)s và mọi dữ liệu của phường.", name=row.name), "info")
    return redirect(url_for("setup.wards"))
