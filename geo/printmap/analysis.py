"""Hotspot and coverage pages of the printed maps (same frame as the ranking map)."""

from __future__ import annotations

import math

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.coverage import NEAR_MODEL_M
from geo.i18n import N_, translate, translate_plural
from geo.printmap.frame import (
    INK,
    Column,
    Page,
    PrintMeta,
    footer,
    header,
    signature,
    table,
)
from geo.printmap.layers import (
    base_handles,
    draw,
    draw_outline,
    draw_streets,
    furniture,
    map_axes,
    metric,
)
from geo.printmap.map_furniture import legend_box

HOTSPOT_TITLE = N_("BẢN ĐỒ ĐIỂM NÓNG VI PHẠM TRẬT TỰ ĐÔ THỊ")
COVERAGE_TITLE = N_("BẢN ĐỒ ĐỘ PHỦ NHÀ TRỌ MÔ HÌNH")
RIGHT_X, RIGHT_W = 188.0, 99.0
# Gi* classes: hot red, cold blue, lighter with less confidence; cold ones also hatched
# so that a grey print still tells hot from cold.
HOTSPOT_STYLES = {
    "hot_99": ("#b2182b", "", N_("Điểm nóng — tin cậy 99%")),
    "hot_95": ("#ef6548", "", N_("Điểm nóng — tin cậy 95%")),
    "hot_90": ("#fdbb84", "", N_("Điểm nóng — tin cậy 90%")),
    "cold_99": ("#2166ac", "\\\\\\", N_("Điểm lạnh — tin cậy 99%")),
    "cold_95": ("#67a9cf", "\\\\\\", N_("Điểm lạnh — tin cậy 95%")),
    "cold_90": ("#d1e5f0", "\\\\\\", N_("Điểm lạnh — tin cậy 90%")),
}
COVERAGE_STYLES = (  # lowest share first matched from the top: (min share, fill, hatch, label)
    (0.75, "#3f007d", "", N_("Từ 75% trở lên")),
    (0.5, "#6a51a3", "", N_("50% – dưới 75%")),
    (0.25, "#9e9ac8", "..", N_("25% – dưới 50%")),
    (1e-9, "#dadaeb", "//", N_("Dưới 25%")),
    (0.0, "#ffffff", "xx", N_("0% (không cơ sở nào gần)")),
)


def _background(page: Page, layers: dict, meta: PrintMeta):
    epsg = meta.metric_epsg
    kp = metric(layers["neighbourhoods"], epsg)
    ward = metric(layers.get("ward"), epsg)
    streets = metric(layers.get("streets"), epsg)
    ax = map_axes(page, (ward if ward is not None and not ward.empty else kp).total_bounds)
    return ax, kp, ward, streets


def _kp_labels(ax, kp, k: float, colour: str = "#333333") -> None:
    for item in kp.itertuples():
        spot = item.geometry.representative_point()
        ax.text(spot.x, spot.y, item.code.replace("KP", ""), fontsize=5.5 * k, color=colour,
                ha="center", va="center", zorder=8,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75,
                      "edgecolor": "none"})


