/* Where the record is: GPS (watchPosition, high accuracy) on a small Leaflet map with a pin
 * that can always be dragged. Poor accuracy warns; very poor accuracy blocks saving until
 * the officer places the pin by hand (then ``manual: true``). The ward's own vectors
 * (khu phố, streets, model streets) are always drawn — from the working set on the phone,
 * else from the API — so the map is useful with no tiles and no signal. */

import { readJson } from "../html.js";
import { _ } from "../i18n.js";
import { load as loadWorkset } from "./workset.js";

// GPS accuracy: warn beyond warnAccuracyM, refuse (pin by hand) beyond maxAccuracyM, as
// the server does (geo/schema.py, in the page as #limits).
const { warnAccuracyM: WARN_M, maxAccuracyM: BLOCK_M } = readJson("limits");

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// The pin head (.pin-head in field.css) is a 32 px square at (6, 6), rotated 45°: its sharp
// corner, the tip, lies 16·√2 px below its centre (22, 22). The anchor is that tip, so the
// point stored is exactly where the tip touches the map.
const PIN_TIP = [22, 22 + 16 * Math.SQRT2];

function pinIcon() {
  return L.divIcon({ className: "pin-icon", html: '<span class="pin-head"></span>',
                     iconSize: [44, 56], iconAnchor: PIN_TIP });
}

/** Our own background, with or without tiles: khu phố outlines, streets, model streets —
 *  from the working set when the phone has one, else from the API around the view. */
async function drawVectors(map, config) {
  const areas = L.geoJSON(null, { style: { color: "#54278f", weight: 1.5, fillOpacity: 0.06 },
                                  interactive: false }).addTo(map);
  const streets = L.geoJSON(null, { style: (f) => ({ color: "#525252",
    weight: f.properties.street_class === "alley" ? 2 : 3.5 }), interactive: false }).addTo(map);
  const models = L.geoJSON(null, { style: { color: "#08519c", weight: 5, opacity: 0.8,
                                            fillOpacity: 0.15 }, interactive: false }).addTo(map);
  const set = await loadWorkset(config.userId);
  if (set && set.streets) {
    areas.addData(set.neighbourhoods);
    streets.addData(set.streets);
    if (set.model_streets) models.addData(set.model_streets);
    map.getContainer().dataset.vectors = "workset";
    return;
  }
  const load = (url) => fetch(url, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null)).catch(() => null);
  load(config.api.neighbourhoods).then((data) => { if (data) areas.addData(data); });
  let timer = null;
  const seen = new Set();
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (map.getZoom() < 15) return;
      const b = map.getBounds().pad(0.5);
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((v) => v.toFixed(5)).join(",");
      const data = await load(`${config.api.streets}?bbox=${bbox}&limit=2000`);
      if (!data) return;
      data.features = data.features.filter((f) => !seen.has(f.id) && seen.add(f.id));
      streets.addData(data);
      map.getContainer().dataset.vectors = "api";
    }, 300);
  });
}

