"""geo.formatting: the one home of numbers, dates, months and money (issue 12 part 1)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from geo import formatting as fmt
from geo.i18n import translate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("locale", "expected"), [
    ("vi", ("1.234.567,89", "1.234.568", "25,3%", "1.500.000 đ", "12,5")),
    ("en", ("1,234,567.89", "1,234,568", "25.3%", "₫1,500,000", "12.5")),
])
def test_numbers_take_the_language_separators(locale, expected):
    shown = (fmt.number(1234567.891, 2, locale=locale), fmt.integer(1234567.5, locale=locale),
             fmt.percent(0.253, 1, locale=locale), fmt.currency(1_500_000, locale=locale),
             fmt.amount(12.5, locale=locale))
    assert shown == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (81.745, 2, "81,75"),  # half up on the value as written, not on its binary float
    (2.675, 2, "2,68"),
    (2.5, 0, "3"),
    (-2.5, 0, "-3"),
    (0.125, 2, "0,13"),
    (-0.001, 2, "0,00"),  # never "-0,00"
    (Decimal("1.005"), 2, "1,01"),
    (np.float64(85.724), 2, "85,72"),
    (np.int64(12345), 0, "12.345"),
    (10**18 + 1, 0, "1.000.000.000.000.000.001"),  # big integers stay exact
])
def test_rounding_is_half_up(value, digits, expected):
    assert fmt.number(value, digits) == expected


def test_trim_drops_trailing_zeros_only():
    assert [fmt.number(v, 2, trim=True) for v in (2.0, 2.5, 2.25, 100, 1234.10)] == \
        ["2", "2,5", "2,25", "100", "1.234,1"]
    assert fmt.percent(0.5, 1, trim=True) == "50%"
    assert fmt.percent(0.505, 1, trim=True) == "50,5%"


@pytest.mark.parametrize("missing_value", [None, float("nan"), float("inf"), "", "  ",
                                           np.nan, Decimal("NaN")])
def test_missing_values_print_as_asked(missing_value):
    for function in (fmt.number, fmt.integer, fmt.percent, fmt.amount, fmt.currency,
                     fmt.coordinate):
        assert function(missing_value) == ""  # empty cell, empty field
        assert function(missing_value, missing=fmt.DASH) == "—"  # printed tables, pages
    assert fmt.percent(None, missing="chưa có số liệu") == "chưa có số liệu"


def test_missing_dates_print_as_asked():
    for function in (fmt.day, fmt.day_month, fmt.moment, fmt.long_date, fmt.month):
        assert function(None) == "" and function("") == ""
        assert function(None, missing=fmt.DASH) == "—"


def test_a_value_that_is_not_a_number_is_a_programming_error():
    with pytest.raises(ValueError):
        fmt.number("abc")


def test_vietnamese_dates_keep_the_administrative_style():
    moment = datetime(2026, 11, 5, 9, 5, 7)
    assert fmt.day(date(2026, 11, 5)) == "05/11/2026"
    assert fmt.day(moment) == "05/11/2026"
    assert fmt.day("2026-11-05") == "05/11/2026"
    assert fmt.moment(moment) == "05/11/2026 09:05"
    assert fmt.moment(moment, seconds=True) == "05/11/2026 09:05:07"
    assert fmt.moment("2026-11-05T21:30") == "05/11/2026 21:30"
    assert fmt.moment(date(2026, 11, 5)) == "05/11/2026"  # a date alone shows as a day
    assert fmt.time_of_day(moment) == "09:05"
    assert fmt.long_date(moment) == "ngày 05 tháng 11 năm 2026"
    assert fmt.month("2026-11") == "11/2026" and fmt.month(date(2026, 3, 31)) == "03/2026"


def test_english_dates_follow_cldr():
    moment = datetime(2026, 11, 5, 21, 5)
    assert fmt.day(moment, locale="en") == "Nov 5, 2026"
    assert fmt.moment(moment, locale="en") == "Nov 5, 2026, 21:05"
    assert fmt.long_date(moment, locale="en") == "November 5, 2026"
    assert fmt.month("2026-11", locale="en") == "November 2026"
    assert fmt.time_of_day(moment, locale="en") == "21:05"


def test_an_aware_time_is_shown_as_given_not_converted():
    ward_time = datetime(2026, 11, 5, 23, 30, tzinfo=timezone(timedelta(hours=7)))
    assert fmt.moment(ward_time) == "05/11/2026 23:30"
    assert fmt.day(ward_time) == "05/11/2026"


def test_coordinates_keep_a_decimal_point_in_every_language():
    assert fmt.coordinate(106.92312345) == "106.923123"
    assert fmt.coordinate(10.85, 5) == "10.85000"
    assert fmt.coordinate(-0.0000001, 6) == "0.000000"


@pytest.mark.parametrize(("raw", "month"), [
    ("2026-10", "2026-10"), (" 2026-1 ", "2026-01"), ("10/2026", "2026-10"),
    ("1/2026", "2026-01"), ("2000-01", "2000-01"), ("2100-12", "2100-12"),
])
def test_months_parse(raw, month):
    assert fmt.parse_month(raw) == month
    assert fmt.month_start(raw) == date(int(month[:4]), int(month[5:]), 1)


@pytest.mark.parametrize("raw", [None, "", "2026", "2026-13", "2026-00", "1999-12", "2101-01",
                                 "26-10", "2026-10-01", "2026/10", "tháng 10", "２０２６-10",
                                 "2026-1x", 202610, "10-2026"])
def test_bad_months_are_refused_with_a_message(raw):
    with pytest.raises(fmt.BadMonth) as refused:
        fmt.parse_month(raw)
    assert isinstance(refused.value, ValueError)
    assert str(refused.value) == (f"Tháng '{raw}' không hợp lệ: dùng dạng yyyy-mm, "
                                  "ví dụ 2026-10.")
    assert translate(refused.value.args[0], "en") == (
        f"The month '{raw}' is not valid: write it yyyy-mm, for example 2026-10.")


def test_month_key_is_what_urls_and_forms_carry():
    assert fmt.month_key(date(2026, 3, 9)) == "2026-03"
    assert fmt.month_key(datetime(2026, 12, 31, 23, 59)) == "2026-12"


# --- one home: a second copy fails here ---------------------------------------------------

SOURCES = [p for folder in ("geo", "models", "webapp", "bench", "scripts")
           for p in (ROOT / folder).rglob("*.py")]
# Functions that once had drifted copies across modules; each name must not come back.
GONE = ("vn_decimal", "vn_number", "vn_percent", "vn_date", "vn_datetime", "vn_amount", "vnd",
        "vn_int", "vn_long_date", "vn_system_datetime", "month_vi", "check_month", "_vn",
        "_nfc")
# Hand-made Vietnamese separators: "1,234.5" turned into "1.234,5" by string replacement.
HAND_SEPARATORS = re.compile(r"""\.replace\(\s*["'],["']\s*,\s*["'] ["']\s*\)""")


def _definitions(name: str) -> list[str]:
    pattern = re.compile(rf"^\s*def {re.escape(name)}\(", re.M)
    return [str(p.relative_to(ROOT)) for p in SOURCES if pattern.search(p.read_text("utf-8"))]


@pytest.mark.parametrize("name", GONE)
def test_no_copy_of_a_formatting_function_comes_back(name):
    assert _definitions(name) == [], f"use geo.formatting instead of a new {name}"


@pytest.mark.parametrize("name", ["parse_month", "fold", "strip_accents", "nfc", "tidy"])
def test_each_text_and_month_function_is_defined_once(name):
    assert len(_definitions(name)) == 1, _definitions(name)


def test_no_hand_made_number_separators():
    found = [str(p.relative_to(ROOT)) for p in SOURCES
             if HAND_SEPARATORS.search(p.read_text("utf-8"))]
    assert found == []


def test_personal_columns_are_defined_once():
    pattern = re.compile(r"^PERSONAL_COLUMNS\s*=", re.M)
    found = [str(p.relative_to(ROOT)) for p in SOURCES if pattern.search(p.read_text("utf-8"))]
    assert found == ["models/tables/field_records.py"]


def test_templates_use_the_filters_not_hand_formatting():
    templates = list((ROOT / "webapp" / "templates").rglob("*.html"))
    hand = re.compile(r"""strftime\(|"%\.\d+f"\s*\|\s*format|\|\s*(vn_\w+|month_vi|vnd)\b""")
    assert [str(t.relative_to(ROOT)) for t in templates if hand.search(t.read_text("utf-8"))] \
        == []


def test_a_figure_in_a_message_is_written_in_the_readers_locale():
    """Numbers and dates inside a geo Message follow the language it is said in."""
    import pickle
    from datetime import date

    from geo import formatting as fmt
    from geo.i18n import N_, Figure, Message, translate

    message = Message(N_("Gộp %(n)s đoạn nối tiếp cùng tên"), n=Figure(fmt.integer, 12345))
    assert str(message) == "Gộp 12.345 đoạn nối tiếp cùng tên"
    assert "12,345" in translate(message, "en")
    day = Figure(fmt.day, date(2026, 11, 5))
    assert str(day) == "05/11/2026" and translate(day, "en") == "Nov 5, 2026"
    again = pickle.loads(pickle.dumps(message))  # a worker's result keeps its figures
    assert translate(again, "en") == translate(message, "en")
