/* One home for putting data into HTML. Leaflet sets tooltip, popup, divIcon and layer-control
 * content as innerHTML, so a name from the database (a khu phố, street or house named
 * `<img src=x onerror=…>`) would become markup. Text from data therefore either goes in as
 * a DOM node whose textContent is the text (``text``: tooltips), or through ``escapeHtml``
 * before it joins an HTML string (popups). Numbers are escaped too: nothing from an API
 * answer is trusted to be what its field name says. */
(function () {
  "use strict";

  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
  }

  /** An element showing ``value`` literally (never parsed as HTML). */
  function text(value, tag = "span") {
    const node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    return node;
  }

  window.UrbanHtml = Object.freeze({ escapeHtml, text });
})();
