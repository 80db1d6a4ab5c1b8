/* Field home: the outbox (what waits, what is being sent, what the server refused), the
 * last records delivered with what the server derived, and boarding houses nearby. */

import { derivedList, formatDateTime, h, initPage, stateText, waitingText } from "./common.js";
import { drafts, onChange, outbox, sent } from "./queue.js";
import { sendAll } from "./sender.js";

const config = initPage();
const $ = (id) => document.getElementById(id);
const sendButton = $("send-now");

async function takeBack(item) {
  const existing = await drafts.get(item.draftKey).catch(() => null);
  if (existing && existing.touched && existing.uuid !== item.uuid) {
    window.alert("Biểu mẫu này đang có bản nháp chưa lưu. Hãy lưu hoặc bỏ bản nháp đó trước.");
    return;
  }
  const moved = await outbox.reopen(item.seq);
  if (moved && moved !== "busy") window.location.href = item.formUrl;
}

async function discard(item) {
  if (!window.confirm(`Bỏ hẳn bản ghi "${item.title}"? Bản ghi sẽ bị xóa khỏi máy này.`)) return;
  await outbox.remove(item.seq);
}

function queueEntry(item) {
  const mine = item.userId == null || item.userId === config.userId;
  const errors = (item.errors || []).filter((e) => e.message &&
    !String(item.message || "").includes(e.message));
  return h("li", { class: "item", dataset: { state: item.state, uuid: item.uuid } },
    h("p", { class: "item-title" }, item.title || "Bản ghi"),
    h("p", { class: "muted" }, `Lưu lúc ${formatDateTime(item.createdAt)}` +
      (item.photos && item.photos.length ? ` · ${item.photos.length} ảnh` : "")),
    h("p", { class: "item-state" }, stateText(item, config.userId)),
    errors.length ? h("ul", { class: "item-errors" }, errors.map((e) => h("li", {}, e.message)))
      : null,
    item.state === "error" && mine ? h("p", { class: "item-actions" },
      item.status === 400 ? h("button", { type: "button", class: "button secondary",
                                          onclick: () => takeBack(item) }, "Sửa lại") : null,
      h("button", { type: "button", class: "button danger", onclick: () => discard(item) },
        "Bỏ bản ghi")) : null);
}

function sentEntry(record) {
  return h("li", { class: "item", dataset: { uuid: record.uuid } },
    h("p", { class: "item-title" }, record.title || "Bản ghi",
      record.derived && record.derived.is_repeat ? h("span", { class: "tag-repeat" }, "Tái vi phạm")
        : null),
    h("p", { class: "muted" }, `Đã gửi lúc ${formatDateTime(record.sentAt)}` +
      (record.replayed ? " (máy chủ đã có từ trước)" : "")),
    derivedList(record.derived),
    record.url ? h("p", {}, h("a", { href: record.url }, "Xem bản ghi")) : null);
}

async function render() {
  const items = (await outbox.all()).sort((a, b) => a.seq - b.seq);
  const counts = await outbox.counts();
  const heading = $("queue-count");
  heading.textContent = waitingText(counts.waiting) +
    (counts.error ? ` · ${counts.error} bản ghi cần sửa` : "");
  heading.dataset.count = String(counts.waiting);
  heading.dataset.errors = String(counts.error);
  $("queue-list").replaceChildren(...items.map(queueEntry));
  sendButton.hidden = counts.waiting === 0;
  $("auth-needed").hidden = counts.auth === 0;
  const recent = await sent.recent(10);
  $("sent").hidden = recent.length === 0;
  $("sent-list").replaceChildren(...recent.map(sentEntry));
}

let pending = null;
function scheduleRender() {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    render().catch((err) => console.warn("outbox", err));
  }, 50);
}

sendButton.addEventListener("click", async () => {
  sendButton.disabled = true;
  sendButton.textContent = "Đang gửi…";
  try {
    await sendAll();
  } finally {
    sendButton.disabled = false;
    sendButton.textContent = "Gửi ngay";
  }
});

/* Boarding houses within 100 m of the phone (police and admin). */
function loadNearby() {
  const status = $("nearby-status");
  if (!status) return;
  if (!navigator.onLine) {
    status.textContent = "Cần có mạng để tải danh sách cơ sở gần đây.";
    return;
  }
  if (!("geolocation" in navigator)) {
    status.textContent = "Máy không hỗ trợ định vị.";
    return;
  }
  status.textContent = "Đang lấy vị trí…";
  navigator.geolocation.getCurrentPosition(async (pos) => {
    const query = new URLSearchParams({ lon: pos.coords.longitude.toFixed(7),
                                        lat: pos.coords.latitude.toFixed(7) });
    try {
      const response = await fetch(`${config.api.nearbyHouses}?${query}`, {
        credentials: "same-origin", headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(8000),
      });
      if (!response.ok) throw new Error(String(response.status));
      const houses = (await response.json()).boarding_houses || [];
      status.textContent = houses.length ? `${houses.length} cơ sở trong vòng 100 m ` +
        `(vị trí ±${Math.round(pos.coords.accuracy)} m).` : "Không có cơ sở nào trong vòng 100 m.";
      $("nearby-list").replaceChildren(...houses.map((house) => h("li", { class: "item" },
        h("p", { class: "item-title" }, house.name),
        h("p", { class: "muted" }, `${house.address || ""} · cách ${Math.round(house.distance_m)} m`),
        h("p", { class: "item-actions" },
          h("a", { class: "button primary", href: `/field/boarding-houses/${house.uuid}/inspect` },
            "Kiểm tra"),
          h("a", { class: "button secondary", href: `/field/boarding-houses/${house.uuid}/edit` },
            "Sửa")))));
    } catch {
      status.textContent = "Không tải được danh sách cơ sở gần đây (mạng yếu?).";
    }
  }, () => {
    status.textContent = "Không lấy được vị trí. Hãy cho phép định vị rồi tải lại.";
  }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
}

if ($("nearby-refresh")) $("nearby-refresh").addEventListener("click", loadNearby);
window.addEventListener("online", loadNearby);
onChange(scheduleRender);
await render();
document.body.dataset.homeReady = "true";
loadNearby();
