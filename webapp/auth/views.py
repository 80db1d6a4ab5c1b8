"""Sign in and out."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from geo.i18n import N_
from models import records
from webapp import i18n, users  # the module: webapp.users imports webapp.auth, which imports this
from webapp.auth import SignedInUser, bp, end_session, start_shift
from webapp.auth.forms import AccountForm, LoginForm
from webapp.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from webapp.extensions import db, limiter


def _username_key() -> str:
    return "user:" + users.normalise_username(request.form.get("username", ""))


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the map. Browsers read a backslash as a
    slash, so "/\\evil.example" would leave the site like "//evil.example"."""
    if target and target.startswith("/") and "\\" not in target \
            and not urlsplit(target).netloc and not target.startswith("//"):
        return target
    return url_for("map.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"],
               error_message=N_("Quá nhiều lần đăng nhập. Vui lòng thử lại sau ít phút."))
@limiter.limit("5 per minute; 30 per hour", methods=["POST"], key_func=_username_key,
               error_message=N_("Tài khoản này bị tạm khóa đăng nhập vài phút do nhập sai "
                                "nhiều lần."))
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    if not records.any_user(db.conn):  # an empty installation: create its first admin
        return redirect(url_for("setup.first_run"))
    form = LoginForm()
    if form.validate_on_submit():
        username = users.normalise_username(form.username.data)
        signed_in = None
        row = records.user_by_username(db.conn, username)
        # An unknown account costs one Argon2 check too, so timing tells nothing. Checked
        # before the write transaction: on SQLite that holds the file's write lock, and
        # fifty officers signing in at a shift's start would queue behind each Argon2.
        known = verify_password(row.password_hash if row else dummy_hash(),
                                form.password.data)
        with db.transaction() as conn:
            if row and row.active and known:
                changes = {"last_login_at": datetime.now(UTC).replace(tzinfo=None)}
                if needs_rehash(row.password_hash):
                    changes["password_hash"] = hash_password(form.password.data)
                records.update_user(conn, row.id, **changes)
                records.audit(conn, row.ward_id, row.id, "login", "user", row.id,
                              ip=request.remote_addr)
                signed_in = row
            elif row:
                records.audit(conn, row.ward_id, None, "login_failed", "user", row.id,
                              ip=request.remote_addr)
        if signed_in is not None:
            start_shift()  # a permanent session, ending one shift after this time
            login_user(SignedInUser(signed_in))  # its server-side session: auth._on_login
            return redirect(safe_next(request.args.get("next")))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session()
    logout_user()
    flash(_("Đã đăng xuất."), "info")
    # "Đổi người dùng" on a field page: the next person signs in straight back to the field.
    target = request.args.get("next")
    return redirect(url_for("auth.login", next=safe_next(target)) if target
                    else url_for("auth.login"))


@bp.post("/language")
def language():
    """The language switch of the navigation and the sign-in page: the cookie always (so the
    sign-in page, and the next person on a shared phone, keep it), and once signed in the
    user's own choice, which follows them to every device."""
    lang = i18n.chosen(request.form.get("lang"))
    if lang is None:
        abort(400)
    if current_user.is_authenticated:
        with db.transaction() as conn:
            records.update_user(conn, current_user.id, language=lang)
    response = redirect(safe_next(request.form.get("next")))
    response.set_cookie(i18n.COOKIE, lang, max_age=i18n.COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=True)
    return response


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's own page: who they are, and the language of their interface."""
    row = records.user_by_id(db.conn, current_user.id)
    form = AccountForm()
    if request.method == "GET":
        form.language.data = row.language or ""
    if form.validate_on_submit():
        lang = i18n.chosen(form.language.data)
        with db.transaction() as conn:
            records.update_user(conn, row.id, language=lang)
        response = redirect(url_for("auth.account"))
        if lang:  # the sign-in page, after this shift, speaks it too
            response.set_cookie(i18n.COOKIE, lang, max_age=i18n.COOKIE_AGE, samesite="Lax",
                                secure=request.is_secure, httponly=True)
        # Said in the language just chosen: the redirect renders in it.
        flash(_("Đã lưu ngôn ngữ giao diện."), "info")
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form, user=row), status
