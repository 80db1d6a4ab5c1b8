"""The ranking rubric (bộ tiêu chí): points, labels and tier thresholds, saved as versions."""

from __future__ import annotations

import copy
import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo import ranking as scoring
from geo.text import nfc
from models import records, rubrics
from webapp.analysis import bp, common
from webapp.auth.permissions import require
from webapp.clock import local_now
from webapp.extensions import db
from webapp.i18n import say
from webapp.services import analysis as service

MAX_LABEL = 300


def _number(raw: str | None, what: str, low: float, high: float) -> tuple[float | None, str]:
    text = (raw or "").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, _("%(what)s: phải là một số.", what=what)
    if math.isnan(value) or not low <= value <= high:
        bounds = {"low": f"{low:g}", "high": f"{high:g}"}
        return None, _("%(what)s: phải từ %(low)s đến %(high)s.", what=what, **bounds)
    return (int(value) if value.is_integer() else round(value, 2)), ""


def _label(raw: str | None, what: str) -> tuple[str, str]:
    text = nfc((raw or "").strip())
    if not text:
        return "", _("%(what)s: không được để trống.", what=what)
    if len(text) > MAX_LABEL:
        return "", _("%(what)s: dài quá %(count)s ký tự.", what=what, count=MAX_LABEL)
    return text, ""


def new_version(existing: set[str]) -> str:
    """``phuong-YYYYMMDD-HHMM`` (a suffix when saved twice in the same minute)."""
    base = local_now().strftime("phuong-%Y%m%d-%H%M")
    version, n = base, 1
    while version in existing:
        n += 1
        version = f"{base}-{n}"
    return version


def edited_rubric(current: scoring.Rubric, form, existing: set[str]) -> tuple[dict, list[str]]:
    """The rubric as the form edits it (a new version) and the problems found."""
    body = copy.deepcopy(current.as_mapping())
    errors: list[str] = []
    if form.get("base_version", current.version) != current.version:
        return body, [_("Bộ tiêu chí vừa được lưu thành phiên bản %(version)s trong lúc bạn "
                        "sửa. Hãy tải lại trang và sửa lại.", version=current.version)]
    for i, criterion in enumerate(body["criteria"]):
        label, problem = _label(form.get(f"c-{i}-label"), _("Tiêu chí %(n)s", n=i + 1))
        points, bad = _number(form.get(f"c-{i}-points"),
                              _("Điểm tối đa của tiêu chí %(n)s", n=i + 1), 0, 100)
        errors += [e for e in (problem, bad) if e]
        criterion.update(label=label or criterion.get("label", ""),
                         points=criterion["points"] if points is None else points)
    for i, tier in enumerate(body["tiers"]):
        label, problem = _label(form.get(f"t-{i}-label"), _("Tên mức xếp loại %(n)s", n=i + 1))
        low, bad = _number(form.get(f"t-{i}-min"),
                           _("Điểm tối thiểu của mức “%(tier)s”", tier=tier["label"]), 0, 100)
        errors += [e for e in (problem, bad) if e]
        tier.update(label=label or tier.get("label", ""),
                    min=tier["min"] if low is None else low)
    mins = [t["min"] for t in body["tiers"]]
    if len(set(mins)) != len(mins):
        errors.append(_("Các mức xếp loại phải có điểm tối thiểu khác nhau."))
    if sum(float(c["points"]) for c in body["criteria"]) <= 0:
        errors.append(_("Tổng điểm tối đa của các tiêu chí phải lớn hơn 0."))
    name, problem = _label(form.get("name"), _("Tên bộ tiêu chí"))
    body["name"] = name or body.get("name", "")
    errors += [problem] if problem else []
    body["version"] = new_version(existing)
    if not errors:
        try:
            scoring.Rubric.from_mapping(body)
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(say(exc.args[0]) if exc.args else str(exc))
    return body, errors


@bp.route("/admin/rubric", methods=["GET", "POST"])
@require("edit_rubric")
def rubric():
    ward = common.ward()
    conn = db.conn
    current = service.rubric_for(conn, ward.id)
    versions = rubrics.rubric_versions(conn, ward.id)
    shown, errors, status = current.as_mapping(), [], 200
    if request.method == "POST":
        body, errors = edited_rubric(current, request.form, {v.version for v in versions})
        if not errors:
            with db.transaction() as tx:
                rubrics.save_rubric(tx, ward.id, body, current_user.id)
                records.audit(tx, ward.id, current_user.id, "edit_rubric", "rubric_version",
                              None, version=body["version"], previous=current.version)
            flash(_("Đã lưu bộ tiêu chí phiên bản %(version)s. Xếp hạng đã công bố không thay "
                    "đổi; các tháng chưa công bố tính theo phiên bản mới.",
                    version=body["version"]), "info")
            return redirect(url_for("analysis.rubric"))
        shown, status = body, 400
        flash(_("Chưa lưu bộ tiêu chí: %(problems)s", problems=" ".join(errors)), "error")
    total = sum(float(c["points"]) for c in shown["criteria"])
    return render_template("analysis/rubric.html", ward=ward, rubric=shown,
                           current=current, versions=versions, errors=errors,
                           total_points=total), status
