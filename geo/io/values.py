"""Cell values of an import as plain Python: what spreadsheets and GIS files hold (Excel
dates and numbers, NFC text, dd/mm/yyyy, "Có"/"Không", Vietnamese thousands) made into what
``geo.io.rows`` and the field rules read.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

import numpy as np

from geo.lazy import deferred
from geo.text import fold

pd = deferred("pandas")

_TRUE = {"co", "x", "dat", "true", "yes", "y", "1", "on"}
_FALSE = {"khong", "khong dat", "false", "no", "n", "0", "off"}
_UNKNOWN = {"chua kiem tra", "chua ro", ""}


def cell(value):
    """One cell as a plain Python value: NFC text stripped, ``None`` for blanks and NaN.

    Undoes what our own CSV export does against spreadsheet formulas (``'=…``) and against
    Excel dropping leading zeros (``="0912345678"``).

    >>> cell('="0912345678"'), cell("'=SUM(A1)"), cell("  "), cell(float("nan"))
    ('0912345678', '=SUM(A1)', None, None)
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        if value.startswith('="') and value.endswith('"') and len(value) >= 3:
            value = value[2:-1]
        elif value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            value = value[1:]
        return value or None
    return value


def number(value):
    """A number from a cell: ``"1.500.000"`` (Vietnamese thousands), ``"106,91"``, ``12.0``.

    >>> number("1.500.000"), number("106,91"), number(12.0), number("abc")
    (1500000, 106.91, 12, 'abc')
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        text = value.replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        elif "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def coordinate(value):
    """A coordinate from a cell (a decimal comma accepted; never thousands separators).

    >>> coordinate("106.905"), coordinate("106,905"), coordinate(" 10.85 "), coordinate("x")
    (106.905, 106.905, 10.85, 'x')
    """
    value = cell(value)
    if isinstance(value, str):
        text = value.replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return value
    return value


def _day(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("T", " ").split(" ")[0]
    return value


def _moment(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
            try:
                return datetime.strptime(value, fmt).isoformat()
            except ValueError:
                continue
    return value


def _boolean(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else value
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None if key in _UNKNOWN else value


def _digits(value, width: int):
    """Excel turned a phone or CCCD into a number: give its leading zero back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        return text.zfill(width) if len(text) == width - 1 else text
    return value

