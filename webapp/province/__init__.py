"""The province view: every ward on one map (vector tiles), for province viewers."""

from flask import Blueprint

bp = Blueprint("province", __name__)

from webapp.province import views  # noqa: E402,F401  (routes register on import)
