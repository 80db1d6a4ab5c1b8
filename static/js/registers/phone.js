/* The phone form of a register, built by the server from the register's definition
 * (webapp/templates/registers/phone.html): the field form machinery does the rest — draft,
 * outbox, exactly-once sending (static/js/field/form.js, queue.js, sender.js). A line or a
 * polygon is walked: the officer adds the pin's position point by point. */

import { initPage } from "../field/common.js";
import { initRecordForm } from "../field/form.js";
import { createLocationPicker } from "../field/location.js";
import { createPhotoPicker } from "../field/photos.js";
import { _ } from "../i18n.js";

const config = await initPage();
const $ = (id) => document.getElementById(id);
const form = $("record-form");
const kind = form.dataset.geometry;
let controller = null;
let vertices = [];

const picker = createLocationPicker({
  mapEl: $("pin-map"), statusEl: $("loc-status"), gpsButton: $("loc-use-gps"),
  errorEl: $("e-location"), config,
  onChange: (loc) => { if (controller) controller.touch(Boolean(loc && loc.manual)); },
});
const photos = $("photo-input") ? createPhotoPicker({
  input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
  onChange: () => controller && controller.touch(),
}) : null;

const NEEDED = { line: 2, polygon: 3 };

function showVertices() {
  const status = $("vertex-status");
  if (status) status.textContent = vertices.length
    ? _("Đã có %(count)s điểm.", { count: vertices.length }) : _("Chưa có điểm nào.");
}

if (kind !== "point") {
  $("vertex-add").addEventListener("click", () => {
    const loc = picker.value();
    if (!loc) return;
    vertices.push([loc.lon, loc.lat]);
    showVertices();
  });
  $("vertex-clear").addEventListener("click", () => { vertices = []; showVertices(); });
}

/** The drawn geometry (GeoJSON) of a line or polygon from the points walked. */
function drawn() {
  if (kind === "line") return { type: "LineString", coordinates: vertices };
  return { type: "Polygon", coordinates: [[...vertices, vertices[0]]] };
}

controller = await initRecordForm({
  config, picker, photos, form, kind: "register_entry",
  title: () => config.register.name,
  check: () => (kind !== "point" && vertices.length < NEEDED[kind]
    ? [{ field: "geometry", message: _("Cần ít nhất %(count)s điểm.", { count: NEEDED[kind] }) }] : []),
  beforeQueue: (payload) => {
    if (kind === "point") return payload;
    const withShape = { ...payload, geometry: drawn() };
    vertices = [];
    showVertices();
    return withShape;
  },
});
