"""geo.validate on its own: every limit at its boundary, NaN/Infinity, control characters,
and the rules between fields — the API tests only see a few of these through HTTP."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest

from geo import validate as v
from geo import vocabulary as vocab
from geo.i18n import translate
from geo.numbers import INT32_MAX

TODAY = date(2026, 11, 15)
NOW = datetime(2026, 11, 15, 9, 30)
GOOD_LOCATION = {"lon": 106.925, "lat": 10.853, "accuracy_m": 8.0, "manual": False}


def house(**overrides) -> dict:
    payload = {"name": "Nhà trọ Hoa Mai", "address": "số 1, Đường 51",
               "owner_name": "Nguyễn Văn Chủ", "owner_phone": "0912 345 678",
               "owner_id_number": "075123456789", "house_type": "rooming_house", "rooms": 12,
               "residents": 20, "classification": "good", "antt_commitment_on": "2026-03-01",
               "extinguishers": 2, "has_alarm": True, "has_escape_route": True,
               "model_status": "none"}
    payload.update(overrides)
    return payload


def inspection(**overrides) -> dict:
    payload = {"inspected_at": "2026-11-15T08:00", "findings": "Đủ bình chữa cháy",
               "fire_safety_pass": True, "residents_counted": 18}
    payload.update(overrides)
    return payload


def incident(**overrides) -> dict:
    payload = {"category": "encroachment_sidewalk", "observed_at": "2026-11-15T07:45",
               "description": "Bày hàng lấn vỉa hè"}
    payload.update(overrides)
    return payload


def fields(errors) -> list[str]:
    return [field for field, _ in errors]


def message(errors, field: str) -> str:
    found = [text for name, text in errors if name == field]
    assert found, f"no error on {field}: {errors}"
    return found[0]


ALL_CATEGORIES = tuple(vocab.INCIDENT_CATEGORIES)


def test_good_records_pass_clean_and_typed():
    clean, errors = v.validate_boarding_house(house(), TODAY)
    assert errors == []
    assert clean["owner_phone"] == "0912345678" and clean["rooms"] == 12
    assert clean["antt_commitment_on"] == date(2026, 3, 1)
    clean, errors = v.validate_inspection(inspection(), NOW)
    assert errors == [] and clean["inspected_at"] == datetime(2026, 11, 15, 8, 0)
    clean, errors = v.validate_incident(incident(), NOW, ALL_CATEGORIES)
    assert errors == [] and clean["boarding_house_uuid"] is None


# --- text: length limits, required, control characters ------------------------------------

TEXT_LIMITS = [("name", 300), ("address", 500), ("owner_name", 200)]


@pytest.mark.parametrize(("field", "limit"), TEXT_LIMITS)
def test_house_text_limits_at_the_boundary(field, limit):
    _, errors = v.validate_boarding_house(house(**{field: "a" * limit}), TODAY)
    assert field not in fields(errors)
    _, errors = v.validate_boarding_house(house(**{field: "a" * (limit + 1)}), TODAY)
    assert f"dài quá {limit} ký tự" in message(errors, field)


@pytest.mark.parametrize(("validator", "payload", "field", "limit"), [
    (lambda p: v.validate_inspection(p, NOW), inspection, "findings", 5000),
    (lambda p: v.validate_incident(p, NOW, ALL_CATEGORIES), incident, "description", 5000),
    (lambda p: v.validate_transition(p, "verified"), lambda **o: {"to": "resolved", **o},
     "note", 2000),
    (lambda p: v.validate_transition(p, "verified"), lambda **o: {"to": "resolved", **o},
     "minutes_no", 64),
])
def test_long_text_limits_at_the_boundary(validator, payload, field, limit):
    assert field not in fields(validator(payload(**{field: "x" * limit}))[1])
    errors = validator(payload(**{field: "x" * (limit + 1)}))[1]
    assert f"dài quá {limit} ký tự" in message(errors, field)


def test_length_is_counted_after_nfc_and_zero_width_stripping():
    decomposed = "Phu\u031bo\u031b\u0300ng"  # 9 code points, "Phường" (6) after NFC
    clean, errors = v.validate_boarding_house(
        house(owner_name=decomposed * 33 + "\u200b" * 50), TODAY)
    assert errors == [] and len(clean["owner_name"]) == 198


@pytest.mark.parametrize("field", ["name", "address", "owner_name", "owner_phone"])
@pytest.mark.parametrize("empty", [None, "", "   ", "\u200b\u200b"])
def test_required_text_missing(field, empty):
    _, errors = v.validate_boarding_house(house(**{field: empty}), TODAY)
    assert message(errors, field).startswith("Chưa nhập")


@pytest.mark.parametrize(("char", "why"), [
    ("\x00", "NUL"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F"),
    ("\x85", "U+0085"), ("\u202e", "đảo chiều"), ("\u2066", "đảo chiều"), ("\ud800", "hỏng"),
])
def test_control_characters_are_refused_and_named(char, why):
    _, errors = v.validate_boarding_house(house(name=f"Nhà trọ{char}Hoa"), TODAY)
    assert why in message(errors, "name") and message(errors, "name").startswith("Tên cơ sở")
    _, errors = v.validate_inspection(inspection(findings=f"dòng 1{char}dòng 2"), NOW)
    assert why in message(errors, "findings")


def test_line_breaks_are_spaces_in_one_line_fields_and_kept_in_multi_line_ones():
    clean, errors = v.validate_boarding_house(house(name="Nhà trọ\r\nHoa\tMai"), TODAY)
    assert errors == [] and clean["name"] == "Nhà trọ Hoa Mai"
    clean, errors = v.validate_inspection(inspection(findings="dòng 1\n\tdòng 2"), NOW)
    assert errors == [] and clean["findings"] == "dòng 1\n\tdòng 2"


@pytest.mark.parametrize("value", [123, 1.5, ["a"], {"$gt": ""}, True])
def test_non_text_in_a_text_field_is_refused(value):
    _, errors = v.validate_boarding_house(house(name=value), TODAY)
    assert message(errors, "name") == "Tên cơ sở phải là chữ."


# --- phone and ID numbers --------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "stored"), [
    ("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"), ("0251 3812 345", "02513812345"),
    ("０９１２３４５６７８", "0912345678"),
])
def test_phone_numbers_normalised(raw, stored):
    clean, errors = v.validate_boarding_house(house(owner_phone=raw), TODAY)
    assert errors == [] and clean["owner_phone"] == stored


@pytest.mark.parametrize("raw", ["091234567", "09123456789", "0112345678", "٠٩١٢٣٤٥٦٧٨",
                                 "0912abc678"])
def test_bad_phone_numbers(raw):
    clean, errors = v.validate_boarding_house(house(owner_phone=raw), TODAY)
    assert "Số điện thoại không hợp lệ" in message(errors, "owner_phone")
    assert clean["owner_phone"] is None


@pytest.mark.parametrize(("raw", "ok"), [
    ("075123456789", True), ("123456789", True), ("075 123-456.789", True),
    ("07512345678", False), ("0751234567890", False), ("12345678", False),
    ("٠٧٥١٢٣٤٥٦٧٨٩", False), ("a" * 21, False),
])
def test_id_numbers(raw, ok):
    clean, errors = v.validate_boarding_house(house(owner_id_number=raw), TODAY)
    if ok:
        assert errors == [] and clean["owner_id_number"].isdigit()
    else:
        assert "owner_id_number" in fields(errors)


def test_id_number_is_optional():
    clean, errors = v.validate_boarding_house(house(owner_id_number=""), TODAY)
    assert errors == [] and clean["owner_id_number"] is None


# --- whole numbers: business range, column range, NaN and Infinity ----------------------------

INTEGER_LIMITS = [
    (lambda p: v.validate_boarding_house(p, TODAY), house, "rooms", 1, 500),
    (lambda p: v.validate_boarding_house(p, TODAY), lambda **o: house(rooms=500, **o),
     "residents", 0, 2000),
    (lambda p: v.validate_boarding_house(p, TODAY), house, "extinguishers", 0, 500),
    (lambda p: v.validate_inspection(p, NOW), inspection, "residents_counted", 0, 2000),
    (lambda p: v.validate_inspection(p, NOW), inspection, "extinguishers", 0, 500),
    (lambda p: v.validate_incident(p, NOW, ALL_CATEGORIES), incident, "attach_to", 1,
     INT32_MAX),
    (lambda p: v.validate_transition(p, "verified"), lambda **o: {"to": "resolved", **o},
     "fine_vnd", 0, 2_000_000_000),
]


@pytest.mark.parametrize(("validator", "payload", "field", "lo", "hi"), INTEGER_LIMITS)
def test_integer_limits_at_the_boundary(validator, payload, field, lo, hi):
    for good in (lo, hi, str(hi)):
        clean, errors = validator(payload(**{field: good}))
        assert field not in fields(errors) and clean[field] == int(good)
    for bad in (lo - 1, hi + 1):
        assert f"phải từ {lo} đến {hi}" in message(validator(payload(**{field: bad}))[1], field)


@pytest.mark.parametrize(("validator", "payload", "field", "lo", "hi"), INTEGER_LIMITS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "NaN", "Infinity", "-inf"])
def test_integers_refuse_nan_and_infinity(validator, payload, field, lo, hi, bad):
    assert "hữu hạn" in message(validator(payload(**{field: bad}))[1], field)


@pytest.mark.parametrize("bad", [2.5, "2.5", "12a", "²", True, [3], "1" * 31])
def test_integers_refuse_what_is_not_a_whole_number(bad):
    _, errors = v.validate_boarding_house(house(rooms=bad), TODAY)
    assert message(errors, "rooms").startswith("Số phòng phải")


def test_an_integral_float_is_a_whole_number():
    clean, errors = v.validate_boarding_house(house(rooms=12.0), TODAY)
    assert errors == [] and clean["rooms"] == 12 and isinstance(clean["rooms"], int)


def test_residents_per_room_limit_at_the_boundary():
    assert v.validate_boarding_house(house(rooms=3, residents=60), TODAY)[1] == []
    _, errors = v.validate_boarding_house(house(rooms=3, residents=61), TODAY)
    assert "hơn 20 người/phòng" in message(errors, "residents")


def test_optional_numbers_default_and_required_ones_do_not():
    clean, errors = v.validate_boarding_house(house(extinguishers=None), TODAY)
    assert errors == [] and clean["extinguishers"] == 0
    _, errors = v.validate_boarding_house(house(rooms=None, residents=None), TODAY)
    assert {"rooms", "residents"} <= set(fields(errors))


# --- booleans and choices ---------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "value"), [(True, True), ("true", True), ("1", True), (1, True),
                                            ("on", True), (False, False), ("0", False),
                                            ("off", False), ("no", False)])
def test_booleans(raw, value):
    clean, errors = v.validate_inspection(inspection(fire_safety_pass=raw,
                                                     follow_up_on="2026-12-01"), NOW)
    assert errors == [] and clean["fire_safety_pass"] is value


@pytest.mark.parametrize("raw", ["maybe", 2, [True]])
def test_a_boolean_accepts_only_yes_or_no(raw):
    _, errors = v.validate_inspection(inspection(fire_safety_pass=raw), NOW)
    assert "chỉ nhận có/không" in message(errors, "fire_safety_pass")


def test_required_boolean_missing():
    _, errors = v.validate_inspection(inspection(fire_safety_pass=None), NOW)
    assert message(errors, "fire_safety_pass").startswith("Chưa chọn")


@pytest.mark.parametrize("bad", ["villa", "ROOMING_HOUSE", 1, ["rooming_house"]])
def test_choices_outside_the_vocabulary(bad):
    _, errors = v.validate_boarding_house(house(house_type=bad), TODAY)
    assert "không hợp lệ" in message(errors, "house_type")


# --- dates and moments ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026-11-15", "15/11/2026", "2020-01-01"])
def test_days_today_and_before_are_accepted_in_both_forms(text):
    assert v.validate_boarding_house(house(antt_commitment_on=text), TODAY)[1] == []


@pytest.mark.parametrize(("text", "why"), [
    ("2026-11-16", "tương lai"), ("31/02/2026", "dd/mm/yyyy"), ("11/15/2026", "dd/mm/yyyy"),
    ("hôm qua", "dd/mm/yyyy"),
])
def test_bad_days(text, why):
    _, errors = v.validate_boarding_house(house(antt_commitment_on=text), TODAY)
    assert why in message(errors, "antt_commitment_on")


def test_recognised_model_house_needs_its_day():
    _, errors = v.validate_boarding_house(house(model_status="recognised"), TODAY)
    assert "nhập ngày công nhận" in message(errors, "model_recognised_on")
    clean, errors = v.validate_boarding_house(
        house(model_status="recognised", model_recognised_on="2026-10-01"), TODAY)
    assert errors == [] and clean["model_recognised_on"] == date(2026, 10, 1)
    clean, _ = v.validate_boarding_house(
        house(model_status="registered", model_recognised_on="2026-10-01"), TODAY)
    assert clean["model_recognised_on"] is None  # only a recognised house keeps the day


def test_moment_clock_skew_boundary():
    skew = timedelta(minutes=10)
    ok = (NOW + skew).isoformat(timespec="seconds")
    late = (NOW + skew + timedelta(seconds=1)).isoformat(timespec="seconds")
    assert v.validate_incident(incident(observed_at=ok), NOW, ALL_CATEGORIES)[1] == []
    _, errors = v.validate_incident(incident(observed_at=late), NOW, ALL_CATEGORIES)
    assert "tương lai" in message(errors, "observed_at")


def test_moment_earliest_boundary():
    assert v.validate_incident(incident(observed_at="2020-01-01T00:00"), NOW,
                               ALL_CATEGORIES)[1] == []
    _, errors = v.validate_incident(incident(observed_at="2019-12-31T23:59"), NOW,
                                    ALL_CATEGORIES)
    assert "quá cũ" in message(errors, "observed_at")


def test_moment_with_an_offset_is_read_in_the_wards_time():
    from zoneinfo import ZoneInfo

    now = NOW.replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    clean, errors = v.validate_incident(incident(observed_at="2026-11-15T01:00:00+00:00"),
                                        now, ALL_CATEGORIES)
    assert errors == [] and clean["observed_at"] == datetime(2026, 11, 15, 8, 0)


@pytest.mark.parametrize("bad", ["15/11/2026 07:45", "2026-13-01T00:00", "bây giờ", [2026, 11, 15]])
def test_bad_moments(bad):
    _, errors = v.validate_incident(incident(observed_at=bad), NOW, ALL_CATEGORIES)
    assert "observed_at" in fields(errors)


def test_follow_up_boundaries():
    _, errors = v.validate_inspection(inspection(fire_safety_pass=False), NOW)
    assert "hẹn ngày kiểm tra lại" in message(errors, "follow_up_on")
    same_day = v.validate_inspection(inspection(fire_safety_pass=False,
                                                follow_up_on="2026-11-15"), NOW)
    assert same_day[1] == []
    _, errors = v.validate_inspection(inspection(follow_up_on="2026-11-14"), NOW)
    assert "không được trước 15/11/2026" in message(errors, "follow_up_on")
    far = v.validate_inspection(inspection(follow_up_on="2027-06-01"), NOW)
    assert far[1] == []  # a follow-up is in the future by nature


# --- location ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("lon", "lat"), [(180, 90), (-180, -90), (0, 0), ("106.9", "10.8")])
def test_location_range_boundaries_accepted(lon, lat):
    clean, errors = v.validate_location({**GOOD_LOCATION, "lon": lon, "lat": lat})
    assert errors == [] and clean["lon"] == float(lon)


@pytest.mark.parametrize(("lon", "lat"), [(180.000001, 0), (-180.5, 0), (0, 90.0001), (0, -91)])
def test_location_outside_the_globe(lon, lat):
    _, errors = v.validate_location({**GOOD_LOCATION, "lon": lon, "lat": lat})
    assert "ngoài phạm vi" in message(errors, "location")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "nan", "Infinity"])
def test_location_refuses_nan_and_infinity(bad):
    _, errors = v.validate_location({**GOOD_LOCATION, "lat": bad})
    assert "hữu hạn" in message(errors, "location")
    _, errors = v.validate_location({**GOOD_LOCATION, "accuracy_m": bad})
    assert message(errors, "location").startswith("Độ chính xác GPS")


@pytest.mark.parametrize("bad", [None, [], "10.8,106.9", {"lon": 106.9}, {"lat": 10.8},
                                 {"lon": True, "lat": 10.8}])
def test_location_missing_or_malformed(bad):
    clean, errors = v.validate_location(bad)
    assert clean == {} and fields(errors) == ["location"]


def test_accuracy_boundary_and_manual_pin():
    assert v.validate_location({**GOOD_LOCATION, "accuracy_m": v.MAX_ACCURACY_M})[1] == []
    _, errors = v.validate_location({**GOOD_LOCATION, "accuracy_m": v.MAX_ACCURACY_M + 0.01})
    assert "cần ≤ 100 m" in message(errors, "location")
    _, errors = v.validate_location({**GOOD_LOCATION, "accuracy_m": None})
    assert "không rõ" in message(errors, "location")
    _, errors = v.validate_location({**GOOD_LOCATION, "accuracy_m": -0.5})
    assert "không được âm" in message(errors, "location")
    clean, errors = v.validate_location({**GOOD_LOCATION, "accuracy_m": 900, "manual": True})
    assert errors == [] and clean["manual"] is True


# --- incidents, transitions, UUIDs ------------------------------------------------------------

def test_a_category_outside_the_role_is_refused_with_its_own_message():
    _, errors = v.validate_incident(incident(category="drugs"), NOW, ("encroachment_road",))
    assert errors == [("category", "Vai trò của bạn không ghi nhận loại vi phạm này.")]
    _, errors = v.validate_incident(incident(category="graffiti"), NOW, ALL_CATEGORIES)
    assert "không hợp lệ" in message(errors, "category")


def test_incident_linked_house_uuid():
    clean, errors = v.validate_incident(
        incident(boarding_house_uuid="6f1c2a1e-4a59-4c8e-9a4b-1f0c5a6e7d21"), NOW,
        ALL_CATEGORIES)
    assert errors == [] and str(clean["boarding_house_uuid"]).startswith("6f1c2a1e")
    _, errors = v.validate_incident(incident(boarding_house_uuid="not-a-uuid"), NOW,
                                    ALL_CATEGORIES)
    assert fields(errors) == ["boarding_house_uuid"]


@pytest.mark.parametrize(("current", "allowed"), list(v.INCIDENT_TRANSITIONS.items()))
def test_every_transition_rule(current, allowed):
    for target in vocab.INCIDENT_STATUSES:
        payload = {"to": target, "minutes_no": "BB-01"}
        errors = v.validate_transition(payload, current)[1]
        assert (errors == []) is (target in allowed), (current, target, errors)


def test_minutes_need_their_number():
    _, errors = v.validate_transition({"to": "minutes_issued"}, "verified")
    assert "cần nhập số biên bản" in message(errors, "minutes_no")


def test_uuid():
    value, errors = v.validate_uuid({"uuid": "6F1C2A1E-4A59-4C8E-9A4B-1F0C5A6E7D21"})
    assert errors == [] and str(value) == "6f1c2a1e-4a59-4c8e-9a4b-1f0c5a6e7d21"
    for bad in ({}, {"uuid": ""}, {"uuid": "123"}, {"uuid": None}):
        assert v.validate_uuid(bad) == (None, [("uuid", v.validate_uuid({})[1][0][1])])


@pytest.mark.parametrize("payload", [None, [], "text", 42])
def test_a_payload_that_is_not_an_object_fails_every_required_field(payload):
    clean, errors = v.validate_boarding_house(payload, TODAY)
    assert {"name", "address", "owner_name", "owner_phone", "house_type", "rooms",
            "residents"} <= set(fields(errors))
    assert all(value in (None, 0, False, "none") for value in clean.values())


# --- the reader's language (issue 12) ---------------------------------------------------

def test_refusals_read_vietnamese_as_text_and_english_through_translate():
    _, errors = v.validate_boarding_house(house(name="", rooms="mười", owner_id_number="12",
                                                residents=10**6), TODAY)
    said = {field: (str(text), translate(text, "en")) for field, text in errors}
    assert said["name"] == ("Chưa nhập tên cơ sở.", "Enter the name of the house.")
    assert said["rooms"] == ("Số phòng phải là số nguyên.",
                             "Number of rooms must be a whole number.")
    assert said["owner_id_number"] == (
        "Số CCCD phải gồm 12 chữ số (hoặc CMND 9 chữ số).",
        "A citizen ID (CCCD) number has 12 digits (or 9 for an old CMND).")
    assert said["residents"] == ("Số người đang ở phải từ 0 đến 2000.",
                                 "Number of residents must be from 0 to 2000.")


def test_a_refused_character_and_a_location_read_english():
    _, errors = v.validate_inspection(inspection(findings="Cửa\u202e khóa"), NOW)
    assert translate(message(errors, "findings"), "en") == \
        "Findings has a text-direction character (U+202E)."
    _, location_errors = v.validate_location({"lon": 106.9, "lat": 10.8, "accuracy_m": None})
    assert str(location_errors[0][1]).startswith("Vị trí GPS kém chính xác (không rõ, cần ≤")
    assert translate(location_errors[0][1], "en").startswith(
        "The GPS position is not accurate enough (unknown, needs ≤")


def test_a_transition_names_the_statuses_in_the_readers_language():
    _, errors = v.validate_transition({"to": "reported"}, "verified")
    text = message(errors, "to")
    assert str(text) == ("Vụ việc đang ở trạng thái “Đã xác minh”: chỉ chuyển được sang "
                         "Đã lập biên bản, Đã xử lý xong, Không vi phạm / hủy.")
    english = translate(text, "en")
    assert english.startswith("The incident is “") and "Đã" not in english
    assert english.count(", ") == 2
