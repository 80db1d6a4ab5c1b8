/* "Ghi nhận / sửa cơ sở cho thuê trọ": the house form with GPS pin and photos; houses
 * already recorded within 100 m are listed (when online) so a house is not recorded twice. */

import { h, initPage } from "./common.js";
import { initRecordForm } from "./form.js";
import { createLocationPicker } from "./location.js";
import { createPhotoPicker } from "./photos.js";

const config = initPage();
const $ = (id) => document.getElementById(id);
const editing = Boolean(config.houseUuid);
let controller = null;
let nearbyTimer = null;
let lastLookup = null;

async function lookupNearby(loc) {
  if (!loc || !navigator.onLine) return;
  const key = `${loc.lon.toFixed(4)},${loc.lat.toFixed(4)}`;
  if (key === lastLookup) return;
  lastLookup = key;
  let houses = [];
  try {
    const query = new URLSearchParams({ lon: loc.lon, lat: loc.lat });
    const response = await fetch(`${config.api.nearbyHouses}?${query}`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return;
    houses = ((await response.json()).boarding_houses || [])
      .filter((house) => house.uuid !== config.houseUuid);
  } catch {
    return;
  }
  $("nearby-houses").hidden = houses.length === 0;
  $("nearby-houses-list").replaceChildren(...houses.map((house) => h("li", { class: "item" },
    h("p", { class: "item-title" }, house.name),
    h("p", { class: "muted" }, `${house.address || ""} · cách ${Math.round(house.distance_m)} m`),
    h("p", { class: "item-actions" },
      h("a", { class: "button secondary", href: `/field/boarding-houses/${house.uuid}/edit` },
        "Sửa cơ sở này"),
      h("a", { class: "button secondary", href: `/field/boarding-houses/${house.uuid}/inspect` },
        "Kiểm tra")))));
}

const picker = createLocationPicker({
  mapEl: $("pin-map"), statusEl: $("loc-status"), gpsButton: $("loc-use-gps"),
  errorEl: $("e-location"), config,
  onChange: (loc) => {
    if (controller) controller.touch(Boolean(loc && loc.manual));
    clearTimeout(nearbyTimer);
    nearbyTimer = setTimeout(() => lookupNearby(loc), 1500);
  },
});
const photos = createPhotoPicker({
  input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
  onChange: () => controller && controller.touch(),
});

function check(payload) {
  const errors = [];
  if (payload.model_status === "recognised" && !payload.model_recognised_on) {
    errors.push({ field: "model_recognised_on", message: "Nhập ngày được công nhận mô hình." });
  }
  return errors;
}

controller = await initRecordForm({
  config, picker, photos, form: $("record-form"), check, single: editing,
  kind: editing ? "house-edit" : "house",
  title: (p) => `${editing ? "Sửa cơ sở" : "Cơ sở cho thuê trọ"}: ${p.name}`,
});
