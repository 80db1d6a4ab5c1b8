/* urbanorder ward map: loads the ward's layers from the GeoJSON API and keeps them in
 * step with the filters. Khu phố, streets and model streets come whole; incidents and
 * boarding houses come as vector tiles below the detail zoom (map/point-tiles.js) and as
 * GeoJSON by bounding box, with full popups, from it. */
import { housePopup, incidentPopup, modelPopup, neighbourhoodPopup, streetPopup } from "./map/popups.js";
import { pointTiles } from "./map/point-tiles.js";
import { pointMethods } from "./map/points.js";
import { escapeHtml, readJson, text } from "./html.js";
import { _, formatNumber, ngettext } from "./i18n.js";

const MAX_FEATURES = 50000; // per layer and view: beyond this the map asks to zoom in


function monthBounds(form) {
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  const result = {};
  if (from) result.from = `${from}-01`;
  if (to) {
    const [y, m] = to.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    result.to = `${to}-${String(last).padStart(2, "0")}`;
  }
  return result;
}

const UrbanMap = {
  init(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    this.form = document.getElementById("filters");
    this.status = document.getElementById("load-status");
    this.state = { loaded: {}, pending: 0, generation: 0 };
    window.urbanMapState = this.state;
    this.restoreFromUrl();
    this.buildLayers();
    this.bindUi();
    this.reloadAll();
  },

  restoreFromUrl() {
    const params = new URLSearchParams(window.location.search);
    for (const name of ["from", "to", "neighbourhood", "status"]) {
      if (params.has(name) && this.form.elements[name]) this.form.elements[name].value = params.get(name);
    }
    if (params.has("category")) {
      const wanted = new Set(params.get("category").split(","));
      this.form.querySelectorAll("input[name=category]").forEach((box) => { box.checked = wanted.has(box.value); });
    }
  },

  buildLayers() {
    const cfg = this.cfg;
    const map = this.map;
    // Clustering needs a maximum zoom, which a map without a basemap does not have.
    if (!map.options.maxZoom) map.setMaxZoom(20);
    map.createPane("areas").style.zIndex = 350;
    map.createPane("lines").style.zIndex = 420;
    this.layers = {
      neighbourhoods: L.geoJSON(null, {
        pane: "areas",
        style: () => ({ color: "#54278f", weight: 2, fillColor: "#bcbddc", fillOpacity: cfg.hasTiles ? 0.08 : 0.25 }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          layer.bindTooltip(text(p.name), { permanent: false, direction: "center", className: "kp-label" });
          layer.bindPopup(neighbourhoodPopup(p));
        },
      }),
      streets: L.geoJSON(null, {
        pane: "lines",
        style: (f) => {
          const cls = f.properties.street_class;
          const weight = { national: 6, provincial: 5, main: 4, local: 2.5, alley: 1.5 }[cls] || 2;
          return { color: cls === "alley" ? "#9e9e9e" : "#636363", weight, opacity: 0.9 };
        },
        onEachFeature: (f, layer) => layer.bindPopup(streetPopup(f.properties)),
      }),
      modelStreets: L.geoJSON(null, {
        pane: "lines",
        filter: (f) => f.properties.level !== "ward",
        style: (f) => this.modelStyle(f),
        onEachFeature: (f, layer) => layer.bindPopup(modelPopup(f.properties, cfg.criteria)),
      }),
      route: L.geoJSON(null, {
        pane: "lines",
        filter: (f) => f.properties.level === "ward",
        style: () => ({ color: cfg.routeColour, weight: 11, opacity: 1, dashArray: "18 6", lineCap: "butt" }),
        onEachFeature: (f, layer) => layer.bindPopup(modelPopup(f.properties, cfg.criteria)),
      }),
      // Each point layer is a group holding, by zoom, its tiles or its clustered GeoJSON.
      boardingHouses: L.layerGroup(),
      incidents: L.layerGroup(),
    };
    this.clusters = { boardingHouses: this.clusterGroup("houses"), incidents: this.clusterGroup("incidents") };
    map.createPane("houses").style.zIndex = 590;
    map.createPane("points").style.zIndex = 600;
    const tileUrl = (layer) => cfg.tiles.replace("{layer}", layer);
    this.tiles = {
      incidents: pointTiles(map, {
        url: tileUrl("incidents"), layer: "incidents", pane: "points", cellColour: "#cb181d",
        cellText: (n) => ngettext("%(count)s vụ vi phạm trong ô này.",
          "%(count)s vụ vi phạm trong ô này.", n, { count: formatNumber(n) }),
        pointStyle: (p) => this.incidentStyle(p),
        onPoint: (latlng, p) => this.popupFromApi("incidents", p.id, latlng, incidentPopup),
      }),
      boardingHouses: pointTiles(map, {
        url: tileUrl("boarding-houses"), layer: "boarding-houses", pane: "houses",
        cellColour: "#08519c", cellRing: true,
        cellText: (n) => ngettext("%(count)s cơ sở cho thuê trọ trong ô này.",
          "%(count)s cơ sở cho thuê trọ trong ô này.", n, { count: formatNumber(n) }),
        pointStyle: (p) => this.houseStyle(p),
        onPoint: (latlng, p) => this.popupFromApi("boarding-houses", p.id, latlng, housePopup),
      }),
    };
    const overlays = {
      // Layer-control names are HTML: translations are escaped like the ward's route name.
      [escapeHtml(_("Ranh giới khu phố"))]: this.layers.neighbourhoods,
      [escapeHtml(_("Đường phố"))]: this.layers.streets,
      [escapeHtml(_("Tuyến / cụm kiểu mẫu"))]: this.layers.modelStreets,
      [escapeHtml(cfg.routeName)]: this.layers.route,
      [escapeHtml(_("Cơ sở cho thuê trọ"))]: this.layers.boardingHouses,
      [escapeHtml(_("Vụ vi phạm"))]: this.layers.incidents,
    };
    Object.values(overlays).forEach((layer) => layer.addTo(map));
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 700, position: "topright" }).addTo(map);
  },

  modelStyle(f) {
    const status = this.cfg.modelStreetStatuses[f.properties.status] || { colour: "#3182bd" };
    if (f.geometry && f.geometry.type.includes("Polygon")) {
      return { color: status.colour, weight: 3, fillColor: status.colour, fillOpacity: 0.3 };
    }
    return { color: status.colour, weight: 6, opacity: 0.95 };
  },

  bindUi() {
    this.form.addEventListener("change", (event) => {
      this.writeUrl();
      if (["neighbourhood"].includes(event.target.name)) this.reloadAll();
      else this.reloadPoints();
    });
    this.map.on("moveend", () => this.reloadPoints());
    const toggle = document.getElementById("sidebar-toggle");
    toggle.addEventListener("click", () => {
      document.body.classList.toggle("sidebar-open");
      setTimeout(() => this.map.invalidateSize(), 200);
    });
  },

  filters() {
    const f = this.form.elements;
    const categories = [...this.form.querySelectorAll("input[name=category]:checked")].map((b) => b.value);
    return {
      neighbourhood: f.neighbourhood.value,
      status: f.status.value,
      categories,
      allCategories: categories.length === Object.keys(this.cfg.categories).length,
      ...monthBounds(this.form),
    };
  },

  writeUrl() {
    const f = this.filters();
    const params = new URLSearchParams();
    if (this.cfg.ward) params.set("ward", this.cfg.ward);
    params.set("from", this.form.elements.from.value);
    params.set("to", this.form.elements.to.value);
    if (f.neighbourhood) params.set("neighbourhood", f.neighbourhood);
    if (f.status) params.set("status", f.status);
    if (!f.allCategories) params.set("category", f.categories.join(","));
    history.replaceState(null, "", `?${params}`);
  },

  async fetchAll(layer, params, firstPageOnly = false) {
    params.set("ward", this.cfg.ward);
    let url = `${this.cfg.api}${layer}?${params}`;
    const features = [];
    let matched = 0;
    while (url && features.length < MAX_FEATURES) {
      const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
      features.push(...body.features);
      matched = body.numberMatched;
      const next = body.links.find((l) => l.rel === "next");
      url = next && !firstPageOnly ? next.href : null;
    }
    return { features, matched };
  },

  /** Load ``apiLayer`` into ``fill``; ``countOnly``: one page asked for its ``numberMatched``. */
  async load(name, apiLayer, params, fill, countOnly = false) {
    this.state.pending += 1;
    this.showStatus();
    try {
      const { features, matched } = await this.fetchAll(apiLayer, params, countOnly);
      fill(features);
      this.state.loaded[name] = { count: countOnly ? matched : features.length, matched };
    } catch (error) {
      this.state.loaded[name] = { error: error.message };
    } finally {
      this.state.pending -= 1;
      this.showStatus();
    }
  },

  reloadAll() {
    const f = this.filters();
    const kpParams = () => {
      const params = new URLSearchParams();
      if (f.neighbourhood) params.set("neighbourhood", f.neighbourhood);
      return params;
    };
    const replace = (layer) => (features) => {
      layer.clearLayers();
      layer.addData({ type: "FeatureCollection", features });
    };
    this.load("neighbourhoods", "neighbourhoods", kpParams(), replace(this.layers.neighbourhoods));
    this.load("streets", "streets", kpParams(), replace(this.layers.streets));
    this.load("modelStreets", "model-streets", kpParams(), (features) => {
      replace(this.layers.modelStreets)(features);
      replace(this.layers.route)(features);
    });
    this.reloadPoints();
  },

  viewportBbox(padding) {
    const b = this.map.getBounds().pad(padding);
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  },

  showStatus() {
    const s = this.state;
    if (s.pending > 0) {
      this.status.textContent = _("Đang tải dữ liệu…");
      document.body.dataset.layersLoaded = "false";
      return;
    }
    const errors = Object.entries(s.loaded).filter(([, v]) => v.error);
    if (errors.length) {
      this.status.textContent = _("Lỗi tải dữ liệu: %(errors)s",
        { errors: errors.map(([, v]) => v.error).join("; ") });
      this.status.classList.add("error");
    } else {
      this.status.classList.remove("error");
      const inc = s.loaded.incidents || { count: 0, matched: 0 };
      const houses = s.loaded.boardingHouses || { count: 0 };
      let text = _("Trong khung nhìn: %(incidents)s vụ vi phạm, %(houses)s cơ sở cho thuê trọ.",
        { incidents: formatNumber(inc.count), houses: formatNumber(houses.count) });
      if (!this.detail) {
        text += " " + _("Thu nhỏ: vòng tròn là số điểm trong ô lưới; phóng to để xem từng điểm.");
      } else if (inc.matched > inc.count) text += " " + _("Phóng to để xem hết.");
      this.status.textContent = text;
    }
    document.body.dataset.layersLoaded = "true";
  },
};

const cfg = readJson("map-config");
Object.assign(UrbanMap, pointMethods);
UrbanMap.init(window[cfg.map], cfg);
window.UrbanMap = UrbanMap; // for the browser tests and the console
