"""Manual criteria of the month's ranking, entered by staff (khu phố × criterion)."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import formatting as fmt
from geo import ranking as scoring
from models import queries, records, rubrics
from webapp.analysis import bp, common
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.services import analysis as service


def _published_message(month: str) -> str:
    return _("Xếp hạng tháng %(month)s đã được công bố nên không sửa điểm thủ công được nữa: "
             "bản đã công bố giữ nguyên, điểm mới sẽ không được tính.",
             month=fmt.month(month, locale=current_language()))


def cell_name(kp_id: int, code: str) -> str:
    return f"s-{kp_id}-{code}"


def parse_cell(raw: str | None, maximum: float) -> tuple[float | None, str | None]:
    """The points in a cell (``None`` when left empty) or an error, in the request's
    language."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, _("Phải là một số.")
    if math.isnan(value) or math.isinf(value):
        return None, _("Phải là một số.")
    if value < 0 or value > maximum:
        return None, _("Phải từ 0 đến %(maximum)s.",
                       maximum=fmt.integer(maximum, locale=current_language()))
    return (int(value) if value.is_integer() else round(value, 2)), None


def _render(ward, month, criteria, kps, values, errors, published, status=200):
    return render_template(
        "analysis/manual.html", ward=ward, month=month, criteria=criteria, kps=kps,
        values=values, errors=errors, published=published, cell_name=cell_name,
        locked_message=_published_message(month) if published else None,
        nav={"prev": common.shift_month(month, -1), "next": common.shift_month(month, 1)},
    ), status


@bp.route("/ranking/manual", methods=["GET", "POST"])
@require("enter_manual_scores")
def manual_scores():
    ward = common.ward()
    conn = db.conn
    source = request.form if request.method == "POST" else request.args
    raw_month = source.get("month")
    try:
        month = fmt.parse_month(raw_month) if raw_month else service.latest_month(conn, ward)
    except ValueError:
        flash(_("Tháng '%(month)s' không hợp lệ (dùng dạng yyyy-mm).", month=raw_month), "error")
        return redirect(url_for("analysis.manual_scores"))
    rubric = service.rubric_for(conn, ward.id)
    labels = scoring.criterion_labels(rubric, current_language())
    criteria = [{**c, "label": labels[c["code"]]} for c in rubric.criteria
                if c["source"] == "manual"]
    kps = queries.neighbourhood_names(conn, ward.id)
    published = records.snapshot(conn, ward.id, month)
    stored = {(r.neighbourhood_id, r.criterion): r.points
              for r in rubrics.manual_scores(conn, ward.id, month)}
    values = {cell_name(k, c): "" if v is None else f"{v:g}" for (k, c), v in stored.items()}
    if request.method == "GET":
        return _render(ward, month, criteria, kps, values, {}, published)
    if published:
        flash(_published_message(month), "error")
        return _render(ward, month, criteria, kps, values, {}, published, 409)
    scores, errors = {}, {}
    for kp in kps:
        for criterion in criteria:
            name = cell_name(kp.id, criterion["code"])
            values[name] = request.form.get(name, "")
            points, error = parse_cell(values[name], float(criterion["points"]))
            if error:
                errors[name] = f"{kp.name}, {criterion['label']}: {error}"
            else:
                scores[(kp.id, criterion["code"])] = points
    if errors:
        flash(_("Chưa lưu: %(count)s ô không hợp lệ (đánh dấu đỏ). Không ô nào được lưu.",
                count=len(errors)), "error")
        return _render(ward, month, criteria, kps, values, errors, published, 400)
    changed = {key: points for key, points in scores.items() if stored.get(key) != points}
    with db.transaction() as tx:
        if records.snapshot(tx, ward.id, month) is not None:  # published meanwhile
            flash(_published_message(month), "error")
            return _render(ward, month, criteria, kps, values, {}, True, 409)
        rubrics.set_manual_scores(tx, ward.id, month, changed, current_user.id)
        records.audit(tx, ward.id, current_user.id, "enter_manual_scores", "manual_score",
                      None, month=month, cells=len(changed))
    flash(_("Đã lưu điểm thủ công tháng %(month)s (%(count)s ô thay đổi).",
            month=fmt.month(month, locale=current_language()), count=len(changed)), "info")
    return redirect(url_for("analysis.manual_scores", month=month))
