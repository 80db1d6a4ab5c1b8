"""The rules of a unit, a task and a progress update as typed in a form: plain values in,
clean values and ``(field, Vietnamese message)`` problems out.

Examples
--------
>>> clean, errors = validate_progress({"percent": "120", "value": "x"})
>>> errors
[('value', 'Giá trị đạt được phải là số.'), ('percent', 'Tỷ lệ hoàn thành phải từ 0 đến 100.')]
"""

from __future__ import annotations

from datetime import date

from geo.numbers import NumberRefused, finite, form_id, form_ids
from geo.text import TextRefused, clean_text
from geo.work import UNIT_KINDS, quantity_problem
from geo.worktable import names, parse_day

MAX_TEXT = 2000
MAX_QUANTITY = 1e12


def _text(form, key: str, what: str, errors: list, *, required=False, limit=200,
          multiline=False) -> str | None:
    raw = form.get(key)
    if raw in (None, ""):
        if required:
            errors.append((key, f"Chưa nhập {what}."))
        return None
    try:
        text = clean_text(raw, multiline).strip()
    except TextRefused as err:
        errors.append((key, f"{what.capitalize()}: {err}"))
        return None
    if required and not text:
        errors.append((key, f"Chưa nhập {what}."))
    if len(text) > limit:
        errors.append((key, f"{what.capitalize()} dài quá {limit} ký tự."))
    return text or None


def _number(form, key: str, what: str, errors: list, lo=0.0, hi=MAX_QUANTITY) -> float | None:
    raw = str(form.get(key) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = finite(raw)
    except NumberRefused:
        errors.append((key, f"{what} phải là số."))
        return None
    if not lo <= value <= hi:
        errors.append((key, f"{what} phải từ {lo:g} đến {hi:g}."))
        return None
    return value


def validate_unit(form, neighbourhood_ids: set[int]) -> tuple[dict, list]:
    errors: list = []
    name = _text(form, "name", "tên đơn vị", errors, required=True)
    kind = form.get("kind")
    if kind not in UNIT_KINDS:
        errors.append(("kind", "Chọn loại đơn vị."))
    kp = form_id(form.get("neighbourhood_id"))
    if kind == "neighbourhood" and kp not in neighbourhood_ids:
        errors.append(("neighbourhood_id", "Đơn vị khu phố phải gắn với một khu phố của phường."))
    aliases = names(_text(form, "aliases", "tên gọi khác", errors, limit=500) or "")
    return {"name": name, "kind": kind, "aliases": aliases,
            "neighbourhood_id": kp if kind == "neighbourhood" else None}, errors


def validate_position(value) -> tuple[str | None, list]:
    """A member's position in their unit (optional)."""
    errors: list = []
    return _text({"position": value}, "position", "chức vụ", errors), errors


def validate_task(form, unit_ids: set[int], links: dict[str, set]) -> tuple[dict, list]:
    """A task's six "rõ" from the form. ``links``: the ids (or codes) a task may link to —
    ``target_code``, ``model_street_id``, ``campaign_id``, ``neighbourhood_id``."""
    errors: list = []
    clean = {
        "code": _text(form, "code", "số thứ tự (STT)", errors, required=True, limit=32),
        "title": _text(form, "title", "nội dung nhiệm vụ", errors, required=True,
                       limit=MAX_TEXT, multiline=True),
        "product": _text(form, "product", "sản phẩm", errors, required=True, limit=MAX_TEXT,
                         multiline=True),
        "measure_unit": _text(form, "measure_unit", "đơn vị tính", errors, limit=64),
        "responsible_name": _text(form, "responsible_name", "người phụ trách", errors),
        "approver_name": _text(form, "approver_name", "người phê duyệt", errors),
        "phase": _text(form, "phase", "giai đoạn", errors),
        "ward_quantity": _number(form, "ward_quantity", "Chỉ tiêu phường giao", errors),
        "target_quantity": _number(form, "target_quantity", "Chỉ tiêu đơn vị đăng ký", errors),
    }
    problem = quantity_problem(clean["ward_quantity"], clean["target_quantity"])
    if problem:
        errors.append(("target_quantity", problem))
    if clean["target_quantity"] is None:
        clean["target_quantity"] = clean["ward_quantity"]
    lead = form_id(form.get("lead_unit_id"))
    if lead not in unit_ids:
        errors.append(("lead_unit_id", "Chọn đơn vị chủ trì."))
    clean["lead_unit_id"] = lead
    co = [i for i in form_ids(form.getlist("co_unit_ids") if hasattr(form, "getlist")
                              else form.get("co_unit_ids") or []) if i in unit_ids and i != lead]
    clean["co_unit_ids"] = sorted(set(co))
    approver = form_id(form.get("approver_unit_id"))
    clean["approver_unit_id"] = approver if approver in unit_ids else None
    deadline = parse_day(form.get("deadline"))
    if deadline is None:
        errors.append(("deadline", "Chưa nhập thời hạn hoàn thành (dd/mm/yyyy)."))
    clean["deadline"] = deadline
    clean["milestones"] = _milestones(form.get("milestones") or "", errors)
    for key in ("model_street_id", "campaign_id", "neighbourhood_id"):
        value = form_id(form.get(key))
        clean[key] = value if value in links.get(key, ()) else None
    code = str(form.get("target_code") or "")
    clean["target_code"] = code if code in links.get("target_code", ()) else None
    return clean, errors


def _milestones(text: str, errors: list) -> list[dict]:
    """One milestone a line: "dd/mm/yyyy: what is due"."""
    out = []
    for line in str(text).splitlines():
        line = line.strip()
        if not line:
            continue
        when_text, _, what = line.partition(":")
        when = parse_day(when_text)
        if when is None or not what.strip():
            errors.append(("milestones", f"Mốc “{line[:60]}” phải có dạng “dd/mm/yyyy: nội "
                                         "dung”."))
            continue
        out.append({"on": when.isoformat(), "text": what.strip()[:500]})
    return sorted(out, key=lambda m: m["on"])[:50]


def validate_progress(form) -> tuple[dict, list]:
    errors: list = []
    value = _number(form, "value", "Giá trị đạt được", errors)
    percent = _number(form, "percent", "Tỷ lệ hoàn thành", errors, 0.0, 100.0)
    if percent is None and not any(e[0] == "percent" for e in errors):
        errors.append(("percent", "Chưa nhập tỷ lệ hoàn thành (%)."))
    note = _text(form, "note", "ghi chú", errors, limit=MAX_TEXT, multiline=True)
    return {"value": value, "percent": percent, "note": note}, errors


def done_on(percent: float, today: date, before: date | None) -> date | None:
    """The day a task counts as done: the first update at 100 %; an update below 100 %
    reopens it."""
    if percent >= 100:
        return before or today
    return None