def hotspot_page(layers: dict, cells, repeats, areas: list[dict], meta: PrintMeta,
                 paper: str) -> Page:
    page = Page(paper)
    k, locale = page.k, meta.locale
    header(page, translate(HOTSPOT_TITLE, locale), meta, translate(
        "Phân tích Getis-Ord Gi* (hiệu chỉnh FDR) — chỉ vẽ ô có ý nghĩa thống kê", locale))
    ax, kp, ward, streets = _background(page, layers, meta)
    draw(ax, kp, facecolor="white", edgecolor="#777777", linewidth=0.4 * k, zorder=1)
    handles = []
    cells = metric(cells, meta.metric_epsg)
    if cells is not None and len(cells):
        for cls, (fill, hatch, label) in HOTSPOT_STYLES.items():
            part = cells[cells["cls"] == cls]
            if len(part):
                draw(ax, part, facecolor=fill, hatch=hatch, edgecolor="#555555",
                     linewidth=0.15 * k, zorder=2)
                handles.append(Patch(facecolor=fill, hatch=hatch, edgecolor="#555555",
                                     label=translate_plural(
                                         "%(label)s (%(count)s ô)", "%(label)s (%(count)s ô)",
                                         len(part), locale, label=translate(label, locale))))
    draw_streets(ax, streets, k, alpha=0.8)
    draw(ax, kp.boundary, color="#555555", linewidth=0.4 * k, linestyle=(0, (4, 2)),
         zorder=5)
    draw_outline(ax, ward, k)
    _kp_labels(ax, kp, k)
    repeats = metric(repeats, meta.metric_epsg)
    if repeats is not None and len(repeats):
        for category, meta_c in vocab.INCIDENT_CATEGORIES.items():
            part = repeats[repeats["category"] == category]
            if len(part):
                ax.scatter(part.geometry.x, part.geometry.y,
                           s=[(6 + 3 * min(int(c), 12)) * k * k for c in part["count"]],
                           marker="^", facecolor=meta_c["colour"], edgecolor=INK,
                           linewidth=0.4 * k, zorder=7)
                handles.append(Line2D([], [], marker="^", linestyle="", markersize=4.5 * k,
                                      markerfacecolor=meta_c["colour"], markeredgecolor=INK,
                                      label=translate_plural(
                                          "Tái vi phạm: %(category)s (%(count)s nơi)",
                                          "Tái vi phạm: %(category)s (%(count)s nơi)",
                                          len(part), locale,
                                          category=translate(meta_c["vi"], locale))))
    if not handles:
        handles.append(Patch(facecolor="white", edgecolor="#555555",
                             label=translate("Không có ô nào có ý nghĩa thống kê", locale)))
    handles += base_handles(streets, k, locale)
    legend_box(ax, handles, translate("Chú giải", locale), 5.8 * k)
    furniture(page, ax, locale=locale)
    columns = [Column(translate(title, locale), width, align) for title, width, align in (
        (N_("TT"), 8, "center"), (N_("Khu phố"), 23, "left"),
        (N_("Đường gần nhất"), 29, "left"), (N_("Gi* (z)"), 12, "right"),
        (N_("Số vụ"), 15, "right"), (N_("Số ô"), 12, "right"))]  # room for "Incidents"
    shown = areas[:24]
    body = [[i + 1, a.get("neighbourhood") or "", a.get("street") or "",
             fmt.number(a["z"], 2, missing=fmt.DASH, locale=locale),
             fmt.integer(a["count"], locale=locale), fmt.integer(a["cells"], locale=locale)]
            for i, a in enumerate(shown)]
    page.text(RIGHT_X, 179, translate_plural(
        "Vùng điểm nóng, nặng nhất trước (%(count)s vùng)",
        "Vùng điểm nóng, nặng nhất trước (%(count)s vùng)", len(areas), locale), 7.5,
        ha="left", va="center", weight="bold")
    if body:
        line = min(4.2, 105 / (len(body) + 1.25))
        bottom = table(page, RIGHT_X, 175, columns, body, line_mm=line, size=min(6.5, line * 1.6),
                       shade=[i % 2 == 1 for i in range(len(body))])
    else:
        page.text(RIGHT_X, 172, translate(
            "Không có vùng điểm nóng trong khoảng thời gian này.", locale), 7, ha="left",
            va="center")
        bottom = 170
    if len(areas) > len(shown):
        page.text(RIGHT_X, bottom - 3, translate_plural(
            "… và %(count)s vùng khác (xem trên ứng dụng).",
            "… và %(count)s vùng khác (xem trên ứng dụng).", len(areas) - len(shown), locale),
            5.5, ha="left", va="center")
    signature(page, meta, RIGHT_X, RIGHT_X + RIGHT_W, top=52)
    footer(page, meta)
    return page


def _coverage_style(row) -> tuple[str, str]:
    if not row["houses"]:
        return "#ffffff", "--"
    share = row["share_near_model"]
    share = 0.0 if share is None or (isinstance(share, float) and math.isnan(share)) else share
    for low, fill, hatch, _ in COVERAGE_STYLES:
        if share >= low:
            return fill, hatch
    return COVERAGE_STYLES[-1][1:3]


