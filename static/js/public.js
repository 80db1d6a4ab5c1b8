// The ward's public page: khu phố coloured by the published ranking, model streets by
// status. The data is in the page (#public-config); without tiles our own shapes still draw.
import { readJson } from "./html.js";
import { formatNumber } from "./i18n.js";

const cfg = readJson("public-config");
const map = L.map("public-map", { zoomSnap: 0.25 });
if (cfg.tileUrl) {
  L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
}

// Tooltips are built from text nodes: names are the ward's data, never markup.
function tooltip(lines) {
  const box = document.createElement("div");
  lines.forEach((text, i) => {
    const line = document.createElement(i === 0 ? "strong" : "div");
    line.textContent = text;
    box.appendChild(line);
  });
  return box;
}

const areas = L.geoJSON(cfg.neighbourhoods, {
  style: (f) => ({ fillColor: f.properties.colour, fillOpacity: 0.55, color: "#555555",
    weight: 1 }),
  onEachFeature: (f, layer) => {
    const p = f.properties;
    const score = p.total == null ? cfg.text.unranked
      : `${cfg.text.score}: ${formatNumber(p.total)}`;
    layer.bindTooltip(tooltip([p.name, score]), { sticky: true });
  },
}).addTo(map);

const streets = L.geoJSON(cfg.modelStreets, {
  style: (f) => {
    const status = cfg.statuses[f.properties.status];
    const route = f.properties.level === "ward";
    return { color: status ? status.colour : "#3182bd", weight: route ? 7 : 5,
      dashArray: route ? "10 6" : null, fillOpacity: 0.3 };
  },
  onEachFeature: (f, layer) => {
    const p = f.properties;
    const status = cfg.statuses[p.status];
    layer.bindTooltip(tooltip([p.name, cfg.levels[p.level] || p.level,
      status ? status.label : p.status]), { sticky: true });
  },
}).addTo(map);

const bounds = areas.getBounds().extend(streets.getBounds());
if (bounds.isValid()) {
  map.fitBounds(bounds, { padding: [12, 12] });
} else {
  map.setView([10.8, 106.7], 12);
}
document.body.dataset.mapReady = "true";
