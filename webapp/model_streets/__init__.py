"""Model streets, clusters and the ward demonstration route kept at the desk: list, register
by drawing or picking street segments, edit, status steps, monthly re-checks, history."""

from flask import Blueprint

bp = Blueprint("model_streets", __name__)

from webapp.model_streets import views  # noqa: E402,F401  (routes register on import)
