"""The monthly progress report in the plan's template (Bảng 3): rows, XLSX and PDF.

Pure: the rows are built from the targets (``geo.targets.evaluate``), the month's counts and
what staff wrote; the writers take those rows. No Flask, no SQLAlchemy.

The plan's note: reports reach the ward before the 25th of each month, with figures; never
"đang thực hiện" without the product and the percentage — so every row's result starts with
the figures the data knows, and staff add what it does not.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date

COLUMNS = ("STT", "Nhiệm vụ đã đăng ký", "Đầu mối chủ trì", "Sản phẩm/chỉ tiêu cam kết",
           "Kết quả thực hiện trong tháng", "Tỷ lệ hoàn thành", "Khó khăn, vướng mắc",
           "Kiến nghị/đề xuất", "Thời hạn xử lý tiếp theo")
NOTE = ("Ghi chú: Các cơ quan, đơn vị gửi báo cáo về Đảng ủy phường qua Văn phòng Đảng ủy trước "
        "ngày 25 hằng tháng. Báo cáo phải kèm số liệu, hình ảnh, biên bản, quyết định, danh sách "
        "hoặc tài liệu kiểm chứng; không báo cáo chung chung, không ghi “đang thực hiện” nếu "
        "không nêu rõ sản phẩm và tỷ lệ hoàn thành.")
DEFAULT_TITLE = "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH LẬP LẠI TRẬT TỰ ĐÔ THỊ"
DUE_DAY = 25


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
    ads_recorded: int = 0  # illegal advertising on model streets
    ads_resolved: int = 0
    public_order: int = 0  # residence, drugs, fire safety
    public_order_base: int | None = None  # the same month of 2025
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
        return "chưa có số liệu" if self.percent is None else vn_percent(self.percent)


@dataclass
class Report:
    ward_name: str
    month: str  # "yyyy-mm"
    rows: list[ReportRow]
    as_of: date  # figures computed up to this day
    made_on: date
    title: str = DEFAULT_TITLE
    synthetic: bool = False

    @property
    def month_vi(self) -> str:
        return month_vi(self.month)

    @property
    def heading(self) -> str:
        return f"{self.title} THÁNG {self.month_vi}"

    @property
    def place(self) -> str:
        """"Phường Tam Phước (dữ liệu mô phỏng)" → "Tam Phước" (for the date line)."""
        name = re.sub(r"\s*\(.*?\)\s*", " ", self.ward_name).strip()
        return re.sub(r"^(phường|xã|thị trấn)\s+", "", name, flags=re.I) or name

    @property
    def date_line(self) -> str:
        d = self.made_on
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


# --- formatting ---------------------------------------------------------------------------

def vn_number(value: float, digits: int = 1) -> str:
    """``2349`` → ``"2.349"``, ``78.25`` → ``"78,3"`` (Vietnamese separators)."""
    text = f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,d}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    if digits and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def vn_percent(share: float, digits: int = 1) -> str:
    return f"{vn_number(100 * share, digits)}%"


def vn_date(day: date | str | None) -> str:
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return day.strftime("%d/%m/%Y")


def month_vi(month: str) -> str:
    year, _, mon = month.partition("-")
    return f"{mon}/{year}"


def _dotted(detail: str) -> str:
    """Thousands separators in "a/b" figures: "2349/3000" → "2.349/3.000"."""
    return re.sub(r"(\d+)/(\d+)", lambda m: f"{vn_number(int(m.group(1)), 0)}/"
                  f"{vn_number(int(m.group(2)), 0)}", detail or "")


# --- rows ---------------------------------------------------------------------------------

def _kind(row: dict) -> str:
    metric = row.get("metric") or ""
    if metric.endswith("_done"):
        return "binary"
    return "share" if row.get("is_share") else "count"


def _target_text(row: dict) -> str:
    goal, kind = float(row["target"]), _kind(row)
    if kind == "binary":
        return "hoàn thành"
    if kind == "share":
        if (row.get("metric") or "").endswith("vs_2025"):
            return f"giảm ít nhất {vn_percent(goal, 0)} so với năm 2025"
        return vn_percent(goal, 0)
    return f"ít nhất {int(goal):02d}" if goal.is_integer() else vn_number(goal)


def product_text(row: dict) -> str:
    text = f"Chỉ tiêu: {_target_text(row)}; thời hạn: {vn_date(row['deadline'])}"
    return f"{text} ({row['phase']})" if row.get("phase") else text


def completion(value: float | None, target: float) -> float | None:
    """value / target, within 0–100 %."""
    if value is None or not target:
        return None
    return max(0.0, min(1.0, float(value) / float(target)))


def _state(row: dict) -> str:
    """The target's current figures as a sentence."""
    metric, value = row.get("metric") or "", row["value"]
    detail = _dotted(row.get("detail") or "")
    if value is None:
        return f"Chưa có số liệu ({detail})" if detail else "Chưa có số liệu"
    pct = vn_percent(value)
    sentences = {
        "houses_reviewed_share": f"Rà soát, phân loại {detail} cơ sở ({pct})",
        "antt_commitment_share": f"{detail} chủ cơ sở đã ký cam kết ANTT ({pct})",
        "fire_equipment_share": f"{detail} cơ sở có thiết bị PCCC tối thiểu ({pct})",
        "kp_with_model_house_share": f"{detail} khu phố có mô hình nhà trọ an toàn, văn minh, "
                                     f"tự quản ({pct})",
        "demonstration_route_done": "Trục điểm kiểu mẫu cấp phường: "
                                    + ("đã hoàn thành" if value >= 1 else
                                       f"chưa hoàn thành, trạng thái hồ sơ: {detail.lower()}"),
        "kp_with_model_street_done_share": f"{detail} khu phố có tuyến/cụm kiểu mẫu hoàn thành "
                                           f"({pct})",
        "campaigns_this_year": f"Đã tổ chức {int(value):02d}/{int(row['target']):02d} đợt ra "
                               "quân cao điểm trong năm",
        "ads_on_model_streets_handled_share": f"Đã xử lý {detail} vụ quảng cáo, rao vặt trái "
                                              f"phép trên tuyến kiểu mẫu ({pct})",
        "frontage_commitment_share": f"{detail} mặt tiền tuyến kiểu mẫu đã ký cam kết ({pct})",
        "public_order_reduction_vs_2025": f"Từ đầu năm: {detail}, "
                                          + (f"giảm {pct}" if value >= 0
                                             else f"tăng {vn_percent(-value)}"),
        "rankings_published_before_25th_share": f"Công bố xếp hạng khu phố trước ngày 25: "
                                                f"{detail} ({pct})",
    }
    return sentences.get(metric, f"{detail} ({pct})" if detail else pct)


