"""The first run of an empty installation: create the first (super-)admin, then either set
up the ward from its boundary file or load the synthetic demo to look around."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from geo.text import tidy
from models import queries, records
from webapp import users as accounts
from webapp.auth import SignedInUser
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.setup import bp
from webapp.setup.forms import FirstAdminForm, WardForm


def needs_setup() -> bool:
    """No account exists yet: the installation is waiting for its first admin."""
    return not records.any_user(db.conn)


@bp.route("/setup", methods=["GET", "POST"])
def first_run():
    if not needs_setup():
        if current_user.is_authenticated and not queries.wards(db.conn):
            return redirect(url_for("setup.first_ward"))
        return redirect(url_for("map.index"))
    form = FirstAdminForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            with db.transaction() as tx:
                if records.any_user(tx):  # someone else was quicker: never a second first admin
                    abort(409)
                user_id, _password = accounts.create_user(
                    tx, None, form.username.data, "superadmin", form.password.data,
                    tidy(form.full_name.data) or None)
        except accounts.UserError as err:
            error, status = err.args[0], 400
        else:
            login_user(SignedInUser(records.user_by_id(db.conn, user_id)))
            flash(_("Đã tạo tài khoản quản trị hệ thống. Bước tiếp theo: tạo phường."), "info")
            return redirect(url_for("setup.first_ward"))
    elif request.method == "POST":
        status = 400
    return render_template("setup/first_run.html", form=form, error=error), status


@bp.get("/setup/ward")
@require("manage_wards")
def first_ward():
    if queries.wards(db.conn):
        return redirect(url_for("setup.wards"))
    return render_template("setup/first_ward.html", form=WardForm())


@bp.post("/setup/demo")
@require("manage_wards")
def load_demo():
    """Load the synthetic demo into its own ward; its accounts' passwords are shown once."""
    from webapp.demo import load_demo as load

    counts = load(db.engine)
    if counts is None:
        flash(_("Dữ liệu mô phỏng đã có."), "info")
        return redirect(url_for("setup.wards"))
    users = counts.pop("users")
    return render_template("setup/demo_loaded.html", counts=counts, users=users), 201
