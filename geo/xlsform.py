"""XLSForm as the definition format of a register type (``geo.registers``), so that a ward's
ODK / KoboToolbox forms carry over.

Reading goes through ``pyxform`` (the reference XLSForm parser: sheet and column aliases,
``select_one list`` parsing, choice lists), then each question is mapped to a register
field. What a register cannot hold (groups, repeats, calculations, relevance, complex
constraints) is reported, row by row, in Vietnamese, and nothing is defined: all or nothing.

Supported: ``text``, ``integer``, ``decimal``, ``date``, ``select_one <list>``
(``select_one yes_no`` with choices yes/no is a yes/no field), ``image``, ``acknowledge``
(yes/no), exactly one of ``geopoint`` / ``geotrace`` / ``geoshape``, ``note`` (skipped);
``required``; ``constraint`` ranges such as ``. >= 0 and . <= 100``; labels in ``label`` or
``label::Vietnamese (vi)``. The ``settings`` sheet gives ``form_title`` (the name),
``form_id`` (the code) and this project's own ``symbol_colour`` / ``symbol_shape``.
"""

from __future__ import annotations

import io
import re

from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.registers import validate_definition

_openpyxl = deferred("openpyxl")

GEOMETRY_TYPES = {"geopoint": "point", "geotrace": "line", "geoshape": "polygon"}
XLSFORM_GEOMETRY = {v: k for k, v in GEOMETRY_TYPES.items()}
SIMPLE_TYPES = {"text": ("text", {}), "integer": ("number", {"integer": True}),
                "decimal": ("number", {"integer": False}), "date": ("date", {}),
                "photo": ("photo", {}), "image": ("photo", {}),
                "acknowledge": ("yesno", {})}
SKIPPED = frozenset({"note", "start", "end", "today", "deviceid", "username", "calculate"})
_BOUND = re.compile(r"\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")
_VI_LANGUAGE = re.compile(r"vi|viet", re.IGNORECASE)
LANGUAGE = "Vietnamese (vi)"


