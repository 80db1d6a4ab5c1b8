/* "Ghi nhận / sửa cơ sở cho thuê trọ": the house form with GPS pin and photos. The address
 * is prefilled from the nearest street and khu phố (the server's answer online, the working
 * set's offline); before a new house is saved, one already within 15 m is shown so the same
 * house is not recorded twice. */

import { h, initPage } from "./common.js";
import { initRecordForm } from "./form.js";
import { createLocationPicker } from "./location.js";
import { distanceText, houseName, inspectUrl, nearbyHouses } from "./nearby.js";
import { createPhotoPicker } from "./photos.js";
import { addressHint } from "./workset.js";
import { _ } from "../i18n.js";

const DUPLICATE_M = 15;

const config = await initPage();
const $ = (id) => document.getElementById(id);
const editing = Boolean(config.houseUuid);
const address = $("f-address");
let controller = null;
let hintTimer = null;
let lastHint = "";

/** "Đường …, Khu phố …" for a point: the server's when it answers quickly, else the phone's. */
async function placeHint(point) {
  if (navigator.onLine && config.api.place) {
    try {
      const query = new URLSearchParams({ lon: point.lon.toFixed(7), lat: point.lat.toFixed(7) });
      const response = await fetch(`${config.api.place}?${query}`, {
        credentials: "same-origin", headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(4000),
      });
      if (response.ok) return (await response.json()).address_hint || "";
    } catch {
      // weak signal: the working set below
    }
  }
  return addressHint(config.userId, point);
}

/** Fill the address while the officer has not typed one of their own (the hint follows the
 *  pin until then). The house number is theirs to add in front. */
async function prefillAddress(loc) {
  if (editing || !loc) return;
  const current = address.value.trim();
  if (current && current !== lastHint) return;
  const hint = await placeHint(loc);
  if (!hint || (address.value.trim() && address.value.trim() !== lastHint)) return;
  lastHint = hint;
  address.value = hint;
  address.dataset.prefilled = "true";
  if (controller) controller.touch(false);
}

const picker = createLocationPicker({
  mapEl: $("pin-map"), statusEl: $("loc-status"), gpsButton: $("loc-use-gps"),
  errorEl: $("e-location"), config,
  onChange: (loc) => {
    if (controller) controller.touch(Boolean(loc && loc.manual));
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => prefillAddress(loc).catch(() => null), 800);
  },
});
const photos = createPhotoPicker({
  input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
  onChange: () => controller && controller.touch(),
});

function check(payload) {
  const errors = [];
  if (payload.model_status === "recognised" && !payload.model_recognised_on) {
    errors.push({ field: "model_recognised_on", message: _("Nhập ngày được công nhận mô hình.") });
  }
  return errors;
}

function duplicateItem(house) {
  const where = [house.address, distanceText(house.distance_m)].filter(Boolean);
  return h("li", { class: "item" },
    h("p", { class: "item-title" }, houseName(house)),
    h("p", { class: "muted" }, where.join(" · ")),
    house.pending ? h("p", { class: "muted" }, _("Ghi trên máy này, chưa gửi")) : null,
    config.canInspect ? h("p", { class: "item-actions" },
      h("a", { class: "button primary", href: inspectUrl(house), "data-inspect": house.uuid },
        _("Kiểm tra cơ sở này"))) : null);
}

/** A house within 15 m: ask "Đây là cơ sở này?" — resolves true to create the new one. */
function confirmNotDuplicate(houses) {
  const dialog = $("duplicate-dialog");
  $("duplicate-list").replaceChildren(...houses.map(duplicateItem));
  return new Promise((resolve) => {
    const done = (answer) => {
      $("duplicate-new").removeEventListener("click", createNew);
      $("duplicate-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const createNew = () => done(true);
    const cancel = (event) => { if (event) event.preventDefault(); done(false); };
    $("duplicate-new").addEventListener("click", createNew);
    $("duplicate-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
  });
}

async function beforeQueue(payload) {
  if (editing || !payload.location) return payload;
  const { houses } = await nearbyHouses(config, payload.location, DUPLICATE_M)
    .catch(() => ({ houses: [] }));
  const others = houses.filter((house) => house.uuid !== payload.uuid);
  if (!others.length) return payload;
  return (await confirmNotDuplicate(others)) ? payload : null;
}

address.addEventListener("input", () => { delete address.dataset.prefilled; });

controller = await initRecordForm({
  config, picker, photos, form: $("record-form"), check, beforeQueue, single: editing,
  kind: editing ? "house-edit" : "house",
  title: (p) => (editing ? _("Sửa cơ sở: %(name)s", { name: p.name })
    : _("Cơ sở cho thuê trọ: %(name)s", { name: p.name })),
});
