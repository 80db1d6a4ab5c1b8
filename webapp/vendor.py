"""Leaflet and its plugins, served from the installed XStatic packages (no CDN)."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from xstatic.pkg import leaflet, leaflet_markercluster

PACKAGES = {
    "leaflet": leaflet.BASE_DIR,
    "leaflet-markercluster": leaflet_markercluster.BASE_DIR,
}

bp = Blueprint("vendor", __name__)


@bp.get("/vendor/<package>/<path:filename>")
def asset(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    return send_from_directory(base, filename, max_age=7 * 24 * 3600)
