/* One home for dates shown in the browser, in the page's language as the server writes them
 * (geo/formatting.py): Vietnamese in the administrative order, dd/mm/yyyy hh:mm; another
 * language by Intl with its own medium date and a 24-hour clock ("Nov 5, 2026, 14:30"). */

import { language } from "./i18n.js";

const pad = (n) => String(n).padStart(2, "0");
const VIETNAMESE = language() === "vi";
const DAY = { year: "numeric", month: "short", day: "numeric" };
const TIME = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
// The ward's times as written (UTC here only to stop Intl moving them to the browser's zone).
const dayFormat = new Intl.DateTimeFormat(language(), { ...DAY, timeZone: "UTC" });
const momentFormat = new Intl.DateTimeFormat(language(), { ...DAY, ...TIME, timeZone: "UTC" });
// A Date of the phone's clock, in the phone's zone.
const localFormat = new Intl.DateTimeFormat(language(), { ...DAY, ...TIME });

/** The date (with its hh:mm when it has a time) of an ISO date or date-time as the server
 * wrote it (the ward's own time, no conversion to the browser's zone); "" when missing. */
export function formatDate(iso) {
  if (!iso) return "";
  const [day, time] = String(iso).split("T");
  const [y, m, d] = day.split("-");
  if (VIETNAMESE) return `${d}/${m}/${y}` + (time ? ` ${time.slice(0, 5)}` : "");
  const [hh, mm] = time ? time.split(":").map(Number) : [0, 0];
  const utc = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), hh || 0, mm || 0));
  if (Number.isNaN(utc.getTime())) return String(iso);
  return (time ? momentFormat : dayFormat).format(utc);
}

/** The date and hh:mm of a Date, epoch ms or ISO text, in the phone's clock (what the field
 * worker saw when they saved it). */
export function formatDateTime(value) {
  if (value == null || value === "") return "";
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (!VIETNAMESE) return localFormat.format(d);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
