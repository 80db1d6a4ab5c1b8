/* Photos: taken or picked on the phone, shrunk on the device to at most 1600 px (JPEG 0.85)
 * before they are queued, shown as previews that can be removed; at most 5. */

import { h } from "./common.js";
import { _ } from "../i18n.js";

export const MAX_PHOTOS = 5;
const MAX_SIDE = 1600;
const QUALITY = 0.85;

async function decode(file) {
  if ("createImageBitmap" in window) {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch { /* fall back to an <img> */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** ``file`` as a JPEG Blob whose longer side is at most ``maxSide`` pixels. */
export async function resizeImage(file, maxSide = MAX_SIDE, quality = QUALITY) {
  const image = await decode(file);
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; // transparent PNGs become white, not black
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (image.close) image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new Error("could not encode the photo");
  return blob;
}

export function createPhotoPicker({ input, list, status, onChange }) {
  let photos = []; // [{blob, url}]

  function render() {
    photos.forEach((p) => { if (!p.url) p.url = URL.createObjectURL(p.blob); });
    list.replaceChildren(...photos.map((photo, index) => h("li", { class: "photo" },
      h("img", { src: photo.url, alt: _("Ảnh %(number)s", { number: index + 1 }) }),
      h("button", { type: "button", class: "photo-remove",
                    "aria-label": _("Xóa ảnh %(number)s", { number: index + 1 }),
                    onclick: () => remove(index) }, "×"))));
    input.disabled = photos.length >= MAX_PHOTOS;
    input.closest("label").classList.toggle("disabled", input.disabled);
    list.dataset.count = String(photos.length);
  }

  function remove(index) {
    const [gone] = photos.splice(index, 1);
    if (gone && gone.url) URL.revokeObjectURL(gone.url);
    status.textContent = "";
    render();
    if (onChange) onChange();
  }

  input.addEventListener("change", async () => {
    const files = Array.from(input.files || []);
    input.value = "";
    if (!files.length) return;
    const room = MAX_PHOTOS - photos.length;
    if (files.length > room) status.textContent = _("Chỉ giữ tối đa %(count)s ảnh.", { count: MAX_PHOTOS });
    list.dataset.busy = "true";
    for (const file of files.slice(0, Math.max(0, room))) {
      try {
        photos.push({ blob: await resizeImage(file) });
      } catch {
        status.textContent = _("Không đọc được ảnh \"%(name)s\".", { name: file.name });
      }
    }
    list.dataset.busy = "false";
    render();
    if (onChange) onChange();
  });

  return {
    blobs: () => photos.map((p) => p.blob),
    set(blobs) {
      photos.forEach((p) => p.url && URL.revokeObjectURL(p.url));
      photos = (blobs || []).map((blob) => ({ blob }));
      render();
    },
    clear() { this.set([]); status.textContent = ""; },
  };
}
