/* The ranking map: khu phố coloured by tier (darkest = best), labelled with their rank. */
import { escapeHtml, text } from "../html.js";
import * as A from "./common.js";
import { _ } from "../i18n.js";

const UrbanRanking = {
  init(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    this.byCode = {};
    map.createPane("labels").style.zIndex = 650;
    this.load();
  },

  style(feature, hatch) {
    const p = feature.properties;
    if (p.status !== "ranked" || !p.tier) {
      return { color: "#252525", weight: 2, dashArray: "6 4", fillColor: hatch || "#bdbdbd", fillOpacity: 1 };
    }
    return { color: "#ffffff", weight: 1.5, fillColor: this.cfg.tierColours[p.tier] || "#cccccc", fillOpacity: 0.92 };
  },

  popup(p) {
    const total = p.total == null ? "—" : A.formatNumber(p.total, 2);
    const change = p.rank_change == null ? "—" : (p.rank_change > 0 ? `▲ ${p.rank_change}` : p.rank_change < 0 ? `▼ ${-p.rank_change}` : "= 0");
    const url = this.cfg.detailUrl.replace("__CODE__", encodeURIComponent(p.code));
    return `<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + A.popupTable([
      [_("Hạng"), p.rank == null ? "—" : escapeHtml(p.rank)],
      [_("Tổng điểm"), escapeHtml(total)],
      [_("Xếp loại"), escapeHtml(p.tier_label || p.status_label)],
      [_("So với tháng trước"), escapeHtml(change)],
    ]) + `<p><a href="${escapeHtml(url)}">` + escapeHtml(_("Xem cách tính điểm →")) + "</a></p>";
  },

  async load() {
    try {
      const body = await A.fetchJson(this.cfg.rankingApi);
      this.draw(body);
      const published = body.published;
      const state = !published ? _("bản nháp")
        : published.verified ? _("bản đã công bố (đã xác thực)")
          : _("bản đã công bố — KHÔNG KHỚP MÃ KIỂM TRA, có thể đã bị sửa");
      A.setStatus(_("%(areas)s khu phố — %(state)s.", { areas: body.features.length, state }));
      A.done({ polygons: body.features.length, labels: this.labels.getLayers().length, published: Boolean(body.published) });
    } catch (error) {
      A.setStatus(_("Lỗi tải bản đồ: %(reason)s", { reason: error.message }), true);
      A.done({ error: error.message });
    }
  },

  draw(body) {
    const map = this.map;
    this.areas = L.geoJSON(body, {
      style: (f) => this.style(f),
      onEachFeature: (f, layer) => {
        this.byCode[f.properties.code] = layer;
        const total = f.properties.total == null ? _("không xếp hạng")
          : _("%(total)s điểm", { total: A.formatNumber(f.properties.total, 2) });
        layer.bindTooltip(text(`${f.properties.name}: ${total}`), { sticky: true });
        layer.bindPopup(() => this.popup(f.properties));
      },
    }).addTo(map);
    this.hatch = A.ensureHatch(map);
    this.areas.setStyle((f) => this.style(f, this.hatch));
    this.labels = L.layerGroup(body.features.map((f) => {
      const p = f.properties;
      const [lon, lat] = p.label_point;
      const label = p.rank == null ? "?" : String(p.rank);
      const icon = L.divIcon({
        className: "rank-label",
        html: `<span class="rank-pin${p.rank == null ? " unranked" : ""}" title="${escapeHtml(p.name)}">${escapeHtml(label)}</span>`,
        iconSize: [28, 28], iconAnchor: [14, 14],
      });
      return L.marker([lat, lon], { icon, pane: "labels", keyboard: false, interactive: false });
    })).addTo(map);
    if (body.features.length) map.fitBounds(this.areas.getBounds(), { padding: [8, 8] });
    this.bindTable();
  },

  bindTable() {
    document.querySelectorAll("#ranking-table tbody tr[data-code]").forEach((row) => {
      const layer = this.byCode[row.dataset.code];
      if (!layer) return;
      row.addEventListener("mouseenter", () => { layer.setStyle({ weight: 4, color: "#ff7f00" }); layer.bringToFront(); });
      row.addEventListener("mouseleave", () => layer.setStyle(this.style(layer.feature, this.hatch)));
    });
  },
};

A.startPage(UrbanRanking);
