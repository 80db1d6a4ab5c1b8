"""The month's values of the plan's manual targets (the figures the data cannot count)."""

from __future__ import annotations

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import formatting as fmt
from geo.io import number
from models import plans, records
from webapp.analysis import common
from webapp.auth.permissions import can, require
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.plan import bp
from webapp.services import plans as service

MAX_VALUE = 1e12
MAX_NOTE = 1000


def _parse(raw: str, label: str) -> tuple[float | None, str | None]:
    text = (raw or "").strip()
    if not text:
        return None, None
    value = number(text)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, _("%(label)s: “%(raw)s” không phải là số (ví dụ 260 hoặc 12,5).",
                       label=label, raw=raw)
    if not math.isfinite(value) or not 0 <= value <= MAX_VALUE:
        return None, _("%(label)s: phải là một số từ 0 đến %(max)s.", label=label,
                       max=fmt.number(MAX_VALUE, locale=current_language()))
    return value, None


@bp.route("/targets/values", methods=["GET", "POST"])
@require("view_analysis")
def values():
    ward = common.ward()
    plan = service.plan_for(db.conn, ward)
    source = request.form if request.method == "POST" else request.args
    try:
        month = fmt.parse_month(source.get("month") or common.this_month())
    except ValueError:
        month = common.this_month()
    targets = plan.manual_targets()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not can("enter_target_values"):
            return render_template("error.html", title=_("Không có quyền"),
                                   message=_("Tài khoản của bạn chỉ được xem số liệu.")), 403
        entered = {}
        for target in targets:
            value, problem = _parse(request.form.get(f"value-{target['code']}", ""),
                                    target["label"])
            note = (request.form.get(f"note-{target['code']}") or "").strip()[:MAX_NOTE] or None
            if problem:
                errors[target["code"]] = problem
            entered[target["code"]] = (value, note)
        if not errors:
            with db.transaction() as tx:
                plans.set_target_values(tx, ward.id, month, entered, current_user.id)
                records.audit(tx, ward.id, current_user.id, "enter_target_values",
                              "target_value", None, month=month,
                              targets=[c for c, (v, _) in entered.items() if v is not None])
            flash(_("Đã lưu số liệu chỉ tiêu tháng %(month)s.",
                    month=fmt.month(month, locale=current_language())), "info")
            return redirect(url_for("plan.values", month=month))
    current = plans.month_target_values(db.conn, ward.id, month)
    return render_template("plan/values.html", ward=ward, plan=plan, targets=targets,
                           month=month, current=current, errors=errors,
                           form=request.form if errors else None,
                           editable=can("enter_target_values"),
                           nav={"prev": common.shift_month(month, -1),
                                "next": common.shift_month(month, 1)}), 400 if errors else 200
