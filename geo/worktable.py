"""A ward's task table (the appendix of a plan, "phân công nhiệm vụ") read from XLSX into
tasks, every row checked, problems reported per row.

Headers are matched by their folded form (``geo.text.fold``), so "STT", "Số TT", "Nội dung
nhiệm vụ", "Nhiệm vụ trọng tâm", "Chỉ tiêu/sản phẩm", "Đơn vị chủ trì", "Chủ trì/phối hợp"
("Chủ trì: A. Phối hợp: B, C"), "Thời gian hoàn thành" and milestone columns "Đến 31/5/2026"
or "Đến năm 2030" are all understood. Units are matched by name or alias, folded.

Examples
--------
>>> split_lead_co("Chủ trì: UBND phường, Đoàn Thanh niên. Phối hợp: MTTQ, khu phố")
(['UBND phường', 'Đoàn Thanh niên'], ['MTTQ', 'khu phố'])
>>> parse_day("Quý II/2026"), parse_day("6/2026"), parse_day("năm 2030")
(datetime.date(2026, 6, 30), datetime.date(2026, 6, 30), datetime.date(2030, 12, 31))
>>> parse_day("2026-06-15"), parse_day("15/6/2026")
(datetime.date(2026, 6, 15), datetime.date(2026, 6, 15))
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from geo.text import fold, tidy

MAX_ROWS = 2000
HEADER_SCAN_ROWS = 15
FIELDS = {
    "code": ("stt", "so tt", "tt", "ma nhiem vu", "ma"),
    "title": ("noi dung nhiem vu", "nhiem vu", "nhiem vu trong tam", "ten nhiem vu",
              "nhiem vu da dang ky", "noi dung"),
    "product": ("san pham", "chi tieu san pham", "san pham chi tieu", "chi tieu",
                "san pham dau ra", "san pham chi tieu cam ket", "sp"),
    "lead": ("don vi chu tri", "chu tri", "dau moi chu tri", "co quan chu tri", "dv chu tri"),
    "co": ("don vi phoi hop", "phoi hop", "co quan phoi hop", "dv phoi hop"),
    "lead_co": ("chu tri phoi hop", "don vi chu tri phoi hop"),
    "deadline": ("thoi gian hoan thanh", "thoi han", "han hoan thanh", "moc hoan thanh",
                 "thoi han hoan thanh", "tg hoan thanh", "han"),
    "measure_unit": ("don vi tinh", "dvt"),
    "quantity": ("so luong", "chi tieu so luong", "khoi luong", "sl"),
    "responsible": ("nguoi phu trach", "can bo phu trach", "nguoi chiu trach nhiem"),
    "approver": ("tham quyen", "don vi phe duyet", "nguoi phe duyet", "phe duyet"),
    "phase": ("giai doan",),
}
_ALIASES = {alias: key for key, aliases in FIELDS.items() for alias in aliases}
_MILESTONE = re.compile(r"^den (.+)$")
_CO_LABEL = re.compile(r"ph[oốôồổỗộ]i\s*h[oợ]p\s*:?", re.IGNORECASE)
_LEAD_LABEL = re.compile(r"^\s*ch[uủ]\s*tr[iì]\s*:?", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass
class TableRow:
    """One task of the table, checked: ``values`` as the task table stores them."""

    row: int  # the sheet's row number, as a spreadsheet shows it
    values: dict
    problems: list[str] = field(default_factory=list)


@dataclass
class TaskTable:
    """The table as read: its recognised columns, rows and what was wrong with the file."""

    columns: dict[str, str]  # field → header as written
    milestones: list[tuple[str, date]]  # (header as written, its date)
    rows: list[TableRow]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems and all(not r.problems for r in self.rows)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_day(value) -> date | None:
    """A deadline as written: a date, dd/mm/yyyy, mm/yyyy, "Quý II/2026", "năm 2030"; the
    last day of a month, quarter or year."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = fold(value)
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4}) (\d{1,2}) (\d{1,2})", text):  # ISO, as a date input sends
        text = f"{m[3]} {m[2]} {m[1]}"
    if m := re.search(r"\b(\d{1,2}) (\d{1,2}) (\d{4})\b", text):
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    if m := re.search(r"\bquy (i{1,3}|iv|[1-4]) (\d{4})\b", text):
        quarter = _ROMAN.get(m[1]) or int(m[1])
        return _end_of_month(int(m[2]), quarter * 3)
    if m := re.search(r"\b(\d{1,2}) (\d{4})\b", text):
        return _end_of_month(int(m[2]), int(m[1])) if 1 <= int(m[1]) <= 12 else None
    if m := re.search(r"\b(\d{4})\b", text):
        return date(int(m[1]), 12, 31)
    return None


