/* "Kiểm tra cơ sở": the result of an inspection (fire safety, residents, follow-up date) of
 * the house named by ``?house=<uuid>`` — found in the phone's working set, among the houses
 * recorded here and not sent yet, or (online) through the API. Works with no signal. */

import { initPage } from "./common.js";
import { formatDate } from "../dates.js";
import { initRecordForm } from "./form.js";
import { createPhotoPicker } from "./photos.js";
import { draftKey } from "./queue.js";
import { findHouse } from "./workset.js";
import { _ } from "../i18n.js";

const config = await initPage();
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(window.location.search);
const uuid = params.get("house");
const houseTypes = JSON.parse($("house-types").textContent);
let controller = null;

/** Online, a house the phone does not have: its public properties from the layer API. */
async function fetchHouse(id) {
  if (!id || !navigator.onLine) return null;
  try {
    const response = await fetch(`${config.api.houses}/${encodeURIComponent(id)}`, {
      credentials: "same-origin", headers: { Accept: "application/geo+json" },
      signal: AbortSignal.timeout(6000),
    });
    if (!response.ok) return null;
    const feature = await response.json();
    return { uuid, id: feature.id, ...feature.properties };
  } catch {
    return null;
  }
}

function showHouse(house) {
  $("house-name").textContent = house.name || _("Cơ sở cho thuê trọ");
  $("house-address").textContent = house.address || "";
  const facts = [houseTypes[house.house_type] || house.house_type,
                 house.rooms != null ? _("%(count)s phòng", { count: house.rooms }) : null,
                 house.residents != null ? _("%(count)s người ở", { count: house.residents }) : null,
                 house.neighbourhood_name].filter(Boolean);
  $("house-facts").textContent = facts.join(" · ");
  $("house-inspected").textContent = house.last_inspection_on
    ? _("Lần kiểm tra gần nhất: %(date)s", { date: formatDate(house.last_inspection_on) })
      + (house.follow_up_on ? " · " + _("hẹn kiểm tra lại %(date)s",
        { date: formatDate(house.follow_up_on) }) : "")
    : _("Chưa có lần kiểm tra nào.");
  $("house-pending").hidden = !house.pending;
}

const house = uuid ? (await findHouse(config.userId, uuid)) || (await fetchHouse(params.get("id")))
  : null;
if (!house) {
  $("house-name").textContent = _("Không tìm thấy cơ sở");
  $("house-missing").hidden = false;
  document.body.dataset.houseMissing = "true";
} else {
  showHouse(house);
  Object.assign(config, {
    houseUuid: uuid, submitUrl: `/api/v1/field/boarding-houses/${uuid}/inspections`,
    draftKey: draftKey(config.userId, `inspection:${uuid}`),
    values: { extinguishers: house.extinguishers ?? null, has_alarm: Boolean(house.has_alarm),
              has_escape_route: Boolean(house.has_escape_route) },
  });
  $("record-form").hidden = false;
  const photos = createPhotoPicker({
    input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
    onChange: () => controller && controller.touch(),
  });
  const check = (payload) => (payload.follow_up_on && payload.inspected_at &&
      payload.follow_up_on < payload.inspected_at.slice(0, 10)
    ? [{ field: "follow_up_on", message: _("Ngày hẹn kiểm tra lại phải từ ngày kiểm tra trở đi.") }]
    : []);
  controller = await initRecordForm({
    config, photos, picker: null, form: $("record-form"), check, single: true,
    kind: "inspection", title: () => _("Kiểm tra: %(name)s", { name: house.name }),
  });
}
