"""Field recording: mobile pages (offline-capable) and the idempotent field API."""

from flask import Blueprint

bp = Blueprint("field", __name__)

from webapp.field import api, batch, pages  # noqa: E402,F401  (routes register on import)