def _this_month(metric: str, c: MonthCounts, month: str) -> str:
    if metric == "rankings_published_before_25th_share":
        return (f"xếp hạng tháng {month_vi(month)} đã công bố ngày "
                f"{vn_date(c.ranking_published_on)}" if c.ranking_published_on
                else f"xếp hạng tháng {month_vi(month)} chưa công bố")
    base = "" if c.public_order_base is None else f" (cùng tháng 2025: {c.public_order_base} vụ)"
    sentences = {
        "houses_reviewed_share": f"{c.inspections} lượt kiểm tra tại {c.houses_inspected} cơ sở",
        "antt_commitment_share": f"{c.antt_signed} cam kết ANTT mới",
        "fire_equipment_share": f"{c.inspections_passed}/{c.inspections} lượt kiểm tra đạt PCCC",
        "kp_with_model_house_share": f"{c.model_houses_recognised} mô hình được công nhận mới",
        "kp_with_model_street_done_share": f"{c.model_streets_achieved} tuyến/cụm hoàn thành",
        "campaigns_this_year": f"{c.campaigns} đợt ra quân",
        "ads_on_model_streets_handled_share": f"ghi nhận {c.ads_recorded} vụ, xử lý xong "
                                              f"{c.ads_resolved} vụ",
        "public_order_reduction_vs_2025": f"{c.public_order} vụ cư trú, ma túy, PCCC{base}; toàn "
                                          f"phường ghi nhận {c.incidents_recorded} vụ vi phạm, "
                                          f"xử lý xong {c.incidents_resolved} vụ",
    }
    return sentences.get(metric, "")


