"""One register entry's values checked against its type's definition (``geo.registers``),
and shown as people read them.

Values come from the phone (JSON: numbers, booleans, ISO dates), the desk form and
spreadsheet rows (text: "12,5", "01/02/2025", a choice's label, "Có"): all end as the same
JSON document — choices by code, dates as ``YYYY-MM-DD``, yes/no as booleans.
"""

from __future__ import annotations

from datetime import date, datetime

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message
from geo.numbers import INT64_MAX, NumberRefused, finite
from geo.text import TextRefused, clean_text, fold

MAX_TEXT = 2000
YES = frozenset({"yes", "co", "true", "1", "x", "dung"})
NO = frozenset({"no", "khong", "false", "0", "sai"})

Errors = list[tuple[str, str]]


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None


def _choice(field: dict, value) -> str | None:
    """The choice's code from its code or its label (as a spreadsheet row writes it)."""
    wanted = fold(value)
    for choice in field["choices"]:
        if choice["value"] == str(value) or fold(choice["label"]) == wanted:
            return choice["value"]
    return None


def _yesno(value) -> bool | None:
    if isinstance(value, bool):
        return value
    folded = fold(value).replace(" ", "")
    return True if folded in YES else False if folded in NO else None


def _number(field: dict, value):
    number = finite(value.replace(",", ".") if isinstance(value, str) else value)
    if field.get("integer"):
        if number != int(number):
            raise NumberRefused(Message(N_("phải là số nguyên.")))
        number = int(number)
    if abs(number) > INT64_MAX:
        raise NumberRefused(Message(N_("quá lớn.")))
    lo, hi = field.get("min"), field.get("max")
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        shown = [Figure(fmt.number, v, 2, trim=True) for v in (lo, hi)]
        lo_text, hi_text = shown
        raise NumberRefused(
            Message(N_("phải từ %(lo)s đến %(hi)s."), lo=lo_text, hi=hi_text)
            if lo is not None and hi is not None
            else Message(N_("phải từ %(lo)s trở lên."), lo=lo_text) if lo is not None
            else Message(N_("phải tối đa %(hi)s."), hi=hi_text))
    return number


def _value(field: dict, value):
    """``field``'s value cleaned (JSON-ready) or ``ValueError`` with a Vietnamese predicate."""
    kind = field["kind"]
    if kind == "text":
        text = clean_text(str(value) if isinstance(value, int | float) else value,
                          multiline=True).strip()
        if len(text) > MAX_TEXT:
            raise TextRefused(Message(N_("dài quá %(n)s ký tự."), n=MAX_TEXT))
        return text
    if kind == "number":
        return _number(field, value)
    if kind == "date":
        parsed = _parse_date(value)
        if parsed is None:
            raise ValueError(Message(N_("phải là ngày (dd/mm/yyyy).")))
        return parsed.isoformat()
    if kind == "choice":
        chosen = _choice(field, value)
        if chosen is None:
            raise ValueError(Message(N_("không có trong các lựa chọn (%(choices)s)."),
                                     choices=", ".join(c["label"] for c in field["choices"])))
        return chosen
    answer = _yesno(value)
    if answer is None:
        raise ValueError(Message(N_("phải là Có hoặc Không.")))
    return answer


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_attributes(definition: dict, values, photos: int = 0,
                        strict: bool = True) -> tuple[dict, Errors]:
    """An entry's attributes checked against its type: ``(clean, errors)``. ``photos`` is the
    number of photos sent with it (a required photo field needs one); ``strict`` refuses
    keys the type does not have.

    >>> definition = {"fields": [{"name": "height", "label": "Chiều cao", "kind": "number",
    ...     "integer": False, "min": 0, "max": 40, "required": True}]}
    >>> validate_attributes(definition, {"height": "12,5"})
    ({'height': 12.5}, [])
    >>> validate_attributes(definition, {"height": 50})[1]
    [('height', 'Chiều cao phải từ 0 đến 40.')]
    """
    if not isinstance(values, dict):
        return {}, [("attributes", Message(N_("Thuộc tính phải là một đối tượng.")))]
    fields = {f["name"]: f for f in definition["fields"]}
    errors: Errors = [(key, Message(N_("Sổ không có trường “%(key)s”."), key=key)) for key in values
                      if strict and key not in fields]
    clean = {}
    for name, field in fields.items():
        if field["kind"] == "photo":
            if field["required"] and photos < 1:
                errors.append((name, Message(N_("Cần ít nhất một ảnh cho “%(label)s”."),
                                             label=field["label"])))
            continue
        value = values.get(name)
        if _blank(value):
            if field["required"]:
                errors.append((name, Message(N_("Chưa nhập “%(label)s”."), label=field["label"])))
            continue
        try:
            clean[name] = _value(field, value)
        except ValueError as refused:
            errors.append((name, Message(N_("%(label)s %(problem)s"), label=field["label"],
                                         problem=refused.args[0])))
    return clean, errors


def display(field: dict, value) -> str:
    """``value`` of ``field`` as people read it (list, popup, export)."""
    if value is None or value == "":
        return ""
    kind = field["kind"]
    if kind == "number":
        return fmt.number(value, 0 if field.get("integer") else 2, trim=True)
    if kind == "date":
        return fmt.day(_parse_date(value))
    if kind == "choice":
        return next((c["label"] for c in field["choices"] if c["value"] == value), str(value))
    if kind == "yesno":
        return Message(N_("Có")) if value else Message(N_("Không"))
    return str(value)
