/* Shared by the analysis pages (ranking, hotspots, coverage): fetching GeoJSON from our API,
 * small formatters, the hatch pattern for "no data" areas, confirm dialogs on forms, and
 * starting a page's map once folium's inline script has made it. */
import { escapeHtml, readJson } from "../html.js";
import { _, formatNumber as localNumber } from "../i18n.js";

export { formatDate } from "../dates.js";

const SVG = "http://www.w3.org/2000/svg";

export function formatNumber(value, digits) {
  return value == null || Number.isNaN(value) ? "—" : localNumber(value, digits);
}

export function formatPercent(value, digits = 0) {
  return value == null ? "—" : `${formatNumber(100 * value, digits)}%`;
}

export async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" } });
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    throw new Error(body && body.error ? body.error.message : _("Lỗi %(status)s", { status: response.status }));
  }
  return body;
}

/* Every page of a layer of /api/v1 (follows the "next" links). */
export async function fetchAll(url) {
  const features = [];
  let next = url;
  while (next) {
    const body = await fetchJson(next);
    features.push(...body.features);
    const link = (body.links || []).find((l) => l.rel === "next");
    next = link ? link.href : null;
  }
  return features;
}

export function layerUrl(cfg, layer, params = {}) {
  const query = new URLSearchParams({ ward: cfg.ward, ...params });
  return `${cfg.api}${layer}?${query}`;
}

/* A diagonal hatch usable as fillColor "url(#uo-hatch)" by any SVG path on the page. */
export function ensureHatch(map) {
  if (document.getElementById("uo-hatch")) return "url(#uo-hatch)";
  const svg = map.getContainer().querySelector("svg.leaflet-zoom-animated") ||
    map.getContainer().querySelector("svg");
  if (!svg) return "#bdbdbd";
  const defs = document.createElementNS(SVG, "defs");
  const pattern = document.createElementNS(SVG, "pattern");
  pattern.setAttribute("id", "uo-hatch");
  pattern.setAttribute("patternUnits", "userSpaceOnUse");
  pattern.setAttribute("width", "8");
  pattern.setAttribute("height", "8");
  pattern.setAttribute("patternTransform", "rotate(45)");
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", "8");
  background.setAttribute("height", "8");
  background.setAttribute("fill", "#ffffff");
  const line = document.createElementNS(SVG, "line");
  line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
  line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
  line.setAttribute("stroke", "#737373");
  line.setAttribute("stroke-width", "3");
  pattern.append(background, line);
  defs.append(pattern);
  svg.prepend(defs);
  return "url(#uo-hatch)";
}

/** A popup's table: rows of [label, HTML of the value] (the value escaped by the caller). */
export function popupTable(rows) {
  return `<table class="popup-table">${rows.map(([label, html]) =>
    `<tr><th>${escapeHtml(label)}</th><td>${html}</td></tr>`).join("")}</table>`;
}

export function setStatus(text, isError) {
  const el = document.getElementById("load-status");
  if (!el) return;
  el.textContent = text;
  el.classList.toggle("error", Boolean(isError));
}

export function done(state) {
  window.analysisState = state;
  document.body.dataset.layersLoaded = "true";
}

function bindForms() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  document.querySelectorAll("form[data-autosubmit] input[type=month]").forEach((input) => {
    input.addEventListener("change", () => { if (input.value) input.form.submit(); });
  });
}

/** Start ``page`` (an object with ``init(map, cfg)``) on the folium map named by the page's
 * ``analysis-config`` JSON; folium's classic inline script has run before any module. */
export function startPage(page) {
  const cfg = readJson("analysis-config");
  page.init(window[cfg.map], cfg);
  return page;
}

// A module runs once, after the document is parsed, however many pages' modules import it.
bindForms();
