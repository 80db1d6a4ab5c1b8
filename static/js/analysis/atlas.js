/* The atlas print job's page: asks its JSON state every second and shows pages drawn,
 * then the download link (or the error). Without JavaScript the page refreshes itself. */
import { _ } from "../i18n.js";

const box = document.getElementById("atlas-job");
const text = document.getElementById("atlas-progress-text");
const bar = document.getElementById("atlas-progress");
const error = document.getElementById("atlas-error");
const ready = document.getElementById("atlas-ready");
const link = document.getElementById("atlas-download");

function show(state) {
  box.dataset.status = state.status;
  if (state.total) {
    bar.max = state.total;
    bar.value = state.done;
    bar.textContent = `${state.done}/${state.total}`;
  }
  if (state.status === "done") {
    text.textContent = _("Đã in xong %(pages)s trang.", { pages: state.total });
    link.href = state.download;
    ready.hidden = false;
  } else if (state.status === "failed") {
    text.textContent = _("Không in được.");
    error.textContent = state.message;
    error.hidden = false;
  } else {
    text.textContent = state.total
      ? _("Đang vẽ trang %(done)s/%(total)s…", { done: state.done, total: state.total })
      : _("Đang chuẩn bị dữ liệu…");
  }
}

async function poll() {
  try {
    const response = await fetch(box.dataset.poll, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(_("Lỗi %(status)s", { status: response.status }));
    const state = await response.json();
    show(state);
    if (state.status === "running") setTimeout(poll, 1000);
  } catch (e) {
    text.textContent = _("Mất kết nối với máy chủ — đang thử lại…");
    setTimeout(poll, 2000);
  }
}

if (box && box.dataset.status === "running") setTimeout(poll, 1000);
