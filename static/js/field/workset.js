/* The officer's working set for a day without signal: the houses of a khu phố (or the whole
 * ward) with their last inspection and follow-up, and the streets, khu phố and model streets
 * the pin map draws — downloaded from GET /api/v1/field/working-set, kept per account in
 * IndexedDB, refreshed when online. Distances are small here (tens of metres), so they are
 * measured on a local equirectangular plane in metres. */

import { outbox, workset } from "./queue.js";
import { _ } from "../i18n.js";

const URL_WORKSET = "/api/v1/field/working-set";
const STALE_MS = 6 * 3600 * 1000;
const M_PER_DEG = 111320;

/** Metres between two lon/lat points (equirectangular; exact enough within a ward). */
export function distanceM(a, b) {
  const k = Math.cos(((a.lat + b.lat) / 2) * Math.PI / 180);
  const dx = (a.lon - b.lon) * M_PER_DEG * k;
  const dy = (a.lat - b.lat) * M_PER_DEG;
  return Math.hypot(dx, dy);
}

function segmentDistance(p, a, b) {
  const k = Math.cos(p.lat * Math.PI / 180);
  const ax = (a[0] - p.lon) * M_PER_DEG * k, ay = (a[1] - p.lat) * M_PER_DEG;
  const bx = (b[0] - p.lon) * M_PER_DEG * k, by = (b[1] - p.lat) * M_PER_DEG;
  const dx = bx - ax, dy = by - ay;
  const t = dx || dy ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

function lines(geometry) {
  if (!geometry) return [];
  if (geometry.type === "LineString") return [geometry.coordinates];
  if (geometry.type === "MultiLineString") return geometry.coordinates;
  return [];
}

function insideRing(p, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > p.lat) !== (yj > p.lat) &&
        p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insidePolygon(p, geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polygons.some(([outer, ...holes]) => insideRing(p, outer) &&
    !holes.some((hole) => insideRing(p, hole)));
}

export async function load(userId) {
  return workset.get(userId).catch(() => null);
}

/** Download the working set of ``neighbourhood`` ("" = the whole ward) for ``userId``. */
export async function download(userId, neighbourhood = "") {
  const query = neighbourhood ? `?neighbourhood=${encodeURIComponent(neighbourhood)}` : "";
  const response = await fetch(`${URL_WORKSET}${query}`, {
    credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(60000),
  });
  if (!response.ok) {
    let message = _("Máy chủ trả lời mã %(status)s.", { status: response.status });
    try { message = (await response.json()).error.message || message; } catch { /* no body */ }
    throw new Error(message);
  }
  const data = await response.json();
  await workset.put(userId, { ...data, chosen: neighbourhood });
  return workset.get(userId);
}

/** Refresh a stored working set older than a few hours (online only; failures are quiet). */
export async function refreshIfStale(userId) {
  const current = await load(userId);
  if (!current || !navigator.onLine || Date.now() - current.storedAt < STALE_MS) return current;
  return download(userId, current.chosen || "").catch(() => current);
}

/** Houses recorded on this phone by ``userId`` and not sent yet (inspectable offline). */
export async function pendingHouses(userId) {
  const items = await outbox.all().catch(() => []);
  return items.filter((i) => i.kind === "house" && (i.userId == null || i.userId === userId) &&
                      i.payload && i.payload.location)
    .map((i) => ({ uuid: i.uuid, name: i.payload.name, address: i.payload.address,
                   lon: i.payload.location.lon, lat: i.payload.location.lat,
                   house_type: i.payload.house_type, rooms: i.payload.rooms,
                   residents: i.payload.residents, extinguishers: i.payload.extinguishers,
                   has_alarm: i.payload.has_alarm, has_escape_route: i.payload.has_escape_route,
                   pending: true }));
}

/** Houses within ``radius`` m of ``point`` from the working set and the unsent ones, nearest
 *  first, each with ``distance_m``. */
export async function housesNear(userId, point, radius) {
  const set = await load(userId);
  const all = [...((set && set.houses) || []), ...(await pendingHouses(userId))];
  return all.map((house) => ({ ...house, distance_m: distanceM(point, house) }))
    .filter((house) => house.distance_m <= radius)
    .sort((a, b) => a.distance_m - b.distance_m);
}

/** A house by its UUID, from the working set or the unsent ones. */
export async function findHouse(userId, uuid) {
  const set = await load(userId);
  const stored = ((set && set.houses) || []).find((house) => house.uuid === uuid);
  if (stored) return stored;
  return (await pendingHouses(userId)).find((house) => house.uuid === uuid) || null;
}

/** "<nearest named street within 60 m>, <khu phố>" from the working set ("" if neither). */
export async function addressHint(userId, point) {
  const set = await load(userId);
  if (!set) return "";
  let best = null;
  for (const feature of (set.streets && set.streets.features) || []) {
    if (feature.properties.named === false) continue;
    for (const coords of lines(feature.geometry)) {
      for (let i = 1; i < coords.length; i += 1) {
        const d = segmentDistance(point, coords[i - 1], coords[i]);
        if (d <= 60 && (!best || d < best.d)) best = { d, name: feature.properties.name };
      }
    }
  }
  const kp = ((set.neighbourhoods && set.neighbourhoods.features) || [])
    .find((f) => f.geometry && insidePolygon(point, f.geometry));
  return [best && best.name, kp && kp.properties.name].filter(Boolean).join(", ");
}
