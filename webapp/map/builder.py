"""The folium map shell: Leaflet from local packages, optional basemap, our layers via JS."""

from __future__ import annotations

import functools

from flask import url_for
from flask_babel import gettext as _

from geo.lazy import deferred

folium = deferred("folium")


@functools.cache
def _local_map():
    """A folium Map that loads Leaflet from this server instead of public CDNs (a class
    made on first use: defining it at import would load folium with the app)."""

    class LocalMap(folium.Map):
        def __init__(self, *args, **kwargs):
            self.default_js = [("leaflet", url_for("vendor.asset", package="leaflet",
                                                   filename="leaflet.js"))]
            self.default_css = [("leaflet_css", url_for("vendor.asset", package="leaflet",
                                                        filename="leaflet.css"))]
            super().__init__(*args, **kwargs)

    return LocalMap


def ward_map(extent: tuple[float, float, float, float], tile_url: str, attribution: str) -> dict:
    """Render the map shell; returns the header, body and script parts and the JS name."""
    minx, miny, maxx, maxy = extent
    fmap = _local_map()(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=13,
        tiles=None,
        control_scale=True,
        max_zoom=20,
        zoom_snap=0.25,
    )
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=attribution, name=_("Bản đồ nền"), max_zoom=20,
                         max_native_zoom=19, overlay=False, control=False).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    root = fmap.get_root()
    root.render()
    return {
        "header": root.header.render(),
        "body": root.html.render(),
        "script": root.script.render(),
        "name": fmap.get_name(),
    }
