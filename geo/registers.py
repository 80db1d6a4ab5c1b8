"""Registers defined as data: a ward's register type (its fields, geometry and symbol) and
the checks of one entry against it.

A register type is a document a ward admin writes (through an XLSForm, ``geo.xlsform``, or a
preset in ``data/registers/``); nothing about cameras, trees or alleys is code. The
document, once clean::

    {"code": "trees", "name": "Cây xanh", "geometry": "point",
     "symbol": {"colour": "#2e7d32", "shape": "circle"},
     "fields": [{"name": "status", "label": "Tình trạng", "kind": "choice",
                 "required": True, "choices": [{"value": "good", "label": "Tốt"}]}, …]}

Field kinds: ``text``, ``number`` (``integer``, ``min``, ``max``), ``date``, ``choice``
(``choices``), ``photo`` (photos attached to the entry; ``required`` asks for one at least)
and ``yesno``. Every problem is a ``(path, Vietnamese message)`` pair.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from geo import formatting as fmt
from geo.numbers import INT64_MAX, NumberRefused, finite
from geo.text import TextRefused, clean_text, fold, tidy

GEOMETRIES = {"point": "Điểm", "line": "Đường", "polygon": "Vùng"}
KINDS = {"text": "Chữ", "number": "Số", "date": "Ngày", "choice": "Lựa chọn",
         "photo": "Ảnh", "yesno": "Có/Không"}
SHAPES = {"circle": "Tròn", "square": "Vuông", "triangle": "Tam giác", "diamond": "Thoi",
          "star": "Sao"}
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Names the entry itself uses (its columns, the payload's keys, export headers).
RESERVED = frozenset({"id", "uuid", "location", "geometry", "photos", "created_at",
                      "updated_at", "created_by", "updated_by", "neighbourhood", "lon", "lat"})
MAX_FIELDS = 60
MAX_CHOICES = 200
MAX_TEXT = 2000
YES = frozenset({"yes", "co", "true", "1", "x", "dung"})
NO = frozenset({"no", "khong", "false", "0", "sai"})

Errors = list[tuple[str, str]]


def _text(raw, limit: int = 200) -> str:
    try:
        return clean_text(tidy(raw))[:limit] if raw is not None else ""
    except TextRefused:
        return ""


def _limit(raw, where: str, label: str, errors: Errors) -> float | None:
    if raw in (None, ""):
        return None
    try:
        return finite(raw)
    except NumberRefused as refused:
        errors.append((where, f"Giới hạn {label} {refused}"))
        return None


def _field(raw, where: str, seen: set, errors: Errors) -> dict | None:
    if not isinstance(raw, dict):
        errors.append((where, "Mỗi trường phải là một đối tượng (tên, nhãn, loại)."))
        return None
    name = _text(raw.get("name"), 40)
    label = _text(raw.get("label")) or name
    kind = raw.get("kind")
    if not NAME.fullmatch(name):
        errors.append((where, f"Tên trường “{name}” không hợp lệ: chữ thường không dấu, số "
                              "và “_”, bắt đầu bằng chữ, tối đa 40 ký tự."))
        return None
    if name in RESERVED:
        errors.append((where, f"Tên trường “{name}” trùng tên dành riêng của sổ."))
        return None
    if name in seen:
        errors.append((where, f"Tên trường “{name}” bị lặp."))
        return None
    seen.add(name)
    if kind not in KINDS:
        errors.append((where, f"Trường “{label}”: loại “{kind}” không được hỗ trợ (chỉ nhận "
                              f"{', '.join(KINDS)})."))
        return None
    field = {"name": name, "label": label, "kind": kind, "required": raw.get("required") is True}
    if raw.get("personal") is True and kind == "text":
        field["personal"] = True  # shown only to roles allowed personal data, audited
    if kind == "number":
        field["integer"] = raw.get("integer") is True
        lo = _limit(raw.get("min"), where, "dưới", errors)
        hi = _limit(raw.get("max"), where, "trên", errors)
        if lo is not None and hi is not None and lo > hi:
            errors.append((where, f"Trường “{label}”: giới hạn dưới lớn hơn giới hạn trên."))
        field.update({k: v for k, v in (("min", lo), ("max", hi)) if v is not None})
    if kind == "choice":
        field["choices"] = _choices(raw.get("choices"), where, label, errors)
    return field


def _choices(raw, where: str, label: str, errors: Errors) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        errors.append((where, f"Trường lựa chọn “{label}” chưa có lựa chọn nào."))
        return []
    if len(raw) > MAX_CHOICES:
        errors.append((where, f"Trường “{label}”: tối đa {MAX_CHOICES} lựa chọn."))
    out, values = [], set()
    for item in raw[:MAX_CHOICES]:
        value = _text(item.get("value") if isinstance(item, dict) else None, 80)
        if not value or value in values:
            errors.append((where, f"Trường “{label}”: mỗi lựa chọn cần một mã riêng, không "
                                  f"trống, không lặp (“{value}”)."))
            continue
        values.add(value)
        out.append({"value": value, "label": _text(item.get("label")) or value})
    return out


def validate_definition(raw) -> tuple[dict, Errors]:
    """A register type's document checked and cleaned; problems as ``(path, message)``.

    >>> clean, errors = validate_definition({"code": "trees", "name": "Cây xanh",
    ...     "geometry": "point", "fields": [{"name": "h", "kind": "number", "min": 5,
    ...     "max": 1}]})
    >>> errors
    [('fields[0]', 'Trường “h”: giới hạn dưới lớn hơn giới hạn trên.')]
    """
    errors: Errors = []
    if not isinstance(raw, dict):
        return {}, [("definition", "Định nghĩa sổ phải là một đối tượng.")]
    code, name = _text(raw.get("code"), 40), _text(raw.get("name"))
    if not NAME.fullmatch(code):
        errors.append(("code", f"Mã sổ “{code}” không hợp lệ: chữ thường không dấu, số và "
                               "“_”, bắt đầu bằng chữ."))
    if not name:
        errors.append(("name", "Sổ cần có tên."))
    geometry = raw.get("geometry")
    if geometry not in GEOMETRIES:
        errors.append(("geometry", "Sổ cần đúng một loại vị trí: điểm, đường hoặc vùng."))
    symbol = raw.get("symbol") if isinstance(raw.get("symbol"), dict) else {}
    colour, shape = symbol.get("colour") or "#1f78b4", symbol.get("shape") or "circle"
    if not isinstance(colour, str) or not COLOUR.fullmatch(colour):
        errors.append(("symbol.colour", f"Màu ký hiệu “{colour}” phải có dạng #RRGGBB."))
    if shape not in SHAPES:
        errors.append(("symbol.shape", f"Hình ký hiệu “{shape}” không có (chỉ nhận "
                                       f"{', '.join(SHAPES)})."))
    fields_raw = raw.get("fields")
    if not isinstance(fields_raw, list) or not fields_raw:
        errors.append(("fields", "Sổ cần ít nhất một trường."))
        fields_raw = []
    if len(fields_raw) > MAX_FIELDS:
        errors.append(("fields", f"Tối đa {MAX_FIELDS} trường cho một sổ."))
    seen: set = set()
    fields = [f for i, item in enumerate(fields_raw[:MAX_FIELDS])
              if (f := _field(item, f"fields[{i}]", seen, errors)) is not None]
    clean = {"code": code, "name": name, "geometry": geometry,
             "symbol": {"colour": str(colour).lower(), "shape": shape}, "fields": fields}
    return clean, errors


# --- entries -------------------------------------------------------------------------------

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
            raise NumberRefused("phải là số nguyên.")
        number = int(number)
    if abs(number) > INT64_MAX:
        raise NumberRefused("quá lớn.")
    lo, hi = field.get("min"), field.get("max")
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        shown = [fmt.number(v, 2, trim=True) for v in (lo, hi)]
        span = (f"từ {shown[0]} đến {shown[1]}" if lo is not None and hi is not None
                else f"từ {shown[0]} trở lên" if lo is not None else f"tối đa {shown[1]}")
        raise NumberRefused(f"phải {span}.")
    return number


def _value(field: dict, value):
    """``field``'s value cleaned (JSON-ready) or ``ValueError`` with a Vietnamese predicate."""
    kind = field["kind"]
    if kind == "text":
        text = clean_text(str(value) if isinstance(value, int | float) else value,
                          multiline=True).strip()
        if len(text) > MAX_TEXT:
            raise TextRefused(f"dài quá {MAX_TEXT} ký tự.")
        return text
    if kind == "number":
        return _number(field, value)
    if kind == "date":
        parsed = _parse_date(value)
        if parsed is None:
            raise ValueError("phải là ngày (dd/mm/yyyy).")
        return parsed.isoformat()
    if kind == "choice":
        chosen = _choice(field, value)
        if chosen is None:
            raise ValueError("không có trong các lựa chọn ("
                             + ", ".join(c["label"] for c in field["choices"]) + ").")
        return chosen
    answer = _yesno(value)
    if answer is None:
        raise ValueError("phải là Có hoặc Không.")
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
        return {}, [("attributes", "Thuộc tính phải là một đối tượng.")]
    fields = {f["name"]: f for f in definition["fields"]}
    errors: Errors = [(key, f"Sổ không có trường “{key}”.") for key in values
                      if strict and key not in fields]
    clean = {}
    for name, field in fields.items():
        if field["kind"] == "photo":
            if field["required"] and photos < 1:
                errors.append((name, f"Cần ít nhất một ảnh cho “{field['label']}”."))
            continue
        value = values.get(name)
        if _blank(value):
            if field["required"]:
                errors.append((name, f"Chưa nhập “{field['label']}”."))
            continue
        try:
            clean[name] = _value(field, value)
        except ValueError as refused:
            errors.append((name, f"{field['label']} {refused}"))
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
        return "Có" if value else "Không"
    return str(value)


def public_fields(definition: dict, personal: bool) -> list[dict]:
    """The fields a reader sees: every one if ``personal`` is allowed, else those that are
    not personal data."""
    return [f for f in definition["fields"] if personal or not f.get("personal")]


def load_presets(folder) -> dict[str, dict]:
    """The presets shipped in ``folder`` (``data/registers/*.yaml``), each validated."""
    import yaml

    presets = {}
    for path in sorted(folder.glob("*.yaml")):
        clean, errors = validate_definition(yaml.safe_load(path.read_text(encoding="utf-8")))
        if errors:
            raise ValueError(f"{path.name}: {errors}")
        presets[clean["code"]] = clean
    return presets


def filterable(definition: dict) -> list[dict]:
    """The fields the desk list filters by: choices, yes/no and dates."""
    return [f for f in definition["fields"] if f["kind"] in ("choice", "yesno", "date")]
