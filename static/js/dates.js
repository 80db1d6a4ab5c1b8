/* One home for dates shown in the browser (Vietnamese order, dd/mm/yyyy). */

const pad = (n) => String(n).padStart(2, "0");

/** dd/mm/yyyy of an ISO date or date-time as the server wrote it (the ward's own time, no
 * conversion to the browser's zone), with its hh:mm when it has a time; "" when missing. */
export function formatDate(iso) {
  if (!iso) return "";
  const [day, time] = String(iso).split("T");
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}` + (time ? ` ${time.slice(0, 5)}` : "");
}

/** dd/mm/yyyy hh:mm of a Date, epoch ms or ISO text, in the phone's clock (what the field
 * worker saw when they saved it). */
export function formatDateTime(value) {
  if (value == null || value === "") return "";
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
