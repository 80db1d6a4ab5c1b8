"""The page of the printed maps: paper, header, table, signature, footer (the map's own
scale bar, north arrow and legend are ``geo.printmap.map_furniture``).

Everything is laid out in millimetres on an A4 landscape page (297 × 210 mm) and scaled
by ``Page.k`` for A3 (the two sheets have the same proportions), so an A3 print is the A4
one enlarged: the same layout, bigger type.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime

import matplotlib

matplotlib.use("Agg")

from matplotlib import patches  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from geo import formatting as fmt  # noqa: E402
from geo.i18n import N_, translate, translate_known  # noqa: E402

FONT = "DejaVu Sans"
PAPERS = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape, mm
MM = 1 / 25.4  # inches per millimetre
RIGHT_X, RIGHT_W = 188.0, 99.0  # the right-hand column (table, signature), A4 mm
INK = "#111111"
BANNER_RED = "#c00000"

matplotlib.rcParams.update({
    "pdf.fonttype": 42, "ps.fonttype": 42, "font.family": FONT, "font.sans-serif": [FONT],
    "hatch.linewidth": 0.45, "pdf.compression": 6,
})


# The signature blocks of a plan that sets none: ours, so said in the reader's language
# (a ward's own blocks print as the ward wrote them, but for the words that are ours).
DEFAULT_SIGNATURES = (
    {"title": N_("NGƯỜI LẬP BIỂU"), "hint": N_("(Ký, ghi rõ họ tên)")},
    {"title": N_("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"), "hint": N_("(Ký tên, đóng dấu)")})


@dataclass
class PrintMeta:
    """What a printed map says about itself: the ward's own texts (names, tiers, criteria,
    signatures) as the ward wrote them; the frame's words and figures in ``locale``."""

    ward_name: str
    metric_epsg: int
    printed_at: datetime
    synthetic: bool = False
    month: str | None = None  # "yyyy-mm"
    published_at: datetime | None = None
    published_by: str | None = None
    place: str | None = None  # "Tam Phước" in "Tam Phước, ngày … tháng … năm …"
    tiers: tuple[dict, ...] = ()  # the rubric's tiers: code, min, label (best first)
    criteria_labels: dict[str, str] = field(default_factory=dict)
    subtitle: str = ""  # e.g. the period and categories of a hotspot map
    route_name: str = ""  # the ward demonstration route as the ward's plan names it
    # Who signs (the plan's report signatures: title, hint, name), left to right.
    signatures: tuple[dict, ...] = DEFAULT_SIGNATURES
    locale: str = "vi"  # the reader's language: the frame's words, numbers and dates

    @property
    def signing_place(self) -> str:
        if self.place:
            return self.place
        name = self.ward_name.split(" (")[0]
        for prefix in ("Phường ", "phường ", "Xã ", "Thị trấn "):
            if name.startswith(prefix):
                return name[len(prefix):]
        return name

    def say(self, block: dict, key: str) -> str:
        """A signature block's ``key`` (title, hint): our words translated, the ward's own
        as written (``geo.i18n.translate_known``)."""
        return translate_known(str(block.get(key) or ""), self.locale)


def change_text(rank_change) -> str:
    """Rank change against last month: ▲ moved up, ▼ down, = same, — not ranked before."""
    if rank_change is None:
        return "—"
    if rank_change > 0:
        return f"▲ {rank_change}"
    if rank_change < 0:
        return f"▼ {-rank_change}"
    return "="


