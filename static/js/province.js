/* urbanorder province view: every ward from vector tiles (webapp/tiles, Leaflet.VectorGrid).
 * Khu phố are coloured by their latest published total; incidents are counted per grid cell
 * by the server below zoom 14 and drawn one by one (with popups) from zoom 14. Text from
 * data reaches HTML only through escapeHtml (static/js/html.js). */
import { escapeHtml, readJson } from "./html.js";
import { _, formatNumber, ngettext } from "./i18n.js";

const POINTS_FROM_ZOOM = 14; // models/tiles.py AGGREGATE_BELOW_ZOOM

function startProvince(box) {
  const cfg = readJson("province-config");
  const status = document.getElementById("load-status");
  const state = { requested: 0, loaded: 0, failed: 0, pending: 0 };
  const pendingTiles = new Set();
  window.provinceState = state;

  // VectorGrid 1.3's points are CircleMarkers without a latlng (they live in tile pixels);
  // Leaflet 1.9 asks a small circle for its latlng on every click, and throws. Without
  // getLatLng, the click is placed where the pointer is.
  L.CircleMarker.addInitHook(function () {
    if (this.properties !== undefined && !this._latlng) this.getLatLng = null;
  });

  const map = L.map(box, { minZoom: 8, maxZoom: 18, zoomSnap: 1 });
  window.provinceMap = map;
  if (cfg.extent) {
    const [minx, miny, maxx, maxy] = cfg.extent;
    map.fitBounds([[miny, minx], [maxy, maxx]]);
  } else {
    map.setView([10.9, 106.9], 10);
  }
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 18, maxNativeZoom: 19 }).addTo(map);
  }

  function scoreColour(total) {
    if (total == null) return "#e0e0e0";
    const cls = cfg.scoreClasses.find((c) => total >= c.min);
    return cls ? cls.colour : "#e0e0e0";
  }

  function ranking(p) {
    return cfg.rankings[`${p.ward_id}:${p.code}`];
  }

  function showStatus() {
    if (state.pending > 0) {
      status.textContent = _("Đang tải ô bản đồ…");
      document.body.dataset.tilesLoaded = "false";
      return;
    }
    status.textContent = state.failed
      ? ngettext("Không tải được %(count)s ô bản đồ.", "Không tải được %(count)s ô bản đồ.",
        state.failed, { count: formatNumber(state.failed) })
      : ngettext("Đã tải %(count)s ô bản đồ.", "Đã tải %(count)s ô bản đồ.", state.loaded,
        { count: formatNumber(state.loaded) });
    status.classList.toggle("error", state.failed > 0);
    document.body.dataset.tilesLoaded = "true";
  }

  function grid(layer, style, options = {}) {
    const styles = {};
    styles[layer] = style;
    const tiles = L.vectorGrid.protobuf(cfg.tiles.replace("{layer}", layer), {
      vectorTileLayerStyles: styles,
      // SVG, not canvas: VectorGrid 1.3's canvas click handler needs an API Leaflet 1.8 removed.
      rendererFactory: L.svg.tile,
      interactive: true,
      maxNativeZoom: 18,
      getFeatureId: (f) => f.id,
      ...options,
    });
    // A tile removed before it arrives (a zoom or pan past it) fires no tileload: Leaflet
    // drops its answer. Counting keys, and forgetting them on tileunload, keeps "loaded"
    // from waiting for a tile that will never come.
    const key = (e) => `${layer}/${e.coords.z}/${e.coords.x}/${e.coords.y}`;
    const settle = (e) => { pendingTiles.delete(key(e)); state.pending = pendingTiles.size; };
    tiles.on("tileloadstart", (e) => {
      state.requested += 1; pendingTiles.add(key(e)); state.pending = pendingTiles.size; showStatus();
    });
    tiles.on("tileload", (e) => { state.loaded += 1; settle(e); showStatus(); });
    tiles.on("tileerror", (e) => { state.failed += 1; settle(e); showStatus(); });
    tiles.on("tileunload", (e) => { settle(e); showStatus(); });
    return tiles;
  }

  map.createPane("choropleth").style.zIndex = 350;
  map.createPane("outlines").style.zIndex = 380;
  map.createPane("points").style.zIndex = 420;

  const neighbourhoods = grid("neighbourhoods", (p) => {
    const r = ranking(p);
    return { fill: true, fillColor: scoreColour(r ? r.total : null), fillOpacity: 0.6,
      color: "#ffffff", weight: 0.8, opacity: 0.9 };
  }, { pane: "choropleth" });

  const wards = grid("wards", () => ({ fill: false, color: "#253494", weight: 2.5, opacity: 0.9 }),
    { pane: "outlines", interactive: false });

  // Counted cells (models/tiles.py: 16 × 16 per tile) are coloured by density, incidents
  // per km², so a cell means the same at every zoom; the cell's side shrinks by half per
  // zoom level, its count by about four.
  const EQUATOR_KM = 40075.016686;
  function perKm2(count, zoom) {
    const side = EQUATOR_KM * Math.cos(map.getCenter().lat * Math.PI / 180) / 2 ** zoom / 16;
    return count / (side * side);
  }
  function densityColour(density) {
    const cls = cfg.densityClasses.find((c) => density >= c.min);
    return cls ? cls.colour : cfg.densityClasses[cfg.densityClasses.length - 1].colour;
  }

  function incidentStyle(p, zoom) {
    if (p.count != null) {
      // Dots of half the cell's width: the khu phố's colour shows between them.
      return { radius: 4, fill: true, fillColor: densityColour(perKm2(p.count, zoom)),
        fillOpacity: 0.9, color: "#67000d", weight: 0.6, opacity: 0.7 };
    }
    const colour = (cfg.categories[p.category] || { colour: "#000000" }).colour;
    return { radius: 5, fill: true, fillColor: colour, fillOpacity: 0.9,
      color: p.is_repeat ? "#000000" : "#ffffff", weight: p.is_repeat ? 2.5 : 1 };
  }
  const incidents = grid("incidents", incidentStyle, { pane: "points" });

  const houses = grid("boarding-houses", (p) => {
    if (p.count != null) {
      return { radius: 4, fill: true, fillColor: "#08519c", fillOpacity: 0.6, color: "#ffffff",
        weight: 0.5 };
    }
    const colour = (cfg.houseStatuses[p.model_status] || cfg.houseStatuses.none).colour;
    return { radius: 5, fill: true, fillColor: colour, fillOpacity: 0.95, color: "#ffffff", weight: 1 };
  }, { pane: "points" });

  function table(rows) {
    return `<table class="popup-table">${rows.filter((r) => r[1] !== "" && r[1] != null)
      .map((r) => `<tr><th>${escapeHtml(r[0])}</th><td>${escapeHtml(r[1])}</td></tr>`).join("")}</table>`;
  }

  function label(vocabulary, code) {
    const entry = vocabulary[code];
    if (entry == null) return code;
    return typeof entry === "string" ? entry : entry.label;
  }

  function popup(event, html) {
    L.popup().setLatLng(event.latlng).setContent(html).openOn(map);
  }

  neighbourhoods.on("click", (e) => {
    const p = e.layer.properties;
    const r = ranking(p);
    popup(e, `<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + table(r ? [
      [_("Phường"), r.ward],
      [_("Kỳ công bố"), r.month],
      [_("Tổng điểm"), r.total == null ? _("Chưa đủ dữ liệu") : formatNumber(r.total)],
      [_("Xếp hạng"), r.rank == null ? "" : `${r.rank}/${r.of}`],
    ] : [[_("Xếp hạng"), _("Chưa công bố")]]));
  });
  incidents.on("click", (e) => {
    const p = e.layer.properties;
    if (p.count != null) {
      const density = Math.round(perKm2(p.count, map.getZoom()));
      const counted = ngettext(
        "%(count)s vụ vi phạm trong ô này (khoảng %(density)s vụ/km²). Phóng to để xem từng vụ.",
        "%(count)s vụ vi phạm trong ô này (khoảng %(density)s vụ/km²). Phóng to để xem từng vụ.",
        Number(p.count), { count: formatNumber(p.count), density: formatNumber(density) });
      popup(e, `<p>${escapeHtml(counted)}</p>`);
      return;
    }
    const repeat = p.is_repeat ? ' <span class="tag">' + escapeHtml(_("Tái vi phạm")) + "</span>" : "";
    popup(e, `<h3>${escapeHtml(label(cfg.categories, p.category))}${repeat}</h3>` +
      table([[_("Trạng thái"), label(cfg.incidentStatuses, p.status)]]));
  });
  houses.on("click", (e) => {
    const p = e.layer.properties;
    if (p.count != null) {
      const counted = ngettext("%(count)s cơ sở cho thuê trọ trong ô này.",
        "%(count)s cơ sở cho thuê trọ trong ô này.", Number(p.count),
        { count: formatNumber(p.count) });
      popup(e, `<p>${escapeHtml(counted)}</p>`);
      return;
    }
    popup(e, `<h3>${escapeHtml(p.name)}</h3>` + table([[_("Mô hình"), label(cfg.houseStatuses, p.model_status)]]));
  });

  neighbourhoods.addTo(map);
  wards.addTo(map);
  incidents.addTo(map);
  L.control.layers(null, { // the names are HTML: translations escaped
    [escapeHtml(_("Xếp hạng khu phố"))]: neighbourhoods,
    [escapeHtml(_("Ranh giới phường"))]: wards,
    [escapeHtml(_("Vụ vi phạm (mật độ)"))]: incidents,
    [escapeHtml(_("Cơ sở cho thuê trọ"))]: houses,
  }, { collapsed: window.innerWidth < 700, position: "topright" }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  document.querySelectorAll("#ward-summary tbody tr").forEach((row) => {
    row.addEventListener("click", () => {
      if (window.innerWidth < 700) document.body.classList.remove("sidebar-open");
      const [minx, miny, maxx, maxy] = JSON.parse(row.dataset.bounds);
      map.fitBounds([[miny, minx], [maxy, maxx]]);
    });
  });
  document.getElementById("sidebar-toggle").addEventListener("click", () => {
    document.body.classList.toggle("sidebar-open");
    setTimeout(() => map.invalidateSize(), 200);
  });
  map.on("zoomend", () => { box.dataset.zoom = String(map.getZoom()); box.dataset.points = String(map.getZoom() >= POINTS_FROM_ZOOM); });
  showStatus();
}

const provinceBox = document.getElementById("province-map");
if (provinceBox && window.L && L.vectorGrid) startProvince(provinceBox);
