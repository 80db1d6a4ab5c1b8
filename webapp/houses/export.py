"""CSV of boarding houses: UTF-8 with BOM (Excel then reads Vietnamese), dd/mm/yyyy dates.

Cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed with an
apostrophe, so text typed in the field cannot become a formula on a desk computer. Phone and
ID numbers are written as ``="0912345678"``: Excel would otherwise read them as numbers and
drop the leading 0 that every CCCD and mobile number has (only digits are ever wrapped).
"""

from __future__ import annotations

import csv
import io
import re

from geo import vocabulary as vocab
from webapp.incidents.formatting import vn_date

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
    ("Ngày ký cam kết ANTT", lambda r: vn_date(r.antt_commitment_on) or "Chưa ký"),
    ("Bình chữa cháy", lambda r: r.extinguishers),
    ("Báo cháy", lambda r: _YES_NO[r.has_alarm]),
    ("Lối thoát nạn", lambda r: _YES_NO[r.has_escape_route]),
    ("Mô hình", lambda r: vocab.label(vocab.MODEL_HOUSE_STATUSES, r.model_status)),
    ("Ngày công nhận mô hình", lambda r: vn_date(r.model_recognised_on)),
    ("Kiểm tra gần nhất", lambda r: vn_date(r.last_inspection_on)),
    ("PCCC lần kiểm tra gần nhất", lambda r: _PASS[r.fire_safety_pass]),
    ("Kinh độ", lambda r: f"{r.lon:.6f}"),
    ("Vĩ độ", lambda r: f"{r.lat:.6f}"),
)
_DIGITS = re.compile(r"\+?[0-9]{1,20}")


class _Text(str):
    """A number that must stay text in a spreadsheet."""


def _as_text(value):
    return _Text(value) if value and _DIGITS.fullmatch(value) else value


PERSONAL_COLUMNS: tuple[tuple[str, object], ...] = (
    ("Chủ cơ sở", lambda r: r.owner_name),
    ("Điện thoại chủ cơ sở", lambda r: _as_text(r.owner_phone)),
    ("Số CCCD/CMND chủ cơ sở", lambda r: _as_text(r.owner_id_number)),
)


def _cell(value) -> str:
    if isinstance(value, _Text):
        return f'="{value}"'
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def houses_csv(rows, with_personal_data: bool) -> bytes:
    columns = PUBLIC_COLUMNS[:3] + (PERSONAL_COLUMNS if with_personal_data else ()) \
        + PUBLIC_COLUMNS[3:]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _ in columns])
    for row in rows:
        writer.writerow([_cell(get(row)) for _, get in columns])
    return out.getvalue().encode("utf-8-sig")
