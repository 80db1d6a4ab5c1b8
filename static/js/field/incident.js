/* "Ghi nhận vụ vi phạm": category tiles, GPS pin, photos; a residence or fire-safety
 * violation can be linked to a boarding house near the pin (online or from the working set);
 * before queueing (when online) it asks the server for open incidents of the same category
 * within 15 m and offers to attach. */

import { h, initPage } from "./common.js";
import { formatDateTime } from "../dates.js";
import { initRecordForm } from "./form.js";
import { createLocationPicker } from "./location.js";
import { distanceText, houseName, nearbyHouses } from "./nearby.js";
import { _ } from "../i18n.js";
import { createPhotoPicker } from "./photos.js";

const HOUSE_RADIUS_M = 50;

const config = await initPage();
const $ = (id) => document.getElementById(id);
const form = $("record-form");
const houseInput = $("f-boarding_house_uuid");
let controller = null;
let houseTimer = null;

function chooseHouse(uuid) {
  houseInput.value = uuid;
  $("house-choices").querySelectorAll("button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.house === uuid));
  });
  form.dispatchEvent(new Event("change", { bubbles: true }));
}

function houseButton(uuid, title, detail) {
  return h("button", { type: "button", class: "house-choice", "data-house": uuid,
                       "aria-pressed": String(houseInput.value === uuid),
                       onclick: () => chooseHouse(uuid) },
    h("span", { class: "item-title" }, title), detail ? h("span", { class: "muted" }, detail) : null);
}

/** The houses near the pin to link the violation to (the chosen one kept even if the pin
 *  moved away from it). */
async function listHouses(loc) {
  const status = $("house-link-status");
  if (!loc || status.closest("[data-show-when]").hidden) return;
  const { houses, source } = await nearbyHouses(config, loc, HOUSE_RADIUS_M)
    .catch(() => ({ houses: [], source: "phone" }));
  const chosen = houseInput.value;
  const buttons = houses.map((house) => houseButton(house.uuid, houseName(house),
    [house.address, distanceText(house.distance_m),
     house.pending ? _("chưa gửi") : null].filter(Boolean).join(" · ")));
  if (chosen && !houses.some((house) => house.uuid === chosen)) {
    buttons.unshift(houseButton(chosen, _("Cơ sở đã chọn"), _("ở xa ghim hiện tại")));
  }
  $("house-choices").replaceChildren(houseButton("", _("Không gắn với cơ sở nào"), null),
    ...buttons);
  const radius = { metres: HOUSE_RADIUS_M };
  const phone = source === "phone";
  const found = phone
    ? _("Các cơ sở trong vòng %(metres)s m của ghim (theo dữ liệu trên máy).", radius)
    : _("Các cơ sở trong vòng %(metres)s m của ghim.", radius);
  const none = phone
    ? _("Không có cơ sở nào trong vòng %(metres)s m của ghim trong dữ liệu trên máy.", radius)
    : _("Không có cơ sở nào trong vòng %(metres)s m của ghim.", radius);
  status.textContent = houses.length ? found : none;
}

const picker = createLocationPicker({
  mapEl: $("pin-map"), statusEl: $("loc-status"), gpsButton: $("loc-use-gps"),
  errorEl: $("e-location"), config,
  onChange: (loc) => {
    if (controller) controller.touch(Boolean(loc && loc.manual));
    clearTimeout(houseTimer);
    houseTimer = setTimeout(() => listHouses(loc), 800);
  },
});
const photos = createPhotoPicker({
  input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
  onChange: () => controller && controller.touch(),
});

/** Ask whether to attach to one of ``incidents``: resolves id, "new" or null (back). */
function askAttach(incidents) {
  const dialog = $("nearby-dialog");
  return new Promise((resolve) => {
    const done = (value) => {
      dialog.close();
      resolve(value);
    };
    $("nearby-list").replaceChildren(...incidents.map((incident) => h("li", { class: "item" },
      h("p", { class: "item-title" }, _("%(category)s — vụ số %(number)s",
        { category: incident.category_label, number: incident.id })),
      h("p", { class: "muted" }, `${incident.status_label} · ${formatDateTime(incident.observed_at)}`
        + ` · ${distanceText(incident.distance_m)}`),
      incident.description ? h("p", {}, incident.description) : null,
      h("button", { type: "button", class: "button primary", "data-attach": incident.id,
                    onclick: () => done(incident.id) }, _("Gộp vào vụ này")))));
    $("nearby-new").onclick = () => done("new");
    $("nearby-cancel").onclick = () => done(null);
    dialog.oncancel = (event) => { event.preventDefault(); done(null); };
    dialog.showModal();
  });
}

async function offerAttach(payload) {
  if (!navigator.onLine || !payload.location) return payload;
  const { lon, lat } = payload.location;
  const query = new URLSearchParams({ lon, lat, category: payload.category });
  let incidents = [];
  try {
    const response = await fetch(`${config.api.nearbyIncidents}?${query}`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return payload;
    incidents = (await response.json()).incidents || [];
  } catch {
    return payload; // no signal: record it; the desk can merge duplicates later
  }
  if (!incidents.length) return payload;
  const choice = await askAttach(incidents);
  if (choice === null) return null;
  if (choice === "new") return payload;
  return { ...payload, attach_to: choice };
}

controller = await initRecordForm({
  config, picker, photos, form, kind: "incident",
  title: (p) => `${config.categories[p.category] || p.category} — ${formatDateTime(p.observed_at)}`,
  beforeQueue: offerAttach,
});
form.addEventListener("change", (event) => {
  if (event.target.name === "category") listHouses(picker.value());
});
listHouses(picker.value());
