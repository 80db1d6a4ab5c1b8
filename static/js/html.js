/* One home for putting data into HTML. Leaflet sets tooltip, popup, divIcon and layer-control
 * content as innerHTML, so a name from the database (a khu phố, street or house named
 * `<img src=x onerror=…>`) would become markup. Text from data therefore either goes in as
 * a DOM node whose textContent is the text (``text``: tooltips), or through ``escapeHtml``
 * before it joins an HTML string (popups). Numbers are escaped too: nothing from an API
 * answer is trusted to be what its field name says. */

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value) {
  return String(value == null ? "" : value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** An element showing ``value`` literally (never parsed as HTML). */
export function text(value, tag = "span") {
  const node = document.createElement(tag);
  node.textContent = value == null ? "" : String(value);
  return node;
}

/** The JSON a page embeds in ``<script type="application/json" id="…">`` ({} when absent). */
export function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}
