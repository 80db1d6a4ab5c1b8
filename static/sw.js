/* urbanorder service worker: the field pages and their assets open with no signal.
 *
 * Pages and assets: cache first, then refreshed from the network in the background
 * (stale-while-revalidate). API calls and photos are never cached or even touched here.
 * Pages holding personal data (the boarding-house edit page) are never cached. */

const CACHE = "urbanorder-field-v1";
const PAGES = ["/field/", "/field/incidents/new", "/field/boarding-houses/new"];
const ASSETS = [
  "/static/css/app.css",
  "/static/css/field.css",
  "/static/icons/favicon.svg",
  "/static/manifest.webmanifest",
  "/static/js/field/common.js",
  "/static/js/field/queue.js",
  "/static/js/field/sender.js",
  "/static/js/field/form.js",
  "/static/js/field/fields.js",
  "/static/js/field/location.js",
  "/static/js/field/photos.js",
  "/static/js/field/home.js",
  "/static/js/field/incident.js",
  "/static/js/field/boarding-house.js",
  "/static/js/field/inspection.js",
  "/vendor/leaflet/leaflet.js",
  "/vendor/leaflet/leaflet.css",
];
const CACHED_PAGE = /^\/field\/(incidents\/new|boarding-houses\/new|boarding-houses\/[0-9a-f-]{36}\/inspect)?$/;
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
    await Promise.all(names.filter((n) => n.startsWith("urbanorder-") && n !== CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

function offlinePage() {
  const html = "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Không có mạng</title><body style=\"font-family: sans-serif; padding: 1rem\">" +
    "<h1>Không có mạng</h1><p>Trang này chưa được lưu trên máy để dùng khi không có mạng.</p>" +
    "<p><a href=\"/field/\">Về trang thực địa</a> (mở được khi không có mạng).</p></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function staleWhileRevalidate(event, key, isPage) {
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
  try {
    return await network;
  } catch (err) {
    if (isPage) return offlinePage();
    throw err;
  }
}

/** Signing out: forget the cached pages (they carry the user's name and session token). */
async function forgetPages() {
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  await Promise.all(keys.filter((r) => !isAsset(new URL(r.url).pathname))
    .map((r) => cache.delete(r)));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/auth/logout") {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && CACHED_PAGE.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, url.pathname, true));
  } else if (isAsset(url.pathname) && !url.search) {
    event.respondWith(staleWhileRevalidate(event, url.pathname, false));
  }
});
