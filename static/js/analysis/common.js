/* Shared by the analysis pages (ranking, hotspots, coverage): fetching GeoJSON from our API,
 * small formatters, the hatch pattern for "no data" areas, confirm dialogs on forms. */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";

  function formatDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.slice(0, 10).split("-");
    return `${d}/${m}/${y}`;
  }

  function formatNumber(value, digits) {
    if (value == null || Number.isNaN(value)) return "—";
    return Number(value).toLocaleString("vi-VN", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function formatPercent(value, digits = 0) {
    return value == null ? "—" : `${formatNumber(100 * value, digits)}%`;
  }

  async function fetchJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      throw new Error(body && body.error ? body.error.message : `Lỗi ${response.status}`);
    }
    return body;
  }

  /* Every page of a layer of /api/v1 (follows the "next" links). */
  async function fetchAll(url) {
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

  function layerUrl(cfg, layer, params = {}) {
    const query = new URLSearchParams({ ward: cfg.ward, ...params });
    return `${cfg.api}${layer}?${query}`;
  }

  /* A diagonal hatch usable as fillColor "url(#uo-hatch)" by any SVG path on the page. */
  function ensureHatch(map) {
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

  function setStatus(text, isError) {
    const el = document.getElementById("load-status");
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  function done(state) {
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

  window.UrbanAnalysis = {
    formatDate, formatNumber, formatPercent, fetchJson, fetchAll, layerUrl,
    ensureHatch, setStatus, done,
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindForms);
  else bindForms();
})();
