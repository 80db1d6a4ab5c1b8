/* Incidents and boarding houses below the ward map's detail zoom, drawn from vector tiles
 * (webapp/tiles, Leaflet.VectorGrid): counted per grid cell by the server below zoom 14,
 * point by point from 14. The sidebar's filters go in the tile URL, so the server counts
 * only what they let through; a whole ward's records never travel as GeoJSON. From the
 * detail zoom the map loads GeoJSON with full popups instead (map.js). */

import { cellPopup } from "./popups.js";

// VectorGrid 1.3's points are CircleMarkers without a latlng (they live in tile pixels);
// Leaflet 1.9 asks a small circle for its latlng on every click, and throws. Without
// getLatLng, the click is placed where the pointer is.
L.CircleMarker.addInitHook(function () {
  if (this.properties !== undefined && !this._latlng) this.getLatLng = null;
});

/** A counted cell: its area grows with the count (16 px cells, so the biggest overlap a
 * little). ``ring``: drawn as a ring, so two layers' cells on one spot both show. */
function cellStyle(count, colour, ring) {
  const radius = Math.min(13, 3.5 + 1.6 * Math.sqrt(count));
  return ring
    ? { radius, fill: true, fillColor: colour, fillOpacity: 0.12, color: colour, weight: 2, opacity: 0.85 }
    : { radius, fill: true, fillColor: colour, fillOpacity: 0.75, color: "#ffffff", weight: 1.2, opacity: 0.9 };
}

/**
 * A tile layer of one point layer.
 * @param {L.Map} map
 * @param {object} o  url (tile URL template), layer (the tile layer's name), pane,
 *   cellColour, cellRing (cells as rings), cellText(count) (the cell's sentence), pointStyle(properties),
 *   onPoint(latlng, properties)
 * @returns {{grid: L.VectorGrid, setQuery: function(URLSearchParams): void}}
 */
export function pointTiles(map, o) {
  let query = null;
  const grid = L.vectorGrid.protobuf(o.url, {
    vectorTileLayerStyles: {
      [o.layer]: (p) => (p.count != null ? cellStyle(p.count, o.cellColour, o.cellRing) : o.pointStyle(p)),
    },
    // SVG, not canvas: VectorGrid 1.3's canvas click handler needs an API Leaflet 1.8 removed.
    rendererFactory: L.svg.tile,
    interactive: true,
    maxNativeZoom: 18,
    pane: o.pane,
    // The feature's id is the record's: kept among its properties for the popup's lookup.
    getFeatureId: (f) => { f.properties.id = f.id; return f.id; },
  });
  grid.on("click", (e) => {
    const p = e.layer.properties;
    if (p.count != null) {
      L.popup().setLatLng(e.latlng).setContent(cellPopup(o.cellText(p.count))).openOn(map);
    } else {
      o.onPoint(e.latlng, p);
    }
  });
  return {
    grid,
    setQuery(params) {
      const next = params.toString();
      if (next === query) return;
      query = next;
      grid.setUrl(`${o.url}?${next}`, true);
      // Not grid.redraw(): Leaflet 1.9's redraw takes the map's zoom unrounded, and with
      // zoomSnap 0.25 asks for tiles like 13.25/x/y. Re-adding the layer rounds it.
      if (map.hasLayer(grid)) map.removeLayer(grid).addLayer(grid);
    },
  };
}
