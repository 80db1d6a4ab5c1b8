/* The ward map's popups: the facts of a khu phố, street, model street, boarding house or
 * incident, in the page's language. Text from data joins the HTML only through escapeHtml. */

import { formatDate } from "../dates.js";
import { escapeHtml } from "../html.js";
import { _, formatNumber } from "../i18n.js";

function formatMoney(value) {
  return value == null ? "" : _("%(amount)s đ", { amount: formatNumber(value) });
}

function link(href, words) {
  return `<p><a href="${escapeHtml(href)}">${escapeHtml(words)}</a></p>`;
}

function table(rows) {
  const body = rows.filter((r) => r[1] !== "" && r[1] != null)
    .map((r) => `<tr><th>${escapeHtml(r[0])}</th><td>${r[2] ? r[1] : escapeHtml(r[1])}</td></tr>`)
    .join("");
  return `<table class="popup-table">${body}</table>`;
}

export function neighbourhoodPopup(p) {
  return `<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + table([
    [_("Dân số"), formatNumber(p.population)],
    [_("Số hộ"), formatNumber(p.households)],
    [_("Trưởng khu phố"), p.head_name],
  ]);
}

export function streetPopup(p) {
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    [_("Loại đường"), p.street_class_label],
    [_("Chiều dài"), p.length_m != null ? `${formatNumber(Math.round(p.length_m))} m` : ""],
  ]);
}

export function modelPopup(p, criteriaLabels) {
  const criteria = Object.entries(criteriaLabels)
    .map(([code, label]) => `${p.criteria && p.criteria[code] ? "✔" : "✘"} ${escapeHtml(label)}`)
    .join("<br>");
  const signed = p.frontage_households ? _("%(signed)s/%(households)s hộ",
    { signed: p.commitments_signed, households: p.frontage_households }) : "";
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    [_("Cấp"), p.level_label],
    [_("Loại"), p.kind_label],
    [_("Khu phố"), p.neighbourhood_name],
    [_("Trạng thái"), p.status_label],
    [_("Ngày đăng ký"), formatDate(p.registered_on)],
    [_("Hạn hoàn thành"), formatDate(p.target_date)],
    [_("Hộ mặt tiền đã ký cam kết"), signed],
    [_("Kinh phí ngân sách"), formatMoney(p.budget_vnd)],
    [_("Kinh phí xã hội hóa"), formatMoney(p.socialised_vnd)],
    [_("Tiêu chí"), criteria, true],
  ]);
}

export function housePopup(p) {
  const equipment = [
    _("%(count)s bình chữa cháy", { count: p.extinguishers || 0 }),
    p.has_alarm ? _("có báo cháy") : _("không có báo cháy"),
    p.has_escape_route ? _("có lối thoát nạn") : _("không có lối thoát nạn"),
  ].join(", ");
  const fire = p.fire_safety_pass == null ? _("Chưa kiểm tra")
    : (p.fire_safety_pass ? _("Đạt") : _("Không đạt"));
  const model = p.model_status_label + (p.model_recognised_on
    ? ` (${formatDate(p.model_recognised_on)})` : "");
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    [_("Địa chỉ"), p.address],
    [_("Khu phố"), p.neighbourhood_name],
    [_("Loại hình"), p.house_type_label],
    [_("Số phòng / người ở"), _("%(rooms)s phòng / %(residents)s người",
      { rooms: p.rooms, residents: p.residents })],
    [_("Phân loại"), p.classification_label || _("Chưa rà soát, phân loại")],
    [_("Cam kết ANTT"), p.antt_commitment_on
      ? _("Đã ký %(date)s", { date: formatDate(p.antt_commitment_on) }) : _("Chưa ký")],
    [_("PCCC lần kiểm tra gần nhất"), fire],
    [_("Kiểm tra gần nhất"), formatDate(p.last_inspection_on)],
    [_("Trang bị PCCC"), equipment],
    [_("Mô hình"), model],
  ]) + link(`/boarding-houses/${Number(p.id)}`, _("Xem hồ sơ cơ sở"));
}

export function incidentPopup(p) {
  const repeat = p.is_repeat ? ' <span class="tag">' + escapeHtml(_("Tái vi phạm")) + "</span>" : "";
  return `<h3>${escapeHtml(p.category_label)}${repeat}</h3>` + table([
    [_("Thời điểm"), formatDate(p.observed_at)],
    [_("Trạng thái"), p.status_label],
    [_("Khu phố"), p.neighbourhood_name],
    [_("Đường"), p.street_name],
    [_("Mô tả"), p.description],
    [_("Biên bản số"), p.minutes_no],
    [_("Tiền phạt"), formatMoney(p.fine_vnd)],
    [_("Xử lý xong lúc"), formatDate(p.resolved_at)],
  ]) + link(`/incidents/${Number(p.id)}`, _("Xem hồ sơ vụ việc"));
}

/** A grid cell's count (``sentence``: "12 vụ vi phạm trong ô này."), and the way to see
 *  its records. */
export function cellPopup(sentence) {
  return `<p>${escapeHtml(sentence)} ` + escapeHtml(_("Phóng to để xem từng điểm.")) + "</p>";
}
