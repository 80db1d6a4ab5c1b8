"""Thin views of the task pages: the work board (per unit), the leader's overview, a task
with its six "rõ", progress and evidence, the task form, and progress updates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import work
from geo.numbers import form_id
from models import records
from models import work_queries as store
from webapp.auth.permissions import can, require
from webapp.clock import local_now
from webapp.desk_forms import form_view
from webapp.extensions import db
from webapp.i18n import say
from webapp.services import evidence as evidence_kinds
from webapp.services import work as service
from webapp.services.model_streets import Refused
from webapp.work import bp, common


@bp.get("/tasks")
@require("view_work")
def board():
    ward = common.ward()
    plan = common.plan(ward)
    who = common.acting()
    units = store.units(db.conn, ward.id)
    visible = common.visible_units(who)
    chosen = form_id(request.args.get("unit"))
    if visible is not None:
        units = [u for u in units if u.id in visible]
    shown = [chosen] if chosen in {u.id for u in units} else visible
    today = local_now().date()
    tasks = service.board(db.conn, ward.id, today, plan.work, shown)
    counts = {key: sum(t["warning"] == key for t in tasks) for key in work.WARNINGS}
    return render_template("work/board.html", ward=ward, tasks=tasks, units=units,
                           chosen=chosen, counts=counts, labels=work.WARNINGS, today=today,
                           settings=plan.work, mine=set(who.unit_ids),
                           mine_kp=bool(store.unit_neighbourhoods(db.conn, ward.id,
                                                                  list(who.unit_ids))))


@bp.get("/tasks/overview")
@require("view_all_work")
def overview():
    ward = common.ward()
    plan = common.plan(ward)
    today = local_now().date()
    return render_template(
        "work/overview.html", ward=ward, today=today, labels=work.WARNINGS,
        rows=service.per_unit(db.conn, ward.id, today, plan.work),
        flagged=service.flagged(db.conn, ward.id, today, plan.work), settings=plan.work)


@bp.get("/tasks/<int:task_id>")
@require("view_work")
def task(task_id: int):
    ward = common.ward()
    plan = common.plan(ward)
    row = common.visible_task(ward.id, task_id)
    item = service.task_dict(row)
    today = local_now().date()
    units = {u.id: u.name for u in store.units(db.conn, ward.id)}
    links = service.task_links(db.conn, ward.id, plan)
    return render_template(
        "work/task.html", ward=ward, task=row, units=units, links=links, today=today,
        warning=work.warn(item, today, plan.work), labels=work.WARNINGS,
        progress=store.progress_of(db.conn, ward.id, task_id),
        evidence=store.evidence_of(db.conn, ward.id, [task_id]),
        kinds=evidence_kinds.KINDS, errors=[], form=None,
        may_report=can("report_progress") and common.acting().reports_for(row))


@bp.post("/tasks/<int:task_id>/progress")
@require("report_progress")
def progress(task_id: int):
    ward = common.ward()
    common.visible_task(ward.id, task_id)
    uploads = [(f.filename, f.read()) for f in request.files.getlist("files")
               if f and f.filename]
    try:
        with db.transaction() as tx:
            service.record_progress(tx, ward.id, common.acting(tx), task_id, request.form,
                                    uploads, local_now())
    except Refused as refused:
        for _field, message in refused.errors:
            flash(say(message), "error")
        return redirect(url_for("work.task", task_id=task_id), 303)
    flash(_("Đã cập nhật tiến độ."), "info")
    return redirect(url_for("work.task", task_id=task_id), 303)


@bp.get("/tasks/evidence/<int:evidence_id>")
@require("view_work")
def evidence(evidence_id: int):
    ward = common.ward()
    row = store.evidence(db.conn, ward.id, evidence_id)
    if row is None:
        abort(404)
    common.visible_task(ward.id, row.task_id)
    if row.kind != "photo":
        # Biên bản and lists name people: who opened which is kept in the audit log.
        with db.transaction() as tx:
            records.audit(tx, ward.id, current_user.id, "work_evidence_viewed", "work_evidence",
                          row.id, task_id=row.task_id, kind=row.kind)
    inline = "inline" if row.kind in ("photo", "pdf") else "attachment"
    return bytes(row.data), 200, {
        "Content-Type": row.content_type, "Cache-Control": "private, max-age=86400",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'{inline}; filename="{row.filename}"'}


def _form_page(ward, row=None, errors=(), form=None, status=200):
    plan = common.plan(ward)
    return render_template(
        "work/task_form.html", ward=ward, row=row, errors=list(errors), form=form,
        units=store.units(db.conn, ward.id), links=service.task_links(db.conn, ward.id, plan),
        phases=[p["label"] for p in plan.phases]), status


def _to_task(task_id: int) -> str:
    return url_for("work.task", task_id=task_id)


@bp.route("/tasks/new", methods=["GET", "POST"])
@require("manage_tasks")
def new_task():
    ward = common.ward()
    return form_view(
        lambda **page: _form_page(ward, **page),
        lambda tx: service.save_task(tx, ward.id, common.plan(ward), current_user.id,
                                     request.form),
        _to_task, _("Đã tạo nhiệm vụ."))


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@require("manage_tasks")
def edit_task(task_id: int):
    ward = common.ward()
    row = store.task(db.conn, ward.id, task_id)
    if row is None:
        abort(404)
    return form_view(
        lambda **page: _form_page(ward, row, **page),
        lambda tx: service.save_task(tx, ward.id, common.plan(ward), current_user.id,
                                     request.form, task_id),
        _to_task, _("Đã lưu nhiệm vụ."))
