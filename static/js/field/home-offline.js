/* Field home, for a day without signal: the working set (which khu phố to keep on the phone,
 * when it was downloaded, refreshed when online), boarding houses near the phone (from the
 * server, else from the working set and the houses recorded here and not sent yet), and the
 * phone's storage (asked to be kept, with how much is used). */

import { h } from "./common.js";
import { formatDate, formatDateTime } from "../dates.js";
import { _, formatNumber } from "../i18n.js";
import { distanceText, houseName, inspectUrl, nearbyHouses } from "./nearby.js";
import { download, load, refreshIfStale } from "./workset.js";

const NEARBY_M = 100;
const $ = (id) => document.getElementById(id);

function worksetText(set, config) {
  if (!set) return _("Chưa tải dữ liệu nào về máy: khi mất mạng sẽ không kiểm tra được cơ sở.");
  const kp = set.neighbourhood ? set.neighbourhood.name
    : _("cả %(ward)s", { ward: config.ward.name });
  const parts = [_("Đã tải %(houses)s cơ sở, %(streets)s đoạn đường (%(area)s) lúc %(time)s.", {
    houses: set.houses.length, streets: set.streets.features.length, area: kp,
    time: formatDateTime(set.generated_at || set.storedAt) })];
  if (set.truncated) {
    parts.push(_("Chỉ tải %(limit)s cơ sở đầu tiên: hãy chọn một khu phố để có đủ.",
      { limit: set.limit }));
  }
  if (set.personal) {
    parts.push(_("Có thông tin chủ cơ sở (chỉ tài khoản công an, chỉ trên máy này)."));
  }
  return parts.join(" ");
}

async function showWorkset(config) {
  const set = await load(config.userId);
  $("workset-status").textContent = worksetText(set, config);
  $("workset").dataset.houses = String(set ? set.houses.length : 0);
  if (set) $("workset-neighbourhood").value = set.chosen || "";
}

function initWorkset(config) {
  const select = $("workset-neighbourhood");
  select.replaceChildren(h("option", { value: "" },
    _("Toàn phường (%(ward)s)", { ward: config.ward.name })),
    ...config.neighbourhoods.map((n) => h("option", { value: n.code }, n.name)));
  const button = $("workset-download");
  button.addEventListener("click", async () => {
    button.disabled = true;
    $("workset-status").textContent = _("Đang tải về máy…");
    try {
      await download(config.userId, select.value);
      await showWorkset(config);
    } catch (err) {
      $("workset-status").textContent = navigator.onLine
        ? _("Không tải được: %(reason)s", { reason: err.message })
        : _("Cần có mạng để tải dữ liệu về máy.");
    } finally {
      button.disabled = false;
    }
  });
  showWorkset(config).then(async () => {
    await refreshIfStale(config.userId);
    await showWorkset(config);
  }).catch(() => null);
  window.addEventListener("online", () => {
    refreshIfStale(config.userId).then(() => showWorkset(config)).catch(() => null);
  });
}

function houseEntry(config, house) {
  const where = [house.address, distanceText(house.distance_m)];
  if (house.last_inspection_on) {
    where.push(_("kiểm tra lần cuối %(date)s", { date: formatDate(house.last_inspection_on) }));
  }
  return h("li", { class: "item", dataset: { uuid: house.uuid } },
    h("p", { class: "item-title" }, houseName(house)),
    h("p", { class: "muted" }, where.filter(Boolean).join(" · ")),
    house.pending ? h("p", { class: "muted" }, _("Ghi trên máy này, chưa gửi")) : null,
    house.follow_up_on ? h("p", {},
      _("Hẹn kiểm tra lại: %(date)s", { date: formatDate(house.follow_up_on) })) : null,
    h("p", { class: "item-actions" },
      config.canInspect ? h("a", { class: "button primary", href: inspectUrl(house) },
        _("Kiểm tra")) : null,
      config.personal && !house.pending && navigator.onLine
        ? h("a", { class: "button secondary", href: `/field/boarding-houses/${house.uuid}/edit` },
          _("Sửa")) : null));
}

/** Boarding houses within 100 m of the phone, online or not. */
function initNearby(config) {
  const status = $("nearby-status");
  if (!status) return;
  const refresh = () => {
    if (!("geolocation" in navigator)) {
      status.textContent = _("Máy không hỗ trợ định vị.");
      return;
    }
    status.textContent = _("Đang lấy vị trí…");
    navigator.geolocation.getCurrentPosition(async (pos) => {
      const point = { lon: pos.coords.longitude, lat: pos.coords.latitude };
      const { houses, source } = await nearbyHouses(config, point, NEARBY_M);
      const values = { count: houses.length, metres: NEARBY_M,
                       accuracy: Math.round(pos.coords.accuracy) };
      const phone = source === "phone";
      if (houses.length) {
        status.textContent = phone
          ? _("%(count)s cơ sở trong vòng %(metres)s m (vị trí ±%(accuracy)s m, theo dữ liệu trên máy).", values)
          : _("%(count)s cơ sở trong vòng %(metres)s m (vị trí ±%(accuracy)s m).", values);
      } else {
        status.textContent = phone
          ? _("Không có cơ sở nào trong vòng %(metres)s m (vị trí ±%(accuracy)s m, theo dữ liệu trên máy).", values)
          : _("Không có cơ sở nào trong vòng %(metres)s m (vị trí ±%(accuracy)s m).", values);
      }
      $("nearby-list").replaceChildren(...houses.map((house) => houseEntry(config, house)));
    }, () => {
      status.textContent = _("Không lấy được vị trí. Hãy cho phép định vị rồi tải lại.");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
  };
  $("nearby-refresh").addEventListener("click", refresh);
  window.addEventListener("online", refresh);
  refresh();
}

const MB = 1024 * 1024;

/** Ask the browser to keep our storage (queued records must not be evicted) and say what
 *  it answered, with how much is used. */
async function initStorage() {
  const node = $("storage-status");
  if (!node) return;
  if (!navigator.storage || !navigator.storage.persist) {
    node.textContent = _("Trình duyệt này không cho giữ bộ nhớ lâu dài: hãy gửi bản ghi sớm.");
    return;
  }
  let kept = await navigator.storage.persisted().catch(() => false);
  if (!kept) kept = await navigator.storage.persist().catch(() => false);
  $("storage").dataset.persisted = String(kept);
  const estimate = navigator.storage.estimate ? await navigator.storage.estimate()
    .catch(() => null) : null;
  const used = estimate ? " " + _("Đang dùng %(used)s MB / %(quota)s MB.", {
    used: formatNumber(estimate.usage / MB, 1), quota: formatNumber(Math.round(estimate.quota / MB)),
  }) : "";
  node.textContent = (kept
    ? _("Bộ nhớ được giữ lâu dài: trình duyệt sẽ không tự xóa bản ghi chờ gửi.")
    : _("Trình duyệt chưa cho giữ bộ nhớ lâu dài: khi máy đầy bộ nhớ, dữ liệu có thể bị xóa — hãy cài trang lên màn hình chính và gửi bản ghi sớm.")) + used;
}

export function initOffline(config) {
  initWorkset(config);
  initNearby(config);
  initStorage().catch(() => null);
}
