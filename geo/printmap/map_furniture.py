"""Map furniture of the printed maps: the data limits fitted to the map frame, the scale
bar, the north arrow and the legend box, laid out in A4 millimetres like the rest of the
page (``geo.printmap.frame``).
"""

from __future__ import annotations

import math

from matplotlib import patches

from geo import formatting as fmt
from geo.i18n import translate
from geo.printmap.frame import INK, Page


def fit_extent(bounds, w_mm: float, h_mm: float, pad: float = 0.04):
    """Data limits around ``bounds`` with the axes' aspect (so 1 m is 1 m both ways)."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * (1 + 2 * pad), (maxy - miny) * (1 + 2 * pad)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if dx / dy > w_mm / h_mm:
        dy = dx * h_mm / w_mm
    else:
        dx = dy * w_mm / h_mm
    return (cx - dx / 2, cx + dx / 2), (cy - dy / 2, cy + dy / 2)


def nice_length(target_m: float) -> float:
    """The round length (1, 2, 5 × 10ⁿ m) at or below ``target_m``."""
    exponent = 10 ** math.floor(math.log10(target_m))
    return max(s * exponent for s in (1, 2, 5) if s * exponent <= target_m)


def distance_label(metres: float, locale: str = "vi") -> str:
    if metres >= 1000:
        return f"{fmt.number(metres / 1000, 0 if metres % 1000 == 0 else 1, locale=locale)} km"
    return f"{int(metres)} m"


def scale_bar(page: Page, ax, x_mm: float, y_mm: float, map_w_mm: float,
              locale: str = "vi") -> None:
    """Alternating black/white bar of a round length (about a quarter of the map width)."""
    x0, x1 = ax.get_xlim()
    metres_per_mm = (x1 - x0) / map_w_mm
    length = nice_length(map_w_mm * 0.25 * metres_per_mm)
    bar_mm = length / metres_per_mm
    parts = 4 if str(int(length))[0] in "12" else 5  # 2 km: 4 × 500 m; 5 km: 5 × 1 km
    seg = bar_mm / parts
    page.fig.add_artist(patches.Rectangle(
        ((x_mm - 6) / 297, (y_mm - 2.5) / 210), (bar_mm + 12) / 297, 11 / 210,
        transform=page.fig.transFigure, facecolor="white", edgecolor="#888888",
        linewidth=0.3 * page.k, alpha=0.9))
    for i in range(parts):
        page.fig.add_artist(patches.Rectangle(
            ((x_mm + i * seg) / 297, y_mm / 210), seg / 297, 1.6 / 210,
            transform=page.fig.transFigure, facecolor=INK if i % 2 == 0 else "white",
            edgecolor=INK, linewidth=0.4 * page.k))
    page.text(x_mm, y_mm + 3, "0", 6, ha="center", va="center")
    page.text(x_mm + bar_mm / 2, y_mm + 3, distance_label(length / 2, locale), 6, ha="center",
              va="center")
    page.text(x_mm + bar_mm, y_mm + 3, distance_label(length, locale), 6, ha="center",
              va="center")
    ratio = float(f"{metres_per_mm * 1000 / page.k:.2g}")
    page.text(x_mm + bar_mm / 2, y_mm + 6.5, translate(
        "Tỷ lệ 1:%(ratio)s (khổ %(paper)s)", locale,
        ratio=fmt.integer(ratio, locale=locale), paper=page.paper), 5.5, ha="center",
        va="center")


def north_arrow(page: Page, x_mm: float, y_mm: float, locale: str = "vi") -> None:
    """A half-filled arrow with "B" (Bắc, north) above, VN-2000 grid north up."""
    w, h = 3.2, 9.0
    left = patches.Polygon([(x_mm - w, y_mm), (x_mm, y_mm + h), (x_mm, y_mm + 2.2)],
                           closed=True)
    right = patches.Polygon([(x_mm + w, y_mm), (x_mm, y_mm + h), (x_mm, y_mm + 2.2)],
                            closed=True)
    for poly, fill in ((left, INK), (right, "white")):
        xy = poly.get_xy()
        page.fig.add_artist(patches.Polygon(
            [(px / 297, py / 210) for px, py in xy], closed=True,
            transform=page.fig.transFigure, facecolor=fill, edgecolor=INK,
            linewidth=0.5 * page.k))
    page.text(x_mm, y_mm + h + 2.8, translate("B", locale), 9, ha="center", va="center",
              weight="bold")


def legend_box(ax, handles, title: str, size: float, loc: str = "lower left", ncol: int = 1):
    legend = ax.legend(handles=handles, title=title, loc=loc, fontsize=size,
                       title_fontsize=size * 1.05, frameon=True, framealpha=0.92,
                       edgecolor="#888888", fancybox=False, ncol=ncol, handlelength=2.2,
                       handleheight=1.2, borderpad=0.6)
    legend.get_title().set_fontweight("bold")
    return legend
