"""Thin views of the units' monthly reports (Bảng 3): the list of units and who has
submitted, a unit's own report, the consolidated ward report (XLSX, PDF) and summaries."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from geo import formatting as fmt
from geo import report as geo_report
from geo import work, workreport
from models import work_queries as store
from webapp.analysis import common as analysis_common
from webapp.auth.permissions import can, require
from webapp.clock import local_now
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.reports.monthly import report_file
from webapp.services import work_reports as service
from webapp.services.model_streets import Refused
from webapp.work import bp, common


def _month() -> str:
    raw = request.values.get("month")
    try:
        return fmt.parse_month(raw) if raw else analysis_common.this_month()
    except ValueError:
        abort(400, description=_("Tháng không hợp lệ (dùng dạng yyyy-mm)."))


@bp.get("/tasks/reports")
@require("view_work")
def unit_reports():
    ward = common.ward()
    plan = common.plan(ward)
    month = _month()
    who = common.acting()
    rows = service.submissions(db.conn, ward.id, month, plan.work)
    visible = common.visible_units(who)
    if visible is not None:
        rows = [r for r in rows if r["unit"].id in visible]
    return render_template(
        "work/reports.html", ward=ward, month=month, rows=rows,
        due=work.report_due(month, plan.work), mine=set(who.unit_ids),
        nav={"prev": analysis_common.shift_month(month, -1),
             "next": analysis_common.shift_month(month, 1)})


@bp.route("/tasks/units/<int:unit_id>/report", methods=["GET", "POST"])
@require("view_work")
def unit_report(unit_id: int):
    ward = common.ward()
    plan = common.plan(ward)
    unit = store.unit(db.conn, ward.id, unit_id)
    who = common.acting()
    if unit is None or (common.visible_units(who) is not None and unit_id not in who.unit_ids):
        abort(404)
    month = _month()
    today = local_now().date()
    editable = can("report_progress") and (who.whole_ward or unit_id in who.unit_ids)
    errors: list = []
    status = 200
    if request.method == "POST":
        if not editable:
            abort(403)
        try:
            with db.transaction() as tx:
                service.submit(tx, ward.id, common.acting(tx), unit_id, month, request.form,
                               local_now(), today)
        except Refused as refused:
            errors, status = [m for _f, m in refused.errors], 400
        else:
            flash(_("Đã nộp báo cáo tháng %(month)s của đơn vị.",
                    month=fmt.month(month, locale=current_language())), "info")
            return redirect(url_for("work.unit_report", unit_id=unit_id, month=month), 303)
    rows, saved = service.unit_rows(db.conn, ward.id, unit_id, month, today)
    if errors:
        rows, _problems = service.parse_rows(request.form, rows)
    return render_template(
        "work/unit_report.html", ward=ward, unit=unit, month=month, rows=rows, saved=saved,
        errors=errors, editable=editable, field=service.field_name,
        due=work.report_due(month, plan.work), columns=geo_report.COLUMNS), status


def _download(kind: str):
    ward = common.ward()
    month = _month()
    report = service.consolidated(db.conn, ward, common.plan(ward), month, local_now().date(),
                                  current_language())
    return report_file(report, kind, f"bao-cao-don-vi-{month}")


@bp.get("/tasks/reports.xlsx")
@require("consolidate_reports")
def consolidated_xlsx():
    return _download("xlsx")


@bp.get("/tasks/reports.pdf")
@require("consolidate_reports")
def consolidated_pdf():
    return _download("pdf")


@bp.get("/tasks/summary")
@require("view_all_work")
def summary():
    ward = common.ward()
    period = request.args.get("period", "month")
    if period not in workreport.PERIODS:
        period = "month"
    try:
        day = date.fromisoformat(request.args.get("day") or "")
    except ValueError:
        day = local_now().date()  # no day, or not one: the period containing today
    return render_template(
        "work/summary.html", ward=ward, period=period, periods=workreport.PERIODS, day=day,
        data=service.period_summary(db.conn, ward.id, common.plan(ward), period, day))
