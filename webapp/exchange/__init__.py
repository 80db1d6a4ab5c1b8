"""Exports of every layer (GeoJSON, GeoPackage, Shapefile, XLSX, CSV) and file imports."""

from flask import Blueprint

bp = Blueprint("exchange", __name__)

from webapp.exchange import views  # noqa: E402,F401  (routes register on import)
