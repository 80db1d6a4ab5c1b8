"""CSV of boarding houses: UTF-8 with BOM (Excel then reads Vietnamese), dd/mm/yyyy dates.

Every cell goes through ``geo.spreadsheet``: text typed in the field cannot become a formula
on a desk computer, and phone and ID numbers keep the leading 0 that every CCCD and mobile
number has.
"""

from __future__ import annotations

import csv
import io

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.spreadsheet import as_digit_text, csv_row

_YES_NO = {True: "Có", False: "Không", None: ""}
_PASS = {True: "Đạt", False: "Không đạt", None: "Chưa kiểm tra"}

PUBLIC_COLUMNS: tuple[tuple[str, object], ...] = (
    ("Mã", lambda r: r.id),
    ("Tên cơ sở", lambda r: r.name),
    ("Địa chỉ", lambda r: r.address),
    ("Mã khu phố", lambda r: r.kp_code),
    ("Khu phố", lambda r: r.kp_name),
    ("Đường", lambda r: r.street_name),
    ("Loại hình", lambda r: vocab.label(vocab.HOUSE_TYPES, r.house_type)),
    ("Số phòng", lambda r: r.rooms),
    ("Số người ở", lambda r: r.residents),
    ("Xếp loại", lambda r: vocab.label(vocab.CLASSIFICATIONS, r.classification)
     or "Chưa xếp loại"),
    ("Ngày ký cam kết ANTT", lambda r: fmt.day(r.antt_commitment_on, missing="Chưa ký")),
    ("Bình chữa cháy", lambda r: r.extinguishers),
    ("Báo cháy", lambda r: _YES_NO[r.has_alarm]),
    ("Lối thoát nạn", lambda r: _YES_NO[r.has_escape_route]),
    ("Mô hình", lambda r: vocab.label(vocab.MODEL_HOUSE_STATUSES, r.model_status)),
    ("Ngày công nhận mô hình", lambda r: fmt.day(r.model_recognised_on)),
    ("Kiểm tra gần nhất", lambda r: fmt.day(r.last_inspection_on)),
    ("PCCC lần kiểm tra gần nhất", lambda r: _PASS[r.fire_safety_pass]),
    ("Kinh độ", lambda r: fmt.coordinate(r.lon)),
    ("Vĩ độ", lambda r: fmt.coordinate(r.lat)),
)

OWNER_COLUMNS: tuple[tuple[str, object], ...] = (
    ("Chủ cơ sở", lambda r: r.owner_name),
    ("Điện thoại chủ cơ sở", lambda r: as_digit_text(r.owner_phone)),
    ("Số CCCD/CMND chủ cơ sở", lambda r: as_digit_text(r.owner_id_number)),
)


def houses_csv(rows, with_personal_data: bool) -> bytes:
    columns = PUBLIC_COLUMNS[:3] + (OWNER_COLUMNS if with_personal_data else ()) \
        + PUBLIC_COLUMNS[3:]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _ in columns])
    for row in rows:
        writer.writerow(csv_row(get(row) for _, get in columns))
    return out.getvalue().encode("utf-8-sig")