class Page:
    """One landscape sheet; ``box``/``text`` take A4 millimetres, scaled for A3."""

    def __init__(self, paper: str) -> None:
        if paper not in PAPERS:
            raise ValueError(translate("Khổ giấy '%(paper)s' không hợp lệ: chỉ in được khổ A4 "
                                       "hoặc A3.", paper=paper))
        self.paper = paper
        self.width, self.height = PAPERS[paper]
        self.k = self.width / PAPERS["A4"][0]
        # Not a pyplot figure: pyplot is never imported (``layers.draw`` instead of
        # geopandas' ``.plot``, which imports pyplot and redraws the figure per layer).
        self.fig = Figure(figsize=(self.width * MM, self.height * MM), dpi=100)

    def rect(self, x: float, y: float, w: float, h: float) -> list[float]:
        """A4-mm box (x, y from the lower left) → figure fraction."""
        return [x / 297.0, y / 210.0, w / 297.0, h / 210.0]

    def axes(self, x, y, w, h, **kw):
        ax = self.fig.add_axes(self.rect(x, y, w, h), **kw)
        ax.set_axis_off()
        return ax

    def text(self, x, y, s, size=8.0, **kw):
        kw.setdefault("color", INK)
        return self.fig.text(x / 297.0, y / 210.0, s, fontsize=size * self.k, **kw)

    def line(self, x0, y0, x1, y1, width=0.6, **kw):
        self.fig.add_artist(matplotlib.lines.Line2D(
            [x0 / 297.0, x1 / 297.0], [y0 / 210.0, y1 / 210.0], linewidth=width * self.k,
            color=kw.pop("color", INK), **kw))

    def close(self) -> None:
        self.fig.clear()

    def checkpoint(self) -> set[int]:
        """The artists on the sheet now (see ``revert``)."""
        return {id(artist) for artist in self._artists()}

    def revert(self, checkpoint: set[int]) -> None:
        """Remove what was drawn since ``checkpoint``: the atlas draws its base once and
        only each khu phố's own layers, texts and tables page after page."""
        for ax in [ax for ax in self.fig.axes if id(ax) not in checkpoint]:
            ax.remove()
        for artist in self._artists():
            if id(artist) not in checkpoint:
                artist.remove()

    def _artists(self) -> list:
        found = [a for a in self.fig.get_children() if a is not self.fig.patch]
        for ax in self.fig.axes:
            found += [a for a in ax.get_children() if a is not ax.patch]
        return found


def header(page: Page, title: str, meta: PrintMeta, state: str | None = None):
    """Title, ward, (state), and the red "simulated data" banner of a synthetic ward;
    returns the title's text (the atlas changes it from page to page)."""
    heading = page.text(148.5, 199, title, 15, ha="center", va="center", weight="bold")
    second = meta.ward_name + (f" — {meta.subtitle}" if meta.subtitle else "")
    page.text(148.5, 192.5, second, 9, ha="center", va="center")
    if state:
        draft = meta.published_at is None and state == publication_state(meta)
        page.text(148.5, 187.5, state, 8.5, ha="center", va="center", weight="bold",
                  color=BANNER_RED if draft else INK, style="italic" if draft else "normal")
    if meta.synthetic:
        page.text(284, 199, translate("DỮ LIỆU MÔ PHỎNG", meta.locale), 9, ha="right",
                  va="center", weight="bold",
                  color="white", bbox={"boxstyle": "square,pad=0.35", "facecolor": BANNER_RED,
                                       "edgecolor": BANNER_RED})
    page.line(10, 184, 287, 184, 0.8)
    return heading


def publication_state(meta: PrintMeta) -> str:
    if meta.published_at is None:
        return translate("BẢN NHÁP — CHƯA CÔNG BỐ", meta.locale)
    when = fmt.moment(meta.published_at, locale=meta.locale)
    if meta.published_by:
        return translate("ĐÃ CÔNG BỐ ngày %(when)s bởi %(name)s", meta.locale, when=when,
                         name=meta.published_by)
    return translate("ĐÃ CÔNG BỐ ngày %(when)s", meta.locale, when=when)


def footer(page: Page, meta: PrintMeta, x0: float = 10, width: float = 170) -> None:
    """Data source, time of printing and the CRS, under the map."""
    named = "mô phỏng" in meta.ward_name.lower()  # the ward's name says it already
    when = fmt.moment(meta.printed_at, locale=meta.locale)
    if meta.synthetic and not named:
        source = translate("Nguồn: urbanorder — dữ liệu %(ward)s (MÔ PHỎNG); in lúc %(when)s",
                           meta.locale, ward=meta.ward_name, when=when)
    else:
        source = translate("Nguồn: urbanorder — dữ liệu %(ward)s; in lúc %(when)s",
                           meta.locale, ward=meta.ward_name, when=when)
    page.text(x0, 7.5, source, 6.5, ha="left", va="center")
    page.text(x0, 4.2, translate("Hệ tọa độ VN-2000 (EPSG:%(epsg)s); bản đồ vẽ từ dữ liệu "
                                 "của phường, không dùng nền bản đồ trực tuyến.", meta.locale,
                                 epsg=meta.metric_epsg), 5.5, ha="left", va="center",
              color="#444444")


