"""Thin views of the campaign pages."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import vocabulary as vocab
from models import model_streets as store
from models import queries
from webapp import jsonio
from webapp.analysis import common
from webapp.auth.permissions import can, require
from webapp.campaigns import bp
from webapp.clock import local_now
from webapp.desk_forms import form_view
from webapp.extensions import db
from webapp.services import model_streets as service


def _state(row, today) -> str:
    if today < row.starts_on:
        return "upcoming"
    return "running" if today <= row.ends_on else "past"


@bp.get("/campaigns")
@require("view_analysis")
def index():
    ward = common.ward()
    conn = db.conn
    today = local_now().date()
    rows = []
    for row in store.campaigns(conn, ward.id):
        results = store.campaign_results(conn, ward.id, row.id)
        rows.append((row, _state(row, today), sum(r.incidents for r in results),
                     sum(r.resolved for r in results)))
    return render_template("campaigns/index.html", ward=ward, rows=rows, today=today,
                           editable=can("manage_campaigns"))


def _form_page(ward, row=None, errors=(), form=None, status=200):
    conn = db.conn
    drawn = form.get("geometry") if form else (row.geojson if row else None)
    try:
        geometry = jsonio.loads(drawn) if drawn else None
    except ValueError:
        geometry = None
    return render_template(
        "campaigns/form.html", ward=ward, row=row, errors=list(errors), form=form,
        geometry=geometry,
        neighbourhoods=queries.neighbourhood_names(conn, ward.id),
        extent=queries.ward_extent(conn, ward.id), api=url_for("api.index")), status


def _to_detail(campaign_id: int) -> str:
    return url_for("campaigns.detail", campaign_id=campaign_id)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@require("manage_campaigns")
def new():
    ward = common.ward()
    return form_view(
        lambda **page: _form_page(ward, **page),
        lambda tx: service.save_campaign(tx, ward, current_user.id, request.form),
        _to_detail, _("Đã tạo đợt ra quân."))


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@require("manage_campaigns")
def edit(campaign_id: int):
    ward = common.ward()
    row = store.campaign(db.conn, ward.id, campaign_id)
    if row is None:
        abort(404)
    return form_view(
        lambda **page: _form_page(ward, row, **page),
        lambda tx: service.save_campaign(tx, ward, current_user.id, request.form, campaign_id),
        _to_detail, _("Đã lưu đợt ra quân."))


@bp.get("/campaigns/<int:campaign_id>")
@require("view_analysis")
def detail(campaign_id: int):
    ward = common.ward()
    conn = db.conn
    row = store.campaign(conn, ward.id, campaign_id)
    if row is None:
        abort(404)
    results = store.campaign_results(conn, ward.id, campaign_id)
    names = {n.id: n.name for n in queries.neighbourhood_names(conn, ward.id)}
    return render_template(
        "campaigns/detail.html", ward=ward, row=row, results=results,
        categories=vocab.INCIDENT_CATEGORIES, state=_state(row, local_now().date()),
        areas=[names.get(i, f"#{i}") for i in row.neighbourhood_ids or ()],
        totals={k: sum(getattr(r, k) for r in results)
                for k in ("incidents", "tagged", "resolved", "repeats", "fines")},
        editable=can("manage_campaigns"), extent=queries.ward_extent(conn, ward.id))
