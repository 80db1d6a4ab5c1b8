/* The atlas print job's page: asks its JSON state every second and shows pages drawn,
 * then the download link (or the error). Without JavaScript the page refreshes itself. */
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
    text.textContent = `Đã in xong ${state.total} trang.`;
    link.href = state.download;
    ready.hidden = false;
  } else if (state.status === "failed") {
    text.textContent = "Không in được.";
    error.textContent = state.message;
    error.hidden = false;
  } else {
    text.textContent = state.total
      ? `Đang vẽ trang ${state.done}/${state.total}…` : "Đang chuẩn bị dữ liệu…";
  }
}

async function poll() {
  try {
    const response = await fetch(box.dataset.poll, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`Lỗi ${response.status}`);
    const state = await response.json();
    show(state);
    if (state.status === "running") setTimeout(poll, 1000);
  } catch (e) {
    text.textContent = "Mất kết nối với máy chủ — đang thử lại…";
    setTimeout(poll, 2000);
  }
}

if (box && box.dataset.status === "running") setTimeout(poll, 1000);
