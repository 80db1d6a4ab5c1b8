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
from dataclasses import dataclass, field
from datetime import date

import yaml

from geo import formatting as fmt
from geo.i18n import N_, Message, translate
from geo.plan_checks import (
    CODE,
    MANUAL,
    _criteria,
    _day,
    _iso,
    _phases,
    _report,
    _targets,
    _text,
)
from geo.resources import DATA_DIR
from geo.targets import METRICS
from geo.work import WorkSettings, work_settings

PRESETS_DIR = DATA_DIR / "plans"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Whoever opens an exported plan reads its header comment: in Vietnamese, then in English.
YAML_HEADER_LANGUAGES = ("vi", "en")


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
