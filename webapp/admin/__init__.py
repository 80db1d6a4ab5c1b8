"""Ward administration: user accounts and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from webapp.admin import views  # noqa: E402,F401  (routes register on import)