def figures_text(row: dict, counts: MonthCounts, month: str) -> str:
    state = _state(row)
    extra = _this_month(row.get("metric") or "", counts, month)
    return f"{state}; trong tháng {month_vi(month)}: {extra}." if extra else f"{state}."


def build_rows(targets: list[dict], counts: MonthCounts, entries: dict[str, Entry],
               month: str) -> list[ReportRow]:
    """One report row per target (in the plan's order), the data's figures first.

    ``targets``: rows of ``geo.targets.evaluate`` (with ``metric``); ``entries``: by target
    code. A staff percentage replaces the computed one; staff text follows the figures.
    """
    rows = []
    for stt, target in enumerate(targets, start=1):
        entry = entries.get(target["code"]) or Entry()
        figures = figures_text(target, counts, month)
        note = (entry.result_text or "").strip()
        percent = completion(target["value"], float(target["target"]))
        source = "none" if percent is None else "data"
        if entry.percent_override is not None:
            percent = max(0.0, min(1.0, entry.percent_override / 100))
            source = "override"
        rows.append(ReportRow(
            stt=stt, code=target["code"], task=target["label"], lead=target.get("lead") or "",
            product=product_text(target), figures=figures,
            result=f"{figures}\n{note}" if note else figures, percent=percent,
            percent_from=source, difficulties=(entry.difficulties or "").strip(),
            proposals=(entry.proposals or "").strip(), next_deadline=entry.next_deadline,
            entry=entry))
    return rows


def cells(row: ReportRow) -> list[str]:
    """A row as the text of the plan's columns."""
    percent = row.percent_text + ("\n(cán bộ nhập)" if row.percent_from == "override" else "")
    return [str(row.stt), row.task, row.lead, row.product, row.result, percent,
            row.difficulties, row.proposals, vn_date(row.next_deadline)]


def due_date(month: str) -> date:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, DUE_DAY)


# --- XLSX ---------------------------------------------------------------------------------

XLSX_WIDTHS = (5, 34, 18, 26, 48, 11, 28, 28, 14)


def write_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = f"Tháng {report.month_vi.replace('/', '-')}"
    last = len(COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def banner(row: int, text: str, bold=False, italic=False, size=11, height=None):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
        cell.alignment = centre
        if height:
            ws.row_dimensions[row].height = height

    banner(1, report.ward_name.upper(), bold=True)
    banner(2, report.heading, bold=True, size=13, height=22)
    banner(3, f"{report.date_line} — số liệu tính đến ngày {vn_date(report.as_of)}"
              + (" — DỮ LIỆU MÔ PHỎNG, không phải số liệu thật" if report.synthetic else ""),
           italic=True)
    banner(4, NOTE, italic=True, size=10, height=42)
    header_row = 6
    for col, title in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=title)
        cell.font = Font(name="Times New Roman", bold=True)
        cell.alignment = centre
        cell.border = box
        cell.fill = PatternFill("solid", fgColor="E7ECF1")
    ws.row_dimensions[header_row].height = 32
    for i, row in enumerate(report.rows):
        r = header_row + 1 + i
        values = cells(row)
        values[0] = row.stt
        values[5] = row.percent
        values[8] = row.next_deadline
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font = Font(name="Times New Roman", size=11)
            cell.alignment = wrap if col not in (1, 6, 9) else centre
            cell.border = box
        ws.cell(row=r, column=6).number_format = "0.0%"
        ws.cell(row=r, column=9).number_format = "DD/MM/YYYY"
        if row.percent is None:
            ws.cell(row=r, column=6, value="chưa có số liệu")
        lines = max(sum(math.ceil(max(len(part), 1) / (0.95 * width))
                        for part in str(text).split("\n"))
                    for text, width in zip(cells(row), XLSX_WIDTHS, strict=True))
        ws.row_dimensions[r].height = 15 * max(lines, 2)  # openpyxl does not autofit
    for col, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=col).column_letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sign = header_row + len(report.rows) + 2
    for col_from, col_to, title, hint in ((2, 3, "NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)"),
                                          (7, 8, "THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)")):
        for offset, text, font in ((0, title, Font(name="Times New Roman", bold=True)),
                                   (1, hint, Font(name="Times New Roman", italic=True))):
            ws.merge_cells(start_row=sign + offset, start_column=col_from,
                           end_row=sign + offset, end_column=col_to)
            cell = ws.cell(row=sign + offset, column=col_from, value=text)
            cell.font, cell.alignment = font, centre
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------

