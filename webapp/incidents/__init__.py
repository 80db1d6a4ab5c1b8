"""Desk pages for working through incidents: the list in work-through order, one record."""

from flask import Blueprint

from webapp.incidents import formatting

bp = Blueprint("incidents", __name__)
formatting.register(bp)

from webapp.incidents import views  # noqa: E402,F401  (routes register on import)
