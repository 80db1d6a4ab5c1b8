"""Sign-in, sessions and roles (Flask-Login, Argon2, rate-limited)."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import LoginManager, UserMixin

from models import records
from webapp.extensions import db

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class SignedInUser(UserMixin):
    """The signed-in user, as far as a request needs to know."""

    def __init__(self, row) -> None:
        self.id = row.id
        self.ward_id = row.ward_id
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


@login_manager.user_loader
def _load_user(session_id: str):
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    row = records.user_by_id(db.conn, user_id)
    if row is None or not row.active or row.session_version != version:
        return None
    return SignedInUser(row)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.session_protection = "strong"


from webapp.auth import views  # noqa: E402,F401  (routes register on import)
