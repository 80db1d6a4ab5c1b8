"""Vector tiles (Mapbox Vector Tile) of the map layers, for a ward or the province."""

from flask import Blueprint

bp = Blueprint("tiles", __name__)

from webapp.tiles import views  # noqa: E402,F401  (routes register on import)
