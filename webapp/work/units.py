"""Thin views of the units admin: the ward's units, a unit's form and its members."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import work
from geo.numbers import form_id
from models import queries, records
from models import work_queries as store
from webapp.auth.permissions import require
from webapp.desk_forms import form_view
from webapp.extensions import db
from webapp.services import work as service
from webapp.services.model_streets import Refused
from webapp.work import bp, common


@bp.get("/tasks/units")
@require("manage_units")
def units():
    ward = common.ward()
    return render_template("work/units.html", ward=ward, units=store.units(db.conn, ward.id),
                           kinds=work.UNIT_KINDS)


def _form_page(ward, row=None, errors=(), form=None, status=200):
    members = store.members(db.conn, ward.id, row.id) if row else []
    taken = {m.user_id for m in members}
    people = [u for u in records.users_of_ward(db.conn, ward.id) if u.id not in taken]
    return render_template(
        "work/unit_form.html", ward=ward, row=row, errors=list(errors), form=form,
        kinds=work.UNIT_KINDS, neighbourhoods=queries.neighbourhood_names(db.conn, ward.id),
        members=members, people=people), status


def _to_unit(unit_id: int) -> str:
    return url_for("work.edit_unit", unit_id=unit_id)


@bp.route("/tasks/units/new", methods=["GET", "POST"])
@require("manage_units")
def new_unit():
    ward = common.ward()
    return form_view(lambda **page: _form_page(ward, **page),
                     lambda tx: service.save_unit(tx, ward.id, current_user.id, request.form),
                     _to_unit, _("Đã tạo đơn vị."))


@bp.route("/tasks/units/<int:unit_id>", methods=["GET", "POST"])
@require("manage_units")
def edit_unit(unit_id: int):
    ward = common.ward()
    row = store.unit(db.conn, ward.id, unit_id)
    if row is None:
        abort(404)
    return form_view(
        lambda **page: _form_page(ward, row, **page),
        lambda tx: service.save_unit(tx, ward.id, current_user.id, request.form, unit_id),
        _to_unit, _("Đã lưu đơn vị."))


@bp.post("/tasks/units/<int:unit_id>/members")
@require("manage_units")
def members(unit_id: int):
    ward = common.ward()
    removed = form_id(request.form.get("remove_user_id"))
    try:
        with db.transaction() as tx:
            if removed:
                service.remove_member(tx, ward.id, current_user.id, unit_id, removed)
            else:
                service.add_member(tx, ward.id, current_user.id, unit_id,
                                   request.form.get("username", ""),
                                   request.form.get("position"))
    except Refused as refused:
        for _field, message in refused.errors:
            flash(message, "error")
        return redirect(_to_unit(unit_id), 303)
    flash(_("Đã bỏ người khỏi đơn vị.") if removed else _("Đã thêm người vào đơn vị."), "info")
    return redirect(_to_unit(unit_id), 303)
