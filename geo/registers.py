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
and ``yesno``; a text field may be ``personal`` (``public_fields``). Every problem is a
``(path, message)`` pair, the message a ``geo.i18n.Message``. An entry's values are checked in
``geo.register_values``.
"""

from __future__ import annotations

import re

from geo.i18n import N_, Message, pgettext
from geo.numbers import NumberRefused, finite
from geo.text import TextRefused, clean_text, tidy

# In context: the catalogue's plain "Điểm" is the ranking's points (a score).
GEOMETRIES = {"point": pgettext("register geometry", "Điểm"),
              "line": pgettext("register geometry", "Đường"),
              "polygon": pgettext("register geometry", "Vùng")}
KINDS = {"text": N_("Chữ"), "number": N_("Số"), "date": N_("Ngày"), "choice": N_("Lựa chọn"),
         "photo": N_("Ảnh"), "yesno": N_("Có/Không")}
SHAPES = {"circle": N_("Tròn"), "square": N_("Vuông"), "triangle": N_("Tam giác"),
          "diamond": N_("Thoi"), "star": N_("Sao")}
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Names the entry itself uses (its columns, the payload's keys, export headers).
RESERVED = frozenset({"id", "uuid", "location", "geometry", "photos", "created_at",
                      "updated_at", "created_by", "updated_by", "neighbourhood", "lon", "lat"})
MAX_FIELDS = 60
MAX_CHOICES = 200

Errors = list[tuple[str, str]]


def _text(raw, limit: int = 200) -> str:
    try:
        return clean_text(tidy(raw))[:limit] if raw is not None else ""
    except TextRefused:
        return ""


def _limit(raw, where: str, refusal: str, errors: Errors) -> float | None:
    if raw in (None, ""):
        return None
    try:
        return finite(raw)
    except NumberRefused as refused:
        errors.append((where, Message(refusal, problem=refused.args[0])))
        return None


def _field(raw, where: str, seen: set, errors: Errors) -> dict | None:
    if not isinstance(raw, dict):
        errors.append((where, Message(N_("Mỗi trường phải là một đối tượng (tên, nhãn, loại)."))))
        return None
    name = _text(raw.get("name"), 40)
    label = _text(raw.get("label")) or name
    kind = raw.get("kind")
    if not NAME.fullmatch(name):
        errors.append((where, Message(N_("Tên trường “%(name)s” không hợp lệ: chữ thường không "
                                         "dấu, số và “_”, bắt đầu bằng chữ, tối đa 40 ký tự."),
                                      name=name)))
        return None
    if name in RESERVED:
        errors.append((where, Message(N_("Tên trường “%(name)s” trùng tên dành riêng của sổ."),
                                      name=name)))
        return None
    if name in seen:
        errors.append((where, Message(N_("Tên trường “%(name)s” bị lặp."), name=name)))
        return None
    seen.add(name)
    if kind not in KINDS:
        errors.append((where, Message(N_("Trường “%(label)s”: loại “%(kind)s” không được hỗ trợ "
                                         "(chỉ nhận %(kinds)s)."),
                                      label=label, kind=kind, kinds=", ".join(KINDS))))
        return None
    field = {"name": name, "label": label, "kind": kind, "required": raw.get("required") is True}
    if raw.get("personal") is True and kind == "text":
        field["personal"] = True  # shown only to roles allowed personal data, audited
    if kind == "number":
        field["integer"] = raw.get("integer") is True
        lo = _limit(raw.get("min"), where, N_("Giới hạn dưới %(problem)s"), errors)
        hi = _limit(raw.get("max"), where, N_("Giới hạn trên %(problem)s"), errors)
        if lo is not None and hi is not None and lo > hi:
            errors.append((where, Message(N_("Trường “%(label)s”: giới hạn dưới lớn hơn giới hạn "
                                             "trên."), label=label)))
        field.update({k: v for k, v in (("min", lo), ("max", hi)) if v is not None})
    if kind == "choice":
        field["choices"] = _choices(raw.get("choices"), where, label, errors)
    return field


def _choices(raw, where: str, label: str, errors: Errors) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        errors.append((where, Message(N_("Trường lựa chọn “%(label)s” chưa có lựa chọn nào."),
                                      label=label)))
        return []
    if len(raw) > MAX_CHOICES:
        errors.append((where, Message(N_("Trường “%(label)s”: tối đa %(n)s lựa chọn."),
                                      label=label, n=MAX_CHOICES)))
    out, values = [], set()
    for item in raw[:MAX_CHOICES]:
        value = _text(item.get("value") if isinstance(item, dict) else None, 80)
        if not value or value in values:
            errors.append((where, Message(N_("Trường “%(label)s”: mỗi lựa chọn cần một mã riêng, "
                                             "không trống, không lặp (“%(value)s”)."),
                                          label=label, value=value)))
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
        return {}, [("definition", Message(N_("Định nghĩa sổ phải là một đối tượng.")))]
    code, name = _text(raw.get("code"), 40), _text(raw.get("name"))
    if not NAME.fullmatch(code):
        errors.append(("code", Message(N_("Mã sổ “%(code)s” không hợp lệ: chữ thường không dấu, "
                                          "số và “_”, bắt đầu bằng chữ."), code=code)))
    if not name:
        errors.append(("name", Message(N_("Sổ cần có tên."))))
    geometry = raw.get("geometry")
    if geometry not in GEOMETRIES:
        errors.append(("geometry", Message(N_("Sổ cần đúng một loại vị trí: điểm, đường hoặc "
                                              "vùng."))))
    symbol = raw.get("symbol") if isinstance(raw.get("symbol"), dict) else {}
    colour, shape = symbol.get("colour") or "#1f78b4", symbol.get("shape") or "circle"
    if not isinstance(colour, str) or not COLOUR.fullmatch(colour):
        errors.append(("symbol.colour", Message(N_("Màu ký hiệu “%(colour)s” phải có dạng "
                                                   "#RRGGBB."), colour=colour)))
    if shape not in SHAPES:
        errors.append(("symbol.shape", Message(N_("Hình ký hiệu “%(shape)s” không có (chỉ nhận "
                                                  "%(shapes)s)."),
                                               shape=shape, shapes=", ".join(SHAPES))))
    fields_raw = raw.get("fields")
    if not isinstance(fields_raw, list) or not fields_raw:
        errors.append(("fields", Message(N_("Sổ cần ít nhất một trường."))))
        fields_raw = []
    if len(fields_raw) > MAX_FIELDS:
        errors.append(("fields", Message(N_("Tối đa %(n)s trường cho một sổ."), n=MAX_FIELDS)))
    seen: set = set()
    fields = [f for i, item in enumerate(fields_raw[:MAX_FIELDS])
              if (f := _field(item, f"fields[{i}]", seen, errors)) is not None]
    clean = {"code": code, "name": name, "geometry": geometry,
             "symbol": {"colour": str(colour).lower(), "shape": shape}, "fields": fields}
    return clean, errors


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
