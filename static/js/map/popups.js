/* The ward map's popups: the facts of a khu phố, street, model street, boarding house or
 * incident, in Vietnamese. Text from data joins the HTML only through escapeHtml. */

import { formatDate } from "../dates.js";
import { escapeHtml } from "../html.js";

function formatMoney(value) {
  return value == null ? "" : Number(value).toLocaleString("vi-VN") + " đ";
}

function table(rows) {
  const body = rows.filter((r) => r[1] !== "" && r[1] != null)
    .map((r) => `<tr><th>${escapeHtml(r[0])}</th><td>${r[2] ? r[1] : escapeHtml(r[1])}</td></tr>`)
    .join("");
  return `<table class="popup-table">${body}</table>`;
}

export function neighbourhoodPopup(p) {
  return `<h3>${escapeHtml(p.name)} (${escapeHtml(p.code)})</h3>` + table([
    ["Dân số", p.population != null ? p.population.toLocaleString("vi-VN") : ""],
    ["Số hộ", p.households != null ? p.households.toLocaleString("vi-VN") : ""],
    ["Trưởng khu phố", p.head_name],
  ]);
}

export function streetPopup(p) {
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    ["Loại đường", p.street_class_label],
    ["Chiều dài", p.length_m != null ? `${Math.round(p.length_m).toLocaleString("vi-VN")} m` : ""],
  ]);
}

export function modelPopup(p, criteriaLabels) {
  const criteria = Object.entries(criteriaLabels)
    .map(([code, label]) => `${p.criteria && p.criteria[code] ? "✔" : "✘"} ${escapeHtml(label)}`)
    .join("<br>");
  const signed = p.frontage_households ? `${p.commitments_signed}/${p.frontage_households} hộ` : "";
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    ["Cấp", p.level_label],
    ["Loại", p.kind_label],
    ["Khu phố", p.neighbourhood_name],
    ["Trạng thái", p.status_label],
    ["Ngày đăng ký", formatDate(p.registered_on)],
    ["Hạn hoàn thành", formatDate(p.target_date)],
    ["Hộ mặt tiền đã ký cam kết", signed],
    ["Kinh phí ngân sách", formatMoney(p.budget_vnd)],
    ["Kinh phí xã hội hóa", formatMoney(p.socialised_vnd)],
    ["Tiêu chí", criteria, true],
  ]);
}

export function housePopup(p) {
  const equipment = [
    `${p.extinguishers || 0} bình chữa cháy`,
    p.has_alarm ? "có báo cháy" : "không có báo cháy",
    p.has_escape_route ? "có lối thoát nạn" : "không có lối thoát nạn",
  ].join(", ");
  const fire = p.fire_safety_pass == null ? "Chưa kiểm tra" : (p.fire_safety_pass ? "Đạt" : "Không đạt");
  return `<h3>${escapeHtml(p.name)}</h3>` + table([
    ["Địa chỉ", p.address],
    ["Khu phố", p.neighbourhood_name],
    ["Loại hình", p.house_type_label],
    ["Số phòng / người ở", `${p.rooms} phòng / ${p.residents} người`],
    ["Phân loại", p.classification_label || "Chưa rà soát, phân loại"],
    ["Cam kết ANTT", p.antt_commitment_on ? `Đã ký ${formatDate(p.antt_commitment_on)}` : "Chưa ký"],
    ["PCCC lần kiểm tra gần nhất", fire],
    ["Kiểm tra gần nhất", formatDate(p.last_inspection_on)],
    ["Trang bị PCCC", equipment],
    ["Mô hình", p.model_status_label + (p.model_recognised_on ? ` (${formatDate(p.model_recognised_on)})` : "")],
  ]) + `<p><a href="/boarding-houses/${Number(p.id)}">Xem hồ sơ cơ sở</a></p>`;
}

export function incidentPopup(p) {
  return `<h3>${escapeHtml(p.category_label)}${p.is_repeat ? ' <span class="tag">Tái vi phạm</span>' : ""}</h3>` + table([
    ["Thời điểm", formatDate(p.observed_at)],
    ["Trạng thái", p.status_label],
    ["Khu phố", p.neighbourhood_name],
    ["Đường", p.street_name],
    ["Mô tả", p.description],
    ["Biên bản số", p.minutes_no],
    ["Tiền phạt", formatMoney(p.fine_vnd)],
    ["Xử lý xong lúc", formatDate(p.resolved_at)],
  ]) + `<p><a href="/incidents/${Number(p.id)}">Xem hồ sơ vụ việc</a></p>`;
}

/** The count of a grid cell, and the way to see its records. */
export function cellPopup(count, what) {
  return `<p>${escapeHtml(Number(count).toLocaleString("vi-VN"))} ${escapeHtml(what)} trong ô này. ` +
    "Phóng to để xem từng điểm.</p>";
}
