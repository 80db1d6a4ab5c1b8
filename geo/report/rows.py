"""The rows of the monthly progress report (Bảng 3), and the report they make up.

Pure: the rows are built from the targets (``geo.targets.evaluate``), the month's counts and
what staff wrote. The plan's note: reports reach the ward before the due day of each month,
with figures; never "đang thực hiện" without the product and the percentage — so every
row's result starts with the figures the data knows, and staff add what it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from geo import formatting as fmt

COLUMNS = ("STT", "Nhiệm vụ đã đăng ký", "Đầu mối chủ trì", "Sản phẩm/chỉ tiêu cam kết",
           "Kết quả thực hiện trong tháng", "Tỷ lệ hoàn thành", "Khó khăn, vướng mắc",
           "Kiến nghị/đề xuất", "Thời hạn xử lý tiếp theo")
NOTE = ("Ghi chú: Các cơ quan, đơn vị gửi báo cáo trước ngày {due_day} hằng tháng. Báo cáo phải "
        "kèm số liệu, hình ảnh, biên bản, quyết định, danh sách hoặc tài liệu kiểm chứng; không "
        "báo cáo chung chung, không ghi “đang thực hiện” nếu không nêu rõ sản phẩm và tỷ lệ hoàn "
        "thành.")
DEFAULT_TITLE = "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH LẬP LẠI TRẬT TỰ ĐÔ THỊ"
DEFAULT_SIGNATURES = ({"title": "NGƯỜI LẬP BÁO CÁO", "hint": "(Ký, ghi rõ họ tên)", "name": ""},
                      {"title": "THỦ TRƯỞNG ĐƠN VỊ", "hint": "(Ký tên, đóng dấu)", "name": ""})


@dataclass
class MonthCounts:
    """What happened in the month (from the records), for the "trong tháng" sentences."""

    incidents_recorded: int = 0
    incidents_resolved: int = 0
    inspections: int = 0
    houses_inspected: int = 0
    inspections_passed: int = 0
    antt_signed: int = 0
    model_houses_recognised: int = 0
    model_streets_achieved: int = 0
    campaigns: int = 0
    # (name, incidents recorded in its area and period, resolved) of the month's campaigns
    campaign_results: list[tuple[str, int, int]] = field(default_factory=list)
    ads_recorded: int = 0  # illegal advertising on model streets
    ads_resolved: int = 0
    public_order: int = 0  # residence, drugs, fire safety
    public_order_base: int | None = None  # the same month of the plan's base year
    base_year: int | None = None
    ranking_published_on: date | None = None


@dataclass
class Entry:
    """What staff wrote for one target and month (``percent_override`` in 0–100)."""

    result_text: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    next_deadline: date | None = None
    percent_override: float | None = None


@dataclass
class ReportRow:
    stt: int
    code: str
    task: str
    lead: str
    product: str
    figures: str  # the sentence made from the data
    result: str  # figures + what staff added
    percent: float | None  # 0–1
    percent_from: str  # "data" | "override" | "none"
    difficulties: str = ""
    proposals: str = ""
    next_deadline: date | None = None
    entry: Entry = field(default_factory=Entry)

    @property
    def percent_text(self) -> str:
        return fmt.percent(self.percent, 1, trim=True, missing="chưa có số liệu")


@dataclass
class Letterhead:
    """The report's header and signature block, as the ward's plan sets them.

    ``header``: ``state`` (Cộng hòa xã hội chủ nghĩa Việt Nam) or ``party`` (Đảng Cộng sản
    Việt Nam); ``parent`` and ``issuer`` are the issuing body's lines at the top left;
    ``number`` the "Số: …" line; ``recipient`` the "Kính gửi: …" line.
    """

    header: str = "state"
    parent: str = ""
    issuer: str = ""
    number: str = ""
    recipient: str = ""
    place: str = ""
    title: str = DEFAULT_TITLE
    signatures: tuple[dict, ...] = DEFAULT_SIGNATURES

    @classmethod
    def from_plan(cls, report: dict) -> Letterhead:
        """From a plan's ``report`` part (``geo.plan.Plan.report``); blanks keep defaults."""
        values = {k: report.get(k) for k in ("header", "parent", "issuer", "number",
                                             "recipient", "place", "title") if report.get(k)}
        signatures = tuple(report.get("signatures") or ()) or DEFAULT_SIGNATURES
        return cls(**values, signatures=signatures)

    @property
    def national_lines(self) -> tuple[str, ...]:
        if self.header == "party":
            return ("ĐẢNG CỘNG SẢN VIỆT NAM",)
        return ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Report:
    ward_name: str
    month: str  # "yyyy-mm"
    rows: list[ReportRow]
    as_of: date  # figures computed up to this day
    made_on: date
    letterhead: Letterhead = field(default_factory=Letterhead)
    due_day: int = 25
    synthetic: bool = False
    # A sentence about the report itself, printed above the table: e.g. which units have
    # not submitted theirs to a consolidated report (``geo.workreport.consolidate``).
    notice: str = ""

    @property
    def month_label(self) -> str:
        return fmt.month(self.month)

    @property
    def title(self) -> str:
        return self.letterhead.title

    @property
    def heading(self) -> str:
        return f"{self.title} THÁNG {self.month_label}"

    @property
    def issuer_lines(self) -> tuple[str, ...]:
        """The issuing body at the top left: the plan's lines, else the ward's name."""
        lines = [self.letterhead.parent, self.letterhead.issuer or
                 re.sub(r"\s*\(.*?\)\s*", " ", self.ward_name).strip().upper()]
        return tuple(line for line in lines if line)

    @property
    def place(self) -> str:
        """The date line's place: the plan's, else "Tam Phước" from "Phường Tam Phước"."""
        if self.letterhead.place:
            return self.letterhead.place
        name = re.sub(r"\s*\(.*?\)\s*", " ", self.ward_name).strip()
        return re.sub(r"^(phường|xã|thị trấn)\s+", "", name, flags=re.I) or name

    @property
    def date_line(self) -> str:
        d = self.made_on
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"

    @property
    def note(self) -> str:
        return NOTE.format(due_day=self.due_day)


