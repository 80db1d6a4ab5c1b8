/* Small maps on desk pages (a ward's outline, a model street, a campaign area): our own
 * vector from data-geojson or fetched from data-boundary-url; no basemap needed. */
import { _ } from "../i18n.js";

const style = { color: "#08519c", weight: 4, fillColor: "#9ecae1", fillOpacity: 0.35 };

function show(box, feature) {
  const layer = L.geoJSON(feature, { style });
  layer.addTo(box._map);
  if (layer.getBounds().isValid()) box._map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 17 });
  box.dataset.loaded = "true";
}

// Without Leaflet (its file failed to load) the page keeps its text and no map.
if (window.L) document.querySelectorAll(".outline-map").forEach((box) => {
  const [minx, miny, maxx, maxy] = JSON.parse(box.dataset.extent);
  box._map = L.map(box, { attributionControl: false, scrollWheelZoom: false });
  box._map.fitBounds([[miny, minx], [maxy, maxx]]);
  if (box.dataset.geojson) {
    show(box, JSON.parse(box.dataset.geojson));
    return;
  }
  fetch(box.dataset.boundaryUrl, { headers: { Accept: "application/geo+json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText))))
    .then((feature) => show(box, feature))
    .catch(() => { box.dataset.loaded = "error"; box.textContent = _("Không tải được bản đồ."); });
});
