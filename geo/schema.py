"""The one definition of the field records' limits and of validation error codes.

``geo.validate`` checks submissions against these numbers; the field pages receive them
(``client_limits``) as Jinja values for their ``maxlength``/``min``/``max`` attributes and as a
JSON block (``<script type="application/json" id="limits">``) that ``static/js/field/fields.js``
and ``location.js`` read, so the phone checks what the server will check with no number
copied by hand. An error carries a stable ``code`` (``CODES``) besides its Vietnamese
message: code that sorts errors (imports dropping the owner's "required" errors) matches
the code, never the text, which a translation may change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from geo.i18n import N_

# --- error codes ------------------------------------------------------------------------

CODES = {
    "required": "a required field is empty",
    "too_long": "text longer than the field's max_len",
    "bad_text": "text with refused characters (geo.text.clean_text)",
    "not_a_number": "not a (finite, whole) number",
    "out_of_range": "a number outside [min, max]",
    "bad_choice": "not one of the field's options",
    "bad_boolean": "not yes/no",
    "bad_date": "not a date (or a date-time)",
    "in_future": "a date or moment after now",
    "too_early": "a date or moment before the earliest allowed",
    "bad_phone": "not a Vietnamese phone number",
    "bad_id_number": "not a CCCD (12 digits) or CMND (9 digits)",
    "bad_uuid": "a missing or malformed record UUID",
    "no_location": "no position, or longitude/latitude missing or out of range",
    "inaccurate_location": "a GPS fix less accurate than MAX_ACCURACY_M, not placed by hand",
    "not_allowed": "a value this role or this record's state may not take",
    "inconsistent": "fields that contradict each other",
    "invalid": "any other rule (the message says which)",
}


class FieldError(tuple):
    """One bad field: unpacks as the ``(field, message)`` pair every caller uses, with the
    stable ``code`` (one of ``CODES``) as an attribute. Equality is the pair's."""

    def __new__(cls, field: str, message: str, code: str = "invalid") -> FieldError:
        if code not in CODES:
            raise ValueError(f"unknown validation error code: {code}")
        error = super().__new__(cls, (field, message))
        error.code = code
        return error

    @property
    def field(self) -> str:
        return self[0]

    @property
    def message(self) -> str:
        return self[1]


def code_of(error) -> str:
    """The code of an error (``"invalid"`` for a plain pair from older code)."""
    return getattr(error, "code", "invalid")


# --- limits -----------------------------------------------------------------------------
# Per record kind, per field: ``max_len`` for text, ``min``/``max`` for whole numbers.

BOARDING_HOUSE = {
    "name": {"max_len": 300},
    "address": {"max_len": 500},
    "owner_name": {"max_len": 200},
    "owner_phone": {"max_len": 30},
    "owner_id_number": {"max_len": 20},
    "rooms": {"min": 1, "max": 500},
    "residents": {"min": 0, "max": 2000},
    "extinguishers": {"min": 0, "max": 500},
}
INSPECTION = {
    "findings": {"max_len": 5000},
    "residents_counted": {"min": 0, "max": 2000},
    "extinguishers": {"min": 0, "max": 500},
}
INCIDENT = {
    "description": {"max_len": 5000},
    "attach_to": {"min": 1, "max": 2**31 - 1},
}
TRANSITION = {
    "minutes_no": {"max_len": 64},
    "fine_vnd": {"min": 0, "max": 2_000_000_000},
    "note": {"max_len": 2000},
}
# Layers imported from a ward's files (geo.io.rows), not entered on a phone.
NEIGHBOURHOOD = {
    "code": {"max_len": 32},
    "name": {"max_len": 200},
    "population": {"min": 0, "max": 2_000_000},
    "households": {"min": 0, "max": 1_000_000},
    "head_name": {"max_len": 200},
}
STREET = {"name": {"max_len": 200}}

MAX_RESIDENTS_PER_ROOM = 20
EARLIEST = datetime(2020, 1, 1)
# Phones' clocks drift; a few minutes ahead is not "in the future".
CLOCK_SKEW = timedelta(minutes=10)
MAX_ACCURACY_M = 100.0  # worse than this, the officer places the pin by hand
WARN_ACCURACY_M = 30.0  # worse than this, the phone warns
# A phone sends its backlog (records without photos) this many to a request
# (``POST /api/v1/field/batch``); each record is still its own transaction.
BATCH_MAX_RECORDS = 25
# Written in the regex dialect Python's ``re`` and JavaScript's ``RegExp`` share; matched
# whole. Mobile 0[35789] + 8 digits, landline 02 + 9 digits (after +84 → 0).
PHONE_PATTERN = "0(?:[35789][0-9]{8}|2[0-9]{9})"
ID_NUMBER_PATTERN = "[0-9]{12}|[0-9]{9}"  # CCCD, or the old CMND

# msgids: said in the reader's language where shown
PHONE_PROBLEM = N_("Số điện thoại không hợp lệ: di động 10 số (03, 05, 07, 08, 09…), máy "
                   "bàn 11 số (02…); có thể viết +84 thay cho số 0.")
ID_NUMBER_PROBLEM = N_("Số CCCD phải gồm 12 chữ số (hoặc CMND 9 chữ số).")

FORMS = {"boarding_house": BOARDING_HOUSE, "inspection": INSPECTION, "incident": INCIDENT,
         "transition": TRANSITION}


def client_limits() -> dict:
    """Everything the field pages check before sending, as plain JSON values.

    >>> limits = client_limits()
    >>> limits["forms"]["boarding_house"]["rooms"], limits["clockSkewMs"]
    ({'min': 1, 'max': 500}, 600000)
    """
    return {
        "forms": FORMS,
        "phonePattern": PHONE_PATTERN,
        "idNumberPattern": ID_NUMBER_PATTERN,
        "messages": {"phone": PHONE_PROBLEM, "idNumber": ID_NUMBER_PROBLEM},
        "clockSkewMs": int(CLOCK_SKEW.total_seconds() * 1000),
        "maxAccuracyM": MAX_ACCURACY_M,
        "warnAccuracyM": WARN_ACCURACY_M,
        "batchMaxRecords": BATCH_MAX_RECORDS,
    }
