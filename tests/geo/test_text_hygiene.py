"""Text and number hygiene, pure: what is refused, what is stripped, what is kept (issue 10).

The attacks of the audit are cases here: control characters, NUL, zero-width and bidi
characters in names and addresses, an object as a name, full-width digits in a CCCD,
NaN / Infinity / negative accuracy and Infinity counts.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from geo import validate
from geo.numbers import INT32_MAX, INT64_MAX, NumberRefused, OutOfRange, finite, whole
from geo.text import TextRefused, ascii_digits, clean_text, forbidden_character

TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 10, 0)
GOOD_HOUSE = {
    "name": "Nhà trọ Thử", "address": "số 1, Đường 51", "owner_name": "Nguyễn Văn Chủ",
    "owner_phone": "0912 345 678", "owner_id_number": "075123456789",
    "house_type": "rooming_house", "rooms": 12, "residents": 20,
}


def messages(errors, field):
    return " ".join(m for f, m in errors if f == field)


# --- text ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("attack", "char"), [
    ("bell_c0", "\u0007"), ("escape_c0", "\u001b"), ("nul", "\u0000"), ("delete", "\u007f"),
    ("c1_csi", "\u009b"), ("bidi_rlo", "\u202e"), ("bidi_lre", "\u202a"),
    ("bidi_isolate", "\u2066"), ("bidi_pdi", "\u2069"), ("lrm", "\u200e"), ("rlm", "\u200f"),
    ("arabic_mark", "\u061c"), ("lone_surrogate", "\ud800"),
])
def test_control_nul_and_bidi_characters_are_refused(attack, char):
    with pytest.raises(TextRefused, match=f"U\\+{ord(char):04X}"):
        clean_text(f"Nhà trọ{char} A")
    with pytest.raises(TextRefused):
        clean_text(f"mô tả{char}", multiline=True)


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_are_stripped(char):
    assert clean_text(f"Nhà{char} trọ{char}") == "Nhà trọ"


def test_nfc_kept_and_line_breaks_only_in_multiline_fields():
    decomposed = "Phu\u031bo\u031b\u0300ng"
    assert clean_text(decomposed) == "Phường"
    assert clean_text("dòng 1\ndòng 2\tcột", multiline=True) == "dòng 1\ndòng 2\tcột"
    assert clean_text("số 1\nĐường 51") == "số 1 Đường 51"  # a one-line field: a space
    assert forbidden_character("a\r\nb", multiline=True) is None


@pytest.mark.parametrize("value", [{"$gt": ""}, ["a"], 12, 1.5, True])
def test_object_as_text_is_refused_not_str_ed(value):
    with pytest.raises(TextRefused, match="phải là chữ"):
        clean_text(value)


def test_full_width_digits_become_ascii_other_digits_are_refused():
    assert ascii_digits("０７５１２３４５６７８９") == "075123456789"
    for foreign in ("٠٧٥١٢٣٤٥٦٧٨٩", "०७५", "０７５x"):  # Arabic-Indic, Devanagari
        with pytest.raises(TextRefused, match="0-9"):
            ascii_digits(foreign)


# --- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "nan", "inf", "-Infinity"])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(NumberRefused, match="hữu hạn"):
        whole(value, 0, 100)
    with pytest.raises(NumberRefused):
        finite(value)


def test_integers_bounded_by_column_and_business_range():
    assert whole(INT32_MAX, 0, 10**30) == INT32_MAX
    with pytest.raises(OutOfRange, match=str(INT32_MAX)):
        whole(INT32_MAX + 1, 0, 10**30)
    assert whole(10**12, 0, 10**13, column_max=INT64_MAX) == 10**12
    with pytest.raises(OutOfRange):
        whole(2**63, 0, 2**64, column_max=INT64_MAX)
    with pytest.raises(NumberRefused, match="số nguyên"):
        whole("1" * 5000, 0, 10)  # longer than Python reads, and than any column
    with pytest.raises(NumberRefused, match="số nguyên"):
        whole("١٢", 0, 100)  # Arabic-Indic digits: int() would read them
    with pytest.raises(NumberRefused, match="số nguyên"):
        whole(True, 0, 100)


# --- the field validators ------------------------------------------------------------------

@pytest.mark.parametrize(("attack", "location", "expected"), [
    ("nan_accuracy", {"accuracy_m": math.nan}, "hữu hạn"),
    ("infinity_accuracy_manual", {"accuracy_m": math.inf, "manual": True}, "hữu hạn"),
    ("negative_accuracy", {"accuracy_m": -5.0}, "không được âm"),
    ("negative_accuracy_manual", {"accuracy_m": -5.0, "manual": True}, "không được âm"),
    ("nan_longitude", {"lon": math.nan}, "hữu hạn"),
    ("boolean_latitude", {"lat": True}, "phải là số"),
])
def test_location_attacks_refused(attack, location, expected):
    base = {"lon": 106.925, "lat": 10.853, "accuracy_m": 8.0, "manual": False}
    clean, errors = validate.validate_location({**base, **location})
    assert clean == {} and expected in messages(errors, "location")


@pytest.mark.parametrize("field", ["rooms", "residents", "extinguishers"])
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 10**20])
def test_infinite_or_huge_counts_refused(field, value):
    _, errors = validate.validate_boarding_house({**GOOD_HOUSE, field: value}, TODAY)
    assert messages(errors, field)


def test_infinite_fine_refused_and_big_fine_within_bigint():
    for value in (math.inf, math.nan, 2**63):
        _, errors = validate.validate_transition(
            {"to": "minutes_issued", "minutes_no": "BB-1", "fine_vnd": value}, "verified")
        assert messages(errors, "fine_vnd")
    clean, errors = validate.validate_transition(
        {"to": "minutes_issued", "minutes_no": "BB-1", "fine_vnd": 1_500_000_000}, "verified")
    assert not errors and clean["fine_vnd"] == 1_500_000_000


@pytest.mark.parametrize(("attack", "field", "value", "expected"), [
    ("bell_in_address", "address", "số 1\u0007", "U+0007"),
    ("escape_in_address", "address", "\u001b[31mĐường 51", "U+001B"),
    ("nul_in_name", "name", "Nhà trọ\u0000", "NUL"),
    ("bidi_override_in_name", "name", "Nhà trọ \u202eA", "đảo chiều"),
    ("object_as_name", "name", {"$gt": ""}, "phải là chữ"),
    ("number_as_owner", "owner_name", 12345, "phải là chữ"),
    ("arabic_digits_in_id", "owner_id_number", "٠٧٥١٢٣٤٥٦٧٨٩", "0-9"),
])
def test_house_text_attacks_refused(attack, field, value, expected):
    _, errors = validate.validate_boarding_house({**GOOD_HOUSE, field: value}, TODAY)
    assert expected in messages(errors, field)


def test_zero_width_stripped_and_full_width_id_stored_as_ascii():
    full_width = {"owner_id_number": "０７５１２３４５６７８９",
                  "owner_phone": "０９１２ ３４５ ６７８"}
    clean, errors = validate.validate_boarding_house(
        {**GOOD_HOUSE, "name": "Nhà\u200b trọ\ufeff Z", **full_width}, TODAY)
    assert not errors
    assert clean["name"] == "Nhà trọ Z"
    assert clean["owner_id_number"] == "075123456789" and clean["owner_phone"] == "0912345678"
    _, errors = validate.validate_boarding_house({**GOOD_HOUSE, "name": "\u200b\u200b"}, TODAY)
    assert "Chưa nhập tên cơ sở" in messages(errors, "name")


def test_multiline_description_keeps_line_breaks_refuses_controls():
    payload = {"category": "drugs", "observed_at": "2026-11-02T09:00",
               "description": "Dòng 1\nDòng 2"}
    clean, errors = validate.validate_incident(payload, NOW, ("drugs",))
    assert not errors and clean["description"] == "Dòng 1\nDòng 2"
    _, errors = validate.validate_incident({**payload, "description": "x\u0007"}, NOW,
                                           ("drugs",))
    assert "U+0007" in messages(errors, "description")


def test_unhashable_choice_is_an_error_not_a_crash():
    _, errors = validate.validate_boarding_house({**GOOD_HOUSE, "house_type": {"a": 1}}, TODAY)
    assert messages(errors, "house_type")
