"""Ward administration: user accounts and the audit log."""

from flask import Blueprint

from webapp.incidents import formatting

bp = Blueprint("admin", __name__)
formatting.register(bp)

from webapp.admin import views  # noqa: E402,F401  (routes register on import)
