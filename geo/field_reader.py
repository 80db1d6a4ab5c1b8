"""Reading a submitted payload's fields into typed values, one error per bad field: the
reader ``geo.validate``'s record checks, the import rows and the programme form share.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from geo import formatting as fmt
from geo.i18n import N_, Capital, Figure, Message, Msgid
from geo.numbers import INT32_MAX, NumberRefused, OutOfRange, whole
from geo.schema import CLOCK_SKEW, EARLIEST, FieldError
from geo.text import TextRefused, ascii_digits, clean_text

Errors = list[FieldError]

class FieldReader:
    """Reads typed fields from a payload, collecting one error per bad field. ``limits``
    (a ``geo.schema`` table) gives a field's ``max_len`` / ``min`` / ``max`` when the call
    does not."""

    def __init__(self, payload: dict, limits: dict | None = None) -> None:
        self.payload = payload if isinstance(payload, dict) else {}
        self.limits = limits or {}
        self.errors: Errors = []
        self.clean: dict = {}

    def fail(self, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append(FieldError(field, message, code))

    def _refuse(self, field: str, label: str, refused: ValueError, code: str) -> None:
        """A value ``geo.text`` or ``geo.numbers`` refused: the label, then their reason."""
        self.fail(field, Message(N_("%(what)s %(problem)s"), what=Capital(label),
                                 problem=refused.args[0]), code)

    def _limit(self, field: str, key: str, given, default=None):
        return given if given is not None else self.limits.get(field, {}).get(key, default)

    def _raw(self, field: str, required: bool, label: str):
        value = self.payload.get(field)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if required:
                self.fail(field, Message(N_("Chưa nhập %(what)s."), what=_said(label)),
                          "required")
            return None
        return value

    def text(self, field: str, label: str, required: bool = False, max_len: int | None = None):
        """Clean text (``geo.text.clean_text``); fields longer than 500 are multi-line."""
        max_len = self._limit(field, "max_len", max_len, 500)
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        multiline = max_len > 500
        try:
            value = clean_text(value, multiline=multiline).strip()
        except TextRefused as refused:
            self._refuse(field, label, refused, "bad_text")
            self.clean[field] = None
            return
        if not value:  # only zero-width characters
            if required:
                self.fail(field, Message(N_("Chưa nhập %(what)s."), what=_said(label)),
                          "required")
            self.clean[field] = None
            return
        if len(value) > max_len:
            self.fail(field, Message(N_("%(what)s dài quá %(limit)s ký tự."), what=Capital(label),
                                     limit=max_len), "too_long")
        self.clean[field] = value if multiline else re.sub(r"\s+", " ", value)

    def digits(self, field: str, label: str, required: bool = False, max_len: int | None = None):
        """A digit-only field (phone, CCCD): ASCII digits after NFKC (``ascii_digits``)."""
        self.text(field, label, required, self._limit(field, "max_len", max_len, 30))
        if self.clean.get(field) is None:
            return
        try:
            self.clean[field] = ascii_digits(self.clean[field])
        except TextRefused as refused:
            self._refuse(field, label, refused, "bad_text")
            self.clean[field] = None

    def integer(self, field: str, label: str, lo: int | None = None, hi: int | None = None,
                required: bool = False, column_max: int = INT32_MAX):
        """A whole number in ``[lo, hi]`` (by default the limits' ``min``/``max``) and within
        its column (``geo.numbers.whole``)."""
        lo, hi = self._limit(field, "min", lo), self._limit(field, "max", hi)
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        try:
            self.clean[field] = whole(value, lo, hi, column_max)
        except NumberRefused as refused:
            code = "out_of_range" if isinstance(refused, OutOfRange) else "not_a_number"
            self._refuse(field, label, refused, code)

    def boolean(self, field: str, label: str, required: bool = False):
        value = self.payload.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, Message(N_("Chưa chọn %(what)s."), what=_said(label)),
                          "required")
            self.clean[field] = None
            return
        if isinstance(value, bool):
            self.clean[field] = value
        elif value in ("true", "1", 1, "on", "yes"):
            self.clean[field] = True
        elif value in ("false", "0", 0, "off", "no"):
            self.clean[field] = False
        else:
            self.fail(field, Message(N_("%(what)s: chỉ nhận có/không."), what=Capital(label)),
                      "bad_boolean")

    def choice(self, field: str, label: str, options, required: bool = False):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        if not isinstance(value, str) or value not in options:
            self.fail(field, Message(N_("%(what)s không hợp lệ: %(value)s."), what=Capital(label),
                                     value=value), "bad_choice")
            return
        self.clean[field] = value

    def day(self, field: str, label: str, today: date, required: bool = False,
            not_future: bool = True, not_before: date | None = None):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        parsed = parse_date(value)
        if parsed is None:
            self.fail(field, Message(N_("%(what)s không đúng dạng ngày (dd/mm/yyyy)."),
                                     what=Capital(label)), "bad_date")
        elif not_future and parsed > today:
            self.fail(field, Message(N_("%(what)s không được ở tương lai."), what=Capital(label)),
                      "in_future")
        elif not_before and parsed < not_before:
            self.fail(field, Message(N_("%(what)s không được trước %(day)s."), what=Capital(label),
                                     day=Figure(fmt.day, not_before)), "too_early")
        else:
            self.clean[field] = parsed

    def moment(self, field: str, label: str, now: datetime, required: bool = False):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(field, Message(N_("%(what)s không đúng dạng ngày giờ."), what=Capital(label)),
                      "bad_date")
            return
        if parsed.tzinfo is not None:  # stored as the ward's local wall time
            parsed = parsed.astimezone(now.tzinfo).replace(tzinfo=None) if now.tzinfo \
                else parsed.replace(tzinfo=None)
        if parsed > now.replace(tzinfo=None) + CLOCK_SKEW:
            self.fail(field, Message(N_("%(what)s không được ở tương lai."), what=Capital(label)),
                      "in_future")
        elif parsed < EARLIEST:
            self.fail(field, Message(N_("%(what)s quá cũ (trước %(day)s)."), what=Capital(label),
                                     day=Figure(fmt.day, EARLIEST)), "too_early")
        else:
            self.clean[field] = parsed


def _said(label: str) -> str:
    """A field's label as a placeholder's value: a msgid, or a ``Message`` of its own (a
    criterion's note, "ghi chú tiêu chí …")."""
    return label if isinstance(label, Message) else Msgid(label)


def parse_date(value) -> date | None:
    """A day written ``yyyy-mm-dd`` or ``dd/mm/yyyy``; ``None`` if it is neither."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(value), pattern).date()
        except ValueError:
            continue
    return None
