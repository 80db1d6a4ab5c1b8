"""Desk pages for working through incidents: the list in work-through order, one record."""

from flask import Blueprint

bp = Blueprint("incidents", __name__)

from webapp.incidents import views  # noqa: E402,F401  (routes register on import)
