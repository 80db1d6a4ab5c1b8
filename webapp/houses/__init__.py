"""Desk pages for boarding houses: list, record, overdue follow-ups, CSV exports."""

from flask import Blueprint

bp = Blueprint("houses", __name__)

from webapp.houses import owners, views  # noqa: E402,F401  (routes register on import)
