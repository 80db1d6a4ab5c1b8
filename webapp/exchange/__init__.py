"""Exports of every layer (GeoJSON, GeoPackage, Shapefile, XLSX, CSV) and file imports."""

from flask import Blueprint

from webapp.incidents import formatting

bp = Blueprint("exchange", __name__)
formatting.register(bp)

from webapp.exchange import views  # noqa: E402,F401  (routes register on import)