SIGNATURE_WRAP = 28  # characters of a 7 pt bold title line in half the signature column


def signature(page: Page, meta: PrintMeta, x0: float = 186, x1: float = 287,
              top: float = 52) -> None:
    """"…, ngày … tháng … năm …" and the signature blocks of ``meta.signatures`` (the last
    one at the right, under the date, as Vietnamese documents sign)."""
    right = (x0 + x1) / 2 + (x1 - x0) / 4
    left = (x0 + x1) / 2 - (x1 - x0) / 4
    when = fmt.long_date(meta.printed_at, locale=meta.locale)
    page.text(right, top, f"{meta.signing_place}, {when}", 6.5, ha="center", va="center",
              style="italic")
    blocks = list(meta.signatures[-2:])
    for centre, block in zip((left, right)[2 - len(blocks):], blocks, strict=True):
        y = top - 6
        # A long title (English, or a ward's own) wraps inside its half of the column.
        lines = [part for line in meta.say(block, "title").split("\n")
                 for part in (textwrap.wrap(line, SIGNATURE_WRAP) or [""])]
        for line in lines:
            page.text(centre, y, line, 7, ha="center", va="center", weight="bold")
            y -= 3.5
        if block.get("hint"):
            page.text(centre, y, meta.say(block, "hint"), 5.5, ha="center", va="center",
                      style="italic")
        if block.get("name"):
            page.text(centre, y - 13, block["name"], 7, ha="center", va="center",
                      weight="bold")


@dataclass
class Column:
    title: str
    width: float  # A4 mm
    align: str = "left"
    wrap: int = 0  # characters per line (0: one line, cut with "…")


def _fit(text: str, column: Column, size: float) -> list[str]:
    text = "" if text is None else str(text)
    if column.wrap:
        return textwrap.wrap(text, column.wrap) or [""]
    limit = max(3, int((column.width - 2) / (size * 0.19)))  # DejaVu Sans ≈ 0.54 em a glyph
    return [text if len(text) <= limit else text[:limit - 1] + "…"]


def table(page: Page, x: float, top: float, columns: list[Column], rows: list[list],
          line_mm: float = 4.3, size: float = 6.8, shade: list[bool] | None = None,
          bold: list[bool] | None = None) -> float:
    """Draw a ruled table from ``top`` down; returns the y (mm) of its bottom rule."""
    width = sum(c.width for c in columns)
    head_h = line_mm * 1.25
    page.fig.add_artist(patches.Rectangle(
        (x / 297, (top - head_h) / 210), width / 297, head_h / 210,
        transform=page.fig.transFigure, facecolor="#d9d9d9", edgecolor=INK,
        linewidth=0.5 * page.k))
    cx = x
    for column in columns:
        anchor = {"left": cx + 1, "right": cx + column.width - 1,
                  "center": cx + column.width / 2}[column.align]
        page.text(anchor, top - head_h / 2, column.title, size, ha=column.align, va="center",
                  weight="bold")
        cx += column.width
    y = top - head_h
    for i, row in enumerate(rows):
        cells = [_fit(value, column, size) for value, column in zip(row, columns, strict=True)]
        lines = max(len(c) for c in cells)
        height = line_mm if lines == 1 else line_mm * (0.82 * lines + 0.35)
        if shade and shade[i]:
            page.fig.add_artist(patches.Rectangle(
                (x / 297, (y - height) / 210), width / 297, height / 210,
                transform=page.fig.transFigure, facecolor="#f0f0f0", edgecolor="none"))
        cx = x
        for lines, column in zip(cells, columns, strict=True):
            anchor = {"left": cx + 1, "right": cx + column.width - 1,
                      "center": cx + column.width / 2}[column.align]
            page.text(anchor, y - height / 2, "\n".join(lines), size, ha=column.align,
                      va="center", linespacing=1.05,
                      weight="bold" if bold and bold[i] else "normal")
            cx += column.width
        y -= height
        page.line(x, y, x + width, y, 0.25, color="#777777")
    page.line(x, top, x + width, top, 0.6)
    page.line(x, y, x + width, y, 0.6)
    cx = x
    for column in [None, *columns]:
        cx += column.width if column else 0
        page.line(cx, top, cx, y, 0.3, color="#555555")
    return y
