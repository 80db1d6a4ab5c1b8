/* Shared by every field page: page config, small DOM helpers, the network / outbox status
 * strip, the service worker, and the labels of what the server derived. */

import { draftKey, drafts, onChange, outbox, sent, workset } from "./queue.js";
import { sendAll, startSender } from "./sender.js";
import { forgetSession, whoIsSignedIn } from "./session.js";
import { readJson } from "../html.js";
import { _, ngettext } from "../i18n.js";

export function readConfig() {
  return readJson("field-config");
}

/** ``h("li", {class: "x"}, "text", child)``: a DOM element (text is never parsed as HTML). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** "3 bản ghi đang chờ gửi" etc. */
export function waitingText(n) {
  return n === 0 ? _("Không có bản ghi nào đang chờ gửi")
    : ngettext("%(count)s bản ghi đang chờ gửi", "%(count)s bản ghi đang chờ gửi", n, { count: n });
}

/** The label of an outbox item's state. */
export function stateText(item, userId) {
  if (userId != null && item.userId != null && item.userId !== userId) {
    return _("Của tài khoản khác: chờ người ghi nhận đăng nhập để gửi");
  }
  switch (item.state) {
    case "sending": return _("Đang gửi…");
    case "auth": return _("Đăng nhập lại để gửi");
    case "error": return _("Cần sửa: %(reason)s",
      { reason: item.message || _("máy chủ từ chối bản ghi") });
    default:
      if (!item.attempts) return _("Đang chờ gửi");
      return item.message ? _("Đang chờ gửi lại — %(reason)s", { reason: item.message })
        : _("Đang chờ gửi lại");
  }
}

/** What the server worked out from the location, as a list (khu phố, street, …). */
export function derivedList(derived) {
  const list = h("ul", { class: "derived" });
  if (!derived) return list;
  if ("neighbourhood" in derived) { // records with a place (an inspection has none)
    const kp = derived.neighbourhood;
    list.append(h("li", {}, h("b", {}, _("Khu phố: ")), kp ? `${kp.name} (${kp.code})`
      : _("không xác định")));
    list.append(h("li", {}, h("b", {}, _("Đường: ")), derived.street || _("không gần tuyến nào")));
  }
  if (derived.model_street) {
    list.append(h("li", {}, h("b", {}, _("Tuyến/cụm kiểu mẫu: ")), derived.model_street));
  }
  if (derived.is_repeat) {
    list.append(h("li", { class: "repeat" }, h("span", { class: "tag-repeat" }, _("Tái vi phạm")),
                  " — " + _("đã có vụ cùng loại tại đây trong 90 ngày")));
  }
  if (derived.location_note) list.append(h("li", { class: "muted" }, derived.location_note));
  return list;
}

function watchNetwork() {
  const node = document.getElementById("net-state");
  const update = () => {
    const online = navigator.onLine;
    if (node) {
      node.dataset.online = String(online);
      node.textContent = online ? _("Có mạng") : _("Mất mạng");
      node.title = online ? "" : _("Vẫn ghi nhận được: bản ghi lưu trên máy, tự gửi khi có mạng.");
    }
    document.body.dataset.online = String(online);
  };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}

async function updateBadge(config) {
  const counts = await outbox.counts(config.userId);
  const badge = document.getElementById("queue-badge");
  if (badge) {
    badge.querySelector("[data-queue-count]").textContent = String(counts.waiting + counts.error);
    badge.hidden = counts.waiting + counts.error === 0;
    badge.dataset.error = String(counts.error > 0);
  }
  // The session has ended: say so plainly, with how many records wait, and a way back.
  const banner = document.getElementById("session-ended");
  if (banner) {
    const ended = config.signedOut || counts.auth > 0;
    banner.hidden = !ended;
    const n = counts.waiting;
    banner.querySelector("[data-session-text]").textContent = n
      ? ngettext("Phiên đăng nhập đã hết — đăng nhập lại để gửi %(count)s bản ghi.",
        "Phiên đăng nhập đã hết — đăng nhập lại để gửi %(count)s bản ghi.", n, { count: n })
      : _("Phiên đăng nhập đã hết — đăng nhập lại để tiếp tục gửi bản ghi.");
  }
}

/** Sign out (or switch user): this account's working set is removed first; its queued
 *  records and drafts stay, for it alone. */
function guardSignOut(config) {
  document.querySelectorAll("form.signout").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.cleared === "true") return;
      event.preventDefault();
      await forgetSession(config.userId);
      form.dataset.cleared = "true";
      form.submit();
    });
  });
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    if (navigator.onLine && registration.active) {
      registration.active.postMessage({ type: "cache-pages" });
    }
    document.body.dataset.sw = "ready";
  } catch (err) {
    document.body.dataset.sw = "failed";
    console.warn("service worker", err);
  }
}

/** Start what every field page needs; resolves with the page config, its ``userId`` the
 *  account actually signed in (a page from the offline cache may be another account's). */
export async function initPage() {
  const config = readConfig();
  watchNetwork();
  const user = await whoIsSignedIn(config);
  config.pageUserId = config.userId;
  if (user.signedOut) {
    config.signedOut = true;
  } else if (user.id != null) {
    if (user.source === "server" && user.id !== config.userId &&
        !sessionStorage.getItem("urbanorder-reloaded")) {
      // The page was made for someone else (offline cache): get this account's page.
      sessionStorage.setItem("urbanorder-reloaded", "1");
      window.location.reload();
      await new Promise(() => {}); // the reload replaces this page
    }
    Object.assign(config, { userId: user.id, userName: user.full_name || user.username,
                            role: user.role || config.role });
  }
  sessionStorage.removeItem("urbanorder-reloaded");
  if (config.draftKey) config.draftKey = draftKey(config.userId, config.draftKey);
  const who = document.getElementById("field-user");
  if (who && config.userName) who.textContent = config.userName;
  guardSignOut(config);
  onChange(() => { updateBadge(config).catch(() => null); });
  updateBadge(config).catch(() => null);
  startSender(config);
  registerServiceWorker();
  // For support and the browser tests: look into the phone's store from the console.
  window.urbanField = { outbox, drafts, sent, sendAll, workset, config };
  return config;
}