def _dotted(detail: str) -> str:
    """Thousands separators in "a/b" figures: "2349/3000" → "2.349/3.000"."""
    return re.sub(r"(\d+)/(\d+)", lambda m: f"{fmt.integer(int(m.group(1)))}/"
                  f"{fmt.integer(int(m.group(2)))}", detail or "")


# --- rows ---------------------------------------------------------------------------------

def _kind(row: dict) -> str:
    kind = row.get("kind") or ""
    if kind == "done":
        return "binary"
    if kind == "reduction":
        return "reduction"
    return "share" if row.get("is_share") else "count"


def _target_text(row: dict, base_year: int | None) -> str:
    goal, kind = float(row["target"]), _kind(row)
    unit = f" {row['unit']}" if row.get("unit") else ""
    if kind == "binary":
        return "hoàn thành"
    if kind == "reduction":
        return f"giảm ít nhất {fmt.percent(goal)} so với năm {base_year}" if base_year \
            else f"giảm ít nhất {fmt.percent(goal)}"
    if kind == "share":
        return fmt.percent(goal)
    shown = f"ít nhất {int(goal):02d}" if goal.is_integer() else fmt.number(goal, 1, trim=True)
    return shown + unit


def product_text(row: dict, base_year: int | None = None) -> str:
    text = f"Chỉ tiêu: {_target_text(row, base_year)}; thời hạn: {fmt.day(row['deadline'])}"
    return f"{text} ({row['phase']})" if row.get("phase") else text


def completion(value: float | None, target: float) -> float | None:
    """value / target, within 0–100 %."""
    if value is None or not target:
        return None
    return max(0.0, min(1.0, float(value) / float(target)))


