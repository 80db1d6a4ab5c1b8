"""Numbers as the ward stores them: finite, and within the column they go to.

One home for every typed number (field records, desk forms, imports, API parameters):
NaN and ±Infinity are refused (JSON has no such numbers; one of them once made the ward's
map fail for everyone), and whole numbers are bounded by their database column as well as
by the business range the caller gives.
"""

from __future__ import annotations

import math

from geo.i18n import N_, Message

INT32_MAX = 2**31 - 1  # Integer columns (and every id) on PostgreSQL
INT64_MAX = 2**63 - 1  # BigInteger columns (amounts in đồng)


class NumberRefused(ValueError):
    """A number that cannot be stored; ``args[0]`` is a ``geo.i18n.Message``, a predicate
    such as "phải là số nguyên." (the caller puts the field's label in front), and
    ``str()`` its Vietnamese."""


class OutOfRange(NumberRefused):
    """A well-formed number outside the allowed range."""


NOT_FINITE = N_("phải là số hữu hạn (không nhận NaN hay vô cực).")


def finite(value) -> float:
    """``value`` (a number or its text) as a finite float, else ``NumberRefused``.

    >>> finite("8.5"), finite(3)
    (8.5, 3.0)
    >>> finite(float("nan"))
    Traceback (most recent call last):
    ...
    geo.numbers.NumberRefused: phải là số hữu hạn (không nhận NaN hay vô cực).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise NumberRefused(Message(N_("phải là số.")))
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an int beyond a float's range
        raise NumberRefused(Message(N_("phải là số."))) from None
    if not math.isfinite(number):
        raise NumberRefused(Message(NOT_FINITE))
    return number


def whole(value, lo: int, hi: int, column_max: int = INT32_MAX) -> int:
    """``value`` as an int in ``[lo, hi]`` and within the column (``column_max``).

    >>> whole("12", 1, 500), whole(12.0, 1, 500)
    (12, 12)
    >>> whole(float("inf"), 1, 500)
    Traceback (most recent call last):
    ...
    geo.numbers.NumberRefused: phải là số hữu hạn (không nhận NaN hay vô cực).
    >>> whole(10**20, 0, 10**30)
    Traceback (most recent call last):
    ...
    geo.numbers.OutOfRange: phải từ 0 đến 2147483647.
    """
    hi = min(hi, column_max)
    lo = max(lo, -column_max - 1)
    if isinstance(value, bool):
        raise NumberRefused(Message(N_("phải là số nguyên.")))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberRefused(Message(NOT_FINITE))
        if not value.is_integer():
            raise NumberRefused(Message(N_("phải là số nguyên.")))
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isascii() \
            and value.strip().lstrip("+-").isdigit() and len(value.strip()) <= 30:
        number = int(value.strip())
    elif isinstance(value, str) and value.strip().lower().lstrip("+-") in (
            "nan", "inf", "infinity"):
        raise NumberRefused(Message(NOT_FINITE))
    else:
        raise NumberRefused(Message(N_("phải là số nguyên.")))
    if not lo <= number <= hi:
        raise OutOfRange(Message(N_("phải từ %(lo)s đến %(hi)s."), lo=lo, hi=hi))
    return number


def form_id(value) -> int | None:
    """A row id (or EPSG code) typed or picked in a form, else ``None``: ASCII digits only
    ("²".isdigit() is true, and int() fails on it) and within an Integer column.

    >>> form_id("42"), form_id(" 7 "), form_id("²"), form_id(str(2**31)), form_id(None)
    (42, 7, None, None, None)
    """
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 0 < number <= INT32_MAX else None


def form_ids(values) -> list[int]:
    """The valid ids among ``values`` (see ``form_id``), in order, others dropped.

    >>> form_ids(["3", "x", "²", "4"])
    [3, 4]
    """
    return [i for i in map(form_id, values) if i is not None]