PAGE_W, PAGE_H = 841.89, 595.28  # A4 landscape, points
MARGIN = 28.0
PDF_FRACTIONS = (0.035, 0.165, 0.095, 0.125, 0.205, 0.065, 0.115, 0.115, 0.08)
FONT_SIZE, LINE, PAD = 7.0, 8.6, 3.0


class _Measure:
    def __init__(self, size: float, bold: bool = False):
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextToPath

        self.prop = FontProperties(family="DejaVu Sans", size=size,
                                   weight="bold" if bold else "normal")
        self.engine = TextToPath()
        self.cache: dict[str, float] = {}

    def width(self, text: str) -> float:
        if text not in self.cache:
            w, _, _ = self.engine.get_text_width_height_descent(text, self.prop, ismath=False)
            self.cache[text] = w
        return self.cache[text]

    def wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in (text or "").split("\n"):
            current = ""
            for word in paragraph.split():
                trial = f"{current} {word}" if current else word
                if current and self.width(trial) > 0.94 * width:  # hinting slack
                    lines.append(current)
                    current = word
                else:
                    current = trial
            lines.append(current)
        return lines


def write_pdf(report: Report) -> bytes:
    """A4 landscape, the plan's columns, wrapped text, header and signature block."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.patches import Rectangle

    plt.rcParams["pdf.fonttype"] = 42
    plt.rcParams["font.family"] = "DejaVu Sans"
    body, bold = _Measure(FONT_SIZE), _Measure(FONT_SIZE, bold=True)
    table_w = PAGE_W - 2 * MARGIN
    widths = [f * table_w / sum(PDF_FRACTIONS) for f in PDF_FRACTIONS]
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
    header = [bold.wrap(t, w - 2 * PAD) for t, w in zip(COLUMNS, widths, strict=True)]
    header_h = max(map(len, header)) * LINE + 2 * PAD
    body_rows = []
    for row in report.rows:
        wrapped = [body.wrap(t, w - 2 * PAD) for t, w in zip(cells(row), widths, strict=True)]
        body_rows.append((wrapped, max(map(len, wrapped)) * LINE + 2 * PAD))

    # Pagination: the title block on page one, the header row on every page.
    title_bottom, top_other, bottom = PAGE_H - 150, PAGE_H - MARGIN, MARGIN + 16
    note_h, sign_h = 4 * LINE, 110
    pages: list[list[int]] = [[]]
    y = title_bottom - header_h
    for i, (_, h) in enumerate(body_rows):
        if y - h < bottom and pages[-1]:
            pages.append([])
            y = top_other - header_h
        pages[-1].append(i)
        y -= h
    sign_on_new_page = y - note_h - sign_h < bottom

    out = io.BytesIO()
    total = len(pages) + int(sign_on_new_page)
    with PdfPages(out, metadata={"Title": report.heading, "Creator": "urbanorder"}) as pdf:
        for number in range(total):
            fig = plt.figure(figsize=(PAGE_W / 72, PAGE_H / 72))
            ax = fig.add_axes((0, 0, 1, 1))
            ax.set_xlim(0, PAGE_W)
            ax.set_ylim(0, PAGE_H)
            ax.axis("off")

            def text(x, y, s, size=FONT_SIZE, weight="normal", ha="left", style="normal",
                     ax=ax):
                ax.text(x, y, s, fontsize=size, fontweight=weight, ha=ha, va="top",
                        fontstyle=style, family="DejaVu Sans")

            y = _title_block(report, text, ax) if number == 0 else top_other
            if number < len(pages):
                # header row
                for x, w, lines in zip(xs, widths, header, strict=True):
                    ax.add_patch(Rectangle((x, y - header_h), w, header_h, facecolor="#e4e9ee",
                                           edgecolor="#333333", linewidth=0.6))
                    for k, line in enumerate(lines):
                        text(x + w / 2, y - PAD - k * LINE, line, weight="bold", ha="center")
                y -= header_h
                for i in pages[number]:
                    wrapped, h = body_rows[i]
                    for col, (x, w, lines) in enumerate(zip(xs, widths, wrapped, strict=True)):
                        ax.add_patch(Rectangle((x, y - h), w, h, facecolor="none",
                                               edgecolor="#333333", linewidth=0.6))
                        centred = col in (0, 5, 8)
                        for k, line in enumerate(lines):
                            text(x + (w / 2 if centred else PAD), y - PAD - k * LINE, line,
                                 ha="center" if centred else "left",
                                 weight="bold" if col == 5 else "normal")
                    y -= h
            if number == total - 1:
                _closing(text, y - 8)
            text(PAGE_W - MARGIN, MARGIN - 4, f"Trang {number + 1}/{total}", size=6.5,
                 ha="right")
            text(MARGIN, MARGIN - 4, f"{report.heading} — lập bằng urbanorder", size=6.5)
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def _title_block(report: Report, text, ax) -> float:
    top = PAGE_H - MARGIN
    left_c, right_c = MARGIN + 130, PAGE_W - MARGIN - 150
    text(left_c, top, report.ward_name.upper(), size=9, weight="bold", ha="center")
    ax.plot([left_c - 40, left_c + 40], [top - 14, top - 14], color="black", linewidth=0.6)
    text(right_c, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=9, weight="bold",
         ha="center")
    text(right_c, top - 12, "Độc lập - Tự do - Hạnh phúc", size=9, weight="bold", ha="center")
    ax.plot([right_c - 60, right_c + 60], [top - 25, top - 25], color="black", linewidth=0.6)
    text(right_c, top - 32, report.date_line, size=8.5, style="italic", ha="center")
    text(PAGE_W / 2, top - 56, report.heading, size=12.5, weight="bold", ha="center")
    text(PAGE_W / 2, top - 74, f"(Theo mẫu Bảng 3 — Mẫu báo cáo tiến độ hằng tháng; số liệu "
         f"tính đến ngày {vn_date(report.as_of)})", size=8.5, style="italic", ha="center")
    if report.synthetic:
        text(PAGE_W / 2, top - 88, "DỮ LIỆU MÔ PHỎNG — số liệu minh họa, không phải số liệu "
             "thật của phường", size=8, weight="bold", ha="center")
    return PAGE_H - 150


def _closing(text, y: float) -> None:
    note = _Measure(6.8).wrap(NOTE, PAGE_W - 2 * MARGIN)
    for k, line in enumerate(note):
        text(MARGIN, y - k * LINE, line, size=6.8, style="italic")
    y -= len(note) * LINE + 14
    for centre, title, hint in ((MARGIN + 150, "NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)"),
                                (PAGE_W - MARGIN - 150, "THỦ TRƯỞNG ĐƠN VỊ",
                                 "(Ký tên, đóng dấu)")):
        text(centre, y, title, size=9, weight="bold", ha="center")
        text(centre, y - 12, hint, size=8, style="italic", ha="center")
