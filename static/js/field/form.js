/* A field form: its draft (with the record's UUID) kept in IndexedDB while it is filled in,
 * validation, and "Lưu": the record goes into the outbox first, then the sender tries it. */

import { derivedList, h } from "./common.js";
import { drafts, outbox } from "./queue.js";
import { sendAll } from "./sender.js";
import { _ } from "../i18n.js";
import { clearError, readRaw, showErrors, typedPayload, updateConditionals, validate,
         writeRaw, writeValues } from "./fields.js";

const pad = (n) => String(n).padStart(2, "0");

/** Local time as the value of an <input type="datetime-local">. */
export function localNow() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * options: config, form, picker (location or null), photos, kind, title(payload),
 * check(payload) → extra errors, beforeQueue(payload) → payload | null (cancel), single
 * (an edit or inspection: one record per page).
 */
export async function initRecordForm(options) {
  const { config, form, picker, photos } = options;
  const $ = (id) => document.getElementById(id);
  const saveButton = $("save-button");
  const hint = $("save-hint");
  const formError = $("form-error");
  const result = $("result");
  let uuid = null;
  let touched = false;
  let writes = Promise.resolve();
  let timer = null;

  function defaults() {
    form.reset();
    writeValues(form, config.values || {});
    form.querySelectorAll('[data-default="now"]').forEach((n) => { n.value = localNow(); });
    if (photos) photos.clear();
    if (picker) {
      if (config.location) picker.setValue(config.location, { fixed: true });
      else picker.reset();
    }
    updateConditionals(form);
  }

  /** The draft; until the officer changes something it holds only the UUID (an edit page
   * must not leave the owner's data on the phone just because it was opened). */
  function snapshot() {
    if (!touched) return { key: config.draftKey, uuid, touched };
    return { key: config.draftKey, uuid, touched, fields: readRaw(form),
             location: picker ? picker.value() : null, photos: photos ? photos.blobs() : [] };
  }

  /** Queue a draft write; writes happen in order and only for the form's current UUID. */
  function saveDraft() {
    clearTimeout(timer);
    timer = null;
    const draft = snapshot();
    writes = writes.then(() => (draft.uuid === uuid ? drafts.put(draft) : null))
      .catch((err) => console.warn("draft", err));
    return writes;
  }

  /** Save the draft soon; ``mark``: the officer changed something (not just the GPS). */
  function touch(mark = true) {
    if (mark) touched = true;
    if (!form.querySelector(".field-error:not([hidden])")) {
      hint.textContent = "";
      if (formError) formError.hidden = true;
    }
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 300);
  }

  async function startNew() {
    uuid = newUuid();
    form.dataset.uuid = uuid;
    touched = false;
    defaults();
    await saveDraft();
  }

  async function restore() {
    const draft = await drafts.get(config.draftKey).catch(() => null);
    if (!draft || !draft.uuid) return startNew();
    uuid = draft.uuid;
    form.dataset.uuid = uuid;
    touched = Boolean(draft.touched);
    defaults();
    writeRaw(form, draft.fields || {});
    if (photos) photos.set(draft.photos || []);
    if (picker && draft.location) {
      picker.setValue(draft.location, { fixed: Boolean(config.location) && !draft.location.manual });
    }
    updateConditionals(form);
    $("draft-note").hidden = !draft.touched;
    if (draft.message || (draft.errors && draft.errors.length)) {
      showErrors(form, draft.errors || [], draft.message);
    }
    return null;
  }

  function showResult(title, body, { again = !options.single, level = "ok" } = {}) {
    $("result-title").textContent = title;
    $("result-body").replaceChildren(...[body].flat().filter(Boolean));
    $("result-again").hidden = !again;
    result.dataset.level = level;
    result.hidden = false;
    result.scrollIntoView({ block: "center" });
    result.focus({ preventScroll: true });
  }

  function describeOutcome(outcome, payload) {
    if (outcome && outcome.kind === "ok") {
      const body = outcome.body || {};
      const note = body.replayed ? h("p", { class: "muted" },
        _("Máy chủ đã có bản ghi này từ trước (gửi lại), không tạo thêm.")) : null;
      const attached = payload.attach_to ? h("p", {},
        _("Đã gộp vào vụ số %(number)s.", { number: payload.attach_to })) : null;
      const link = body.url ? h("p", {}, h("a", { href: body.url }, _("Xem bản ghi"))) : null;
      form.dataset.state = "sent";
      return showResult(_("Đã gửi lên máy chủ"), [attached, derivedList(body.derived), note, link]);
    }
    form.dataset.state = "queued";
    // Say what actually stopped it: the session, no network, or a server out of reach.
    const auth = outcome && outcome.kind === "auth";
    const why = auth ? _("Phiên đăng nhập đã hết: đăng nhập lại để gửi.")
      : (outcome && outcome.message) || (navigator.onLine
        ? _("Chưa gửi được: không kết nối được máy chủ. Sẽ tự gửi lại.")
        : _("Chưa có mạng: bản ghi nằm trong hàng chờ và sẽ tự gửi khi có mạng."));
    const login = auth ? h("p", {}, h("a", { class: "button primary", "data-login": "",
                                             href: "/auth/login?next=/field/%23queue" },
                                        _("Đăng nhập lại để gửi"))) : null;
    return showResult(_("Đã lưu trên máy"), [h("p", {}, why),
      h("p", { class: "muted" }, _("Bản ghi vẫn nằm an toàn trên máy này.")), login],
    { level: "warn" });
  }

  async function submit(event) {
    event.preventDefault();
    if (form.dataset.busy === "true") return;
    const problems = validate(form);
    let location = null;
    if (picker) {
      location = picker.value();
      const check = picker.check();
      if (!check.ok) problems.push({ field: "location", message: check.message });
    }
    let payload = { uuid, ...typedPayload(form) };
    if (picker) payload.location = location;
    if (options.check) problems.push(...options.check(payload));
    if (problems.length) {
      showErrors(form, problems, _("Chưa lưu được: hãy sửa các mục được đánh dấu."));
      hint.textContent = problems.length === 1 ? problems[0].message
        : _("Còn %(count)s mục cần sửa.", { count: problems.length });
      return;
    }
    showErrors(form, []);
    hint.textContent = "";
    form.dataset.busy = "true";
    saveButton.disabled = true;
    try {
      touched = true;
      await saveDraft();
      if (options.beforeQueue) payload = await options.beforeQueue(payload);
      if (!payload) return;
      const draft = snapshot();
      delete draft.photos;
      const item = { uuid, kind: options.kind, title: options.title(payload), url: config.submitUrl,
                     payload, photos: photos ? photos.blobs() : [], userId: config.userId,
                     formUrl: window.location.pathname + window.location.search,
                     draftKey: config.draftKey, draft };
      await outbox.enqueue(item, config.draftKey);
      form.dataset.lastSaved = uuid;
      $("draft-note").hidden = true;
      if (options.single) form.classList.add("done");
      else await startNew();
      showResult(_("Đã lưu trên máy"), h("p", {}, _("Đang gửi…")), { level: "warn", again: false });
      const outcomes = await sendAll().catch(() => new Map());
      const outcome = outcomes.get(item.uuid);
      if (outcome && outcome.kind === "refused") {
        await handleRefused(item, outcome);
      } else {
        describeOutcome(outcome, payload);
      }
    } finally {
      form.dataset.busy = "false";
      saveButton.disabled = false;
    }
  }

  /** The server refused the record just saved: take it back into the form to be corrected. */
  async function handleRefused(item, outcome) {
    const queued = (await outbox.all()).find((i) => i.uuid === item.uuid);
    result.hidden = true;
    form.classList.remove("done");
    if (queued) {
      await writes;
      const reopened = await outbox.reopen(queued.seq);
      if (reopened && reopened !== "busy") {
        await restore();
        form.dataset.state = "refused";
        return;
      }
    }
    form.dataset.state = "refused";
    showResult(_("Máy chủ từ chối bản ghi"), h("p", {}, outcome.message), { level: "error" });
  }

  form.addEventListener("submit", submit);
  const edited = (event) => {
    updateConditionals(form);
    if (event.target.name) clearError(form, event.target.name);
    touch();
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  $("draft-discard").addEventListener("click", async () => {
    await drafts.remove(config.draftKey);
    $("draft-note").hidden = true;
    showErrors(form, []);
    await startNew();
  });
  $("result-again").addEventListener("click", (event) => {
    event.preventDefault();
    result.hidden = true;
    window.scrollTo({ top: 0 });
  });
  window.addEventListener("pagehide", () => { if (timer) saveDraft(); });
  if (formError) formError.hidden = true;
  await restore();
  form.dataset.ready = "true";
  return { touch };
}