def coverage_page(layers: dict, rows, meta: PrintMeta, paper: str) -> Page:
    """``rows``: code, name, houses, model_houses, share_near_model, gap (one per khu phố)."""
    page = Page(paper)
    k, locale = page.k, meta.locale
    near = fmt.integer(NEAR_MODEL_M, locale=locale)
    header(page, translate(COVERAGE_TITLE, locale), meta, translate(
        "Mô hình “Nhà trọ an toàn, văn minh, tự quản”: tỷ lệ cơ sở trong bán kính %(metres)s m "
        "quanh một nhà trọ mô hình", locale, metres=near))
    ax, kp, ward, streets = _background(page, layers, meta)
    by_code = {r["code"]: r for r in rows}
    for item in kp.itertuples():
        row = by_code.get(item.code)
        fill, hatch = _coverage_style(row) if row else ("#ffffff", "--")
        draw(ax, kp[kp["code"] == item.code], facecolor=fill, hatch=hatch,
             edgecolor="#333333", linewidth=0.45 * k, zorder=2)
    gaps = kp[[bool((by_code.get(c) or {}).get("gap")) for c in kp["code"]]]
    draw_streets(ax, streets, k, alpha=0.7)
    if len(gaps):
        draw(ax, gaps.boundary, color="#c00000", linewidth=1.3 * k, linestyle=(0, (3, 1.5)),
             zorder=6)
    draw_outline(ax, ward, k)
    houses = metric(layers.get("houses"), meta.metric_epsg)
    models = houses[houses["model_status"] == "recognised"] if houses is not None and \
        len(houses) else None
    if models is not None and len(models):
        draw(ax, models.buffer(NEAR_MODEL_M).boundary, color="#08519c", linewidth=0.5 * k,
             linestyle=(0, (2, 1.5)), zorder=6.5)
        ax.scatter(models.geometry.x, models.geometry.y, s=34 * k * k, marker="*",
                   facecolor="#fec44f", edgecolor=INK, linewidth=0.5 * k, zorder=7)
    _kp_labels(ax, kp, k)
    handles = [Patch(facecolor=fill, hatch=hatch, edgecolor="#333333",
                     label=translate(label, locale))
               for _, fill, hatch, label in COVERAGE_STYLES]
    handles += [Patch(facecolor="white", hatch="--", edgecolor="#333333",
                      label=translate("Không có cơ sở cho thuê trọ", locale)),
                Line2D([], [], color="#c00000", linewidth=1.3 * k, linestyle=(0, (3, 1.5)),
                       label=translate("Khu phố trống (chưa có nhà trọ mô hình)", locale)),
                Line2D([], [], marker="*", linestyle="", markersize=7 * k,
                       markerfacecolor="#fec44f", markeredgecolor=INK,
                       label=translate("Nhà trọ mô hình (%(count)s), vòng %(metres)s m", locale,
                                       count=0 if models is None else len(models),
                                       metres=near))]
    handles += base_handles(streets, k, locale)
    legend_box(ax, handles, translate("Cơ sở trong %(metres)s m quanh nhà mô hình", locale,
                                      metres=near), 5.8 * k)
    furniture(page, ax, locale=locale)
    ordered = sorted(rows, key=lambda r: (not r["gap"], r["code"]))
    columns = [Column(translate("Khu phố", locale), 34),
               Column(translate("Cơ sở", locale), 13, "right"),
               Column(translate("Mô hình", locale), 14, "right"),
               Column(translate("Trong %(metres)s m", locale, metres=near), 20, "right"),
               Column(translate("Ghi chú", locale), 18, "center")]
    gap = translate("TRỐNG", locale)
    body = [[r["name"], fmt.integer(r["houses"], locale=locale),
             fmt.integer(r["model_houses"], locale=locale),
             fmt.percent(r["share_near_model"], missing=fmt.DASH, locale=locale),
             gap if r["gap"] else ""]
            for r in ordered]
    page.text(RIGHT_X, 179, translate(
        "Khu phố trống xếp đầu (%(gaps)s/%(count)s khu phố)", locale,
        gaps=sum(r["gap"] for r in rows), count=len(rows)), 7.5, ha="left", va="center",
        weight="bold")
    line = min(4.3, 108 / (len(body) + 1.25))
    table(page, RIGHT_X, 175, columns, body, line_mm=line, size=min(6.6, line * 1.6),
          shade=[i % 2 == 1 for i in range(len(body))], bold=[r["gap"] for r in ordered])
    signature(page, meta, RIGHT_X, RIGHT_X + RIGHT_W, top=52)
    footer(page, meta)
    return page
