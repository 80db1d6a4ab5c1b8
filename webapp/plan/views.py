"""Thin views of the plan editor: edit as a new version, import / export YAML, presets."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from geo.i18n import N_
from geo.plan import Plan, PlanError, presets, starting_plan
from geo.plan_checks import HEADERS
from geo.targets import METRICS
from models import plans
from webapp.analysis import common
from webapp.auth.permissions import require
from webapp.clock import local_now
from webapp.extensions import db
from webapp.plan import bp
from webapp.plan.form import body_from_form, shown
from webapp.services import plans as service

MAX_UPLOAD = 500_000


def _page(ward, plan: Plan, body: dict | None = None, errors=(), status: int = 200):
    return render_template(
        "plan/edit.html", ward=ward, plan=plan, body=shown(body or plan.as_mapping()),
        errors=list(errors), versions=plans.plan_versions(db.conn, ward.id),
        metrics={code: label for code, (label, _) in METRICS.items()}, headers=HEADERS,
        presets=presets()), status


def _saved(ward, stored: Plan, done: str):
    """``done``: what was done, a whole sentence with ``%(version)s`` (a msgid)."""
    flash(_(done, version=stored.version) + " " + _(
        "Chỉ tiêu, báo cáo, bản đồ và bản in dùng phiên bản này từ bây giờ."), "info")
    return redirect(url_for("plan.edit"))


@bp.route("/admin/plan", methods=["GET", "POST"])
@require("edit_plan")
def edit():
    ward = common.ward()
    plan = service.plan_for(db.conn, ward)
    if request.method == "GET":
        return _page(ward, plan)
    if request.form.get("base_version") != plan.version:
        return _page(ward, plan, errors=[
            _("Kế hoạch vừa được lưu thành phiên bản %(version)s trong lúc bạn sửa: tải lại "
              "trang và sửa lại.", version=plan.version)], status=409)
    body = body_from_form(request.form, plan)
    try:
        edited = Plan.from_mapping(body)
    except PlanError as err:
        return _page(ward, plan, body, err.problems, status=400)
    with db.transaction() as tx:
        stored = service.save(tx, ward, edited, current_user.id)
    return _saved(ward, stored, N_("Đã lưu kế hoạch thành phiên bản %(version)s."))


@bp.post("/admin/plan/import")
@require("edit_plan")
def import_yaml():
    ward = common.ward()
    plan = service.plan_for(db.conn, ward)
    upload = request.files.get("file")
    if not upload or not upload.filename:
        return _page(ward, plan, errors=[_("Chọn tệp kế hoạch (.yaml) để nhập.")], status=400)
    raw = upload.read(MAX_UPLOAD + 1)
    try:
        if len(raw) > MAX_UPLOAD:
            raise PlanError([_("Tệp kế hoạch quá lớn (tối đa 500 KB).")])
        imported = service.from_upload(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return _page(ward, plan, errors=[_("Tệp không phải văn bản UTF-8 (YAML).")], status=400)
    except PlanError as err:
        return _page(ward, plan, errors=err.problems, status=400)
    with db.transaction() as tx:
        stored = service.save(tx, ward, imported, current_user.id, action="import_plan")
    return _saved(ward, stored, N_("Đã nhập kế hoạch thành phiên bản %(version)s."))


@bp.post("/admin/plan/preset")
@require("edit_plan")
def adopt_preset():
    ward = common.ward()
    code = request.form.get("preset", "")
    if code not in presets():
        abort(400)
    adopted = starting_plan(code, ward.name, local_now().date())
    with db.transaction() as tx:
        stored = service.save(tx, ward, adopted, current_user.id, action="adopt_plan_preset")
    flash(_("Đã áp dụng mẫu “%(preset)s” cho kế hoạch thành phiên bản %(version)s.",
            preset=presets()[code], version=stored.version) + " " + _(
        "Chỉ tiêu, báo cáo, bản đồ và bản in dùng phiên bản này từ bây giờ."), "info")
    return redirect(url_for("plan.edit"))


@bp.get("/admin/plan.yaml")
@bp.get("/admin/plan/<int:version_id>.yaml")
@require("view_analysis")
def download(version_id: int | None = None):
    ward = common.ward()
    if version_id is None:
        plan = service.plan_for(db.conn, ward)
    else:
        body = plans.plan_version(db.conn, ward.id, version_id)
        if body is None:
            abort(404)
        plan = Plan.from_mapping(body)
    return Response(plan.to_yaml(), mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="ke-hoach-{ward.code}-{plan.version}.yaml"'})
