"""Thin views of the model-street pages; the rules are in ``geo.programme`` and the writes in
``webapp.services.model_streets``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from geo import programme
from geo import vocabulary as vocab
from geo.field_reader import parse_date
from models import model_streets as store
from models import photos as photo_store
from models import queries
from webapp import jsonio
from webapp.analysis import common
from webapp.auth.permissions import can, require
from webapp.clock import local_now
from webapp.desk_forms import form_view
from webapp.extensions import db
from webapp.model_streets import bp
from webapp.services import model_streets as service
from webapp.services.plans import plan_for

EVENT_LABELS = {"created": _l("Đăng ký"), "edited": _l("Sửa thông tin"),
                "status": _l("Chuyển trạng thái"), "check": _l("Kiểm tra lại tiêu chí")}


def _choices(conn, ward) -> dict:
    return {"levels": vocab.MODEL_STREET_LEVELS, "kinds": vocab.MODEL_STREET_KINDS,
            "statuses": vocab.MODEL_STREET_STATUSES,
            "neighbourhoods": queries.neighbourhood_names(conn, ward.id)}


def _geojson(text: str | None) -> dict | None:
    try:
        return jsonio.loads(text) if text else None
    except ValueError:
        return None


@bp.get("/model-streets")
@require("view_analysis")
def index():
    ward = common.ward()
    conn = db.conn
    level = request.args.get("level") if request.args.get("level") in \
        vocab.MODEL_STREET_LEVELS else None
    status = request.args.get("status") if request.args.get("status") in \
        vocab.MODEL_STREET_STATUSES else None
    rows = store.listing(conn, ward.id, level, status)
    plan = plan_for(conn, ward)
    met = {r.id: sum(bool((r.criteria or {}).get(c["code"])) for c in plan.criteria)
           for r in rows}
    return render_template("model_streets/index.html", ward=ward, rows=rows, plan=plan, met=met,
                           level=level, status=status, criteria=plan.criteria,
                           extent=queries.ward_extent(conn, ward.id), **_choices(conn, ward))


def _form_page(ward, row=None, errors=(), form=None, status=200):
    conn = db.conn
    drawn = form.get("geometry") if form else (row.geojson if row else None)
    return render_template(
        "model_streets/form.html", ward=ward, row=row, errors=list(errors), form=form,
        geometry=_geojson(drawn),
        plan=plan_for(conn, ward), extent=queries.ward_extent(conn, ward.id),
        api=url_for("api.index"), **_choices(conn, ward)), status


def _to_detail(model_street_id: int) -> str:
    return url_for("model_streets.detail", model_street_id=model_street_id)


@bp.route("/model-streets/new", methods=["GET", "POST"])
@require("edit_model_streets")
def new():
    ward = common.ward()
    return form_view(lambda **page: _form_page(ward, **page),
                     lambda tx: service.save(tx, ward, current_user.id, request.form),
                     _to_detail, _("Đã đăng ký tuyến/cụm kiểu mẫu."))


@bp.route("/model-streets/<int:model_street_id>/edit", methods=["GET", "POST"])
@require("edit_model_streets")
def edit(model_street_id: int):
    ward = common.ward()
    row = store.one(db.conn, ward.id, model_street_id)
    if row is None:
        abort(404)
    return form_view(
        lambda **page: _form_page(ward, row, **page),
        lambda tx: service.save(tx, ward, current_user.id, request.form, model_street_id),
        _to_detail, _("Đã lưu thay đổi."))


def _detail(ward, model_street_id: int, errors=(), status=200):
    conn = db.conn
    row = store.one(conn, ward.id, model_street_id)
    if row is None:
        abort(404)
    plan = plan_for(conn, ward)
    checks = store.checks(conn, ward.id, model_street_id)
    photos = {c.id: photo_store.photos_of(conn, ward.id, "model_street_check", c.id)
              for c in checks}
    return render_template(
        "model_streets/detail.html", ward=ward, row=row, plan=plan, checks=checks,
        photos=photos, events=store.events(conn, ward.id, model_street_id), errors=list(errors),
        next_statuses=programme.next_statuses(row.status), statuses=vocab.MODEL_STREET_STATUSES,
        levels=vocab.MODEL_STREET_LEVELS, kinds=vocab.MODEL_STREET_KINDS,
        event_labels=EVENT_LABELS, today=local_now().date(), editable=can("edit_model_streets"),
        extent=queries.ward_extent(conn, ward.id)), status


@bp.get("/model-streets/<int:model_street_id>")
@require("view_analysis")
def detail(model_street_id: int):
    return _detail(common.ward(), model_street_id)


@bp.post("/model-streets/<int:model_street_id>/status")
@require("edit_model_streets")
def move(model_street_id: int):
    ward = common.ward()
    raw = (request.form.get("on_date") or "").strip()
    on = parse_date(raw) if raw else None
    if raw and on is None:  # not silently today
        return _detail(ward, model_street_id, [
            ("on_date", _("Ngày chuyển trạng thái không đúng dạng ngày (dd/mm/yyyy)."))],
            status=400)
    try:
        with db.transaction() as tx:
            service.move_status(tx, ward, current_user.id, model_street_id,
                                request.form.get("to_status", ""), on, request.form.get("note"))
    except service.Refused as refused:
        return _detail(ward, model_street_id, refused.errors, status=400)
    flash(_("Đã chuyển trạng thái."), "info")
    return redirect(url_for("model_streets.detail", model_street_id=model_street_id))


@bp.post("/model-streets/<int:model_street_id>/checks")
@require("edit_model_streets")
def recheck(model_street_id: int):
    ward = common.ward()
    plan = plan_for(db.conn, ward)
    try:
        with db.transaction() as tx:
            service.recheck(tx, ward, plan, current_user.id, model_street_id, request.form,
                            request.files.getlist("photos"))
    except service.Refused as refused:
        return _detail(ward, model_street_id, refused.errors, status=400)
    flash(_("Đã ghi kết quả kiểm tra lại."), "info")
    return redirect(url_for("model_streets.detail", model_street_id=model_street_id))
