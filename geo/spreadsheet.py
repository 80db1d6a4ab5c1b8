"""Cells for every sheet we write (XLSX and CSV): stored text can neither run nor break it.

Text typed in the field or at the desk reaches a desk computer's spreadsheet program, so:

* **No formulas** (OWASP "CSV injection"): text that starts with ``= + - @``, a tab or a CR
  (also their full-width forms, which some spreadsheet programs accept, and after leading
  spaces) is a formula to Excel and LibreOffice. In CSV it is prefixed with an apostrophe;
  in XLSX it is written unchanged as a *string* cell with the quote-prefix style — what
  Excel itself stores for ``'=...`` typed by hand — so it shows literally and never runs.
* **Never a failure**: characters an XLSX cannot hold (C0 controls; openpyxl raises
  ``IllegalCharacterError``) are dropped from both formats, and text is cut at Excel's
  32,767 characters a cell. Old rows may hold anything; the export still works.
* **Numbers stay numbers**: an ``int``/``float`` (−5 too) is a value, not a formula, and a
  string that is just a plain number (``"-106.925000"``) is left as it is.
* **Digit strings stay text**: phone and CCCD numbers (``DigitText``) keep their leading 0;
  in CSV they are written ``="0912345678"``, the one formula we write ourselves.
"""

from __future__ import annotations

import re

from geo.lazy import deferred

_openpyxl_cell = deferred("openpyxl.cell.cell")  # openpyxl loads when a sheet is written


MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # and full-width = + - @
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DIGITS = re.compile(r"\+?[0-9]{1,20}")


class DigitText(str):
    """A phone or ID number: digits that a spreadsheet must keep as text."""


def as_digit_text(value):
    """``value`` as ``DigitText`` when it is only digits (a leading + allowed), else as is."""
    return DigitText(value) if isinstance(value, str) and _DIGITS.fullmatch(value) else value


def clean_text(text: str) -> str:
    """``text`` without the characters an XLSX cell refuses, cut to one cell's length."""
    return _openpyxl_cell.ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def is_formula(text: str) -> bool:
    """Would a spreadsheet program read ``text`` as a formula (or a DDE call)?"""
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        return False
    return text[:1] in FORMULA_STARTS or text.lstrip(" ")[:1] in FORMULA_STARTS


def csv_cell(value) -> str:
    """One CSV field: numbers as written, formulas neutralised, illegal characters dropped."""
    if value is None:
        return ""
    if isinstance(value, DigitText):
        return f'="{value}"'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = clean_text(str(value))
    return "'" + text if is_formula(text) else text


def csv_row(values) -> list[str]:
    return [csv_cell(v) for v in values]


def xlsx_value(value):
    """A value openpyxl can store: text cleaned, anything else unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def put(sheet, row: int, column: int, value):
    """Write ``value`` into ``sheet`` at (row, column) and return the cell; text that looks
    like a formula becomes a quote-prefixed string cell (openpyxl would store a formula)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = xlsx_value(value)
    if isinstance(cell.value, str) and is_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_row(sheet, row: int, values) -> None:
    """Write ``values`` into ``row`` from column 1 (each through ``put``)."""
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)