def split_lead_co(text: str) -> tuple[list[str], list[str]]:
    """"Chủ trì: A, B. Phối hợp: C, D" into its lead and co-operating names; text without
    the labels is all lead."""
    text = tidy(text)
    lead_text, co_text = text, ""
    if match := _CO_LABEL.search(text):
        lead_text, co_text = text[:match.start()], text[match.end():]
    lead_text = _LEAD_LABEL.sub("", lead_text)
    return names(lead_text), names(co_text)


def names(text) -> list[str]:
    """Unit names in a cell: split at commas, semicolons, line breaks and "và"."""
    parts = re.split(r"[,;\n]|\s+và\s+", str(text or ""))
    return [p for p in (tidy(p).strip(" .:-") for p in parts) if p]


def unit_key(name: str) -> str:
    """How a unit's name is compared: folded, without a leading "các" or trailing "phường".

    >>> unit_key("Các khu phố"), unit_key("UBND Phường")
    ('khu pho', 'ubnd')
    """
    key = fold(name)
    key = re.sub(r"^cac ", "", key)
    return re.sub(r" phuong$", "", key)


def unit_index(units) -> dict[str, int]:
    """``{unit_key: id}`` of the ward's units ``(id, name, aliases)``."""
    index: dict[str, int] = {}
    for unit_id, name, aliases in units:
        for label in (name, *(aliases or ())):
            index.setdefault(unit_key(label), unit_id)
    return index


def _header_row(rows: list[tuple]) -> tuple[int, dict[int, str], list[tuple[int, str, date]]]:
    for number, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, milestones = {}, []
        for col, cell in enumerate(cells):
            key = fold(cell) if cell is not None else ""
            if key in _ALIASES and _ALIASES[key] not in found.values():
                found[col] = _ALIASES[key]
            elif (m := _MILESTONE.match(key)) and (when := parse_day(m[1])):
                milestones.append((col, tidy(cell), when))
        if "title" in found.values() and len(found) + len(milestones) >= 3:
            return number, found, milestones
    return -1, {}, []


def _quantity(product: str) -> tuple[float | None, str | None]:
    """A measurable product's first figure: "100% khu phố…" → (100, "%")."""
    if m := re.search(r"(\d+(?:[.,]\d+)?)\s*(%)", product):
        return float(m[1].replace(",", ".")), "%"
    return None, None


