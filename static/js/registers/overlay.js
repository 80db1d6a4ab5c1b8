/* The ward's registers (cameras, trees, alleys…) as overlays of the ward map, each drawn
 * with its own symbol from its definition; entries come as GeoJSON by the view's bounding
 * box from /api/v1/registers/<code>/features, reloaded when the map moves. Off by default:
 * a register is a layer the user turns on. */

import { escapeHtml, readJson } from "../html.js";
import { _ } from "../i18n.js";

const SHAPES = {
  square: '<rect x="3" y="3" width="14" height="14"/>',
  triangle: '<polygon points="10,2 18,17 2,17"/>',
  diamond: '<polygon points="10,1 19,10 10,19 1,10"/>',
  star: '<polygon points="10,1 12.6,7.3 19.5,7.6 14.2,12 16,18.8 10,15 4,18.8 5.8,12 0.5,7.6 7.4,7.3"/>',
  circle: '<circle cx="10" cy="10" r="7"/>',
};

function icon(symbol) {
  const colour = /^#[0-9a-f]{6}$/i.test(symbol.colour) ? symbol.colour : "#1f78b4";
  const shape = SHAPES[symbol.shape] || SHAPES.circle;
  return L.divIcon({
    className: "register-symbol", iconSize: [20, 20], iconAnchor: [10, 10],
    html: `<svg viewBox="0 0 20 20" width="20" height="20" fill="${colour}" stroke="#fff" ` +
      `stroke-width="1.5" aria-hidden="true">${shape}</svg>`,
  });
}

function popup(register, feature) {
  const rows = Object.entries(feature.properties.shown || {}).map(([label, value]) =>
    `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join("");
  return `<strong>${escapeHtml(register.name)}</strong> — ` +
    escapeHtml(_("số %(number)s", { number: feature.id })) +
    `<table class="popup-table">${rows}</table>` +
    `<a href="${escapeHtml(register.page)}/${escapeHtml(feature.id)}">` +
    escapeHtml(_("Xem / sửa")) + "</a>";
}

function overlay(map, register) {
  const group = L.layerGroup();
  const symbol = register.symbol || {};
  let generation = 0;
  async function load() {
    if (!map.hasLayer(group)) return;
    const mine = ++generation;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6));
    const response = await fetch(`${register.features}?bbox=${bbox.join(",")}`,
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || mine !== generation) return;
    const body = await response.json();
    group.clearLayers();
    L.geoJSON(body, {
      pointToLayer: (_feature, latlng) => L.marker(latlng, { icon: icon(symbol) }),
      style: () => ({ color: symbol.colour, weight: 4, fillColor: symbol.colour, fillOpacity: 0.25 }),
      onEachFeature: (feature, layer) => layer.bindPopup(popup(register, feature)),
    }).addTo(group);
    document.body.dataset[`register_${register.code}`] = String(body.features.length);
  }
  group.on("add", load);
  map.on("moveend", load);
  return group;
}

export async function addRegisterOverlays(map, url) {
  const response = await fetch(url, { credentials: "same-origin",
                                      headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  const { registers } = await response.json();
  if (!registers.length) return null;
  const overlays = {};
  for (const register of registers) {
    const swatch = `<span class="register-key" style="color:${escapeHtml(register.symbol.colour)}">■</span> `;
    overlays[swatch + escapeHtml(register.name)] = overlay(map, register); // names are HTML
  }
  const control = L.control.layers(null, overlays, { collapsed: window.innerWidth < 700,
                                                     position: "topright" }).addTo(map);
  control.getContainer().classList.add("register-overlays");
  control.getContainer().setAttribute("aria-label", _("Sổ theo dõi"));
  document.body.dataset.registersReady = "true";
  return overlays;
}

const cfg = readJson("map-config");
addRegisterOverlays(window[cfg.map], "/api/v1/registers").catch((err) => console.warn(err));
