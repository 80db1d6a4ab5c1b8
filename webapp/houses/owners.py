"""Thin views for owners' rights (Law 91/2025/QH15): find an owner by ID number or phone,
preview what is held, export it as JSON, erase it. Police and admin only.

The ID number or phone travels in POST bodies only, never in a URL (which logs and browser
histories keep).
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from geo import vocabulary as vocab
from models.owners import ERASED_MARKER
from webapp import wards
from webapp.admin import labels
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.houses import bp
from webapp.services import owners
from webapp.services.owners import KINDS, OwnerRequestError


def _page(status: int = 200, **context):
    context.setdefault("form", request.form)
    return render_template("houses/owner_rights.html", kinds=KINDS, marker=ERASED_MARKER,
                           categories=vocab.INCIDENT_CATEGORIES, labels=labels, vocab=vocab,
                           **context), status


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


@bp.route("/owner-rights", methods=["GET", "POST"])
@require("view_personal_data")
def owner_rights():
    ward = wards.current()
    if ward is None:
        abort(404)
    if request.method == "GET":
        return _page(form={})
    try:
        lookup = owners.parse_lookup(request.form.get("kind"), request.form.get("value"))
    except OwnerRequestError as err:
        return _page(400, error=err.args[0])
    action = request.form.get("action", "search")
    if action == "export":
        with db.transaction() as tx:
            exported = owners.export(tx, ward, current_user.id, lookup, secret=_secret())
        if exported is None:
            return _page(404, error=_("Không tìm thấy cơ sở nào của chủ cơ sở này."))
        body, name = exported
        return Response(body, mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store"})
    error = None
    if action == "erase":
        try:
            with db.transaction() as tx:
                erased = owners.erase(
                    tx, ward.id, current_user.id, lookup, reason=request.form.get("reason"),
                    legal_basis=request.form.get("legal_basis"),
                    confirmed=request.form.get("confirm") == "1", secret=_secret())
        except OwnerRequestError as err:
            error = err.args[0]
        else:
            flash(_("Đã xoá dữ liệu cá nhân của chủ cơ sở khỏi %(count)s cơ sở (hồ sơ cơ sở giữ "
                    "nguyên, họ tên ghi “%(marker)s”). Việc xoá đã được ghi nhật ký.",
                    count=erased, marker=ERASED_MARKER), "info")
            return redirect(url_for("houses.owner_rights"))
    with db.transaction() as tx:
        found = owners.preview(tx, ward.id, current_user.id, lookup, secret=_secret())
    if found is None:
        return _page(404, error=error or _("Không tìm thấy cơ sở nào có chủ với số này."))
    return _page(422 if error else 200, found=found, error=error)
