"""``/reports/monthly``: the month's progress report (Bảng 3) on a page, as XLSX and PDF.

Everyone in the ward reads it; urban staff and admins (``publish_ranking``) fill in what the
data cannot know: difficulties, proposals, next deadline, and optionally a note on the
result and their own percentage.
"""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import formatting as fmt
from geo import report as geo_report
from webapp.analysis import common
from webapp.auth.permissions import can, require
from webapp.clock import local_now
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.reports import bp
from webapp.services import reports as service

MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "pdf": "application/pdf"}


def _month(raw: str | None) -> tuple[str, str | None]:
    """The month asked for (default: this month) and a problem to show."""
    if not raw:
        return common.this_month(), None
    try:
        return fmt.parse_month(raw), None
    except ValueError:
        return common.this_month(), _("Tháng '%(raw)s' không hợp lệ (dùng dạng yyyy-mm).",
                                      raw=raw)


def _form_values(report: geo_report.Report) -> dict[str, str]:
    values = {}
    for row in report.rows:
        e = row.entry
        values.update({
            service.field_name("result_text", row.code): e.result_text or "",
            service.field_name("difficulties", row.code): e.difficulties or "",
            service.field_name("proposals", row.code): e.proposals or "",
            service.field_name("next_deadline", row.code): fmt.day(e.next_deadline),
            service.field_name("percent", row.code): fmt.number(e.percent_override, 2,
                                                                trim=True),
        })
    return values


def _render(ward, report, values, errors, status=200):
    today = local_now().date()
    return render_template(
        "reports/monthly.html", ward=ward, report=report, month=report.month, values=values,
        errors=errors, field=service.field_name, editable=can("publish_ranking"),
        deadline=service.deadline_state(report.month, today, report.due_day),
        columns=report.columns,
        note=report.note,
        nav={"prev": common.shift_month(report.month, -1),
             "next": common.shift_month(report.month, 1)},
    ), status


@bp.route("/reports/monthly", methods=["GET", "POST"])
@require("view_analysis")
def monthly():
    ward = common.ward()
    source = request.form if request.method == "POST" else request.args
    month, problem = _month(source.get("month"))
    if request.method == "POST":
        if not can("publish_ranking"):
            abort(403)
        if problem:
            flash(problem + " " + _("Không có gì được lưu."), "error")
            return redirect(url_for("reports.monthly"))
    elif problem:
        flash(problem + " " + _("Đang hiển thị tháng hiện tại."), "error")
    report = service.build(db.conn, ward, month, locale=current_language())
    if request.method == "GET":
        return _render(ward, report, _form_values(report), {})
    codes = [row.code for row in report.rows]
    labels = {row.code: _("Dòng %(stt)s (%(task)s)", stt=row.stt, task=row.task)
              for row in report.rows}
    new, errors = service.parse_entries(request.form, codes, labels, current_language())
    if errors:
        flash(_("Chưa lưu: %(count)s ô không hợp lệ (đánh dấu đỏ). Không ô nào được lưu.",
                count=len(errors)), "error")
        values = {k: request.form.get(k, "") for k in _form_values(report)}
        return _render(ward, report, values, errors, 400)
    with db.transaction() as tx:
        saved = service.save_entries(tx, ward.id, month, new, current_user.id)
    flash(_("Đã lưu báo cáo tháng %(month)s (%(count)s dòng có nội dung).",
            month=fmt.month(month, locale=current_language()), count=saved), "info")
    return redirect(url_for("reports.monthly", month=month))


def report_file(report: geo_report.Report, kind: str, stem: str):
    """A Bảng 3 report as the download ``stem.kind`` (``xlsx`` or ``pdf``): the ward's
    monthly report and the units' consolidated one are written the same way."""
    body = geo_report.write_xlsx(report) if kind == "xlsx" else geo_report.write_pdf(report)
    return send_file(io.BytesIO(body), mimetype=MIMETYPES[kind], as_attachment=True,
                     download_name=f"{stem}.{kind}")


def _download(kind: str):
    ward = common.ward()
    month, problem = _month(request.args.get("month"))
    if problem:
        abort(400, description=problem)
    report = service.build(db.conn, ward, month, locale=current_language())
    return report_file(report, kind, f"bao-cao-tien-do-{month}")


@bp.get("/reports/monthly.xlsx")
@require("view_analysis")
def monthly_xlsx():
    return _download("xlsx")


@bp.get("/reports/monthly.pdf")
@require("view_analysis")
def monthly_pdf():
    return _download("pdf")
