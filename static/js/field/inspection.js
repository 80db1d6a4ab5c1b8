/* "Kiểm tra cơ sở": result of an inspection (fire safety, residents, follow-up date). */

import { initPage } from "./common.js";
import { initRecordForm } from "./form.js";
import { createPhotoPicker } from "./photos.js";

const config = initPage();
const $ = (id) => document.getElementById(id);
const houseName = $("house-card").querySelector("h2").textContent.trim();
let controller = null;

const photos = createPhotoPicker({
  input: $("photo-input"), list: $("photo-list"), status: $("photo-status"),
  onChange: () => controller && controller.touch(),
});

function check(payload) {
  const errors = [];
  if (payload.follow_up_on && payload.inspected_at &&
      payload.follow_up_on < payload.inspected_at.slice(0, 10)) {
    errors.push({ field: "follow_up_on", message: "Ngày hẹn kiểm tra lại phải từ ngày kiểm tra "
      + "trở đi." });
  }
  return errors;
}

controller = await initRecordForm({
  config, photos, picker: null, form: $("record-form"), check, single: true,
  kind: "inspection", title: () => `Kiểm tra: ${houseName}`,
});
