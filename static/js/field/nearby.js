/* Boarding houses near a point, online or not: the server's answer when it comes (with the
 * houses recorded on this phone but not sent yet), else the working set's. One home for the
 * home page's list, the house form's duplicate check and the violation form's house picker. */

import { housesNear, pendingHouses, distanceM } from "./workset.js";
import { _ } from "../i18n.js";

const TIMEOUT_MS = 5000;

/** Houses within ``radius`` m of ``point`` ({lon, lat}), nearest first: {uuid, id?, name,
 *  address, lon, lat, distance_m, last_inspection_on?, pending?}, and where they came from
 *  ("server" or "phone"). */
export async function nearbyHouses(config, point, radius) {
  if (navigator.onLine && config.api && config.api.nearbyHouses) {
    try {
      const query = new URLSearchParams({ lon: point.lon.toFixed(7), lat: point.lat.toFixed(7),
                                          radius: String(radius) });
      const response = await fetch(`${config.api.nearbyHouses}?${query}`, {
        credentials: "same-origin", headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (response.ok) {
        const found = (await response.json()).boarding_houses || [];
        const known = new Set(found.map((h) => h.uuid));
        const pending = (await pendingHouses(config.userId))
          .filter((h) => !known.has(h.uuid))
          .map((h) => ({ ...h, distance_m: distanceM(point, h) }))
          .filter((h) => h.distance_m <= radius);
        return { source: "server",
                 houses: [...found, ...pending].sort((a, b) => a.distance_m - b.distance_m) };
      }
    } catch {
      // weak signal: the phone's own copy below
    }
  }
  return { source: "phone", houses: await housesNear(config.userId, point, radius) };
}

/** "cách 12 m": how far a house (or an incident) is, for the lists of what is near. */
export function distanceText(metres) {
  return _("cách %(metres)s m", { metres: Math.round(metres) });
}

/** A house's name, or that it has none yet. */
export function houseName(house) {
  return house.name || _("(chưa có tên)");
}

/** Where an inspection of ``house`` is recorded: the page that works offline. */
export function inspectUrl(house) {
  const query = new URLSearchParams({ house: house.uuid });
  if (house.id) query.set("id", String(house.id));
  return `/field/inspect?${query}`;
}
