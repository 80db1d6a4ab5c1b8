"""The checks of a plan document's parts (``geo.plan.Plan.from_mapping``): each reads a
part, appends one problem per bad value to ``problems`` and returns the clean value."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from geo.i18n import N_, Message, Msgid
from geo.targets import METRIC_ALIASES
from geo.text import tidy

CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
HEADERS = {"state": N_("Văn bản hành chính (Cộng hòa xã hội chủ nghĩa Việt Nam)"),
           "party": N_("Văn bản của Đảng (Đảng Cộng sản Việt Nam)")}
MANUAL = "manual"  # a target's metric: entered by staff, not measured
MAX_TEXT = 500

def _said(what: str) -> str:
    """What a problem is about, as a placeholder's value: a msgid (``N_``), or a ``Message``
    naming an item by its number ("Giai đoạn 2: ngày kết thúc")."""
    return what if isinstance(what, Message) else Msgid(what)


def _text(value, what: str, problems: list[str], required: bool = False,
          limit: int = MAX_TEXT) -> str:
    text = tidy(value)
    if required and not text:
        problems.append(Message(N_("%(what)s: chưa nhập."), what=_said(what)))
    if len(text) > limit:
        problems.append(Message(N_("%(what)s: dài quá %(limit)s ký tự."), what=_said(what),
                                limit=limit))
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        problems.append(Message(N_("%(what)s: có ký tự điều khiển không hợp lệ."),
                                what=_said(what)))
    return text[:limit]


def _day(value, what: str, problems: list[str]) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        problems.append(Message(N_("%(what)s: cần một ngày dạng yyyy-mm-dd (ví dụ 2026-05-25)."),
                                what=_said(what)))
        return date(1970, 1, 1)


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _code(value, what: str, problems: list[str], seen: set[str]) -> str:
    code = str(value or "").strip()
    if not CODE.match(code):
        problems.append(Message(N_("%(what)s: mã “%(code)s” chỉ gồm chữ thường không dấu, số, _ "
                                   "hoặc -."), what=_said(what), code=code))
    elif code in seen:
        problems.append(Message(N_("%(what)s: mã “%(code)s” bị trùng."), what=_said(what),
                                code=code))
    seen.add(code)
    return code


def _items(value, what: str, problems: list[str]) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Message(N_("%(what)s: phải là một danh sách các mục."), what=_said(what)))
        return []
    return value


def _criteria(value, problems: list[str]) -> tuple[dict, ...]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(_items(value, N_("Tiêu chí tuyến kiểu mẫu"), problems), start=1):
        code = _code(item.get("code"), Message(N_("Tiêu chí tuyến kiểu mẫu %(i)s"), i=i),
                     problems, seen)
        label = _text(item.get("label"), Message(N_("Tên tiêu chí %(i)s"), i=i), problems,
                      required=True, limit=200)
        out.append({"code": code, "label": label})
    if not out:
        problems.append(Message(N_("Cần ít nhất một tiêu chí tuyến/cụm kiểu mẫu.")))
    return tuple(out)


def _phases(value, problems: list[str]) -> tuple[dict, ...]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(_items(value, N_("Giai đoạn"), problems), start=1):
        code = _code(str(item.get("code", "")), Message(N_("Giai đoạn %(i)s"), i=i), problems,
                     seen)
        label = _text(item.get("label"), Message(N_("Tên giai đoạn %(i)s"), i=i), problems,
                      required=True)
        start = _day(item.get("start"), Message(N_("Giai đoạn %(i)s: ngày bắt đầu"), i=i),
                     problems)
        end = _day(item.get("end"), Message(N_("Giai đoạn %(i)s: ngày kết thúc"), i=i), problems)
        if end < start:
            problems.append(Message(N_("Giai đoạn %(i)s: ngày kết thúc trước ngày bắt đầu."),
                                    i=i))
        out.append({"code": code, "label": label, "start": start, "end": end})
    return tuple(sorted(out, key=lambda p: p["start"]))


def _targets(value, metrics: set[str], problems: list[str]) -> tuple[dict, ...]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(_items(value, N_("Chỉ tiêu"), problems), start=1):
        where = Message(N_("Chỉ tiêu %(i)s"), i=i)
        code = _code(item.get("code"), where, problems, seen)
        metric = METRIC_ALIASES.get(str(item.get("metric") or ""), str(item.get("metric") or ""))
        if metric != MANUAL and metric not in metrics:
            problems.append(Message(N_("%(where)s: cách tính “%(metric)s” không có; chọn một chỉ "
                                       "số tính từ dữ liệu hoặc “%(manual)s” (cán bộ nhập số "
                                       "liệu hằng tháng)."),
                                    where=where, metric=metric, manual=MANUAL))
        goal = item.get("target")
        if not isinstance(goal, int | float) or isinstance(goal, bool) or goal != goal \
                or goal in (float("inf"), float("-inf")) or goal < 0:
            problems.append(Message(N_("%(where)s: mục tiêu phải là một số ≥ 0."), where=where))
            goal = 0
        deadline = item.get("deadline")
        if deadline != "year_end":
            deadline = _day(deadline, Message(N_("%(where)s: thời hạn"), where=where), problems)
        out.append({
            "code": code, "metric": metric, "target": goal, "deadline": deadline,
            "label": _text(item.get("label"), Message(N_("%(where)s: nội dung"), where=where),
                           problems, required=True),
            "lead": _text(item.get("lead"), Message(N_("%(where)s: đơn vị chủ trì"), where=where),
                          problems) or None,
            "unit": _text(item.get("unit"), Message(N_("%(where)s: đơn vị tính"), where=where),
                          problems, limit=40) or None,
        })
    return tuple(out)


def _report(value, problems: list[str]) -> dict:
    if not isinstance(value, dict):
        problems.append(Message(N_("Phần “report” (tiêu đề, chữ ký báo cáo) phải là một bảng.")))
        return {}
    header = value.get("header", "state")
    if header not in HEADERS:
        problems.append(Message(N_("Kiểu văn bản báo cáo phải là state (hành chính) hoặc party "
                                   "(Đảng).")))
    out = {"header": header}
    for key, what in (("parent", N_("Cơ quan cấp trên")), ("issuer", N_("Cơ quan ban hành")),
                      ("number", N_("Dòng số hiệu")), ("recipient", N_("Kính gửi")),
                      ("place", N_("Địa danh")), ("title", N_("Tên báo cáo"))):
        out[key] = _text(value.get(key), Message(N_("Báo cáo — %(what)s"), what=Msgid(what)),
                         problems, limit=300)
    signatures = []
    for i, item in enumerate(_items(value.get("signatures"), N_("Chữ ký"), problems), start=1):
        signatures.append({
            "title": _text(item.get("title"), Message(N_("Chữ ký %(i)s: chức danh"), i=i),
                           problems, required=True, limit=200),
            "hint": _text(item.get("hint"), Message(N_("Chữ ký %(i)s: ghi chú"), i=i), problems,
                          limit=200),
            "name": _text(item.get("name"), Message(N_("Chữ ký %(i)s: họ tên"), i=i), problems,
                          limit=200),
        })
    if len(signatures) > 3:
        problems.append(Message(N_("Báo cáo có tối đa 3 chữ ký.")))
    out["signatures"] = signatures
    return out
