"""The ward's own plan: the admin's editor (versions, YAML import and export, presets) and
the monthly values of the targets staff enter by hand."""

from flask import Blueprint

bp = Blueprint("plan", __name__)

from webapp.plan import values, views  # noqa: E402,F401  (routes register on import)
