"""The rows of the monthly progress report (Bảng 3), and the report they make up.

Pure: the rows are built from the targets (``geo.targets.evaluate``), the month's counts and
what staff wrote. The plan's note: reports reach the ward before the due day of each month,
with figures; never "đang thực hiện" without the product and the percentage — so every
row's result starts with the figures the data knows (``geo.report.figures``), and staff add
what it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from geo import formatting as fmt
from geo.i18n import N_, translate, translate_known
from geo.report.figures import MonthCounts, figures_text, product_text

# The plan's columns (msgids: ``translate`` them, or ``_()`` in a template, where shown).
COLUMNS = (N_("STT"), N_("Nhiệm vụ đã đăng ký"), N_("Đầu mối chủ trì"),
           N_("Sản phẩm/chỉ tiêu cam kết"), N_("Kết quả thực hiện trong tháng"),
           N_("Tỷ lệ hoàn thành"), N_("Khó khăn, vướng mắc"), N_("Kiến nghị/đề xuất"),
           N_("Thời hạn xử lý tiếp theo"))
NOTE = N_("Ghi chú: Các cơ quan, đơn vị gửi báo cáo trước ngày %(due_day)s hằng tháng. Báo cáo "
          "phải kèm số liệu, hình ảnh, biên bản, quyết định, danh sách hoặc tài liệu kiểm chứng; "
          "không báo cáo chung chung, không ghi “đang thực hiện” nếu không nêu rõ sản phẩm và tỷ "
          "lệ hoàn thành.")
# A plan that sets no title or signatures gets ours, said in the reader's language; a
# ward's own title prints as the ward wrote it, and so do its signature blocks, except the
# words that are ours (``translate_known``: the defaults' and the titles below, which the
# preset plans use) — an English report of a preset plan is English throughout.
DEFAULT_TITLE = N_("BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH LẬP LẠI TRẬT TỰ ĐÔ THỊ")
DEFAULT_SIGNATURES = (
    {"title": N_("NGƯỜI LẬP BÁO CÁO"), "hint": N_("(Ký, ghi rõ họ tên)"), "name": ""},
    {"title": N_("THỦ TRƯỞNG ĐƠN VỊ"), "hint": N_("(Ký tên, đóng dấu)"), "name": ""})
SIGNATURE_TITLES = (N_("TM. ỦY BAN NHÂN DÂN"), N_("T/M BAN THƯỜNG VỤ"),
                    N_("TM. ĐẢNG ỦY"), N_("CHỦ TỊCH"), N_("BÍ THƯ"))
NATIONAL_LINES = {"party": (N_("ĐẢNG CỘNG SẢN VIỆT NAM"),),
                  "state": (N_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                            N_("Độc lập - Tự do - Hạnh phúc"))}


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
    locale: str = "vi"  # the language of the texts made from the data (figures, product)

    @property
    def percent_text(self) -> str:
        return self.percent_in(self.locale)

    def percent_in(self, locale: str) -> str:
        return fmt.percent(self.percent, 1, trim=True, locale=locale,
                           missing=translate("chưa có số liệu", locale))


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
        """The national line's msgids (``Report.national_lines`` says them)."""
        return NATIONAL_LINES["party" if self.header == "party" else "state"]


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
    locale: str = "vi"  # the reader's language: the frame's words, numbers and dates
    # A sentence about the report itself, printed above the table: e.g. which units have
    # not submitted theirs to a consolidated report (``geo.workreport.consolidate``).
    notice: str = ""

    def say(self, msgid: str, **values) -> str:
        """``msgid`` in the report's language."""
        return translate(msgid, self.locale, **values)

    @property
    def month_label(self) -> str:
        return fmt.month(self.month, locale=self.locale)

    @property
    def title(self) -> str:
        title = self.letterhead.title
        return self.say(title) if title == DEFAULT_TITLE else title

    @property
    def heading(self) -> str:
        return translate("%(title)s THÁNG %(month)s", self.locale, title=self.title,
                         month=self.month_label.upper())

    @property
    def national_lines(self) -> tuple[str, ...]:
        return tuple(self.say(line) for line in self.letterhead.national_lines)

    @property
    def signatures(self) -> tuple[dict, ...]:
        """The signature blocks, our words in them in the report's language."""
        return tuple({**block, "title": translate_known(block.get("title") or "", self.locale),
                      "hint": translate_known(block.get("hint") or "", self.locale)}
                     for block in self.letterhead.signatures)

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
        return f"{self.place}, {fmt.long_date(self.made_on, locale=self.locale)}"

    @property
    def note(self) -> str:
        return self.say(NOTE, due_day=self.due_day)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.say(title) for title in COLUMNS)


# --- rows ---------------------------------------------------------------------------------

def completion(value: float | None, target: float) -> float | None:
    """value / target, within 0–100 %."""
    if value is None or not target:
        return None
    return max(0.0, min(1.0, float(value) / float(target)))


def build_rows(targets: list[dict], counts: MonthCounts, entries: dict[str, Entry],
               month: str, due_day: int = 25, locale: str = "vi") -> list[ReportRow]:
    """One report row per target (in the plan's order), the data's figures first.

    ``targets``: rows of ``geo.targets.evaluate``; ``entries``: by target code. A staff
    percentage replaces the computed one; staff text follows the figures. The sentences
    made from the data are in ``locale``; the plan's and staff's texts as they wrote them.
    """
    rows = []
    for stt, target in enumerate(targets, start=1):
        entry = entries.get(target["code"]) or Entry()
        figures = figures_text(target, counts, month, due_day, locale)
        note = (entry.result_text or "").strip()
        percent = completion(target["value"], float(target["target"]))
        source = "none" if percent is None else "data"
        if entry.percent_override is not None:
            percent = max(0.0, min(1.0, entry.percent_override / 100))
            source = "override"
        rows.append(ReportRow(
            stt=stt, code=target["code"], task=target["label"], lead=target.get("lead") or "",
            product=product_text(target, counts.base_year, locale), figures=figures,
            result=f"{figures}\n{note}" if note else figures, percent=percent,
            percent_from=source, difficulties=(entry.difficulties or "").strip(),
            proposals=(entry.proposals or "").strip(), next_deadline=entry.next_deadline,
            entry=entry, locale=locale))
    return rows


def cells(row: ReportRow, locale: str | None = None) -> list[str]:
    """A row as the text of the plan's columns (in ``locale``, else the row's language)."""
    locale = locale or row.locale
    percent = row.percent_in(locale)
    if row.percent_from == "override":
        percent += "\n" + translate("(cán bộ nhập)", locale)
    return [str(row.stt), row.task, row.lead, row.product, row.result, percent,
            row.difficulties, row.proposals, fmt.day(row.next_deadline, locale=locale)]


def due_date(month: str, due_day: int = 25) -> date:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, due_day)
