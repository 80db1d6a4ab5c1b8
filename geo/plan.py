"""A ward's own plan as data: targets, phases, start and base year, route name, report header.

The plan is a YAML document (presets in ``data/plans/``: Tam Phước's "500 ngày đêm" plan, a
neutral starting plan, Bình Phước's criteria); an admin edits it in the app, where every
save is a new version, and can export it for a neighbouring ward to start from. Nothing
ward-specific is written in code: the pages, prints and reports read it from here.

Examples
--------
>>> plan = Plan.preset("tam-phuoc")
>>> plan.baseline_year, plan.report_cycle_start, plan.route_name
(2025, '2026-06', 'Trục điểm kiểu mẫu QL51 (đoạn trung tâm)')
>>> [c["code"] for c in Plan.preset("binh-phuoc").criteria]
['sach', 'xanh', 'sang', 'dep', 'an_toan']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import yaml

from geo import formatting as fmt
from geo.i18n import N_, Message, Msgid, translate
from geo.resources import DATA_DIR
from geo.targets import METRIC_ALIASES, METRICS
from geo.text import tidy
from geo.work import WorkSettings, work_settings

PRESETS_DIR = DATA_DIR / "plans"
CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HEADERS = {"state": N_("Văn bản hành chính (Cộng hòa xã hội chủ nghĩa Việt Nam)"),
           "party": N_("Văn bản của Đảng (Đảng Cộng sản Việt Nam)")}
MANUAL = "manual"
# Whoever opens an exported plan reads its header comment: in Vietnamese, then in English.
YAML_HEADER_LANGUAGES = ("vi", "en")
MAX_TEXT = 500


class PlanError(ValueError):
    """The plan cannot be used; ``problems`` are sentences for the admin (each a
    ``geo.i18n.Message``; ``str()`` joins their Vietnamese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Plan:
    version: str
    name: str
    plan_start: date
    baseline_year: int
    report_cycle_start: str  # "yyyy-mm": the first month whose report is due
    report_due_day: int
    route_name: str  # the ward demonstration route, as map, legend and print name it
    criteria: tuple[dict, ...]  # model-street criteria: {code, label}
    phases: tuple[dict, ...]  # {code, label, start, end}
    targets: tuple[dict, ...]  # {code, label, lead, metric, target, deadline, unit}
    report: dict = field(default_factory=dict)
    # The ward's public page (no sign-in): published rankings and the model streets' map.
    public_page: bool = False
    work: WorkSettings = field(default_factory=WorkSettings)  # early warning, unit reports

    # --- building ---------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: dict, metrics: set[str] | None = None) -> Plan:
        """Check and build a plan; raises ``PlanError`` listing every problem found.

        ``metrics``: the computed metric codes a target may use (``geo.targets.METRICS``).
        """
        metrics = set(METRICS) if metrics is None else metrics
        problems: list[str] = []
        if not isinstance(data, dict):
            raise PlanError([Message(N_("Kế hoạch phải là một tài liệu YAML dạng bảng (khóa: giá "
                                        "trị)."))])
        version = _text(data.get("version"), N_("Phiên bản"), problems, required=True, limit=64)
        name = _text(data.get("name"), N_("Tên kế hoạch"), problems, required=True)
        start = _day(data.get("plan_start"), N_("Ngày bắt đầu kế hoạch"), problems)
        base = data.get("baseline_year")
        if not isinstance(base, int) or isinstance(base, bool) or not 1990 <= base <= 2100:
            problems.append(Message(N_("Năm gốc so sánh phải là một năm (ví dụ 2025).")))
            base = 0
        cycle = str(data.get("report_cycle_start") or "")
        if not MONTH.match(cycle):
            problems.append(Message(N_("Tháng bắt đầu báo cáo phải có dạng yyyy-mm (ví dụ "
                                       "2026-06).")))
        due = data.get("report_due_day", 25)
        if not isinstance(due, int) or isinstance(due, bool) or not 1 <= due <= 28:
            problems.append(Message(N_("Hạn báo cáo hằng tháng phải là một ngày từ 1 đến 28.")))
            due = 25
        route = _text(data.get("route_name"), N_("Tên trục điểm kiểu mẫu"), problems,
                      required=True, limit=200)
        criteria = _criteria(data.get("model_street_criteria"), problems)
        phases = _phases(data.get("phases"), problems)
        targets = _targets(data.get("targets"), metrics, problems)
        report = _report(data.get("report") or {}, problems)
        work = work_settings(data.get("work"), problems, due)
        public = data.get("public_page", False)
        if not isinstance(public, bool):
            problems.append(Message(N_("“Trang công khai” phải là có (true) hoặc không (false).")))
        if problems:
            raise PlanError(problems)
        return cls(version, name, start, base, cycle, due, route, criteria, phases, targets,
                   report, public, work)

    @classmethod
    def from_yaml(cls, text: str) -> Plan:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise PlanError([Message(N_("Tệp YAML không đọc được: %(error)s"), error=exc)]) from exc
        return cls.from_mapping(data)

    @classmethod
    def preset(cls, code: str) -> Plan:
        path = PRESETS_DIR / f"{code}.yaml"
        if not CODE.match(code) or not path.exists():
            raise PlanError([Message(N_("Không có kế hoạch mẫu “%(code)s”. Có: %(presets)s."),
                                     code=code, presets=", ".join(presets()))])
        return cls.from_yaml(path.read_text(encoding="utf-8"))

    # --- reading ----------------------------------------------------------------------

    def as_mapping(self) -> dict:
        """JSON/YAML-ready body (dates as ISO text), the inverse of ``from_mapping``."""
        return {
            "version": self.version, "name": self.name,
            "plan_start": self.plan_start.isoformat(), "baseline_year": self.baseline_year,
            "report_cycle_start": self.report_cycle_start,
            "report_due_day": self.report_due_day, "route_name": self.route_name,
            "model_street_criteria": [dict(c) for c in self.criteria],
            "phases": [{**p, "start": p["start"].isoformat(), "end": p["end"].isoformat()}
                       for p in self.phases],
            "targets": [{**t, "deadline": _iso(t["deadline"])} for t in self.targets],
            "report": dict(self.report),
            "public_page": self.public_page, "work": self.work.as_mapping(),
        }

    def to_yaml(self) -> str:
        header = "".join(
            f"# {translate(line, locale, version=self.version)}\n"
            for line in (N_("Kế hoạch của phường — urbanorder (phiên bản %(version)s)."),
                         N_("Nhập vào phường khác: Quản trị → Kế hoạch → Nhập tệp YAML."))
            for locale in YAML_HEADER_LANGUAGES)
        return header + yaml.safe_dump(self.as_mapping(), allow_unicode=True, sort_keys=False,
                                       width=100)

    def criteria_labels(self) -> dict[str, str]:
        return {c["code"]: c["label"] for c in self.criteria}

    def target(self, code: str) -> dict | None:
        return next((t for t in self.targets if t["code"] == code), None)

    def manual_targets(self) -> list[dict]:
        return [t for t in self.targets if t["metric"] == MANUAL]

    def phase_of(self, day: date) -> dict | None:
        return next((p for p in self.phases if p["start"] <= day <= p["end"]), None)


def presets() -> dict[str, str]:
    """``{code: plan name}`` of the plans shipped in ``data/plans/``."""
    found = {}
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found[path.stem] = str(data.get("name", path.stem))
    return found


def starting_plan(preset: str, ward_name: str, today: date) -> Plan:
    """A preset adopted by a ward: its own version name, and the letterhead made the
    ward's when the preset was another ward's (issuer, place; the upper body unknown).

    The neutral preset (``mac-dinh``) starts today with last year as the base year.

    >>> starting_plan("binh-phuoc", "Phường Hồ Nai", date(2026, 12, 1)).report["issuer"]
    'ỦY BAN NHÂN DÂN PHƯỜNG HỒ NAI'
    >>> starting_plan("tam-phuoc", "Phường Tam Phước (dữ liệu mô phỏng)",
    ...               date(2026, 12, 1)).report["issuer"]
    'ĐẢNG ỦY PHƯỜNG TAM PHƯỚC'
    """
    body = Plan.preset(preset).as_mapping()
    name = re.sub(r"\s*\(.*?\)\s*", " ", ward_name).strip()  # "(dữ liệu mô phỏng)" off
    place = re.sub(r"^(phường|xã|thị trấn)\s+", "", name, flags=re.I)
    body["version"] = f"{preset}-{today:%Y%m%d}"
    if preset == "mac-dinh":
        body["plan_start"] = today.isoformat()
        body["baseline_year"] = today.year - 1
        body["report_cycle_start"] = fmt.month_key(today)
    report = body.setdefault("report", {})
    if report.get("place") != place:
        body_name = "ĐẢNG ỦY" if report.get("header") == "party" else "ỦY BAN NHÂN DÂN"
        report.update(place=place, issuer=f"{body_name} PHƯỜNG {place.upper()}", parent="")
    return Plan.from_mapping(body)


# --- checks ---------------------------------------------------------------------------------

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
