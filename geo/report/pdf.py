"""The monthly report (Bảng 3) as an A4 landscape PDF: letterhead, table, signatures."""

from __future__ import annotations

import io

from geo import formatting as fmt
from geo.i18n import translate
from geo.report.rows import Report, cells

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
    header = [bold.wrap(t, w - 2 * PAD) for t, w in zip(report.columns, widths, strict=True)]
    header_h = max(map(len, header)) * LINE + 2 * PAD
    body_rows = []
    for row in report.rows:
        wrapped = [body.wrap(t, w - 2 * PAD)
                   for t, w in zip(cells(row, report.locale), widths, strict=True)]
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
                _closing(report, text, y - 8)
            text(PAGE_W - MARGIN, MARGIN - 4, translate(
                "Trang %(number)s / %(pages)s", report.locale, number=number + 1,
                pages=total), size=6.5, ha="right")
            text(MARGIN, MARGIN - 4, translate("%(heading)s — lập bằng urbanorder",
                                               report.locale, heading=report.heading),
                 size=6.5)
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def _title_block(report: Report, text, ax) -> float:
    """The letterhead as the plan sets it: issuing body at the left, the national line (state
    or party) at the right, then the title, the recipient and the data's date."""
    head = report.letterhead
    top = PAGE_H - MARGIN
    left_c, right_c = MARGIN + 130, PAGE_W - MARGIN - 150
    y = top
    for i, line in enumerate(report.issuer_lines):
        last = i == len(report.issuer_lines) - 1
        text(left_c, y, line, size=9, weight="bold" if last else "normal", ha="center")
        y -= 12
    if head.header == "party":
        text(left_c, y, "*", size=9, weight="bold", ha="center")
    else:
        ax.plot([left_c - 40, left_c + 40], [y + 1, y + 1], color="black", linewidth=0.6)
    if head.number:
        text(left_c, y - 10, head.number, size=8.5, ha="center")
    for i, line in enumerate(report.national_lines):
        text(right_c, top - 12 * i, line, size=9, weight="bold", ha="center")
    rule = top - 12 * len(report.national_lines) - 1
    ax.plot([right_c - 60, right_c + 60], [rule, rule], color="black", linewidth=0.6)
    text(right_c, rule - 7, report.date_line, size=8.5, style="italic", ha="center")
    text(PAGE_W / 2, top - 60, report.heading, size=12.5, weight="bold", ha="center")
    lines = [head.recipient] if head.recipient else []
    lines.append(translate("(Theo mẫu Bảng 3 — Mẫu báo cáo tiến độ hằng tháng; số liệu tính "
                           "đến ngày %(day)s)", report.locale,
                           day=fmt.day(report.as_of, locale=report.locale)))
    if report.synthetic:
        lines.append(translate("DỮ LIỆU MÔ PHỎNG — số liệu minh họa, không phải số liệu thật "
                               "của phường", report.locale))
    for i, line in enumerate(lines):
        text(PAGE_W / 2, top - 78 - 12 * i, line, size=8.5,
             style="normal" if i == 0 and head.recipient else "italic", ha="center",
             weight="bold" if report.synthetic and i == len(lines) - 1 else "normal")
    return PAGE_H - 150


def _closing(report: Report, text, y: float) -> None:
    note = _Measure(6.8).wrap(report.note, PAGE_W - 2 * MARGIN)
    for k, line in enumerate(note):
        text(MARGIN, y - k * LINE, line, size=6.8, style="italic")
    y -= len(note) * LINE + 14
    signatures = report.signatures
    step = (PAGE_W - 2 * MARGIN - 300) / max(len(signatures) - 1, 1)
    for i, signature in enumerate(signatures):
        centre = PAGE_W - MARGIN - 150 if len(signatures) == 1 else MARGIN + 150 + i * step
        text(centre, y, signature["title"], size=9, weight="bold", ha="center")
        text(centre, y - 12, signature.get("hint", ""), size=8, style="italic", ha="center")
        if signature.get("name"):
            text(centre, y - 70, signature["name"], size=9, weight="bold", ha="center")
