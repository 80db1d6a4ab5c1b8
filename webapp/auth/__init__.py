"""Sign-in, sessions and roles (Flask-Login, Argon2, rate-limited)."""

from __future__ import annotations

from flask import Blueprint, Flask, session
from flask_login import LoginManager, UserMixin

from models import queries, records
from webapp.extensions import db

WARD_CHOICE = "working_ward_id"  # the session key of the ward a super-admin works in

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class SignedInUser(UserMixin):
    """The signed-in user, as far as a request needs to know."""

    def __init__(self, row, ward_id: int | None = None) -> None:
        self.id = row.id
        # A super-admin has no ward of their own: they work in the one they chose.
        self.home_ward_id = row.ward_id
        self.ward_id = row.ward_id if row.ward_id is not None else ward_id
        self.username = row.username
        self.full_name = row.full_name or row.username
        self.role = row.role
        self.active = row.active
        self.session_version = row.session_version

    def get_id(self) -> str:
        # The version ends every session of a user whose password changed or who was disabled.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_superadmin(self) -> bool:
        return self.role == "superadmin"


def working_ward(conn, chosen: int | None) -> int | None:
    """The ward a super-admin works in: the chosen one if it still exists, else the first
    real ward, else the first (demo) ward, else none."""
    wards = queries.wards(conn)
    ids = {w.id for w in wards}
    if chosen in ids:
        return chosen
    real = [w.id for w in wards if not w.is_synthetic]
    return (real or [w.id for w in wards] or [None])[0]


@login_manager.user_loader
def _load_user(session_id: str):
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    row = records.user_by_id(db.conn, user_id)
    if row is None or not row.active or row.session_version != version:
        return None
    if row.ward_id is None:
        return SignedInUser(row, working_ward(db.conn, session.get(WARD_CHOICE)))
    return SignedInUser(row)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.session_protection = "strong"


from webapp.auth import views  # noqa: E402,F401  (routes register on import)