export function createLocationPicker({ mapEl, statusEl, gpsButton, errorEl, config, onChange }) {
  const state = { point: null, manual: false, follow: true, gps: null, gpsError: null,
                  stored: null };
  const [minx, miny, maxx, maxy] = config.ward.extent;
  const map = L.map(mapEl, { zoomControl: true, attributionControl: Boolean(config.tileUrl) });
  map.fitBounds([[miny, minx], [maxy, maxx]]);
  if (config.tileUrl) {
    // Tiles are a bonus: when they fail (no signal, none cached) our vectors still show.
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.tileAttribution }).addTo(map);
  }
  drawVectors(map, config).catch((err) => console.warn("vectors", err));
  const accuracyCircle = L.circle([0, 0], { radius: 1, color: "#0b4f8a", weight: 1,
                                            fillOpacity: 0.08, interactive: false });
  let marker = null;

  function changed() {
    render();
    if (onChange) onChange(value());
  }

  function placeMarker(latlng, pan) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, icon: pinIcon(), autoPan: true,
                                  keyboard: true, title: _("Vị trí ghi nhận (kéo để sửa)") })
        .addTo(map);
      marker.on("dragend", () => {
        const p = marker.getLatLng();
        state.point = { lat: p.lat, lon: p.lng };
        state.manual = true;
        state.follow = false;
        state.stored = null;
        changed();
      });
    } else {
      marker.setLatLng(latlng);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 17));
  }

  map.on("click", (e) => {
    state.point = { lat: e.latlng.lat, lon: e.latlng.lng };
    state.manual = true;
    state.follow = false;
    state.stored = null;
    placeMarker(e.latlng, map.getZoom() < 16); // a tap on the whole ward: zoom in to refine
    changed();
  });

  function useGps(pan) {
    if (!state.gps) return;
    state.point = { lat: state.gps.lat, lon: state.gps.lon };
    state.manual = false;
    state.stored = null;
    placeMarker([state.gps.lat, state.gps.lon], pan);
    changed();
  }

  if ("geolocation" in navigator) {
    navigator.geolocation.watchPosition((pos) => {
      const first = !state.gps;
      state.gps = { lat: pos.coords.latitude, lon: pos.coords.longitude,
                    accuracy: pos.coords.accuracy };
      state.gpsError = null;
      accuracyCircle.setLatLng([state.gps.lat, state.gps.lon])
        .setRadius(state.gps.accuracy).addTo(map);
      if (state.follow && !state.manual) useGps(first);
      else changed();
    }, (err) => {
      state.gpsError = err.code === 1 ? "denied" : "unavailable";
      changed();
    }, { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
  } else {
    state.gpsError = "unavailable";
  }

  gpsButton.addEventListener("click", () => {
    state.follow = true;
    if (state.gps) useGps(true);
    else changed();
  });

  /** The accuracy that describes the pin: the stored one, else the current GPS fix. */
  function accuracy() {
    if (state.stored) return state.stored.accuracy_m;
    return state.gps ? state.gps.accuracy : null;
  }

  function value() {
    if (!state.point) return null;
    const acc = accuracy();
    return { lon: round(state.point.lon, 7), lat: round(state.point.lat, 7),
             accuracy_m: acc == null ? null : round(acc, 1), manual: state.manual };
  }

  /** {ok, level, message}: level ok | warn | block. */
  function check() {
    const acc = accuracy();
    if (!state.point) {
      const why = state.gpsError === "denied" ? _("Chưa được phép dùng định vị.")
        : state.gpsError ? _("Không lấy được vị trí GPS.") : _("Đang lấy vị trí GPS…");
      return { ok: false, level: state.gpsError ? "block" : "wait",
               message: why + " " + _("Chạm vào bản đồ để đặt ghim.") };
    }
    if (state.manual) {
      return { ok: true, level: "ok", message: state.gps
        ? _("Đã đặt ghim bằng tay (GPS ±%(metres)s m).", { metres: Math.round(state.gps.accuracy) })
        : _("Đã đặt ghim bằng tay.") };
    }
    if (state.stored && state.stored.fixed) {
      return { ok: true, level: "ok", message: _("Vị trí đã lưu của cơ sở (kéo ghim để sửa).") };
    }
    if (acc == null) {
      return { ok: true, level: "warn", message: _("Vị trí từ bản nháp, chưa rõ độ chính xác.") };
    }
    const text = _("Độ chính xác ±%(metres)s m", { metres: Math.round(acc) });
    if (acc > BLOCK_M) {
      return { ok: false, level: "block", message:
        text + " — " + _("quá kém. Kéo ghim đến đúng vị trí trên bản đồ để lưu.") };
    }
    if (acc > WARN_M) {
      return { ok: true, level: "warn", message: text + " — " + _("kém, hãy kiểm tra lại ghim.") };
    }
    return { ok: true, level: "ok", message: text };
  }

  function render() {
    const result = check();
    statusEl.textContent = result.message;
    statusEl.dataset.level = result.level;
    if (errorEl && result.ok) errorEl.hidden = true;
  }

  /** Restore a location (draft or the stored house); ``fixed`` stops following the GPS. */
  function setValue(loc, { fixed = false } = {}) {
    if (!loc || loc.lon == null || loc.lat == null) return;
    state.point = { lon: loc.lon, lat: loc.lat };
    state.manual = Boolean(loc.manual);
    state.follow = !fixed && !state.manual;
    state.stored = { accuracy_m: loc.accuracy_m == null ? null : loc.accuracy_m, fixed };
    placeMarker([loc.lat, loc.lon], true);
    render();
  }

  function reset() {
    state.manual = false;
    state.follow = true;
    state.stored = null;
    if (state.gps) useGps(true);
    else {
      state.point = null;
      if (marker) { marker.remove(); marker = null; }
      render();
    }
  }

  setTimeout(() => map.invalidateSize(), 0);
  render();
  return { value, check, setValue, reset, map, get marker() { return marker; } };
}