def read_rows(path) -> list[tuple]:
    """The first sheet's cell values (formulas' cached values, never the formula)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file it cannot read
        raise ValueError("Không đọc được tệp: cần bảng tính Excel (.xlsx).") from None
    try:
        return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def check_table(rows: list[tuple], units, taken_codes=frozenset()) -> TaskTable:
    """Check every row of a task table against the ward's ``units`` ``(id, name, aliases)``;
    ``taken_codes`` are task codes (STT) the ward already has."""
    start, columns, milestones = _header_row(rows)
    if start < 0:
        return TaskTable({}, [], [], ["Không tìm thấy dòng tiêu đề của bảng nhiệm vụ (cần ít "
                                      "nhất cột “Nội dung nhiệm vụ” và hai cột khác như STT, "
                                      "Sản phẩm, Đơn vị chủ trì, Thời gian hoàn thành)."])
    header = rows[start]
    named = {key: tidy(header[col]) for col, key in columns.items()}
    problems = []
    if not ({"lead", "lead_co"} & set(columns.values())):
        problems.append("Thiếu cột “Đơn vị chủ trì” (hoặc “Chủ trì/phối hợp”).")
    if "deadline" not in columns.values() and not milestones:
        problems.append("Thiếu cột “Thời gian hoàn thành” (hoặc các cột mốc “Đến …”).")
    body = [(start + 2 + i, cells) for i, cells in enumerate(rows[start + 1:])
            if any(c not in (None, "") for c in cells)]
    if len(body) > MAX_ROWS:
        problems.append(f"Bảng có {len(body)} dòng; tối đa {MAX_ROWS} dòng một lần nhập.")
        body = body[:MAX_ROWS]
    index = unit_index(units)
    seen: set[str] = set()
    out = [_check_row(number, cells, columns, milestones, index, taken_codes, seen)
           for number, cells in body]
    return TaskTable(named, [(text, when) for _, text, when in milestones], out, problems)


def _check_row(number, cells, columns, milestones, index, taken, seen) -> TableRow:
    raw = {key: (cells[col] if col < len(cells) else None) for col, key in columns.items()}
    text = {key: tidy(value) if value is not None else "" for key, value in raw.items()}
    row = TableRow(number, {})
    problems = row.problems
    code = text.get("code") or str(number)
    if code in taken or code in seen:
        problems.append(f"STT “{code}” đã có trong phường hoặc lặp lại trong tệp.")
    seen.add(code)
    if not text.get("title"):
        problems.append("Thiếu nội dung nhiệm vụ.")
    lead, co = split_lead_co(text["lead_co"]) if text.get("lead_co") else ([], [])
    lead = names(text["lead"]) if text.get("lead") else lead
    co = names(text["co"]) if text.get("co") else co
    if not lead:
        problems.append("Thiếu đơn vị chủ trì.")
    unknown = [n for n in (*lead, *co) if unit_key(n) not in index]
    if unknown:
        problems.append("Không có đơn vị: " + ", ".join(f"“{n}”" for n in unknown)
                        + " (thêm đơn vị, hoặc tên gọi khác của đơn vị, rồi nhập lại).")
    marks = [{"on": when.isoformat(), "text": tidy(cells[col])}
             for col, _, when in milestones if col < len(cells) and tidy(cells[col] or "")]
    deadline = parse_day(raw.get("deadline")) if raw.get("deadline") not in (None, "") else None
    if raw.get("deadline") not in (None, "") and deadline is None:
        problems.append(f"Thời gian hoàn thành “{text['deadline']}” không đọc được (dùng "
                        "dd/mm/yyyy, tháng/năm, quý/năm hoặc năm).")
    deadline = deadline or max((date.fromisoformat(m["on"]) for m in marks), default=None)
    if deadline is None and not problems:
        problems.append("Thiếu thời gian hoàn thành.")
    product = text.get("product") or ""
    quantity, measure = _quantity(product)
    if text.get("quantity"):
        try:
            quantity = float(str(text["quantity"]).replace(",", "."))
        except ValueError:
            problems.append(f"Số lượng “{text['quantity']}” không phải là số.")
    ids = [index.get(unit_key(n)) for n in lead]
    row.values = {
        "code": code[:32], "title": text.get("title", ""), "product": product or
        text.get("title", ""), "measure_unit": text.get("measure_unit") or measure,
        "ward_quantity": quantity, "target_quantity": quantity,
        "lead_unit_id": ids[0] if ids and ids[0] else None,
        "co_unit_ids": sorted({index[unit_key(n)] for n in [*lead[1:], *co]
                               if unit_key(n) in index} - {ids[0] if ids else None}),
        "responsible_name": text.get("responsible") or None,
        "approver_name": text.get("approver") or None, "phase": text.get("phase") or None,
        "deadline": deadline, "milestones": marks,
    }
    return row
