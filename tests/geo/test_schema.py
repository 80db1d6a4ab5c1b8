"""geo/schema.py is the one definition of the field records' limits and error codes: the
validators raise coded errors, imports sort them by code, and the field scripts hold no
copy of a limit (they read the page's #limits JSON)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from geo import schema, validate
from geo.io.rows import check_attributes

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 10, 15)
NOW = datetime(2026, 10, 15, 9, 0)
HOUSE = {"name": "Nhà trọ Hoa Mai", "address": "12 Lê Lợi", "owner_name": "Nguyễn Văn A",
         "owner_phone": "0912345678", "house_type": "rooming_house", "rooms": 10,
         "residents": 20}


def codes(errors) -> dict[str, str]:
    return {error.field: error.code for error in errors}


def test_field_error_is_the_pair_with_a_code():
    error = schema.FieldError("rooms", "Số phòng phải là số nguyên.", "not_a_number")
    field, message = error
    assert (field, message) == ("rooms", "Số phòng phải là số nguyên.")
    assert error == ("rooms", "Số phòng phải là số nguyên.") and error.code == "not_a_number"
    assert schema.code_of(("x", "y")) == "invalid"
    with pytest.raises(ValueError):
        schema.FieldError("rooms", "?", "no_such_code")


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"name": ""}, "name", "required"),
    ({"name": "x" * (schema.BOARDING_HOUSE["name"]["max_len"] + 1)}, "name", "too_long"),
    ({"rooms": schema.BOARDING_HOUSE["rooms"]["max"] + 1}, "rooms", "out_of_range"),
    ({"rooms": schema.BOARDING_HOUSE["rooms"]["min"] - 1}, "rooms", "out_of_range"),
    ({"rooms": "mười"}, "rooms", "not_a_number"),
    ({"owner_phone": "12345"}, "owner_phone", "bad_phone"),
    ({"owner_id_number": "0751234"}, "owner_id_number", "bad_id_number"),
    ({"house_type": "castle"}, "house_type", "bad_choice"),
    ({"antt_commitment_on": "32/13/2026"}, "antt_commitment_on", "bad_date"),
    ({"antt_commitment_on": "2027-01-01"}, "antt_commitment_on", "in_future"),
    ({"has_alarm": "maybe"}, "has_alarm", "bad_boolean"),
    ({"rooms": 1, "residents": schema.MAX_RESIDENTS_PER_ROOM + 1}, "residents", "inconsistent"),
])
def test_boarding_house_errors_carry_their_code(change, field, code):
    _, errors = validate.validate_boarding_house({**HOUSE, **change}, TODAY)
    assert codes(errors) == {field: code}


def test_limits_at_the_edge_are_accepted():
    top = schema.BOARDING_HOUSE
    clean, errors = validate.validate_boarding_house(
        {**HOUSE, "name": "x" * top["name"]["max_len"], "rooms": top["rooms"]["max"]}, TODAY)
    assert errors == [] and clean["rooms"] == top["rooms"]["max"]


def test_other_forms_are_coded():
    _, errors = validate.validate_inspection({"inspected_at": "2027-01-01T08:00"}, NOW)
    assert codes(errors) == {"inspected_at": "in_future", "fire_safety_pass": "required"}
    _, errors = validate.validate_transition({"to": "resolved"}, "reported")
    assert codes(errors) == {"to": "not_allowed"}
    assert codes(validate.validate_location(None)[1]) == {"location": "no_location"}
    assert codes(validate.validate_location({"lon": 106.9, "lat": 10.9, "accuracy_m":
                                             schema.MAX_ACCURACY_M + 1})[1]) \
        == {"location": "inaccurate_location"}
    assert codes(validate.validate_uuid({"uuid": "x"})[1]) == {"uuid": "bad_uuid"}


def test_import_drops_only_the_owners_required_errors():
    """A ward's list may lack owners: missing owner fields pass, by code, not by text."""
    row = {**HOUSE, "owner_name": None, "owner_phone": ""}
    clean, errors = check_attributes("boarding-houses", row, NOW)
    assert errors == [] and clean["owner_name"] is None
    # A present but bad owner is still refused, and so is a missing house name.
    too_long = "x" * (schema.BOARDING_HOUSE["owner_name"]["max_len"] + 1)
    _, errors = check_attributes("boarding-houses", {**row, "owner_name": too_long,
                                                     "owner_phone": "123", "name": ""}, NOW)
    assert codes(errors) == {"owner_name": "too_long", "owner_phone": "bad_phone",
                             "name": "required"}


def test_import_of_other_layers_uses_the_schema_limits():
    top = schema.NEIGHBOURHOOD["population"]["max"]
    _, errors = check_attributes("neighbourhoods", {"code": "KP01", "name": "Khu phố 1",
                                                    "population": top + 1}, NOW)
    assert codes(errors) == {"population": "out_of_range"}
    _, errors = check_attributes("incidents", {"category": "sidewalk", "observed_at": NOW
                                               .isoformat(), "fine_vnd": -1}, NOW)
    assert codes(errors).get("fine_vnd") == "out_of_range"


def test_client_limits_are_plain_json_and_patterns_work_in_both_languages():
    limits = schema.client_limits()
    assert json.loads(json.dumps(limits)) == limits
    phone = re.compile(f"^(?:{limits['phonePattern']})$")
    assert phone.match("0912345678") and phone.match("02513812345") and not phone.match("091")
    assert validate.normalise_phone("+84 912 345 678") == "0912345678"


def _numbers(source: str) -> set[int | float]:
    """The numeric literals of JavaScript source, comments and strings left out."""
    source = re.sub(r"/\*.*?\*/|//[^\n]*", " ", source, flags=re.S)
    source = re.sub(r'"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`', '""', source)
    return {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", source)}


def _limit_numbers() -> set[float]:
    limits = schema.client_limits()
    found = {float(v) for form in limits["forms"].values() for field in form.values()
             for v in field.values()}
    found |= {float(limits["clockSkewMs"]), schema.CLOCK_SKEW.total_seconds() / 60,
              limits["maxAccuracyM"], limits["warnAccuracyM"], 9.0, 12.0,
              float(schema.MAX_RESIDENTS_PER_ROOM)}
    return found - {0.0, 1.0}  # too common to mean a limit (indices, signs)


def test_field_scripts_copy_no_limit():
    fields = (ROOT / "static/js/field/fields.js").read_text(encoding="utf-8")
    copied = _numbers(fields) & _limit_numbers()
    assert not copied, f"fields.js repeats limits {sorted(copied)}: read them from #limits"
    assert 'readJson("limits")' in fields
    location = (ROOT / "static/js/field/location.js").read_text(encoding="utf-8")
    accuracy = {schema.MAX_ACCURACY_M, schema.WARN_ACCURACY_M}
    assert not _numbers(location) & accuracy and 'readJson("limits")' in location


def test_the_literal_finder_would_see_a_copy():
    assert _numbers("const MAX = 500; // 300\nconst s = \"2000\";") == {500.0}
