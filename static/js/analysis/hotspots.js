/* The hotspot map: significant Gi* cells by class over our khu phố and streets, and the
 * repeat locations (≥3 incidents of a category within 15 m over 90 days). */
import { escapeHtml, text } from "../html.js";
import * as A from "./common.js";
import { _ } from "../i18n.js";

const UrbanHotspots = {
  init(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    this.byRank = {};
    map.createPane("kp").style.zIndex = 350;
    map.createPane("streets").style.zIndex = 360;
    map.createPane("cells").style.zIndex = 400;
    this.layers = {
      kp: L.geoJSON(null, {
        pane: "kp",
        style: () => ({ color: "#54278f", weight: 1.5, fillColor: "#f2f0f7", fillOpacity: 0.35 }),
        onEachFeature: (f, layer) => layer.bindTooltip(text(f.properties.name), { sticky: true }),
      }).addTo(map),
      streets: L.geoJSON(null, {
        pane: "streets", interactive: false,
        style: (f) => ({ color: "#8c8c8c", weight: { national: 4, provincial: 3.5, main: 2.5 }[f.properties.street_class] || 1.2, opacity: 0.8 }),
      }).addTo(map),
      cells: L.geoJSON(null, {
        pane: "cells",
        // The outline in the cell's own colour keeps 50 m cells visible at ward scale.
        style: (f) => ({ color: cfg.classColours[f.properties.cls], weight: 1.5, opacity: 0.9, fillColor: cfg.classColours[f.properties.cls], fillOpacity: 0.85 }),
        onEachFeature: (f, layer) => {
          this.byRank[f.properties.rank] = layer;
          layer.bindPopup(() => this.cellPopup(f.properties));
        },
      }).addTo(map),
      repeats: L.layerGroup().addTo(map),
    };
    L.control.layers(null, { // the names are HTML: translations escaped
      [escapeHtml(_("Ô điểm nóng / lạnh"))]: this.layers.cells,
      [escapeHtml(_("Điểm tái vi phạm"))]: this.layers.repeats,
      [escapeHtml(_("Đường phố"))]: this.layers.streets,
      [escapeHtml(_("Ranh giới khu phố"))]: this.layers.kp,
    }, { collapsed: true, position: "topright" }).addTo(map);
    this.bindList();
    this.load();
  },

  cellPopup(p) {
    return `<h3>${escapeHtml(p.cls_label)}</h3>` + A.popupTable([
      ["z (Gi*)", A.formatNumber(p.z, 2)],
      [_("Số vụ trong ô"), escapeHtml(p.count)],
      [_("Khu phố"), escapeHtml(p.neighbourhood || "—")],
      [_("Đường gần nhất"), escapeHtml(p.street || "—")],
    ]);
  },

  repeatPopup(p) {
    const title = _("Tái vi phạm: %(category)s", { category: p.category_label });
    return `<h3>${escapeHtml(title)}</h3>` + A.popupTable([
      [_("Số vụ"), escapeHtml(p.count)],
      [_("Lần đầu"), escapeHtml(A.formatDate(p.first_seen))],
      [_("Lần gần nhất"), escapeHtml(A.formatDate(p.last_seen))],
      [_("Khu phố"), escapeHtml(p.neighbourhood || "—")],
      [_("Đường"), escapeHtml(p.street || "—")],
    ]);
  },

  async load() {
    const cfg = this.cfg;
    const jobs = [
      A.fetchAll(A.layerUrl(cfg, "neighbourhoods")).then((fs) => this.layers.kp.addData(fs)),
      A.fetchAll(A.layerUrl(cfg, "streets")).then((fs) => this.layers.streets.addData(fs)),
    ];
    let result = null;
    if (cfg.hotspotsApi) {
      jobs.push(A.fetchJson(cfg.hotspotsApi).then((body) => { result = body; this.drawHotspots(body); }));
    }
    try {
      await Promise.all(jobs);
      const cells = result ? result.cells.features.length : 0;
      const repeats = result ? result.repeats.features.length : 0;
      A.setStatus(result ? _("%(cells)s ô có ý nghĩa thống kê, %(repeats)s điểm tái vi phạm.",
        { cells, repeats }) : "");
      A.done({ cells, hotCells: result ? result.cells.features.filter((f) => f.properties.cls.startsWith("hot")).length : 0, repeats });
    } catch (error) {
      A.setStatus(_("Lỗi tải bản đồ: %(reason)s", { reason: error.message }), true);
      A.done({ error: error.message });
    }
  },

  drawHotspots(body) {
    this.layers.cells.addData(body.cells);
    body.repeats.features.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const colour = (this.cfg.categories[f.properties.category] || { colour: "#000" }).colour;
      const icon = L.divIcon({
        className: "repeat-label",
        html: `<span class="repeat-pin" style="border-color: ${escapeHtml(colour)}"><span>${escapeHtml(f.properties.count)}</span></span>`,
        iconSize: [24, 24], iconAnchor: [12, 12],
      });
      L.marker([lat, lon], { icon, title: _("Tái vi phạm: %(category)s",
        { category: f.properties.category_label }) })
        .bindPopup(() => this.repeatPopup(f.properties)).addTo(this.layers.repeats);
    });
  },

  bindList() {
    document.querySelectorAll("[data-zoom-cell]").forEach((button) => {
      button.addEventListener("click", () => {
        const layer = this.byRank[button.dataset.zoomCell];
        if (!layer) return;
        this.map.fitBounds(layer.getBounds(), { maxZoom: 17 });
        layer.openPopup();
      });
    });
  },
};

A.startPage(UrbanHotspots);
