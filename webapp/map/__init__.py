"""The ward map page."""

from flask import Blueprint

bp = Blueprint("map", __name__)

from webapp.map import views  # noqa: E402,F401  (routes register on import)
