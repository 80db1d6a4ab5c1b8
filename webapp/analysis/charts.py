"""Server-side SVG geometry for small charts (no JavaScript chart library)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from geo import formatting as fmt
from geo import ranking as scoring
from webapp.i18n import current_language


@dataclass
class TrendChart:
    """A khu phố's monthly totals (0–100) as points, line segments, grid and tier lines."""

    width: int = 560
    height: int = 300
    left: int = 34
    right: int = 64
    top: int = 26
    bottom: int = 42
    points: list[dict] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    grid: list[dict] = field(default_factory=list)
    tiers: list[dict] = field(default_factory=list)

    @property
    def plot_bottom(self) -> float:
        return self.height - self.bottom

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    def y(self, total: float) -> float:
        span = self.plot_bottom - self.top
        return round(self.plot_bottom - span * max(0.0, min(100.0, total)) / 100.0, 1)


def trend_chart(trend: list[dict], tiers: tuple[dict, ...] = ()) -> TrendChart:
    """Lay out ``trend`` rows (``month``, ``total``, ``rank``, ``published``) on the chart.

    Months are evenly spaced on x; a month without a total (not ranked) leaves a gap in
    the line. ``tiers`` (the rubric's, with ``min`` and ``label``) draw dashed thresholds.
    """
    chart, locale = TrendChart(), current_language()
    n = len(trend)
    step = (chart.plot_right - chart.left) / max(n, 1)
    for value in (0, 25, 50, 75, 100):
        chart.grid.append({"y": chart.y(value), "label": str(value)})
    labels = scoring.tier_labels(tiers, locale)
    for tier in tiers:
        if 0 < tier["min"] < 100:
            label = labels[tier["code"]]
            chart.tiers.append({"y": chart.y(tier["min"]), "label": label, "min": tier["min"],
                                "title": _("%(tier)s: từ %(min)s điểm", tier=label,
                                           min=tier["min"])})
    segment: list[str] = []
    for i, row in enumerate(trend):
        x = round(chart.left + step * (i + 0.5), 1)
        total = row.get("total")
        point = {"x": x, "month": row["month"],
                 "month_label": fmt.month(row["month"], locale=locale),
                 "published": bool(row.get("published")), "rank": row.get("rank"),
                 "total": total, "y": None, "text": _("không xếp hạng")}
        if total is None:
            if len(segment) > 1:
                chart.segments.append(" ".join(segment))
            segment = []
        else:
            point["y"] = chart.y(total)
            point["text"] = fmt.number(total, 1, locale=locale)
            segment.append(f"{'M' if not segment else 'L'}{x},{point['y']}")
        chart.points.append(point)
    if len(segment) > 1:
        chart.segments.append(" ".join(segment))
    return chart
