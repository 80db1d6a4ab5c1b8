/* "Ghi nhận vụ vi phạm": category tiles, GPS pin, photos; before queueing (when online) it
 * asks the server for open incidents of the same category within 15 m and offers to attach. */

import { formatDateTime, h, initPage } from "./common.js";
import { initRecordForm } from "./form.js";
import { createLocationPicker } from "./location.js";
import { createPhotoPicker } from "./photos.js";

const config = initPage();
const $ = (id) => document.getElementById(id);
let controller = null;

const picker = createLocationPicker({
  mapEl: $("pin-map"), statusEl: $("loc-status"), gpsButton: $("loc-use-gps"),
  errorEl: $("e-location"), config,
  onChange: (loc) => controller && controller.touch(Boolean(loc && loc.manual)),
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
      h("p", { class: "item-title" }, `${incident.category_label} — vụ số ${incident.id}`),
      h("p", { class: "muted" }, `${incident.status_label} · ${formatDateTime(incident.observed_at)}`
        + ` · cách ${Math.round(incident.distance_m)} m`),
      incident.description ? h("p", {}, incident.description) : null,
      h("button", { type: "button", class: "button primary", "data-attach": incident.id,
                    onclick: () => done(incident.id) }, "Gộp vào vụ này"))));
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
  config, picker, photos, form: $("record-form"), kind: "incident",
  title: (p) => `${config.categories[p.category] || p.category} — ${formatDateTime(p.observed_at)}`,
  beforeQueue: offerAttach,
});
