"""Numbers, dates, months and money as people read them: the one home for formatting.

Pages (Jinja filters registered in ``create_app``), printed maps and reports (PDF), XLSX and
CSV all call these functions; Babel (CLDR) supplies the separators and the patterns of
each language. Every function takes ``locale`` (default ``"vi"``), so an English interface
passes ``"en"``.

Rules, the same everywhere:

* **Missing values** (``None``, NaN, ``""``) come back as ``missing``, which is empty by
  default: an empty form field, spreadsheet cell or CSV column stays empty. Where a blank
  would look like a printing fault — the tables of printed maps, a percentage on a page —
  the caller asks for ``missing=DASH`` ("—").
* **Rounding** is half up on the decimal value as written (``81.745`` → ``81,75``), as
  people and spreadsheets round; a value rounded to zero never prints as ``-0``.
* **Vietnamese dates** keep the administrative style (``05/11/2026``, ``05/11/2026 09:05``,
  ``ngày 05 tháng 11 năm 2026``, month ``11/2026`` written after "tháng"); other languages
  use their CLDR patterns (``Nov 5, 2026``, ``November 2026``).
* **Money** is Vietnamese đồng without decimals; Vietnamese documents write ``đ`` after the
  figure (``1.500.000 đ``), not CLDR's ``₫``.
* **Coordinates** keep a decimal point in every language: they are pasted into map apps.
"""

from __future__ import annotations

import copy
import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates

from geo.i18n import N_, Message

LOCALE = "vi"
DASH = "—"

# The administrative style of Vietnamese documents (CLDR's own "vi" patterns differ: 5/11/26).
_VI_PATTERNS = {"date": "dd/MM/yyyy", "day_month": "dd/MM", "datetime": "dd/MM/yyyy HH:mm",
                "datetime_seconds": "dd/MM/yyyy HH:mm:ss", "time": "HH:mm", "month": "MM/yyyy",
                "long_date": "'ngày' dd 'tháng' MM 'năm' yyyy"}
# Other languages: the CLDR skeleton of each kind of date (the locale orders the fields).
_SKELETONS = {"date": "yMMMd", "day_month": "MMMd", "time": "Hm", "time_seconds": "Hms",
              "month": "yMMMM", "long_date": "yMMMMd"}
# How a language's documents write the đồng, where it is not CLDR's symbol.
_DONG = {"vi": "đ"}


class BadMonth(ValueError):
    """A month that is not ``yyyy-mm`` (or ``mm/yyyy``) between 2000 and 2100; ``args[0]`` is
    the message for the user (a ``geo.i18n.Message``), ``str()`` its Vietnamese."""

    def __init__(self, raw) -> None:
        super().__init__(Message(N_("Tháng '%(raw)s' không hợp lệ: dùng dạng yyyy-mm, ví dụ "
                                    "2026-10."), raw=raw))
        self.raw = raw


# --- numbers ------------------------------------------------------------------------------

def _decimal(value) -> Decimal | None:
    """``value`` as an exact decimal (a float as its shortest repr), ``None`` if missing."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, int) or hasattr(value, "dtype") and value.dtype.kind in "iu":
        return Decimal(int(value))
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else Decimal(repr(number))


def _rounded(value: Decimal, digits: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded.is_zero() else rounded


@lru_cache(maxsize=128)
def _number_pattern(kind: str, locale: str, digits: int, trim: bool):
    """The locale's decimal or percent pattern with ``digits`` decimals (fewer if ``trim``)."""
    parsed = Locale.parse(locale)
    base = (parsed.percent_formats if kind == "percent" else parsed.decimal_formats)[None]
    pattern = copy.copy(base)
    pattern.frac_prec = (0 if trim else digits, digits)
    return pattern, parsed


def number(value, digits: int = 0, *, trim: bool = False, locale: str = LOCALE,
           missing: str = "") -> str:
    """A number with the language's separators and ``digits`` decimals; ``trim`` drops
    trailing zeros.

    >>> number(2349.5), number(85.724, 2), number(78.25, 1, trim=True), number(2.0, 1, trim=True)
    ('2.350', '85,72', '78,3', '2')
    >>> number(1234.5, 1, locale="en"), number(None), number(float("nan"), missing=DASH)
    ('1,234.5', '', '—')
    """
    exact = _decimal(value)
    if exact is None:
        return missing
    pattern, parsed = _number_pattern("decimal", locale, digits, trim)
    return pattern.apply(_rounded(exact, digits), parsed)


