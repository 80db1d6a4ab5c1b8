/* Field home: this account's outbox (what waits, what is being sent, what the server
 * refused) and the last records it delivered with what the server derived. Records of other
 * accounts on a shared phone are only counted (an admin can export them); the working set,
 * houses nearby and the phone's storage are in home-offline.js. */

import { derivedList, h, initPage, stateText, waitingText } from "./common.js";
import { formatDateTime } from "../dates.js";
import { _, ngettext } from "../i18n.js";
import { initOffline } from "./home-offline.js";
import { drafts, onChange, outbox, sent } from "./queue.js";
import { sendAll } from "./sender.js";

const config = await initPage();
const $ = (id) => document.getElementById(id);
const sendButton = $("send-now");

async function takeBack(item) {
  const existing = await drafts.get(item.draftKey).catch(() => null);
  if (existing && existing.touched && existing.uuid !== item.uuid) {
    window.alert(_("Biểu mẫu này đang có bản nháp chưa lưu. Hãy lưu hoặc bỏ bản nháp đó trước."));
    return;
  }
  const moved = await outbox.reopen(item.seq);
  if (moved && moved !== "busy") window.location.href = item.formUrl;
}

async function discard(item) {
  const question = _("Bỏ hẳn bản ghi \"%(title)s\"? Bản ghi sẽ bị xóa khỏi máy này.",
    { title: item.title });
  if (!window.confirm(question)) return;
  await outbox.remove(item.seq);
}

function queueEntry(item) {
  const mine = item.userId == null || item.userId === config.userId;
  const errors = (item.errors || []).filter((e) => e.message &&
    !String(item.message || "").includes(e.message));
  return h("li", { class: "item", dataset: { state: item.state, uuid: item.uuid } },
    h("p", { class: "item-title" }, item.title || _("Bản ghi")),
    h("p", { class: "muted" }, _("Lưu lúc %(time)s", { time: formatDateTime(item.createdAt) }) +
      (item.photos && item.photos.length ? " · " + ngettext("%(count)s ảnh", "%(count)s ảnh",
        item.photos.length, { count: item.photos.length }) : "")),
    h("p", { class: "item-state" }, stateText(item, config.userId)),
    errors.length ? h("ul", { class: "item-errors" }, errors.map((e) => h("li", {}, e.message)))
      : null,
    item.state === "error" && mine ? h("p", { class: "item-actions" },
      item.status === 400 ? h("button", { type: "button", class: "button secondary",
                                          onclick: () => takeBack(item) }, _("Sửa lại")) : null,
      h("button", { type: "button", class: "button danger", onclick: () => discard(item) },
        _("Bỏ bản ghi"))) : null);
}

function sentEntry(record) {
  return h("li", { class: "item", dataset: { uuid: record.uuid } },
    h("p", { class: "item-title" }, record.title || _("Bản ghi"),
      record.derived && record.derived.is_repeat
        ? h("span", { class: "tag-repeat" }, _("Tái vi phạm")) : null),
    h("p", { class: "muted" }, _("Đã gửi lúc %(time)s", { time: formatDateTime(record.sentAt) }) +
      (record.replayed ? " " + _("(máy chủ đã có từ trước)") : "")),
    derivedList(record.derived),
    record.url ? h("p", {}, h("a", { href: record.url }, _("Xem bản ghi"))) : null);
}

const mine = (item) => item.userId == null || item.userId === config.userId;

/** A file with the records other accounts left on this phone (admin only): what to hand to
 *  their owners or the ward's IT officer if they can never sign in here again. */
async function exportOthers() {
  const items = (await outbox.all()).filter((item) => !mine(item));
  const records = await Promise.all(items.map(async (item) => ({
    uuid: item.uuid, userId: item.userId, kind: item.kind, title: item.title, url: item.url,
    state: item.state, createdAt: new Date(item.createdAt).toISOString(), payload: item.payload,
    photos: await Promise.all((item.photos || []).map(blobToDataUrl)),
  })));
  const file = new Blob([JSON.stringify({ exported_at: new Date().toISOString(),
    exported_by: config.userId, ward: config.ward.code, records }, null, 1)],
  { type: "application/json" });
  const link = h("a", { href: URL.createObjectURL(file),
    download: `urbanorder-ban-ghi-cho-${config.ward.code}-${Date.now()}.json` });
  document.body.append(link);
  link.click();
  link.remove();
}

function blobToDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function render() {
  const items = (await outbox.all()).filter(mine).sort((a, b) => a.seq - b.seq);
  const counts = await outbox.counts(config.userId);
  const heading = $("queue-count");
  heading.textContent = waitingText(counts.waiting) +
    (counts.error ? " · " + ngettext("%(count)s bản ghi cần sửa", "%(count)s bản ghi cần sửa",
      counts.error, { count: counts.error }) : "");
  heading.dataset.count = String(counts.waiting);
  heading.dataset.errors = String(counts.error);
  $("queue-list").replaceChildren(...items.map(queueEntry));
  sendButton.hidden = counts.waiting === 0;
  $("others").hidden = counts.others === 0;
  $("others-count").textContent = ngettext(
    "%(count)s bản ghi của tài khoản khác đang chờ người ghi nhận đăng nhập lại trên máy này để gửi (không hiển thị ở đây).",
    "%(count)s bản ghi của tài khoản khác đang chờ người ghi nhận đăng nhập lại trên máy này để gửi (không hiển thị ở đây).",
    counts.others, { count: counts.others });
  $("others-export").hidden = !["admin", "superadmin"].includes(config.role);
  const recent = await sent.recent(10, config.userId);
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

$("others-export").addEventListener("click", () => exportOthers().catch((err) => {
  window.alert(_("Không xuất được tệp: %(reason)s", { reason: err.message }));
}));

sendButton.addEventListener("click", async () => {
  sendButton.disabled = true;
  sendButton.textContent = _("Đang gửi…");
  try {
    await sendAll();
  } finally {
    sendButton.disabled = false;
    sendButton.textContent = _("Gửi ngay");
  }
});

onChange(scheduleRender);
await render();
document.body.dataset.homeReady = "true";
initOffline(config);
