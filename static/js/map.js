/* urbanorder ward map: loads the ward's layers from the GeoJSON API and keeps them in
 * step with the filters. Large point layers are requested by bounding box. */
(function () {
  "use strict";

  const MAX_FEATURES = 50000; // per layer and view: beyond this the map asks to zoom in

  const { escapeHtml, text } = window.UrbanHtml; // static/js/html.js

  function formatDate(iso) {
    if (!iso) return "";
    const [day, time] = iso.split("T");
    const [y, m, d] = day.split("-");
    return `${d}/${m}/${y}` + (time ? ` ${time}` : "");
  }

  function formatMoney(value) {
    return value == null ? "" : Number(value).toLocaleString("vi-VN") + " đ";
  }

  function table(rows) {
    const body = rows.filter((r) => r[1] !== "" && r[1] != null)
      .map((r) => `<tr><th>${escapeHtml(r[0])}</th><td>${r[2] ? r[1] : escapeHtml(r[1])}</td></tr>`)
      .join("");
    return `<table class="popup-table">${body}</table>`;
  }

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
            layer.bindPopup(`<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + table([
              ["Dân số", p.population != null ? p.population.toLocaleString("vi-VN") : ""],
              ["Số hộ", p.households != null ? p.households.toLocaleString("vi-VN") : ""],
              ["Trưởng khu phố", p.head_name],
            ]));
          },
        }),
        streets: L.geoJSON(null, {
          pane: "lines",
          style: (f) => {
            const cls = f.properties.street_class;
            const weight = { national: 6, provincial: 5, main: 4, local: 2.5, alley: 1.5 }[cls] || 2;
            return { color: cls === "alley" ? "#9e9e9e" : "#636363", weight, opacity: 0.9 };
          },
          onEachFeature: (f, layer) => {
            const p = f.properties;
            layer.bindPopup(`<h3>${escapeHtml(p.name)}</h3>` + table([
              ["Loại đường", p.street_class_label],
              ["Chiều dài", p.length_m != null ? `${Math.round(p.length_m).toLocaleString("vi-VN")} m` : ""],
            ]));
          },
        }),
        modelStreets: L.geoJSON(null, {
          pane: "lines",
          filter: (f) => f.properties.level !== "ward",
          style: (f) => this.modelStyle(f),
          onEachFeature: (f, layer) => layer.bindPopup(this.modelPopup(f.properties)),
        }),
        route: L.geoJSON(null, {
          pane: "lines",
          filter: (f) => f.properties.level === "ward",
          style: () => ({ color: cfg.routeColour, weight: 11, opacity: 1, dashArray: "18 6", lineCap: "butt" }),
          onEachFeature: (f, layer) => layer.bindPopup(this.modelPopup(f.properties)),
        }),
        boardingHouses: this.clusterGroup("houses"),
        incidents: this.clusterGroup("incidents"),
      };
      const overlays = {
        "Ranh giới khu phố": this.layers.neighbourhoods,
        "Đường phố": this.layers.streets,
        "Tuyến / cụm kiểu mẫu": this.layers.modelStreets,
        [escapeHtml(cfg.routeName)]: this.layers.route,  // layer-control names are HTML
        "Cơ sở cho thuê trọ": this.layers.boardingHouses,
        "Vụ vi phạm": this.layers.incidents,
      };
      Object.values(overlays).forEach((layer) => layer.addTo(map));
      L.control.layers(null, overlays, { collapsed: window.innerWidth < 700, position: "topright" }).addTo(map);
    },

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

    modelStyle(f) {
      const status = this.cfg.modelStreetStatuses[f.properties.status] || { colour: "#3182bd" };
      if (f.geometry && f.geometry.type.includes("Polygon")) {
        return { color: status.colour, weight: 3, fillColor: status.colour, fillOpacity: 0.3 };
      }
      return { color: status.colour, weight: 6, opacity: 0.95 };
    },

    modelPopup(p) {
      const criteria = Object.entries(this.cfg.criteria)
        .map(([code, label]) => `${p.criteria && p.criteria[code] ? "✔" : "✘"} ${escapeHtml(label)}`)
        .join("<br>");
      const signed = p.frontage_households ? `${p.commitments_signed}/${p.frontage_households} hộ` : "";
      return `<h3>${escapeHtml(p.name)}</h3>` + table([
        ["Cấp", p.level_label],
        ["Loại", p.kind_label],
        ["Khu phố", p.neighbourhood_name],
        ["Trạng thái", p.status_label],
        ["Ngày đăng ký", formatDate(p.registered_on)],
        ["Hạn hoàn thành", formatDate(p.target_date)],
        ["Hộ mặt tiền đã ký cam kết", signed],
        ["Kinh phí ngân sách", formatMoney(p.budget_vnd)],
        ["Kinh phí xã hội hóa", formatMoney(p.socialised_vnd)],
        ["Tiêu chí", criteria, true],
      ]);
    },

    housePopup(p) {
      const equipment = [
        `${p.extinguishers || 0} bình chữa cháy`,
        p.has_alarm ? "có báo cháy" : "không có báo cháy",
        p.has_escape_route ? "có lối thoát nạn" : "không có lối thoát nạn",
      ].join(", ");
      const fire = p.fire_safety_pass == null ? "Chưa kiểm tra" : (p.fire_safety_pass ? "Đạt" : "Không đạt");
      return `<h3>${escapeHtml(p.name)}</h3>` + table([
        ["Địa chỉ", p.address],
        ["Khu phố", p.neighbourhood_name],
        ["Loại hình", p.house_type_label],
        ["Số phòng / người ở", `${p.rooms} phòng / ${p.residents} người`],
        ["Phân loại", p.classification_label || "Chưa rà soát, phân loại"],
        ["Cam kết ANTT", p.antt_commitment_on ? `Đã ký ${formatDate(p.antt_commitment_on)}` : "Chưa ký"],
        ["PCCC lần kiểm tra gần nhất", fire],
        ["Kiểm tra gần nhất", formatDate(p.last_inspection_on)],
        ["Trang bị PCCC", equipment],
        ["Mô hình", p.model_status_label + (p.model_recognised_on ? ` (${formatDate(p.model_recognised_on)})` : "")],
      ]) + `<p><a href="/boarding-houses/${Number(p.id)}">Xem hồ sơ cơ sở</a></p>`;
    },

    incidentPopup(p) {
      return `<h3>${escapeHtml(p.category_label)}${p.is_repeat ? ' <span class="tag">Tái vi phạm</span>' : ""}</h3>` + table([
        ["Thời điểm", formatDate(p.observed_at)],
        ["Trạng thái", p.status_label],
        ["Khu phố", p.neighbourhood_name],
        ["Đường", p.street_name],
        ["Mô tả", p.description],
        ["Biên bản số", p.minutes_no],
        ["Tiền phạt", formatMoney(p.fine_vnd)],
        ["Xử lý xong lúc", formatDate(p.resolved_at)],
      ]) + `<p><a href="/incidents/${Number(p.id)}">Xem hồ sơ vụ việc</a></p>`;
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

    async fetchAll(layer, params) {
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
        url = next ? next.href : null;
      }
      return { features, matched };
    },

    async load(name, apiLayer, params, fill) {
      this.state.pending += 1;
      this.showStatus();
      try {
        const { features, matched } = await this.fetchAll(apiLayer, params);
        fill(features);
        this.state.loaded[name] = { count: features.length, matched };
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

    viewportBbox() {
      const b = this.map.getBounds().pad(0.2);
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    },

    reloadPoints() {
      const f = this.filters();
      const generation = ++this.state.generation;
      const bbox = this.viewportBbox();
      const houseParams = new URLSearchParams({ bbox });
      if (f.neighbourhood) houseParams.set("neighbourhood", f.neighbourhood);
      this.load("boardingHouses", "boarding-houses", houseParams, (features) => {
        if (generation !== this.state.generation) return;
        const colours = this.cfg.modelHouseStatuses;
        this.layers.boardingHouses.clearLayers();
        this.layers.boardingHouses.addLayers(features.map((ft) => {
          const [lon, lat] = ft.geometry.coordinates;
          const colour = (colours[ft.properties.model_status] || colours.none).colour;
          const marker = L.circleMarker([lat, lon], {
            radius: ft.properties.model_status === "recognised" ? 8 : 6,
            color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.95,
          });
          marker.bindPopup(() => this.housePopup(ft.properties));
          return marker;
        }));
      });
      const incidentParams = new URLSearchParams({ bbox });
      if (f.from) incidentParams.set("from", f.from);
      if (f.to) incidentParams.set("to", f.to);
      if (f.neighbourhood) incidentParams.set("neighbourhood", f.neighbourhood);
      if (f.status) incidentParams.set("status", f.status);
      if (!f.allCategories) {
        if (f.categories.length === 0) {
          this.layers.incidents.clearLayers();
          this.state.loaded.incidents = { count: 0, matched: 0 };
          this.showStatus();
          return;
        }
        incidentParams.set("category", f.categories.join(","));
      }
      this.load("incidents", "incidents", incidentParams, (features) => {
        if (generation !== this.state.generation) return;
        const counts = {};
        this.layers.incidents.clearLayers();
        this.layers.incidents.addLayers(features.map((ft) => {
          const p = ft.properties;
          counts[p.category] = (counts[p.category] || 0) + 1;
          const [lon, lat] = ft.geometry.coordinates;
          const colour = (this.cfg.categories[p.category] || { colour: "#000" }).colour;
          const marker = L.circleMarker([lat, lon], {
            radius: 6, color: p.is_repeat ? "#000000" : "#ffffff", weight: p.is_repeat ? 3 : 1.2,
            fillColor: colour, fillOpacity: 0.9,
          });
          marker.bindPopup(() => this.incidentPopup(p));
          return marker;
        }));
        document.querySelectorAll("[data-category-count]").forEach((el) => {
          const n = counts[el.dataset.categoryCount] || 0;
          el.textContent = n ? `(${n.toLocaleString("vi-VN")})` : "";
        });
      });
    },

    showStatus() {
      const s = this.state;
      if (s.pending > 0) {
        this.status.textContent = "Đang tải dữ liệu…";
        document.body.dataset.layersLoaded = "false";
        return;
      }
      const errors = Object.entries(s.loaded).filter(([, v]) => v.error);
      if (errors.length) {
        this.status.textContent = `Lỗi tải dữ liệu: ${errors.map(([, v]) => v.error).join("; ")}`;
        this.status.classList.add("error");
      } else {
        this.status.classList.remove("error");
        const inc = s.loaded.incidents || { count: 0, matched: 0 };
        const houses = s.loaded.boardingHouses || { count: 0 };
        let text = `Trong khung nhìn: ${inc.count.toLocaleString("vi-VN")} vụ vi phạm, ` +
          `${houses.count.toLocaleString("vi-VN")} cơ sở cho thuê trọ.`;
        if (inc.matched > inc.count) text += " Phóng to để xem hết.";
        this.status.textContent = text;
      }
      document.body.dataset.layersLoaded = "true";
    },
  };

  window.UrbanMap = UrbanMap;
})();
