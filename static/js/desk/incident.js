// Incident record page: the status buttons post to POST /api/v1/incidents/<id>/transition
// (docs/field-api.md) as multipart/form-data with a `payload` JSON field and a fresh uuid.
// A retry of the same content after a network failure reuses its uuid, so it is stored once.
import { _ } from "../i18n.js";

function bindTransitions(form) {
  const message = form.querySelector(".form-message");
  const buttons = Array.from(form.querySelectorAll("button[data-to]"));
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let pending = null; // {key, uuid}: the last attempt that got no answer

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context (https or localhost); a ward server reached
    // over plain http on the LAN still has getRandomValues.
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function show(text, kind) {
    message.hidden = !text;
    message.className = `form-message ${kind || "error"}`;
    message.textContent = "";
    if (!text) return;
    const lines = Array.isArray(text) ? text : [text];
    lines.forEach((line, i) => {
      if (i) message.appendChild(document.createElement("br"));
      message.appendChild(document.createTextNode(line));
    });
  }

  function payloadFor(to) {
    const body = { to };
    const note = (form.elements.note && form.elements.note.value.trim()) || "";
    if (note) body.note = note;
    if (to === "minutes_issued") {
      body.minutes_no = form.elements.minutes_no.value.trim();
      const fine = form.elements.fine_vnd.value.trim();
      if (fine !== "") body.fine_vnd = Number(fine);
    }
    return body;
  }

  function errorLines(body, status) {
    const error = (body && body.error) || {};
    const lines = [error.message || _("Lỗi %(status)s.", { status })];
    for (const item of error.errors || []) {
      if (item.message && !lines[0].includes(item.message)) lines.push(`• ${item.message}`);
    }
    return lines;
  }

  async function send(button) {
    const to = button.dataset.to;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const body = payloadFor(to);
    const key = JSON.stringify(body);
    if (!pending || pending.key !== key) pending = { key, uuid: uuid4() };
    const data = new FormData();
    data.append("payload", JSON.stringify({ uuid: pending.uuid, ...body }));
    buttons.forEach((b) => { b.disabled = true; });
    show(_("Đang gửi…"), "info");
    let response;
    try {
      response = await fetch(form.dataset.url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
    } catch (_err) {
      buttons.forEach((b) => { b.disabled = false; });
      show(_("Không gửi được (mất kết nối?). Kiểm tra mạng rồi bấm lại — thao tác sẽ không bị ghi hai lần."));
      return;
    }
    pending = null;
    if (response.ok) {
      show(_("Đã cập nhật. Đang tải lại…"), "ok");
      window.location.reload();
      return;
    }
    buttons.forEach((b) => { b.disabled = false; });
    let parsed = null;
    try { parsed = await response.json(); } catch (_err) { parsed = null; }
    if (response.status === 401) {
      show(_("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi thao tác lại."));
      const link = document.createElement("a");
      link.href = form.dataset.login;
      link.textContent = " " + _("Đăng nhập");
      message.appendChild(link);
      return;
    }
    if (response.status === 403) {
      show((parsed && parsed.error && parsed.error.message) || _("Bạn không có quyền thực hiện thao tác này."));
      return;
    }
    show(errorLines(parsed, response.status));
  }

  buttons.forEach((button) => button.addEventListener("click", () => send(button)));
  // A message about the previous attempt goes away as soon as the form is changed.
  form.addEventListener("input", () => { if (!message.classList.contains("info")) show(""); });
}

const transitionForm = document.getElementById("transition-form");
if (transitionForm) bindTransitions(transitionForm);
