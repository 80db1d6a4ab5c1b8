/* The coverage map: khu phố by share of boarding houses within 300 m of a model house;
 * gaps (no model house) outlined; model houses with their 300 m circles. */
import { escapeHtml, text } from "../html.js";
import * as A from "./common.js";
import { _ } from "../i18n.js";

const UrbanCoverage = {
  init(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    map.createPane("circles").style.zIndex = 450;
    this.load();
  },

  colour(share) {
    for (const [low, colour] of this.cfg.classes) {
      if (share >= low) return colour;
    }
    return this.cfg.classes[this.cfg.classes.length - 1][1];
  },

  style(p, hatch) {
    const fill = p.share_near_model == null ? (hatch || "#bdbdbd") : this.colour(p.share_near_model);
    if (p.gap) return { color: "#b2182b", weight: 3, dashArray: "7 4", fillColor: fill, fillOpacity: 0.9 };
    return { color: "#ffffff", weight: 1.5, fillColor: fill, fillOpacity: 0.9 };
  },

  popup(p) {
    const gap = p.gap ? " — " + escapeHtml(_("chưa có")) : "";
    return `<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + A.popupTable([
      [_("Cơ sở cho thuê trọ"), escapeHtml(p.houses)],
      [_("Nhà trọ mô hình"), escapeHtml(p.model_houses) + gap],
      [_("Tỷ lệ mô hình"), A.formatPercent(p.share_model, 1)],
      [_("Trong 300 m quanh nhà mô hình"), A.formatPercent(p.share_near_model)],
    ]);
  },

  housePopup(p) {
    const what = p.model_recognised_on
      ? _("Nhà trọ mô hình, công nhận %(date)s", { date: A.formatDate(p.model_recognised_on) })
      : _("Nhà trọ mô hình");
    return `<h3>${escapeHtml(p.name)}</h3><p>${escapeHtml(what)}<br>` +
      `${escapeHtml(p.neighbourhood_name || "")}</p>`;
  },

  async load() {
    const cfg = this.cfg;
    try {
      const [coverage, houses] = await Promise.all([
        A.fetchJson(cfg.coverageApi),
        A.fetchAll(A.layerUrl(cfg, "boarding-houses", { status: "recognised" })),
      ]);
      const areas = L.geoJSON(coverage, {
        style: (f) => this.style(f.properties),
        onEachFeature: (f, layer) => {
          layer.bindTooltip(text(`${f.properties.name}: ${A.formatPercent(f.properties.share_near_model)}`), { sticky: true });
          layer.bindPopup(() => this.popup(f.properties));
        },
      }).addTo(this.map);
      const hatch = A.ensureHatch(this.map);
      areas.setStyle((f) => this.style(f.properties, hatch));
      areas.eachLayer((layer) => { if (layer.feature.properties.gap) layer.bringToFront(); });
      const group = L.layerGroup().addTo(this.map);
      houses.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        L.circle([lat, lon], { radius: coverage.within_m, pane: "circles", interactive: false,
          color: "#111111", weight: 1, dashArray: "3 3", fill: false }).addTo(group);
        L.circleMarker([lat, lon], { radius: 6, pane: "circles", color: "#ffffff", weight: 2,
          fillColor: "#e6550d", fillOpacity: 1 })
          .bindPopup(this.housePopup(f.properties))
          .addTo(group);
      });
      if (coverage.features.length) this.map.fitBounds(areas.getBounds(), { padding: [8, 8] });
      const gaps = coverage.features.filter((f) => f.properties.gap).length;
      A.setStatus(_("%(areas)s khu phố, %(houses)s nhà trọ mô hình, %(gaps)s khu phố trống.",
        { areas: coverage.features.length, houses: houses.length, gaps }));
      A.done({ polygons: coverage.features.length, modelHouses: houses.length, gaps });
    } catch (error) {
      A.setStatus(_("Lỗi tải bản đồ: %(reason)s", { reason: error.message }), true);
      A.done({ error: error.message });
    }
  },
};

A.startPage(UrbanCoverage);
