"""Offline basemap: tiles from a ward's .mbtiles or .pmtiles file, behind sign-in.

With ``BASEMAP_FILE`` set (``URBANORDER_BASEMAP_FILE``) the pages' ``TILE_URL`` becomes
``/basemap/{z}/{x}/{y}.<ext>`` unless a tile URL was set explicitly, so phones can keep the
tiles of their ward in the service worker's cache. Vector tiles (``pbf``) are served for GIS
clients but not put under the pages' Leaflet maps, which draw raster tiles only: there the
ward's own vectors are the background.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app
from flask_babel import lazy_gettext as _l

from webapp.basemap.sources import BasemapError, Source, open_source
from webapp.config import OSM_ATTRIBUTION, OSM_TILES

bp = Blueprint("basemap", __name__)

EXTENSION_KEY = "urbanorder_basemap"
DEFAULT_ATTRIBUTION = _l("Bản đồ nền của phường")
MAX_ZOOM = 30
CACHE = "public, max-age=604800"  # a week: the file changes only when IT replaces it

__all__ = ["BasemapError", "bp", "init_app"]


def init_app(app: Flask) -> None:
    """Open the basemap file (if set), register the tile view and settle ``TILE_URL``."""
    name = app.config.get("BASEMAP_FILE") or ""
    source = open_source(name) if name else None
    app.extensions[EXTENSION_KEY] = source
    app.register_blueprint(bp)
    if app.config.get("TILE_URL") is None:  # not set explicitly
        if source is not None and source.ext == "pbf":
            app.config["TILE_URL"] = OSM_TILES
        elif source is not None:
            app.config["TILE_URL"] = f"/basemap/{{z}}/{{x}}/{{y}}.{source.ext}"
            if app.config.get("TILE_ATTRIBUTION") is None:
                app.config["TILE_ATTRIBUTION"] = source.attribution or DEFAULT_ATTRIBUTION
        else:
            app.config["TILE_URL"] = OSM_TILES
    if app.config.get("TILE_ATTRIBUTION") is None:
        app.config["TILE_ATTRIBUTION"] = OSM_ATTRIBUTION


@bp.get("/basemap/<int:z>/<int:x>/<int:y>.<ext>")
def tile(z: int, x: int, y: int, ext: str):
    source: Source | None = current_app.extensions.get(EXTENSION_KEY)
    if source is None:
        abort(404)
    if z > MAX_ZOOM or x >= 1 << z or y >= 1 << z:
        abort(400)
    found = source.get(z, x, y) if ext == source.ext else None
    if found is None:
        return current_app.response_class(status=404, mimetype="text/plain")
    data, encoding = found
    response = current_app.response_class(data, mimetype=source.content_type)
    response.headers["Cache-Control"] = CACHE
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return response
