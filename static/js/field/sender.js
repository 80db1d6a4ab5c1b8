/* Sends the outbox to the field API, oldest first, one loop at a time (also across tabs).
 *
 * Only the signed-in account's records are sent (the server is asked who that is before each
 * round, and each request names the record's account in X-Urbanorder-User, which the server
 * checks): on a shared phone the others' records wait for their owners.
 *
 * Records without photos go several to a request (POST /api/v1/field/batch, each stored as if
 * sent alone); a record with photos goes alone, as a form.
 *
 * 200/201: delivered, removed.  400/409 (and 403/404/413): refused, kept as "cần sửa" with
 * the server's message and not retried.  Network error, 5xx, 429: kept, retried later, the
 * loop stops so the order is kept.  401: kept, "Phiên đăng nhập đã hết", retried after
 * signing in. Every retry sends the same UUID: the server answers 200 "replayed" if it
 * already has it. */

import { readJson } from "../html.js";
import { outbox } from "./queue.js";
import { whoIsSignedIn } from "./session.js";
import { _ } from "../i18n.js";

const LOCK = "urbanorder-field-sender";
const RETRY_MS = 30000;
const TIMEOUT_MS = 60000;
const REFUSED = new Set([400, 403, 404, 409, 413, 415, 422]);
const BATCH_URL = "/api/v1/field/batch";
// Records sent to one batch request: the server's limit (geo/schema.py, the page's #limits).
const BATCH_MAX = readJson("limits").batchMaxRecords || 1;

let running = null;
let again = null;
let pageConfig = {};

export const MESSAGES = {
  offline: _("Chưa gửi được: không có kết nối mạng. Sẽ tự gửi lại."),
  unreachable: _("Chưa gửi được: không kết nối được máy chủ (mạng yếu?). Sẽ tự gửi lại."),
  server: _("Máy chủ đang lỗi, sẽ tự gửi lại sau."),
  auth: _("Phiên đăng nhập đã hết: đăng nhập lại để gửi."),
  otherUser: _("Của tài khoản khác: chờ người ghi nhận đăng nhập để gửi."),
  busy: _("Máy chủ đang bận, sẽ tự gửi lại sau."),
};

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** A fresh CSRF token from the server (the page may come from the offline cache). */
async function refreshToken() {
  try {
    const response = await fetch("/field/", { cache: "no-store", credentials: "same-origin" });
    if (response.redirected && new URL(response.url).pathname.startsWith("/auth/")) {
      return "auth";
    }
    const match = /name="csrf-token" content="([^"]+)"/.exec(await response.text());
    if (!match) return null;
    document.querySelector('meta[name="csrf-token"]').content = match[1];
    return "ok";
  } catch {
    return null;
  }
}

function errorOf(body, fallback) {
  const error = (body && body.error) || {};
  return { message: error.message || fallback, errors: error.errors || (error.field
    ? [{ field: error.field, message: error.message }] : []) };
}

/** What an answer means for one record: ok, refused, other (another account's), auth, retry. */
function outcome(status, body) {
  if (status === 200 || status === 201) return { kind: "ok", status, body };
  if (status === 401 && body && body.error && body.error.code === "other_user") {
    return { kind: "other", status, message: MESSAGES.otherUser };
  }
  if (status === 401) return { kind: "auth", status, message: MESSAGES.auth };
  if (REFUSED.has(status)) {
    const fallback = _("Máy chủ từ chối bản ghi (mã %(status)s).", { status });
    return { kind: "refused", status, ...errorOf(body, fallback) };
  }
  if (status === 429) return { kind: "retry", status, message: MESSAGES.busy };
  return { kind: "retry", status, message: MESSAGES.server };
}

/** One POST: { status, body } of the answer, or a "retry" outcome when none came. A stale
 * form token (page from the offline cache) is refreshed once and the request sent again. */
async function request(url, makeBody, headers, tokenRetried = false) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST", body: makeBody(), credentials: "same-origin", cache: "no-store",
      headers: { ...headers, "X-CSRFToken": csrfToken(), Accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { failed: { kind: "retry",
                       message: navigator.onLine ? MESSAGES.unreachable : MESSAGES.offline } };
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  const status = response.status;
  if (status === 400 && body && body.error && body.error.field === "csrf_token") {
    const fresh = tokenRetried ? null : await refreshToken();
    if (fresh === "auth") return { failed: { kind: "auth", status: 401, message: MESSAGES.auth } };
    if (fresh === "ok") return request(url, makeBody, headers, true);
    return { failed: { kind: "retry", status, message: errorOf(body, MESSAGES.server).message } };
  }
  return { status, body };
}

function userHeader(item) {
  return item.userId != null ? { "X-Urbanorder-User": String(item.userId) } : {};
}

async function post(item) {
  const photos = item.photos || [];
  let makeBody = () => JSON.stringify(item.payload);
  let headers = { "Content-Type": "application/json" };
  if (photos.length) {  // photos travel as files; a record without is its JSON (cheaper to parse)
    headers = {};
    makeBody = () => {
      const form = new FormData();
      form.append("payload", JSON.stringify(item.payload));
      photos.forEach((blob, i) => form.append("photos", blob, `anh-${i + 1}.jpg`));
      return form;
    };
  }
  const answer = await request(item.url, makeBody, { ...headers, ...userHeader(item) });
  return answer.failed || outcome(answer.status, answer.body);
}

