"""GeoJSON API (RFC 7946) of the ward's layers."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from webapp.api import views  # noqa: E402,F401  (routes register on import)
