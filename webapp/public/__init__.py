"""A ward's public page (no sign-in): published rankings and the model streets' map."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from webapp.public import views  # noqa: E402,F401  (routes register on import)