def _state(row: dict, due_day: int) -> str:
    """The target's current figures as a sentence."""
    metric, value = row.get("metric") or "", row["value"]
    detail = _dotted(row.get("detail") or "")
    if value is None:
        return f"Chưa có số liệu ({detail})" if detail else "Chưa có số liệu"
    pct = fmt.percent(value, 1, trim=True)
    sentences = {
        "houses_reviewed_share": f"Rà soát, phân loại {detail} cơ sở ({pct})",
        "antt_commitment_share": f"{detail} chủ cơ sở đã ký cam kết ANTT ({pct})",
        "fire_equipment_share": f"{detail} cơ sở có thiết bị PCCC tối thiểu ({pct})",
        "kp_with_model_house_share": f"{detail} khu phố có mô hình nhà trọ an toàn, văn minh, "
                                     f"tự quản ({pct})",
        "demonstration_route_done": f"{row.get('route_name') or 'Trục điểm kiểu mẫu cấp phường'}: "
                                    + ("đã hoàn thành" if value >= 1 else
                                       f"chưa hoàn thành, trạng thái hồ sơ: {detail.lower()}"),
        "kp_with_model_street_done_share": f"{detail} khu phố có tuyến/cụm kiểu mẫu hoàn thành "
                                           f"({pct})",
        "campaigns_this_year": f"Đã tổ chức {int(value):02d}/{int(row['target']):02d} đợt ra "
                               "quân cao điểm trong năm",
        "ads_on_model_streets_handled_share": f"Đã xử lý {detail} vụ quảng cáo, rao vặt trái "
                                              f"phép trên tuyến kiểu mẫu ({pct})",
        "frontage_commitment_share": f"{detail} mặt tiền tuyến kiểu mẫu đã ký cam kết ({pct})",
        "public_order_reduction_vs_base": f"Từ đầu năm: {detail}, "
                                          + (f"giảm {pct}" if value >= 0
                                             else f"tăng {fmt.percent(-value, 1, trim=True)}"),
        "rankings_published_before_due_share": f"Công bố xếp hạng khu phố trước ngày "
                                               f"{due_day}: {detail} ({pct})",
    }
    if metric in sentences:
        return sentences[metric]
    if row.get("kind") in ("count", "manual"):  # a number of things, not a share
        return _first_upper(detail) if detail else fmt.number(value, 1, trim=True)
    return f"{_first_upper(detail)} ({pct})" if detail else pct


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _this_month(metric: str, c: MonthCounts, month: str) -> str:
    if metric == "rankings_published_before_due_share":
        return (f"xếp hạng tháng {fmt.month(month)} đã công bố ngày "
                f"{fmt.day(c.ranking_published_on)}" if c.ranking_published_on
                else f"xếp hạng tháng {fmt.month(month)} chưa công bố")
    base = "" if c.public_order_base is None else \
        f" (cùng tháng {c.base_year}: {c.public_order_base} vụ)"
    sentences = {
        "houses_reviewed_share": f"{c.inspections} lượt kiểm tra tại {c.houses_inspected} cơ sở",
        "antt_commitment_share": f"{c.antt_signed} cam kết ANTT mới",
        "fire_equipment_share": f"{c.inspections_passed}/{c.inspections} lượt kiểm tra đạt PCCC",
        "kp_with_model_house_share": f"{c.model_houses_recognised} mô hình được công nhận mới",
        "kp_with_model_street_done_share": f"{c.model_streets_achieved} tuyến/cụm hoàn thành",
        "campaigns_this_year": f"{c.campaigns} đợt ra quân" + (
            " (" + "; ".join(f"{name}: ghi nhận {n} vụ, xử lý xong {done} vụ"
                             for name, n, done in c.campaign_results) + ")"
            if c.campaign_results else ""),
        "ads_on_model_streets_handled_share": f"ghi nhận {c.ads_recorded} vụ, xử lý xong "
                                              f"{c.ads_resolved} vụ",
        "public_order_reduction_vs_base": f"{c.public_order} vụ cư trú, ma túy, PCCC{base}; toàn "
                                          f"phường ghi nhận {c.incidents_recorded} vụ vi phạm, "
                                          f"xử lý xong {c.incidents_resolved} vụ",
    }
    return sentences.get(metric, "")


def figures_text(row: dict, counts: MonthCounts, month: str, due_day: int = 25) -> str:
    state = _state(row, due_day)
    extra = _this_month(row.get("metric") or "", counts, month)
    return f"{state}; trong tháng {fmt.month(month)}: {extra}." if extra else f"{state}."


def build_rows(targets: list[dict], counts: MonthCounts, entries: dict[str, Entry],
               month: str, due_day: int = 25) -> list[ReportRow]:
    """One report row per target (in the plan's order), the data's figures first.

    ``targets``: rows of ``geo.targets.evaluate``; ``entries``: by target code. A staff
    percentage replaces the computed one; staff text follows the figures.
    """
    rows = []
    for stt, target in enumerate(targets, start=1):
        entry = entries.get(target["code"]) or Entry()
        figures = figures_text(target, counts, month, due_day)
        note = (entry.result_text or "").strip()
        percent = completion(target["value"], float(target["target"]))
        source = "none" if percent is None else "data"
        if entry.percent_override is not None:
            percent = max(0.0, min(1.0, entry.percent_override / 100))
            source = "override"
        rows.append(ReportRow(
            stt=stt, code=target["code"], task=target["label"], lead=target.get("lead") or "",
            product=product_text(target, counts.base_year), figures=figures,
            result=f"{figures}\n{note}" if note else figures, percent=percent,
            percent_from=source, difficulties=(entry.difficulties or "").strip(),
            proposals=(entry.proposals or "").strip(), next_deadline=entry.next_deadline,
            entry=entry))
    return rows


def cells(row: ReportRow) -> list[str]:
    """A row as the text of the plan's columns."""
    percent = row.percent_text + ("\n(cán bộ nhập)" if row.percent_from == "override" else "")
    return [str(row.stt), row.task, row.lead, row.product, row.result, percent,
            row.difficulties, row.proposals, fmt.day(row.next_deadline)]


def due_date(month: str, due_day: int = 25) -> date:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, due_day)


