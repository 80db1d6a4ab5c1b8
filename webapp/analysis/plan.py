"""The plan's targets (chỉ tiêu) on one page: value, target, progress, deadline, status."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from geo import formatting as fmt
from geo import work
from geo.targets import STATUS_LABELS
from models import ledger
from webapp.analysis import bp, common
from webapp.auth.permissions import require
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import Labels, current_language
from webapp.services import analysis as service
from webapp.services import publishing
from webapp.services import work as work_service
from webapp.services.plans import plan_for

STATUS_ORDER = ("missed", "at_risk", "on_track", "met")
# How far back the targets page offers an ended month to publish.
PUBLISHABLE_MONTHS = 12


def _shown(row: dict) -> dict:
    value, goal = row["value"], row["target"]
    unit = f" {row['unit']}" if row.get("unit") else ""
    locale = current_language()
    if row["kind"] == "done":  # done or not (e.g. the demonstration route)
        value_text = "—" if value is None else (_("Hoàn thành") if value >= goal
                                                else _("Chưa xong"))
        target_text = _("Hoàn thành")
    elif row["is_share"]:
        value_text = fmt.percent(value, missing=fmt.DASH, locale=locale)
        target_text = fmt.percent(goal, missing=fmt.DASH, locale=locale)
    else:
        value_text = "—" if value is None else fmt.amount(value, locale=locale) + unit
        target_text = fmt.amount(goal, locale=locale) + unit
    progress = None
    if value is not None and goal:
        progress = max(0.0, min(1.0, float(value) / float(goal)))
    return {**row, "value_text": value_text, "target_text": target_text,
            "progress": progress,
            "progress_text": _("chưa có số liệu") if progress is None
            else _("đạt %(share)s mục tiêu", share=fmt.percent(progress, locale=locale))}


@bp.get("/targets")
@require("view_analysis")
def targets():
    return _page(common.ward())


def _page(ward, http_status: int = 200):
    today = local_now().date()
    rows = [_shown(row) for row in service.targets_view(db.conn, ward, today)]
    counts = {status: sum(r["status"] == status for r in rows) for status in STATUS_ORDER}
    plan = plan_for(db.conn, ward)
    # The plan's tasks flagged by the early warning, and each target's linked tasks.
    tasks = work_service.board(db.conn, ward.id, today, plan.work)
    return render_template("analysis/targets.html", ward=ward, rows=rows, counts=counts,
                           plan=plan, labels=Labels(STATUS_LABELS), today=today,
                           status_order=STATUS_ORDER, work_labels=work.WARNINGS,
                           flagged_tasks=[t for t in tasks if t["warning"] in work.FLAGGED],
                           linked_tasks=_linked(tasks), **_publication(ward, today)), http_status


def _publication(ward, today) -> dict:
    """The months whose targets are published, and the ended ones that may still be."""
    published = ledger.target_months(db.conn, ward.id)
    last_ended = common.shift_month(fmt.month_key(today), -1)
    recent = [common.shift_month(last_ended, -i) for i in range(PUBLISHABLE_MONTHS)]
    return {"published_target_months": published[::-1],
            "publishable_months": [m for m in recent if m not in published]}


@bp.post("/targets/publish")
@require("publish_ranking")
def publish_targets():
    """"Công bố tiến độ chỉ tiêu": freeze an ended month's target figures for good."""
    ward = common.ward()
    try:
        month = fmt.parse_month(request.form.get("month"))
    except ValueError:
        flash(_("Tháng cần công bố không hợp lệ."), "error")
        return _page(ward, 400)
    try:
        with db.transaction() as conn:
            publishing.publish_targets(conn, ward, current_user, month)
    except ApiError as refused:
        flash(refused.message, "error")
        return _page(ward, refused.status)
    except IntegrityError:  # published by someone else at the same moment
        flash(_("Tiến độ chỉ tiêu tháng %(month)s vừa được người khác công bố.",
                month=fmt.month(month, locale=current_language())), "error")
        return _page(ward, 409)
    flash(_("Đã công bố tiến độ chỉ tiêu tháng %(month)s. Số liệu công bố được giữ nguyên, "
            "không thay đổi về sau.", month=fmt.month(month, locale=current_language())), "info")
    return redirect(url_for("analysis.targets"))


def _linked(tasks: list[dict]) -> dict[str, dict]:
    """``{target code: {"tasks": n, "flagged": m}}`` of the tasks linked to a target."""
    out: dict[str, dict] = {}
    for task in tasks:
        if task["target_code"]:
            item = out.setdefault(task["target_code"], {"tasks": 0, "flagged": 0})
            item["tasks"] += 1
            item["flagged"] += task["warning"] in work.FLAGGED
    return out
