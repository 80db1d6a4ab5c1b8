"""Sign-in, sessions and roles (Flask-Login, Argon2, rate-limited).

A session lasts one shift: it survives browser restarts (a permanent cookie) and ends
``PERMANENT_SESSION_LIFETIME`` after sign-in however busy it was (not sliding). It is not
bound to the client's address (phones change networks all day); a password change or a
disabled account still ends it through ``session_version``.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app, session
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, user_logged_in

from models import queries, sessions
from webapp.extensions import db

WARD_CHOICE = "working_ward_id"  # the session key of the ward a super-admin works in
SIGNED_IN_AT = "signed_in_at"  # the session key of the sign-in time (UTC epoch seconds)
TOKEN = "session_token"  # the session key of the server-side session (models.sessions)

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class SignedInUser(UserMixin):
    """The signed-in user, as far as a request needs to know."""

    def __init__(self, row, ward=None) -> None:
        self.id = row.id
        # A super-admin has no ward of their own: they work in the one they chose.
        self.home_ward_id = row.ward_id
        # The ward they work in (``queries.wards``' row) when it was read with them; a user
        # made at sign-in has only its id (``webapp.wards.current`` reads it then).
        self.ward = ward
        self.ward_id = ward.id if ward is not None else row.ward_id
        self.username = row.username
        self.full_name = row.full_name or row.username
        self.role = row.role
        self.active = row.active
        self.session_version = row.session_version
        self.language = row.language  # webapp.i18n.select_locale reads it

    def get_id(self) -> str:
        # The version ends every session of a user whose password changed or who was disabled.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_superadmin(self) -> bool:
        return self.role == "superadmin"


def working_ward(conn, chosen: int | None):
    """The ward a super-admin works in (``queries.wards``' row): the chosen one if it still
    exists, else the first real ward, else the first (demo) ward, else none."""
    wards = queries.wards(conn)
    for ward in wards:
        if ward.id == chosen:
            return ward
    real = [w for w in wards if not w.is_synthetic]
    return (real or wards or [None])[0]


def shift_started_at() -> int | None:
    """When this session signed in (UTC epoch seconds), if it says."""
    started = session.get(SIGNED_IN_AT)
    return int(started) if isinstance(started, int | float) else None


def shift_ends_at(started: int) -> int:
    return started + int(current_app.permanent_session_lifetime.total_seconds())


def _utc(epoch: float) -> datetime:
    """Naive UTC, as the database keeps it."""
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def start_shift(*, restart: bool = True) -> None:
    """Make the session outlast a browser restart and note when it signed in; ``restart``
    False keeps an earlier sign-in time (a re-login inside the same session)."""
    session.permanent = True
    if restart or shift_started_at() is None:
        session[SIGNED_IN_AT] = int(time.time())
        session.pop(TOKEN, None)  # a new sign-in is a new server-side session


def end_session() -> None:
    """Signing out: the server-side session ends, so no cookie brought back by a request
    still in flight can revive it."""
    token = session.pop(TOKEN, None)
    session.pop(SIGNED_IN_AT, None)
    if token:
        with db.transaction() as conn:
            sessions.end(conn, token, _utc(time.time()))


def _on_login(_app, user, **_extra) -> None:
    # Every login_user (first run, an admin's own password change) gets a shift too.
    start_shift(restart=False)
    if TOKEN not in session:
        token = secrets.token_urlsafe(32)
        started = shift_started_at()
        with db.transaction() as conn:
            sessions.start(conn, user.id, token, _utc(time.time()),
                           _utc(shift_ends_at(started)))
        session[TOKEN] = token


@login_manager.user_loader
def _load_user(session_id: str):
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    started, token = shift_started_at(), session.get(TOKEN)
    if started is None or time.time() >= shift_ends_at(started) or not token:
        return None  # the shift is over: sign in again
    # None: signed out (on this device), or the server no longer knows the session.
    found = sessions.active_user(db.conn, user_id, token, _utc(time.time()))
    if found is None:
        return None
    row, ward = found
    if not row.active or row.session_version != version:
        return None
    if row.ward_id is None and row.role == "superadmin":
        return SignedInUser(row, working_ward(db.conn, session.get(WARD_CHOICE)))
    # A province viewer works in no ward: they see the province view (webapp.province) only.
    return SignedInUser(row, ward)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _("Vui lòng đăng nhập để tiếp tục.")
    # No binding to the client's address: a phone moves between networks during a shift.
    login_manager.session_protection = None
    user_logged_in.connect(_on_login)


from webapp.auth import views  # noqa: E402,F401  (routes register on import)
