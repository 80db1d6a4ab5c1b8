/* Form fields by their data-type: read/write raw values (drafts), typed JSON payload,
 * validation with Vietnamese messages, and showing errors next to the fields. */

import { readJson } from "../html.js";
import { _ } from "../i18n.js";

// The server's own rules (geo/schema.py, embedded in the page as #limits): the phone refuses
// what the server would, no number copied here. Phone numbers: +84 stands for the 0.
const LIMITS = readJson("limits");
const whole = (pattern) => new RegExp(`^(?:${pattern})$`);
const PHONE = whole(LIMITS.phonePattern);
const ID_NUMBER = whole(LIMITS.idNumberPattern);

function nodes(form) {
  return Array.from(form.querySelectorAll("[name][data-type]"));
}

/** A field inside a hidden conditional block is not part of the record. */
export function isActive(node) {
  return !node.closest("[data-show-when][hidden]");
}

function labelOf(form, name) {
  const wrapper = form.querySelector(`[data-field="${name}"]`);
  if (!wrapper) return name;
  const ref = wrapper.getAttribute("aria-labelledby");
  const label = wrapper.querySelector("label[for], .label") ||
    (ref && document.getElementById(ref));
  const text = label ? label.textContent : wrapper.getAttribute("aria-label") || name;
  return text.replace("*", "").replace(/\s+/g, " ").trim();
}

export function readRaw(form) {
  const raw = {};
  for (const node of nodes(form)) {
    if (node.type === "checkbox") raw[node.name] = node.checked;
    else if (node.type === "radio") {
      if (!(node.name in raw)) raw[node.name] = "";
      if (node.checked) raw[node.name] = node.value;
    } else raw[node.name] = node.value;
  }
  return raw;
}

export function writeRaw(form, raw) {
  for (const node of nodes(form)) {
    if (!(node.name in raw)) continue;
    const value = raw[node.name];
    if (node.type === "checkbox") node.checked = Boolean(value);
    else if (node.type === "radio") node.checked = String(value) === node.value;
    else node.value = value == null ? "" : String(value);
  }
}

/** Server values (edit pages): booleans, numbers and dates into the inputs. */
export function writeValues(form, values) {
  const raw = {};
  for (const [key, value] of Object.entries(values)) {
    raw[key] = typeof value === "boolean" && form.querySelector(`[name="${key}"][type=radio]`)
      ? String(value) : value;
  }
  writeRaw(form, raw);
}

/** Show the blocks whose ``data-show-when="field=a|b"`` matches the form's values. */
export function updateConditionals(form) {
  const raw = readRaw(form);
  form.querySelectorAll("[data-show-when]").forEach((block) => {
    const [name, values] = block.dataset.showWhen.split("=");
    block.hidden = !values.split("|").includes(raw[name]);
  });
}

function offset(date) {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function typed(node, raw) {
  const value = typeof raw === "string" ? raw.trim().normalize("NFC") : raw;
  switch (node.dataset.type) {
    case "bool": return Boolean(value);
    case "bool-choice": return value === "" ? null : value === "true";
    case "int": return value === "" ? null : Number(value);
    case "phone": return value === "" ? null : value.replace(/[\s.\-()]/g, "");
    case "datetime": {
      if (!value) return null;
      const local = value.length === 16 ? `${value}:00` : value;
      return `${local}${offset(new Date(local))}`;
    }
    default: return value === "" ? null : value;
  }
}

/** The record's fields as JSON values (inactive conditional fields are null). */
export function typedPayload(form) {
  const raw = readRaw(form);
  const payload = {};
  const seen = new Set();
  for (const node of nodes(form)) {
    if (seen.has(node.name)) continue;
    seen.add(node.name);
    payload[node.name] = isActive(node) ? typed(node, raw[node.name]) : null;
  }
  return payload;
}

function todayText() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-` +
    `${String(d.getDate()).padStart(2, "0")}`;
}

/** [{field, message}] for what is missing or malformed. */
export function validate(form) {
  const raw = readRaw(form);
  const errors = [];
  const seen = new Set();
  for (const node of nodes(form)) {
    if (seen.has(node.name) || !isActive(node)) continue;
    seen.add(node.name);
    const value = typeof raw[node.name] === "string" ? raw[node.name].trim() : raw[node.name];
    const label = labelOf(form, node.name);
    const add = (message) => errors.push({ field: node.name, message });
    if (node.required && (value === "" || value == null)) {
      add(node.type === "radio" || node.tagName === "SELECT" ? _("Vui lòng chọn: %(label)s.", { label })
        : _("Vui lòng nhập: %(label)s.", { label }));
      continue;
    }
    if (value === "" || value == null || value === false) continue;
    const type = node.dataset.type;
    if (type === "int") {
      const number = Number(value);
      const min = node.min === "" ? -Infinity : Number(node.min);
      const max = node.max === "" ? Infinity : Number(node.max);
      if (!Number.isInteger(number) || number < min || number > max) {
        add(Number.isFinite(max)
          ? _("%(label)s: nhập số nguyên từ %(min)s đến %(max)s.", { label, min: node.min, max: node.max })
          : _("%(label)s: nhập số nguyên từ %(min)s trở lên.",
            { label, min: Number.isFinite(min) ? min : 0 }));
      }
    } else if (type === "phone" && !PHONE.test(value.replace(/[\s.\-()]/g, "")
      .replace(/^\+84/, "0"))) {
      add(LIMITS.messages.phone);
    } else if (type === "digits" && !ID_NUMBER.test(value)) {
      add(LIMITS.messages.idNumber);
    } else if (type === "date" && node.dataset.notFuture && value > todayText()) {
      add(_("%(label)s: không được là ngày trong tương lai.", { label }));
    } else if (type === "datetime" && node.dataset.notFuture &&
               new Date(value).getTime() > Date.now() + LIMITS.clockSkewMs) {
      add(_("%(label)s: không được là thời điểm trong tương lai.", { label }));
    }
  }
  return errors;
}

/** Show ``errors`` ([{field, message}]) by their fields; others in the form's error box. */
export function showErrors(form, errors, summary) {
  form.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
  const box = document.getElementById("form-error");
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const name = String(error.field || "").split(/[.[]/)[0];
    const target = name && document.getElementById(`e-${name}`);
    if (!target) { unplaced.push(error.message); continue; }
    target.textContent = target.textContent ? `${target.textContent} ${error.message}`
      : error.message;
    target.hidden = false;
    const input = form.querySelector(`[name="${name}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
    first = first || target.closest(".field, .card") || target;
  }
  if (box) {
    const lines = [summary, ...unplaced].filter(Boolean);
    box.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"),
                                                              { textContent: line })));
    box.hidden = lines.length === 0;
    if (!first && lines.length) first = box;
  }
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

/** The officer changed ``name``: its error no longer applies. */
export function clearError(form, name) {
  const target = document.getElementById(`e-${name}`);
  if (target) { target.hidden = true; target.textContent = ""; }
  form.querySelectorAll(`[name="${name}"][aria-invalid]`)
    .forEach((n) => n.removeAttribute("aria-invalid"));
}
