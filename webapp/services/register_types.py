"""Register types defined as data: from an XLSForm or a shipped preset, a new version of a
form checked against every entry already stored, and a ward's type by its code. Every
write runs on the caller's one transaction (``conn``)."""

from __future__ import annotations

from geo import register_values as values
from geo import registers as schema
from geo.i18n import N_, Message
from geo.resources import DATA_DIR
from geo.xlsform import XLSFormRefused, read_xlsform
from models import records
from models import registers as store
from webapp.errors import ApiError
from webapp.services.model_streets import Refused

PRESETS_DIR = DATA_DIR / "registers"
_presets: dict | None = None


def presets() -> dict[str, dict]:
    """The shipped presets (``data/registers/*.yaml``), read once."""
    global _presets
    if _presets is None:
        _presets = schema.load_presets(PRESETS_DIR)
    return _presets


def register_type(conn, ward, code: str):
    """The ward's register type ``code`` with its definition; 404 if there is none."""
    row = store.type_by_code(conn, ward.id, code)
    if row is None:
        raise ApiError(404, N_("Phường chưa có sổ “%(code)s”."), field="register",
                       params={"code": code})
    return row


def _add(conn, ward, user_id, definition: dict) -> int:
    if store.type_by_code(conn, ward.id, definition["code"]) is not None:
        raise Refused([("code", Message(N_("Phường đã có sổ mã “%(code)s”."),
                                        code=definition["code"]))])
    type_id = store.add_type(conn, ward.id, definition, user_id)
    records.audit(conn, ward.id, user_id, "define_register", "register_type", type_id,
                  code=definition["code"])
    return type_id


def define_from_xlsform(conn, ward, user_id, raw: bytes, filename: str) -> str:
    """A new register type from an XLSForm; ``Refused`` with every problem, nothing saved."""
    try:
        definition = read_xlsform(raw, filename)
    except XLSFormRefused as refused:
        raise Refused(refused.problems) from None
    _add(conn, ward, user_id, definition)
    return definition["code"]


def redefine_from_xlsform(conn, ward, user_id, type_row, raw: bytes, filename: str) -> str:
    """A new version of a register's form (an XLSForm with the same ``form_id`` and kind of
    position); refused unless every entry already stored still fits it, each misfit named."""
    try:
        definition = read_xlsform(raw, filename)
    except XLSFormRefused as refused:
        raise Refused(refused.problems) from None
    problems = []
    if definition["code"] != type_row.code:
        problems.append(("code", Message(N_("form_id của tệp là “%(code)s”, không phải "
                                            "“%(own)s” của sổ này."),
                                         code=definition["code"], own=type_row.code)))
    if definition["geometry"] != type_row.geometry_kind:
        problems.append(("geometry", Message(N_("Không đổi được loại vị trí của sổ đã có bản "
                                                "ghi."))))
    for entry_id, attributes in store.all_attributes(conn, ward.id, type_row.id):
        _clean, errors = values.validate_attributes(definition, attributes, photos=1)
        problems += [(Message(N_("bản ghi số %(id)s"), id=entry_id), message)
                     for _, message in errors]
    if problems:
        raise Refused(problems[:200])
    store.replace_definition(conn, ward.id, type_row.id, definition)
    records.audit(conn, ward.id, user_id, "redefine_register", "register_type", type_row.id,
                  code=type_row.code)
    return type_row.code


def add_preset(conn, ward, user_id, code: str) -> str:
    definition = presets().get(code)
    if definition is None:
        raise Refused([("preset", Message(N_("Không có sổ mẫu “%(code)s”."), code=code))])
    _add(conn, ward, user_id, definition)
    return code