/** Several records without photos in one request (POST /api/v1/field/batch): each is
 * stored, refused or replayed on the server as if sent alone; one outcome per record. */
async function postBatch(items) {
  const records = items.map((i) => ({ url: i.url, payload: i.payload, user: i.userId }));
  const answer = await request(BATCH_URL, () => JSON.stringify({ records }),
                               { "Content-Type": "application/json", ...userHeader(items[0]) });
  if (answer.failed) return items.map(() => answer.failed);
  const { status, body } = answer;
  if (status === 401 || status === 429 || status >= 500) {
    return items.map(() => outcome(status, body));
  }
  const results = status === 200 && body && body.results;
  if (Array.isArray(results) && results.length === items.length) {
    return results.map((result) => outcome(result.status, result));
  }
  // The batch itself refused (a server without batches, say): a refusal is the record's to
  // hear, never its batch's, so each is sent alone.
  const alone = [];
  for (const item of items) alone.push(await post(item));
  return alone;
}

/** Store a record's outcome in the outbox; false when sending must stop (keep the order). */
async function settle(item, result) {
  if (result.kind === "ok") {
    await outbox.delivered(item.seq, {
      uuid: item.uuid, title: item.title, kind: item.kind, status: result.status,
      userId: item.userId,
      replayed: Boolean(result.body && result.body.replayed),
      id: result.body && result.body.id, url: result.body && result.body.url,
      derived: (result.body && result.body.derived) || null,
    });
  } else if (result.kind === "refused") {
    await outbox.update(item.seq, { state: "error", message: result.message,
                                    errors: result.errors, status: result.status });
  } else if (result.kind === "other") {
    await outbox.update(item.seq, { state: "waiting", message: result.message });
  } else {
    const state = result.kind === "auth" ? "auth" : "waiting";
    await outbox.update(item.seq, { state, message: result.message, status: result.status });
    return false;
  }
  return true;
}

async function loop() {
  const outcomes = new Map();
  const items = (await outbox.all()).sort((a, b) => a.seq - b.seq);
  if (!items.some((i) => i.state !== "error")) return outcomes;
  const user = await whoIsSignedIn(pageConfig);
  if (user.signedOut) {
    // Nobody is signed in: every waiting record waits for its owner's next sign-in.
    for (const item of items.filter((i) => i.state !== "error")) {
      await outbox.update(item.seq, { state: "auth", message: MESSAGES.auth });
      outcomes.set(item.uuid, { kind: "auth", status: 401, message: MESSAGES.auth });
    }
    return outcomes;
  }
  const sendable = [];
  for (const item of items) {
    if (item.state === "error") continue; // waits for the officer, never resent by itself
    if (item.userId != null && item.userId !== user.id) {
      outcomes.set(item.uuid, { kind: "other", message: MESSAGES.otherUser });
      continue; // another account's record: never sent in this session
    }
    sendable.push(item);
  }
  // Oldest first: a run of records without photos goes as one batch, a record with photos
  // alone; the first record that must wait stops the round, so none overtakes it.
  let next = 0;
  while (next < sendable.length) {
    let end = next + 1;
    if (!(sendable[next].photos || []).length) {
      while (end < sendable.length && end - next < BATCH_MAX
             && !(sendable[end].photos || []).length) end += 1;
    }
    const group = [];
    for (const item of sendable.slice(next, end)) {
      const current = await outbox.update(item.seq, {
        state: "sending", lastTriedAt: Date.now(), attempts: (item.attempts || 0) + 1 });
      if (current) group.push(current); // else taken back by the officer meanwhile
    }
    next = end;
    if (!group.length) continue;
    const results = group.length > 1 ? await postBatch(group) : [await post(group[0])];
    let go = true;
    for (let i = 0; i < group.length; i += 1) {
      outcomes.set(group[i].uuid, results[i]);
      if (go) {
        go = await settle(group[i], results[i]);
      } else {  // after a record that waits, the rest of its batch waits too, in order
        await outbox.update(group[i].seq, { state: "waiting", message: results[i].message
          || MESSAGES.server });
      }
    }
    if (!go) break;
  }
  return outcomes;
}

function locked(work) {
  if (navigator.locks && navigator.locks.request) return navigator.locks.request(LOCK, work);
  return work();
}

/** Send what waits; resolves with a Map uuid → outcome. Calls during a run queue one rerun. */
export function sendAll() {
  if (!running) {
    running = locked(loop).finally(() => { running = null; });
    return running;
  }
  if (!again) {
    again = running.catch(() => null).then(() => { again = null; return sendAll(); });
  }
  return again;
}

/** Start sending: now, when the network returns, every 30 s while records wait. */
export function startSender(config) {
  pageConfig = config || {};
  const kick = () => { sendAll().catch(() => null); };
  window.addEventListener("online", kick);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") kick();
  });
  setInterval(async () => {
    const counts = await outbox.counts(pageConfig.userId).catch(() => ({ waiting: 0 }));
    if (counts.waiting > 0) kick();
  }, RETRY_MS);
  kick();
}
