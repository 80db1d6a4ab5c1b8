/* The ward map's incidents and boarding houses: vector tiles below the detail zoom
 * (point-tiles.js), GeoJSON by bounding box with full popups and clusters from it. Mixed
 * into UrbanMap (map.js): ``this`` is the map object, with its cfg, layers, state and load. */
import { escapeHtml } from "../html.js";
import { _, formatNumber } from "../i18n.js";
import { housePopup, incidentPopup } from "./popups.js";

/** The incident filters as API/tile parameters (``null``: no category ticked, nothing to draw). */
function incidentQuery(f) {
  const params = new URLSearchParams();
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (f.neighbourhood) params.set("neighbourhood", f.neighbourhood);
  if (f.status) params.set("status", f.status);
  if (!f.allCategories) {
    if (f.categories.length === 0) return null;
    params.set("category", f.categories.join(","));
  }
  return params;
}

export const pointMethods = {
  clusterGroup(kind) {
    // Houses and incidents cluster separately, in shapes and colours of their own,
    // so a cluster says what it counts.
    return L.markerClusterGroup({
      disableClusteringAtZoom: 17,
      chunkedLoading: true,
      // Coarser groups over the whole ward, finer ones on a street.
      maxClusterRadius: (zoom) => (zoom <= 13 ? 90 : zoom <= 14 ? 70 : zoom <= 15 ? 50 : 35),
      showCoverageOnHover: false,
      iconCreateFunction: (cluster) => {
        const n = cluster.getChildCount();
        const size = n < 10 ? 28 : n < 100 ? 34 : 42;
        return L.divIcon({
          html: `<span>${n}</span>`,
          className: `cluster cluster-${kind}`,
          iconSize: L.point(size, size),
        });
      },
    });
  },

  /** Tiles below the detail zoom, GeoJSON with popups from it: swap what each group holds. */
  setPointMode() {
    const detail = this.map.getZoom() >= this.cfg.detailZoom;
    if (detail === this.detail) return;
    this.detail = detail;
    document.body.dataset.pointMode = detail ? "detail" : "tiles";
    for (const name of ["incidents", "boardingHouses"]) {
      const group = this.layers[name];
      group.clearLayers();
      group.addLayer(detail ? this.clusters[name] : this.tiles[name].grid);
    }
  },

  incidentStyle(p) {
    const colour = (this.cfg.categories[p.category] || { colour: "#000" }).colour;
    return { radius: 6, fill: true, fillColor: colour, fillOpacity: 0.9,
      color: p.is_repeat ? "#000000" : "#ffffff", weight: p.is_repeat ? 3 : 1.2 };
  },

  houseStyle(p) {
    const colours = this.cfg.modelHouseStatuses;
    return { radius: p.model_status === "recognised" ? 8 : 6, fill: true,
      fillColor: (colours[p.model_status] || colours.none).colour, fillOpacity: 0.95,
      color: "#ffffff", weight: 1.5 };
  },

  /** A point drawn from a tile carries few columns: its popup asks the API for the rest. */
  async popupFromApi(layer, id, latlng, render) {
    const popup = L.popup().setLatLng(latlng).setContent("<p>" + escapeHtml(_("Đang tải…")) + "</p>").openOn(this.map);
    try {
      const params = new URLSearchParams({ ward: this.cfg.ward });
      const response = await fetch(`${this.cfg.api}${layer}/${Number(id)}?${params}`,
        { headers: { Accept: "application/geo+json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
      popup.setContent(render(body.properties));
    } catch (error) {
      const why = _("Không tải được thông tin: %(reason)s", { reason: error.message });
      popup.setContent(`<p class="error">${escapeHtml(why)}</p>`);
    }
  },

  reloadPoints() {
    this.setPointMode();
    const f = this.filters();
    const generation = ++this.state.generation;
    const houseParams = new URLSearchParams();
    if (f.neighbourhood) houseParams.set("neighbourhood", f.neighbourhood);
    const incidentParams = incidentQuery(f);
    if (this.detail) this.loadDetail(generation, houseParams, incidentParams);
    else this.loadTiles(generation, houseParams, incidentParams);
  },

  showCategoryCounts(counts) {
    document.querySelectorAll("[data-category-count]").forEach((el) => {
      const n = counts[el.dataset.categoryCount] || 0;
      el.textContent = n ? `(${formatNumber(n)})` : "";
    });
  },

  /** Below the detail zoom: the tiles follow the filters; the sidebar's counts for the view
   * come from the API's ``numberMatched`` (one row asked for), per ticked category. */
  loadTiles(generation, houseParams, incidentParams) {
    const ward = { ward: this.cfg.ward };
    const tileQuery = (params) => new URLSearchParams({ ...ward, ...Object.fromEntries(params) });
    this.tiles.boardingHouses.setQuery(tileQuery(houseParams));
    const bbox = this.viewportBbox(0);
    const counted = (params) => {
      const query = new URLSearchParams(params);
      query.set("bbox", bbox);
      query.set("limit", "1");
      return query;
    };
    this.load("boardingHouses", "boarding-houses", counted(houseParams), () => {}, true);
    if (incidentParams === null) {
      this.layers.incidents.clearLayers();
      this.detail = undefined; // the group is empty: refill it on the next change
      this.state.loaded.incidents = { count: 0, matched: 0 };
      this.showCategoryCounts({});
      this.showStatus();
      return;
    }
    if (!this.layers.incidents.hasLayer(this.tiles.incidents.grid)) {
      this.layers.incidents.addLayer(this.tiles.incidents.grid);
    }
    this.tiles.incidents.setQuery(tileQuery(incidentParams));
    this.load("incidents", "incidents", counted(incidentParams), () => {}, true);
    const counts = {};
    const ticked = this.filters().categories;
    Promise.all(ticked.map(async (category) => {
      const query = counted(incidentParams);
      query.set("category", category);
      query.set("ward", this.cfg.ward);
      const response = await fetch(`${this.cfg.api}incidents?${query}`,
        { headers: { Accept: "application/geo+json" } });
      if (response.ok) counts[category] = (await response.json()).numberMatched;
    })).then(() => { if (generation === this.state.generation) this.showCategoryCounts(counts); });
  },

  loadDetail(generation, houseParams, incidentParams) {
    const bbox = this.viewportBbox(0.2);
    houseParams.set("bbox", bbox);
    this.load("boardingHouses", "boarding-houses", houseParams, (features) => {
      if (generation !== this.state.generation) return;
      this.clusters.boardingHouses.clearLayers();
      this.clusters.boardingHouses.addLayers(features.map((ft) => {
        const [lon, lat] = ft.geometry.coordinates;
        const marker = L.circleMarker([lat, lon], this.houseStyle(ft.properties));
        marker.bindPopup(() => housePopup(ft.properties));
        return marker;
      }));
    });
    if (incidentParams === null) {
      this.clusters.incidents.clearLayers();
      this.state.loaded.incidents = { count: 0, matched: 0 };
      this.showCategoryCounts({});
      this.showStatus();
      return;
    }
    incidentParams.set("bbox", bbox);
    this.load("incidents", "incidents", incidentParams, (features) => {
      if (generation !== this.state.generation) return;
      const counts = {};
      this.clusters.incidents.clearLayers();
      this.clusters.incidents.addLayers(features.map((ft) => {
        const p = ft.properties;
        counts[p.category] = (counts[p.category] || 0) + 1;
        const [lon, lat] = ft.geometry.coordinates;
        const marker = L.circleMarker([lat, lon], this.incidentStyle(p));
        marker.bindPopup(() => incidentPopup(p));
        return marker;
      }));
      this.showCategoryCounts(counts);
    });
  },

};
