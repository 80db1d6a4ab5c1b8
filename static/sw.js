/* urbanorder service worker: the field pages, their assets and the map tiles seen online
 * open with no signal.
 *
 * Field pages: network first (a page carries its account's name and token, and a phone is
 * shared), the cached copy when there is no answer; a field page never cached yet falls back
 * to the cached field home, never to the browser's error page. Assets: cache first, refreshed
 * in the background. Map tiles (ours under /basemap/ or a tile server's): cache first, the
 * cache bounded. API calls, photos and the pages holding personal data are never cached here.
 * Signing in or out forgets every cached page. */

const CACHE = "urbanorder-field-v2";
const TILES = "urbanorder-tiles-v1";
const MAX_TILES = 3000; // ≈ 40 MB of raster tiles: a ward at zooms 14–18
const PAGE_TIMEOUT_MS = 4000;
const PAGES = ["/field/", "/field/incidents/new", "/field/boarding-houses/new", "/field/inspect"];
const ASSETS = [
  "/static/css/app.css",
  "/static/css/field.css",
  "/static/css/setup.css",
  "/static/icons/favicon.svg",
  "/static/manifest.webmanifest",
  "/static/js/html.js",
  "/static/js/dates.js",
  "/static/js/i18n.js",
  "/static/js/field/common.js",
  "/static/js/field/queue.js",
  "/static/js/field/sender.js",
  "/static/js/field/session.js",
  "/static/js/field/workset.js",
  "/static/js/field/nearby.js",
  "/static/js/field/form.js",
  "/static/js/field/fields.js",
  "/static/js/field/location.js",
  "/static/js/field/photos.js",
  "/static/js/field/home.js",
  "/static/js/field/home-offline.js",
  "/static/js/field/incident.js",
  "/static/js/field/boarding-house.js",
  "/static/js/field/inspection.js",
  "/static/js/registers/phone.js", // registers defined as data: their phone form
  "/static/js/registers/index.js",
  "/vendor/leaflet/leaflet.js",
  "/vendor/leaflet/leaflet.css",
];
// Field pages kept for offline use (the edit page has owners' data: never kept).
const CACHED_PAGE = /^\/field\/(incidents\/new|boarding-houses\/new|inspect|boarding-houses\/[0-9a-f-]{36}\/inspect|registers|registers\/[a-z][a-z0-9_]{0,39}\/new)?$/;
const TILE_PATH = /\/(\d{1,2})\/(\d{1,7})\/(\d{1,7})(@2x)?\.(png|jpe?g|webp|pbf|mvt)$/;
const ASSET_SET = new Set(ASSETS);

/** Our assets (and Leaflet's images); other pages' scripts and styles are left alone. */
function isAsset(path) {
  return ASSET_SET.has(path) || path.startsWith("/vendor/leaflet/");
}

/** Only complete, same-origin answers that were not redirected (e.g. to the sign-in page). */
function cacheable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

async function store(cache, key, request) {
  const response = await fetch(request, { credentials: "same-origin", cache: "no-cache" });
  if (cacheable(response)) await cache.put(key, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One failure (a page the role may not open, a missing asset) must not stop the rest.
    await Promise.all([...ASSETS, ...PAGES].map((url) => store(cache, url, url).catch(() => null)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("urbanorder-") && n !== CACHE && n !== TILES)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

/* The service worker knows neither the page's language nor the catalogue: the page for a
 * page never cached says it in both languages, Vietnamese first. */
function offlinePage() {
  const html = "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Không có mạng · Offline</title>" +
    "<body style=\"font-family: sans-serif; padding: 1rem\">" +
    "<h1>Không có mạng</h1><p>Trang này chưa được lưu trên máy để dùng khi không có mạng.</p>" +
    "<p><a href=\"/field/\">Về trang thực địa</a> (mở được khi không có mạng).</p>" +
    "<div lang=\"en\"><h2>Offline</h2><p>This page has not been kept on the phone for use " +
    "without a connection.</p><p><a href=\"/field/\">Back to the field home</a> (it opens " +
    "offline).</p></div></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

/** Network first for a field page; the cached copy (or the field home) when it fails. */
async function fieldPage(event, url) {
  const cache = await caches.open(CACHE);
  const key = url.pathname;
  try {
    const response = await Promise.race([fetch(event.request), timeout(PAGE_TIMEOUT_MS)]);
    if (cacheable(response) && CACHED_PAGE.test(key)) await cache.put(key, response.clone());
    return response;
  } catch {
    const cached = await cache.match(CACHED_PAGE.test(key) ? key : "/field/");
    return cached || offlinePage();
  }
}

async function staleWhileRevalidate(event, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  const network = fetch(event.request).then(async (response) => {
    if (cacheable(response)) await cache.put(key, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => null));
    return cached;
  }
  return network;
}

/** Tiles seen online stay for offline use; the oldest go first past MAX_TILES. */
async function tile(event) {
  const cache = await caches.open(TILES);
  const cached = await cache.match(event.request);
  if (cached) return cached;
  const response = await fetch(event.request);
  // Another server's tiles come back opaque (no CORS): kept as they are, shown as images.
  if (response.ok || response.type === "opaque") {
    event.waitUntil((async () => {
      await cache.put(event.request, response.clone());
      const keys = await cache.keys();
      await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_TILES))
        .map((k) => cache.delete(k)));
    })().catch(() => null));
  }
  return response;
}

/** Signing in or out: forget the cached pages (they carry an account's name and token). */
async function forgetPages() {
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  await Promise.all(keys.filter((r) => !isAsset(new URL(r.url).pathname))
    .map((r) => cache.delete(r)));
}

/** A field page asks, once it is open online: keep every field page of this account
 *  (signing in forgot the previous account's), so each opens offline later. */
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "cache-pages") return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(PAGES.map(async (path) => {
      if (!(await cache.match(path))) await store(cache, path, path).catch(() => null);
    }));
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "GET" && request.destination === "image" && TILE_PATH.test(url.pathname)
      && (url.origin !== self.location.origin || url.pathname.startsWith("/basemap/"))) {
    event.respondWith(tile(event));
    return;
  }
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && (url.pathname === "/auth/logout" ||
                                    url.pathname === "/auth/login")) {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/field/")) {
    event.respondWith(fieldPage(event, url));
  } else if (isAsset(url.pathname) && !url.search) {
    event.respondWith(staleWhileRevalidate(event, url.pathname));
  }
});
