"""Thin admin views: the ward's accounts (list, create, edit) and its audit log.

Everything is scoped to the admin's own ward: another ward's user is a 404 here.
Account changes go through ``webapp.users`` and end the changed user's sessions where it
matters (password, disabling, role).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from geo.text import tidy
from models import listings, records
from webapp import i18n
from webapp import users as accounts
from webapp.admin import bp, labels
from webapp.auth import SignedInUser
from webapp.auth.forms import UserEditForm, UserForm
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.templating import parse_page

PER_PAGE = 50
SELF_LOCKOUT = (_l("Bạn không thể tự khóa hoặc tự hạ quyền tài khoản quản trị của chính mình. "
                "Nhờ một quản trị viên khác làm việc này nếu thật cần."))


@bp.route("/users", methods=["GET", "POST"])
@require("manage_users")
def users():
    form = UserForm()
    if request.method == "GET":
        form.role.data = "urban_staff"  # never offer the most powerful role by default
    elif form.username.data:  # "Tran.Van.A" is accepted as the login name "tran.van.a"
        form.username.data = accounts.normalise_username(form.username.data)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            with db.transaction() as conn:
                _, password = accounts.create_user(
                    conn, current_user.ward_id, form.username.data, form.role.data,
                    form.password.data or None, tidy(form.full_name.data) or None,
                    by_user_id=current_user.id)
        except accounts.UserError as err:
            error, status = err.args[0], 400
        else:
            username = form.username.data
            if form.password.data:
                flash(_("Đã tạo tài khoản “%(username)s” với mật khẩu bạn đã nhập.",
                        username=username), "info")
                return redirect(url_for("admin.users"))
            # A generated password is shown in this one response only: never stored in the
            # (signed, not encrypted) session cookie as a flash message would be.
            return render_template(
                "admin/users.html", form=UserForm(formdata=None), error=None,
                generated=(username, password),
                users=records.users_of_ward(db.conn, current_user.ward_id)), 201
    elif request.method == "POST":
        status = 400
    return render_template("admin/users.html", form=form, error=error,
                           users=records.users_of_ward(db.conn, current_user.ward_id)), status


def _apply(row, form: UserEditForm) -> list[str]:
    """Make the changes asked for in one transaction; what changed (Vietnamese words)."""
    changed = []
    with db.transaction() as conn:
        full_name = tidy(form.full_name.data) or None
        if full_name != row.full_name:
            records.update_user(conn, row.id, full_name=full_name)
            records.audit(conn, row.ward_id, current_user.id, "user_updated", "user", row.id,
                          fields=["full_name"])
            changed.append(_("họ tên"))
        email = (form.email.data or "").strip() or None
        if email != row.email:
            records.update_user(conn, row.id, email=email)
            records.audit(conn, row.ward_id, current_user.id, "user_updated", "user", row.id,
                          fields=["email"])
            changed.append(_("e-mail"))
        if form.role.data != row.role:
            records.update_user(conn, row.id, role=form.role.data, end_sessions=True)
            records.audit(conn, row.ward_id, current_user.id, "user_role_changed", "user",
                          row.id, **{"from": row.role, "to": form.role.data})
            changed.append(_("vai trò"))
        language = i18n.chosen(form.language.data)
        if language != row.language:
            records.update_user(conn, row.id, language=language)
            records.audit(conn, row.ward_id, current_user.id, "user_updated", "user", row.id,
                          fields=["language"])
            changed.append(_("ngôn ngữ"))
        if bool(form.active.data) != bool(row.active):
            accounts.set_active(conn, row.username, bool(form.active.data), current_user.id)
            changed.append(_("mở khóa") if form.active.data else _("khóa tài khoản"))
        if form.password.data:
            accounts.set_password(conn, row.username, form.password.data, current_user.id)
            changed.append(_("mật khẩu"))
    return changed


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("manage_users")
def edit_user(user_id: int):
    row = records.user_by_id(db.conn, user_id)
    if row is None or row.ward_id != current_user.ward_id:
        abort(404)
    form = UserEditForm()
    if request.method == "GET":
        form.full_name.data, form.role.data, form.active.data = \
            row.full_name, row.role, bool(row.active)
        form.email.data = row.email or ""
        form.language.data = row.language or ""
    error, status = None, 200
    if form.validate_on_submit():
        is_self = row.id == current_user.id
        if is_self and (not form.active.data or form.role.data != row.role):
            error, status = SELF_LOCKOUT, 400
        else:
            try:
                changed = _apply(row, form)
            except accounts.UserError as err:
                error, status = err.args[0], 400
            else:
                if is_self and form.password.data:
                    # The new password ended every session, this one too: start a new one.
                    login_user(SignedInUser(records.user_by_id(db.conn, row.id)))
                flash(_("Đã cập nhật tài khoản “%(username)s”: %(changed)s.",
                        username=row.username, changed=", ".join(changed))
                      if changed else _("Tài khoản “%(username)s” không có gì thay đổi.",
                                        username=row.username), "info")
                return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_edit.html", form=form, user=row, error=error), status


@bp.get("/audit")
@require("read_audit")
def audit():
    conn = db.conn
    ward_id = current_user.ward_id
    actions = listings.audit_actions(conn, ward_id)
    action = request.args.get("action") or None
    if action not in actions:
        action = None
    number = parse_page(request.args.get("page"))
    entries, total = records.audit_entries(conn, ward_id, limit=PER_PAGE,
                                           offset=(number - 1) * PER_PAGE, action=action)
    page = listings.Page(entries, total, number, PER_PAGE)
    return render_template("admin/audit.html", page=page, action=action, actions=actions,
                           labels=labels)
