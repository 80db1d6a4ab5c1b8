/* The phone's own store (IndexedDB): unsaved form drafts, the outbox of records waiting to be
 * sent, the last records the server accepted, each officer's working set for offline use and
 * who signed in last. A record goes into the outbox in the same transaction that deletes its
 * draft, so it is never lost and never queued twice.
 *
 * A phone is shared: drafts are kept per account (key "<user id>|<form>"), every outbox item
 * and sent record carries the account that made it, and a working set (which may hold
 * owners' personal data) belongs to one account and is removed when another signs in. */

const DB_NAME = "urbanorder-field";
const DB_VERSION = 2;
const KEEP_SENT = 30;
const CHANNEL = "urbanorder-field";

let dbPromise = null;
const listeners = new Set();
const channel = "BroadcastChannel" in self ? new BroadcastChannel(CHANNEL) : null;
if (channel) channel.onmessage = () => listeners.forEach((cb) => cb());

/** Call ``cb`` whenever the outbox changes (in this tab or another). */
export function onChange(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

function changed() {
  listeners.forEach((cb) => cb());
  if (channel) channel.postMessage("changed");
}

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        if (event.oldVersion < 1) {
          db.createObjectStore("drafts", { keyPath: "key" });
          const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          outbox.createIndex("uuid", "uuid", { unique: true });
          const sent = db.createObjectStore("sent", { keyPath: "uuid" });
          sent.createIndex("sentAt", "sentAt");
        } else if (event.oldVersion === 1) {
          // Version-1 drafts were not per account: nobody can tell whose they were.
          request.transaction.objectStore("drafts").clear();
        }
        if (event.oldVersion < 2) {
          db.createObjectStore("workset", { keyPath: "userId" });
          db.createObjectStore("meta", { keyPath: "key" });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("IndexedDB blocked"));
    });
  }
  return dbPromise;
}

function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run ``work(stores)`` in one transaction; resolves with its result once committed. */
async function transact(names, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
    let result;
    Promise.resolve(work(stores)).then((value) => { result = value; }, (err) => {
      tx.abort();
      reject(err);
    });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

/** The key of a form's draft for one account: "<user id>|<form key>". */
export function draftKey(userId, formKey) {
  return `${userId}|${formKey}`;
}

export const drafts = {
  get: (key) => transact(["drafts"], "readonly", (s) => req(s.drafts.get(key))),
  put: (draft) => transact(["drafts"], "readwrite", (s) => req(s.drafts.put(
    { ...draft, updatedAt: Date.now() }))),
  remove: (key) => transact(["drafts"], "readwrite", (s) => req(s.drafts.delete(key))),
  /** Drafts of one account (for its own eyes only). */
  async of(userId) {
    const all = await transact(["drafts"], "readonly", (s) => req(s.drafts.getAll()));
    return all.filter((d) => String(d.key).startsWith(`${userId}|`));
  },
};

/** Each account's working set: houses, streets, khu phố, model streets for offline use. */
export const workset = {
  get: (userId) => transact(["workset"], "readonly", (s) => req(s.workset.get(userId))),
  put: (userId, data) => transact(["workset"], "readwrite", (s) => req(s.workset.put(
    { ...data, userId, storedAt: Date.now() }))),
  remove: (userId) => transact(["workset"], "readwrite", (s) => req(s.workset.delete(userId))),
  /** Remove every account's working set except ``userId``'s (personal data stays with one). */
  async keepOnly(userId) {
    await transact(["workset"], "readwrite", async (s) => {
      const keys = await req(s.workset.getAllKeys());
      keys.filter((k) => k !== userId).forEach((k) => s.workset.delete(k));
    });
  },
};

/** Small facts about this phone: who signed in last (``meta.get("session")``). */
export const meta = {
  get: async (key) => {
    const row = await transact(["meta"], "readonly", (s) => req(s.meta.get(key)));
    return row ? row.value : null;
  },
  put: (key, value) => transact(["meta"], "readwrite", (s) => req(s.meta.put({ key, value }))),
};

export const outbox = {
  /** Queue ``item`` (FIFO) and delete the draft it came from, atomically. */
  async enqueue(item, draftKey) {
    const record = { state: "waiting", attempts: 0, message: null, errors: [], ...item,
                     createdAt: Date.now() };
    const seq = await transact(["outbox", "drafts"], "readwrite", async (s) => {
      const existing = await req(s.outbox.index("uuid").getKey(item.uuid));
      if (existing !== undefined) return existing; // already queued: keep the first one
      if (draftKey) s.drafts.delete(draftKey);
      return req(s.outbox.add(record));
    });
    changed();
    return seq;
  },
  all: () => transact(["outbox"], "readonly", (s) => req(s.outbox.getAll())),
  get: (seq) => transact(["outbox"], "readonly", (s) => req(s.outbox.get(seq))),
  async update(seq, changes) {
    const updated = await transact(["outbox"], "readwrite", async (s) => {
      const item = await req(s.outbox.get(seq));
      if (!item) return null;
      Object.assign(item, changes);
      await req(s.outbox.put(item));
      return item;
    });
    changed();
    return updated;
  },
  async remove(seq) {
    await transact(["outbox"], "readwrite", (s) => req(s.outbox.delete(seq)));
    changed();
  },
  /** The server accepted ``seq``: drop it from the outbox and remember what it said. */
  async delivered(seq, summary) {
    await transact(["outbox", "sent"], "readwrite", async (s) => {
      s.outbox.delete(seq);
      await req(s.sent.put({ ...summary, sentAt: Date.now() }));
      const keys = await req(s.sent.index("sentAt").getAllKeys());
      keys.slice(0, Math.max(0, keys.length - KEEP_SENT)).forEach((k) => s.sent.delete(k));
    });
    changed();
  },
  /** Take a refused record back into its form's draft (same UUID) so it can be corrected. */
  async reopen(seq) {
    const moved = await transact(["outbox", "drafts"], "readwrite", async (s) => {
      const item = await req(s.outbox.get(seq));
      if (!item || !item.draft) return null;
      const current = await req(s.drafts.get(item.draftKey));
      if (current && current.touched && current.uuid !== item.uuid) return "busy";
      await req(s.drafts.put({ ...item.draft, photos: item.photos, key: item.draftKey,
                               uuid: item.uuid, touched: true, errors: item.errors, message: item.message,
                               updatedAt: Date.now() }));
      s.outbox.delete(seq);
      return item;
    });
    changed();
    return moved;
  },
  /** Counts of ``userId``'s items (all items when ``userId`` is null); ``others``: items
   * made by other accounts on this phone, waiting for their owners. */
  async counts(userId = null) {
    const all = await this.all();
    const mine = (i) => userId == null || i.userId == null || i.userId === userId;
    const items = all.filter(mine);
    const count = (states) => items.filter((i) => states.includes(i.state)).length;
    return { waiting: count(["waiting", "sending", "auth"]), error: count(["error"]),
             auth: count(["auth"]), total: items.length,
             others: all.length - items.length };
  },
};

export const sent = {
  /** The last records ``userId`` sent from this phone (each account sees its own). */
  async recent(limit = 10, userId = null) {
    const items = await transact(["sent"], "readonly", (s) => req(s.sent.getAll()));
    return items.filter((i) => userId == null || i.userId == null || i.userId === userId)
      .sort((a, b) => b.sentAt - a.sentAt).slice(0, limit);
  },
};