def integer(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """``12345.6`` → ``"12.346"``."""
    return number(value, 0, locale=locale, missing=missing)


def percent(share, digits: int = 0, *, trim: bool = False, locale: str = LOCALE,
            missing: str = "") -> str:
    """A share (``0.253``) as a percentage (``"25%"``, ``"25,3%"`` with one digit).

    >>> percent(0.253), percent(0.253, 1), percent(0.5, 1, trim=True), percent(None, missing=DASH)
    ('25%', '25,3%', '50%', '—')
    """
    exact = _decimal(share)
    if exact is None:
        return missing
    pattern, parsed = _number_pattern("percent", locale, digits, trim)
    return pattern.apply(_rounded(exact, digits + 2), parsed)


def amount(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """A figure as staff write it: whole numbers without decimals, others with up to four.

    >>> amount(1500000), amount(12.5), amount(-0.25), amount(3.0)
    ('1.500.000', '12,5', '-0,25', '3')
    """
    return number(value, 4, trim=True, locale=locale, missing=missing)


def currency(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """Vietnamese đồng: ``1500000`` → ``"1.500.000 đ"`` (``"₫1,500,000"`` in English)."""
    exact = _decimal(value)
    if exact is None:
        return missing
    if locale in _DONG:
        return f"{number(exact, locale=locale)} {_DONG[locale]}"
    from babel.numbers import format_currency

    return format_currency(_rounded(exact, 0), "VND", locale=locale, currency_digits=True)


def coordinate(value, places: int = 6, *, missing: str = "") -> str:
    """A longitude or latitude with a decimal point in every language (map apps read it).

    >>> coordinate(106.9231234567), coordinate(10.85, 5)
    ('106.923123', '10.85000')
    """
    exact = _decimal(value)
    return missing if exact is None else f"{_rounded(exact, places):.{places}f}"


# --- dates --------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _date_pattern(kind: str, locale: str):
    parsed = Locale.parse(locale)
    if locale == "vi":
        return babel_dates.parse_pattern(_VI_PATTERNS[kind]), parsed
    if kind.startswith("datetime"):
        clock = _SKELETONS["time_seconds" if kind.endswith("seconds") else "time"]
        text = parsed.datetime_formats["medium"].replace("{1}", _skeleton("date", parsed)) \
            .replace("{0}", _skeleton_of(clock, parsed))
    else:
        text = _skeleton(kind, parsed)
    return babel_dates.parse_pattern(text), parsed


def _skeleton(kind: str, parsed: Locale) -> str:
    return _skeleton_of(_SKELETONS[kind], parsed)


def _skeleton_of(skeleton: str, parsed: Locale) -> str:
    found = babel_dates.match_skeleton(skeleton, parsed.datetime_skeletons)
    return str(parsed.datetime_skeletons[found])


def _format(value, kind: str, locale: str) -> str:
    pattern, parsed = _date_pattern(kind, locale)
    return pattern.apply(value, parsed)  # no time-zone conversion: ward times stay as given


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def day(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """A date (or the day of a datetime, or an ISO string): ``"05/11/2026"``.

    >>> day(date(2026, 11, 5)), day("2026-11-05T09:05"), day(date(2026, 11, 5), locale="en")
    ('05/11/2026', '05/11/2026', 'Nov 5, 2026')
    """
    found = _as_date(value)
    return missing if found is None else _format(found, "date", locale)


def day_month(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """A day within a year already named: ``"05/11"`` (``"Nov 5"``).

    >>> day_month(date(2026, 11, 5)), day_month(date(2026, 11, 5), locale="en")
    ('05/11', 'Nov 5')
    """
    found = _as_date(value)
    return missing if found is None else _format(found, "day_month", locale)


def moment(value, *, seconds: bool = False, locale: str = LOCALE, missing: str = "") -> str:
    """A date and time: ``"05/11/2026 09:05"``; a plain date is shown as ``day`` shows it.

    >>> moment(datetime(2026, 11, 5, 9, 5)), moment(datetime(2026, 11, 5, 9, 5), locale="en")
    ('05/11/2026 09:05', 'Nov 5, 2026, 09:05')
    """
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return day(value, locale=locale, missing=missing)
    return _format(value, "datetime_seconds" if seconds else "datetime", locale)


def time_of_day(value: datetime, *, locale: str = LOCALE) -> str:
    """``"09:05"``."""
    return _format(value, "time", locale)


def long_date(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """The date line of a signed document: ``"ngày 05 tháng 11 năm 2026"``.

    >>> long_date(date(2026, 11, 5)), long_date(date(2026, 11, 5), locale="en")
    ('ngày 05 tháng 11 năm 2026', 'November 5, 2026')
    """
    found = _as_date(value)
    return missing if found is None else _format(found, "long_date", locale)


# --- months -------------------------------------------------------------------------------

def month(value, *, locale: str = LOCALE, missing: str = "") -> str:
    """A month (``"yyyy-mm"`` or a date) as a reader names it: ``"11/2026"`` (Vietnamese
    writes "tháng" before it), ``"November 2026"`` in English.

    >>> month("2026-11"), month(date(2026, 11, 5)), month("2026-11", locale="en"), month(None)
    ('11/2026', '11/2026', 'November 2026', '')
    """
    if value is None or value == "":
        return missing
    first = month_start(value) if isinstance(value, str) else value.replace(day=1)
    return _format(first, "month", locale)


def month_key(value: date) -> str:
    """The ``"yyyy-mm"`` of a date, as months travel in URLs, forms and the database."""
    return f"{value.year:04d}-{value.month:02d}"


def parse_month(raw) -> str:
    """``"yyyy-mm"`` (what ``<input type=month>`` sends) or ``"mm/yyyy"`` → ``"yyyy-mm"``;
    raises ``BadMonth`` for anything else, or a year outside 2000–2100.

    >>> parse_month(" 2026-1 "), parse_month("10/2026")
    ('2026-01', '2026-10')
    >>> parse_month("2026-13")
    Traceback (most recent call last):
    ...
    geo.formatting.BadMonth: Tháng '2026-13' không hợp lệ: dùng dạng yyyy-mm, ví dụ 2026-10.
    """
    text = raw.strip() if isinstance(raw, str) else ""
    year, sep, mon = text.partition("-")
    if not sep:
        mon, sep, year = text.partition("/")
    if not (sep and year.isascii() and year.isdigit() and len(year) == 4
            and mon.isascii() and mon.isdigit() and 1 <= len(mon) <= 2):
        raise BadMonth(raw)
    if not (2000 <= int(year) <= 2100 and 1 <= int(mon) <= 12):
        raise BadMonth(raw)
    return f"{int(year):04d}-{int(mon):02d}"


def month_start(raw) -> date:
    """The first day of the month ``raw`` names (``parse_month`` rules).

    >>> month_start("11/2026")
    datetime.date(2026, 11, 1)
    """
    year, mon = parse_month(raw).split("-")
    return date(int(year), int(mon), 1)
