/* Who is using this phone. A page may come from the offline cache and have been made for
 * another account; the server's answer (GET /api/v1/field/session) decides, and the last
 * answer is kept for when there is no signal. When another account signs in on the phone,
 * the previous one's working set (owners' personal data) is removed. */

import { meta, workset } from "./queue.js";

const SESSION_URL = "/api/v1/field/session";
const TIMEOUT_MS = 6000;

/** The signed-in account: {id, username, full_name, role, ward, expiresAt, source}.
 *  ``source``: "server" (just asked), "stored" (offline: the last answer), "page" (the page's
 *  own config, when the phone never had an answer). ``{signedOut: true}`` when the server says
 *  the session has ended. */
export async function whoIsSignedIn(config) {
  if (navigator.onLine) {
    try {
      const response = await fetch(SESSION_URL, {
        credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (response.status === 401) return { signedOut: true, source: "server" };
      if (response.ok) {
        const body = await response.json();
        const user = { ...body.user, ward: body.ward, expiresAt: body.expires_at,
                       source: "server" };
        await remember(user);
        return user;
      }
    } catch {
      // No answer (weak signal): fall back to what the phone knows.
    }
  }
  const stored = await meta.get("session").catch(() => null);
  if (stored) return { ...stored, source: "stored" };
  return { id: config.userId, full_name: config.userName, role: config.role, source: "page" };
}

/** Keep the server's answer; a different account than last time removes the previous
 *  account's working set (it may hold owners' personal data). */
async function remember(user) {
  const previous = await meta.get("session").catch(() => null);
  if (previous && previous.id !== user.id) await workset.keepOnly(user.id).catch(() => null);
  await meta.put("session", { id: user.id, username: user.username, full_name: user.full_name,
                              role: user.role, ward: user.ward, expiresAt: user.expiresAt,
                              checkedAt: Date.now() });
}

/** Signing out (or switching user): forget this account's working set and who was signed
 *  in; its queued records and drafts stay on the phone, for it alone. */
export async function forgetSession(userId) {
  await workset.remove(userId).catch(() => null);
  await meta.put("session", null).catch(() => null);
}
