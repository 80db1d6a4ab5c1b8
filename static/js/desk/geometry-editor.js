/* The map of a desk form that takes a geometry (model street, cluster, campaign area):
 * draw a line or a polygon with Leaflet-Geoman, or pick street segments by clicking them.
 * Our own vectors (khu phố, streets) are drawn whether or not a basemap loads.
 * Writes GeoJSON into the form's hidden "geometry" input, picked ids into "street_ids". */
import { readJson, text } from "../html.js";
import { _, language } from "../i18n.js";

function startEditor(box) {
  const cfg = readJson("editor-config");
  const form = box.closest("form");
  const geometryInput = form.elements.geometry;
  const streetInput = form.elements.street_ids;
  const status = document.getElementById("editor-status");
  const [minx, miny, maxx, maxy] = cfg.extent;

  const map = L.map(box, { maxZoom: 20, zoomSnap: 0.25 });
  map.fitBounds([[miny, minx], [maxy, maxx]]);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 20, maxNativeZoom: 19 }).addTo(map);
  }
  map.createPane("areas").style.zIndex = 350;
  map.createPane("lines").style.zIndex = 420;
  // What is drawn lies above the streets it follows; it lets clicks through while picking.
  map.createPane("drawn").style.zIndex = 440;

  const drawn = L.featureGroup().addTo(map);
  const picked = new Map(); // street id → its Leaflet layer
  let mode = "draw";

  // Leaflet-Geoman ships no Vietnamese; these are its texts the desk forms use, in the
  // page's language from our catalogue (one wording for both languages).
  const TEXTS = {
    tooltips: {
      placeMarker: _("Bấm để đặt điểm"), firstVertex: _("Bấm để đặt điểm đầu tiên"),
      continueLine: _("Bấm để vẽ tiếp"), finishLine: _("Bấm vào điểm cuối để kết thúc"),
      finishPoly: _("Bấm vào điểm đầu để khép vùng"), finishRect: _("Bấm để kết thúc"),
    },
    actions: { finish: _("Xong"), cancel: _("Hủy"), removeLastVertex: _("Bỏ điểm vừa vẽ") },
    buttonTitles: {
      drawLineButton: _("Vẽ tuyến (đường)"), drawPolyButton: _("Vẽ vùng (cụm dân cư)"),
      drawRectButton: _("Vẽ hình chữ nhật"), editButton: _("Sửa các đỉnh"),
      dragButton: _("Kéo hình"), deleteButton: _("Xóa hình"),
    },
  };
  const pickStyle = { color: "#e31a1c", weight: 7, opacity: 0.9 };
  const streetStyle = (f) => ({ color: f.properties.named === false ? "#9e9e9e" : "#525252",
    weight: f.properties.street_class === "alley" ? 2 : 3.5, opacity: 0.9 });

  function say(text) { if (status) status.textContent = text; }

  function writeDrawn() {
    const features = drawn.toGeoJSON().features;
    if (!features.length) { geometryInput.value = ""; return; }
    if (features.length === 1) { geometryInput.value = JSON.stringify(features[0].geometry); return; }
    const lines = features.filter((f) => f.geometry.type.endsWith("LineString"));
    const polygons = features.filter((f) => f.geometry.type.endsWith("Polygon"));
    const parts = (list, single) => list.flatMap((f) => (f.geometry.type === single ? [f.geometry.coordinates] : f.geometry.coordinates));
    geometryInput.value = JSON.stringify(polygons.length
      ? { type: "MultiPolygon", coordinates: parts(polygons, "Polygon") }
      : { type: "MultiLineString", coordinates: parts(lines, "LineString") });
  }

  function writePicked() {
    streetInput.value = [...picked.keys()].join(",");
    say(picked.size ? _("Đã chọn %(count)s đoạn đường.", { count: picked.size })
      : _("Bấm vào các đoạn đường để chọn."));
    box.dataset.picked = String(picked.size);
  }

  function togglePick(feature, layer) {
    if (mode !== "pick") return;
    const id = feature.id;
    if (picked.has(id)) {
      picked.delete(id);
      layer.setStyle(streetStyle(feature));
    } else {
      picked.set(id, layer);
      layer.setStyle(pickStyle);
    }
    writePicked();
  }

  async function fetchAll(url) {
    const out = [];
    let next = url;
    while (next) {
      const response = await fetch(next, { headers: { Accept: "application/geo+json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
      out.push(...body.features);
      const link = (body.links || []).find((l) => l.rel === "next");
      next = link ? link.href : null;
    }
    return out;
  }

  const query = `ward=${encodeURIComponent(cfg.ward)}`;
  Promise.all([
    fetchAll(`${cfg.api}neighbourhoods?${query}`).then((features) => {
      L.geoJSON({ type: "FeatureCollection", features }, {
        pane: "areas", interactive: false,
        style: { color: "#54278f", weight: 1.5, fillColor: "#bcbddc", fillOpacity: cfg.tileUrl ? 0.06 : 0.2 },
      }).addTo(map);
    }),
    fetchAll(`${cfg.api}streets?${query}`).then((features) => {
      L.geoJSON({ type: "FeatureCollection", features }, {
        pane: "lines", style: streetStyle,
        onEachFeature: (f, layer) => {
          layer.bindTooltip(text(f.properties.name), { sticky: true });
          layer.on("click", () => togglePick(f, layer));
          if (cfg.picked.includes(f.id)) { picked.set(f.id, layer); layer.setStyle(pickStyle); }
        },
      }).addTo(map);
    }),
  ]).then(() => { box.dataset.loaded = "true"; if (picked.size) writePicked(); })
    .catch((error) => { box.dataset.loaded = "error"; say(_("Lỗi tải bản đồ: %(reason)s", { reason: error.message })); });

  if (cfg.geometry) {
    L.geoJSON(cfg.geometry, { pane: "drawn", style: { color: "#08519c", weight: 6, fillOpacity: 0.25 } })
      .eachLayer((layer) => drawn.addLayer(layer));
    if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { padding: [40, 40], maxZoom: 17 });
  }

  map.pm.setLang(`urbanorder-${language()}`, TEXTS, "en");
  map.pm.setGlobalOptions({ pathOptions: { color: "#08519c", weight: 6 }, snappable: true,
    panes: { layerPane: "drawn" } });
  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawCircle: false,
    drawText: false, drawRectangle: cfg.allowPolygon, drawPolygon: cfg.allowPolygon,
    drawPolyline: cfg.allowLine, cutPolygon: false, rotateMode: false, dragMode: true,
    editMode: true, removalMode: true,
  });
  map.on("pm:create", (event) => {
    if (!cfg.multiple) drawn.clearLayers();
    drawn.addLayer(event.layer);
    event.layer.on("pm:edit", writeDrawn);
    writeDrawn();
    say(_("Đã vẽ. Kéo các đỉnh để sửa, hoặc vẽ lại."));
  });
  map.on("pm:remove", (event) => { drawn.removeLayer(event.layer); writeDrawn(); });
  drawn.eachLayer((layer) => layer.on("pm:edit", writeDrawn));

  form.querySelectorAll("input[name=geometry_mode]").forEach((radio) => {
    radio.addEventListener("change", () => {
      mode = radio.value;
      box.dataset.mode = mode;
      map.getPane("drawn").style.pointerEvents = mode === "pick" ? "none" : "";
      map.getPane("drawn").style.opacity = mode === "pick" ? "0.35" : "";
      if (mode === "pick") {
        map.pm.disableDraw();
        geometryInput.value = "";
        writePicked();
      } else {
        picked.forEach((layer, id) => layer.setStyle(streetStyle({ id, properties: {} })));
        picked.clear();
        streetInput.value = "";
        writeDrawn();
        say(_("Dùng công cụ vẽ ở góc trái bản đồ: bấm từng điểm, bấm lại điểm cuối để kết thúc."));
      }
    });
  });
  window.urbanEditor = { map, drawn, picked }; // for the browser tests and the console
}

const editorBox = document.getElementById("geometry-editor");
if (editorBox && window.L) startEditor(editorBox);
