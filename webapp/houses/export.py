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
from geo.i18n import N_, translate
from geo.spreadsheet import as_digit_text, csv_row

# Column titles and cell words are msgids: the file is in the language of who downloads it
# (dates stay dd/mm/yyyy, the form Excel reads in either language).
_YES_NO = {True: N_("Có"), False: N_("Không"), None: ""}
_PASS = {True: N_("Đạt"), False: N_("Không đạt"), None: N_("Chưa kiểm tra")}

PUBLIC_COLUMNS: tuple[tuple[str, object], ...] = (
    (N_("Mã"), lambda r, t: r.id),
    (N_("Tên cơ sở"), lambda r, t: r.name),
    (N_("Địa chỉ"), lambda r, t: r.address),
    (N_("Mã khu phố"), lambda r, t: r.kp_code),
    (N_("Khu phố"), lambda r, t: r.kp_name),
    (N_("Đường"), lambda r, t: r.street_name),
    (N_("Loại hình"), lambda r, t: t(vocab.label(vocab.HOUSE_TYPES, r.house_type))),
    (N_("Số phòng"), lambda r, t: r.rooms),
    (N_("Số người ở"), lambda r, t: r.residents),
    (N_("Xếp loại"), lambda r, t: t(vocab.label(vocab.CLASSIFICATIONS, r.classification)
                                    or N_("Chưa xếp loại"))),
    (N_("Ngày ký cam kết ANTT"),
     lambda r, t: fmt.day(r.antt_commitment_on, missing=t(N_("Chưa ký")))),
    (N_("Bình chữa cháy"), lambda r, t: r.extinguishers),
    (N_("Báo cháy"), lambda r, t: t(_YES_NO[r.has_alarm])),
    (N_("Lối thoát nạn"), lambda r, t: t(_YES_NO[r.has_escape_route])),
    (N_("Mô hình"), lambda r, t: t(vocab.label(vocab.MODEL_HOUSE_STATUSES, r.model_status))),
    (N_("Ngày công nhận mô hình"), lambda r, t: fmt.day(r.model_recognised_on)),
    (N_("Kiểm tra gần nhất"), lambda r, t: fmt.day(r.last_inspection_on)),
    (N_("PCCC lần kiểm tra gần nhất"), lambda r, t: t(_PASS[r.fire_safety_pass])),
    (N_("Kinh độ"), lambda r, t: fmt.coordinate(r.lon)),
    (N_("Vĩ độ"), lambda r, t: fmt.coordinate(r.lat)),
)

OWNER_COLUMNS: tuple[tuple[str, object], ...] = (
    (N_("Chủ cơ sở"), lambda r, t: r.owner_name),
    (N_("Điện thoại chủ cơ sở"), lambda r, t: as_digit_text(r.owner_phone)),
    (N_("Số CCCD/CMND chủ cơ sở"), lambda r, t: as_digit_text(r.owner_id_number)),
)


def houses_csv(rows, with_personal_data: bool, locale: str = "vi") -> bytes:
    """The houses as CSV, titles and words in ``locale``."""
    def say(message: str) -> str:
        return translate(message, locale) if message else message

    columns = PUBLIC_COLUMNS[:3] + (OWNER_COLUMNS if with_personal_data else ()) \
        + PUBLIC_COLUMNS[3:]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([say(title) for title, _ in columns])
    for row in rows:
        writer.writerow(csv_row(get(row, say) for _, get in columns))
    return out.getvalue().encode("utf-8-sig")
