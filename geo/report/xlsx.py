"""The monthly report (Bảng 3) as an XLSX sheet: letterhead, the plan's columns, signatures.

Every cell is written through ``geo.spreadsheet.put``: staff text never becomes a formula.
"""

from __future__ import annotations

import io
import math

from geo import formatting as fmt
from geo.i18n import translate
from geo.report.rows import Report, cells
from geo.spreadsheet import put

XLSX_WIDTHS = (5, 34, 18, 26, 48, 11, 28, 28, 14)


def write_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = translate("Tháng %(month)s", report.locale,
                         month=report.month_label.replace("/", "-"))[:31]  # Excel's limit
    last = len(report.columns)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def banner(row: int, text: str, bold=False, italic=False, size=11, height=None,
               first=1, end=last):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        cell = put(ws, row, first, text)
        cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
        cell.alignment = centre
        if height:
            ws.row_dimensions[row].height = height

    head = report.letterhead
    # Letterhead: the issuing body at the left (columns 1–3), the national line at the right.
    banner(1, "\n".join(report.issuer_lines), bold=True, end=3, height=32)
    banner(1, "\n".join(report.national_lines), bold=True, first=6)
    banner(2, head.number, end=3)
    banner(2, report.date_line, italic=True, first=6)
    banner(3, report.heading, bold=True, size=13, height=22)
    banner(4, "; ".join(filter(None, (
        head.recipient, translate("số liệu tính đến ngày %(day)s", report.locale,
                                  day=fmt.day(report.as_of, locale=report.locale)),
        translate("DỮ LIỆU MÔ PHỎNG, không phải số liệu thật", report.locale)
        if report.synthetic else ""))), italic=True)
    banner(5, report.note, italic=True, size=10, height=42)
    header_row = 7
    for col, title in enumerate(report.columns, start=1):
        cell = put(ws, header_row, col, title)
        cell.font = Font(name="Times New Roman", bold=True)
        cell.alignment = centre
        cell.border = box
        cell.fill = PatternFill("solid", fgColor="E7ECF1")
    ws.row_dimensions[header_row].height = 32
    for i, row in enumerate(report.rows):
        r = header_row + 1 + i
        values = cells(row, report.locale)
        values[0] = row.stt
        values[5] = row.percent
        values[8] = row.next_deadline
        for col, value in enumerate(values, start=1):
            cell = put(ws, r, col, value)
            cell.font = Font(name="Times New Roman", size=11)
            cell.alignment = wrap if col not in (1, 6, 9) else centre
            cell.border = box
        ws.cell(row=r, column=6).number_format = "0.0%"
        ws.cell(row=r, column=9).number_format = "DD/MM/YYYY"
        if row.percent is None:
            put(ws, r, 6, row.percent_in(report.locale))
        lines = max(sum(math.ceil(max(len(part), 1) / (0.95 * width))
                        for part in str(text).split("\n"))
                    for text, width in zip(cells(row, report.locale), XLSX_WIDTHS,
                                           strict=True))
        ws.row_dimensions[r].height = 15 * max(lines, 2)  # openpyxl does not autofit
    for col, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=col).column_letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sign = header_row + len(report.rows) + 2
    for (col_from, col_to), signature in zip(_signature_columns(len(report.signatures)),
                                             report.signatures, strict=True):
        lines = ((0, signature["title"], Font(name="Times New Roman", bold=True)),
                 (1, signature.get("hint", ""), Font(name="Times New Roman", italic=True)),
                 (5, signature.get("name", ""), Font(name="Times New Roman", bold=True)))
        for offset, text, font in lines:
            ws.merge_cells(start_row=sign + offset, start_column=col_from,
                           end_row=sign + offset, end_column=col_to)
            cell = put(ws, sign + offset, col_from, text)
            cell.font, cell.alignment = font, centre
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _signature_columns(count: int) -> list[tuple[int, int]]:
    """Merged column spans of 1–3 signature blocks, spread over the nine columns."""
    return {1: [(7, 8)], 2: [(2, 3), (7, 8)], 3: [(2, 3), (5, 5), (7, 8)]}.get(count, [])
