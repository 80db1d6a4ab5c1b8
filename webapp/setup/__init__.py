"""Setting an installation up: the first-run page, and the super-admin's wards (create from a
boundary file, change the outline, remove, choose the ward to work in)."""

from flask import Blueprint

bp = Blueprint("setup", __name__)

from webapp.setup import views, wards  # noqa: E402,F401  (routes register on import)