class XLSFormRefused(ValueError):
    """The file cannot define a register; ``problems`` are ``(where, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _label(raw) -> str:
    """The Vietnamese label of a question or choice (else the default, else any)."""
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, dict) or not raw:
        return ""
    for language, text in raw.items():
        if _VI_LANGUAGE.search(language):
            return text
    return raw.get("default") or next(iter(raw.values()))


def _bounds(constraint: str, where: str, problems: list) -> dict:
    """``. >= 0 and . <= 100`` → ``{"min": 0, "max": 100}``; anything else is refused
    (a strict bound is kept as the inclusive one: the register stores no open intervals)."""
    parts = [p.strip() for p in re.split(r"\band\b", constraint)]
    out = {}
    for part in parts:
        match = _BOUND.fullmatch(part)
        if not match:
            problems.append((where, Message(N_("Ràng buộc “%(constraint)s” chưa được hỗ trợ: "
                                               "chỉ nhận khoảng đơn giản như “. >= 0 and . <= "
                                               "100”."), constraint=constraint)))
            return {}
        operator, number = match.groups()
        out["min" if operator.startswith(">") else "max"] = float(number)
    return out


def _yes(value) -> bool:
    return str(value or "").strip().lower() in ("yes", "true", "true()", "1")


def _question(q: dict, where: str, problems: list) -> dict | None:
    kind, name = q.get("type", ""), q.get("name", "")
    label = _label(q.get("label")) or name
    bind = q.get("bind") or {}
    if kind in SKIPPED or (kind == "group" and name == "meta"):
        return None
    if kind in ("group", "repeat"):
        problems.append((where, Message(N_("Nhóm/lặp “%(name)s” chưa được hỗ trợ: sổ là một "
                                           "bảng phẳng, hãy bỏ begin_group/begin_repeat."),
                                        name=name)))
        return None
    for key in ("relevant", "calculate"):
        if bind.get(key):
            problems.append((where, Message(N_("Câu “%(label)s”: cột %(column)s chưa được hỗ "
                                               "trợ."), label=label, column=key)))
    field = {"name": name, "label": label, "required": _yes(bind.get("required")),
             "personal": _yes(q.get("personal"))}
    if kind == "select one":
        choices = [{"value": str(c.get("name")), "label": _label(c.get("label"))
                    or str(c.get("name"))} for c in q.get("choices") or []]
        if q.get("list_name") == "yes_no" or {c["value"] for c in choices} == {"yes", "no"}:
            field["kind"] = "yesno"
        else:
            field.update(kind="choice", choices=choices)
    elif kind in SIMPLE_TYPES:
        base, extra = SIMPLE_TYPES[kind]
        field.update(kind=base, **extra)
    else:
        kind = {"select all that apply": "select_multiple"}.get(kind, kind)
        problems.append((where, Message(N_("Câu “%(label)s”: loại “%(kind)s” chưa được hỗ trợ "
                                           "(nhận text, integer, decimal, date, select_one, "
                                           "image, acknowledge, geopoint/geotrace/geoshape)."),
                                        label=label, kind=kind)))
        return None
    if bind.get("constraint"):
        if field["kind"] == "number":
            field.update(_bounds(bind["constraint"], where, problems))
        else:
            problems.append((where, Message(N_("Câu “%(label)s”: ràng buộc chỉ nhận cho câu "
                                               "số."), label=label)))
    return field


def read_xlsform(raw: bytes, filename: str = "form.xlsx") -> dict:
    """A register type's clean definition from an XLSForm file; ``XLSFormRefused`` lists
    every problem (pyxform's own errors included, in its words after ours)."""
    from pyxform import xls2json, xls2json_backends
    from pyxform.errors import PyXFormError

    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ".xlsx"
    if suffix not in (".xlsx", ".xls"):
        raise XLSFormRefused([("file", Message(N_("Biểu mẫu phải là tệp XLSForm .xlsx hoặc "
                                                  ".xls.")))])
    try:
        workbook = xls2json_backends.get_xlsform(io.BytesIO(raw), file_type=suffix)
        survey = xls2json.workbook_to_json(workbook, form_name="register", warnings=[])
    except (PyXFormError, ValueError, KeyError, OSError) as err:
        raise XLSFormRefused([("file", Message(N_("Tệp không đọc được như một XLSForm: "
                                                  "%(error)s"), error=str(err)))]) from None
    settings = (workbook.settings or [{}])[0] if hasattr(workbook, "settings") else {}
    problems: list[tuple[str, str]] = []
    fields, geometries = [], []
    for question in survey.get("children", []):
        where = Message(N_("survey: câu “%(name)s”"), name=question.get("name", ""))
        if question.get("type") in GEOMETRY_TYPES:
            geometries.append(GEOMETRY_TYPES[question["type"]])
            continue
        field = _question(question, where, problems)
        if field is not None:
            fields.append(field)
    if len(geometries) != 1:
        problems.append(("survey", Message(N_("Biểu mẫu cần đúng một câu vị trí (geopoint, "
                                              "geotrace hoặc geoshape); tệp có %(n)s."),
                                           n=len(geometries))))
    document = {"code": str(settings.get("form_id") or survey.get("id_string") or ""),
                "name": str(settings.get("form_title") or survey.get("title") or ""),
                "geometry": geometries[0] if geometries else None,
                "symbol": {"colour": settings.get("symbol_colour") or None,
                           "shape": settings.get("symbol_shape") or None},
                "fields": fields}
    clean, errors = validate_definition(document)
    problems += errors
    if problems:
        raise XLSFormRefused(problems)
    return clean


def _constraint(field: dict) -> str:
    parts = [f". >= {field['min']:g}" if "min" in field else "",
             f". <= {field['max']:g}" if "max" in field else ""]
    return " and ".join(p for p in parts if p)


def write_xlsform(definition: dict) -> bytes:
    """The register type as an XLSForm (survey, choices, settings) that ``read_xlsform``
    reads back to the same definition, and that ODK/Kobo tools open."""
    book = _openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    label = f"label::{LANGUAGE}"
    survey.append(["type", "name", label, "required", "constraint", "personal"])
    survey.append([XLSFORM_GEOMETRY[definition["geometry"]], "location", "Vị trí", "yes", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", label])
    has_yes_no = False
    for field in definition["fields"]:
        kind = field["kind"]
        if kind == "choice":
            xls_type = f"select_one {field['name']}"
            for choice in field["choices"]:
                choices.append([field["name"], choice["value"], choice["label"]])
        elif kind == "yesno":
            xls_type, has_yes_no = "select_one yes_no", True
        elif kind == "number":
            xls_type = "integer" if field.get("integer") else "decimal"
        else:
            xls_type = {"text": "text", "date": "date", "photo": "image"}[kind]
        survey.append([xls_type, field["name"], field["label"],
                       "yes" if field["required"] else "", _constraint(field),
                       "yes" if field.get("personal") else ""])
    if has_yes_no:
        choices.append(["yes_no", "yes", "Có"])
        choices.append(["yes_no", "no", "Không"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "symbol_colour", "symbol_shape"])
    settings.append([definition["name"], definition["code"], definition["symbol"]["colour"],
                     definition["symbol"]["shape"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
