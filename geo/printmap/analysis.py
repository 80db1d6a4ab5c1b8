"""Hotspot and coverage pages of the printed maps (same frame as the ranking map)."""

from __future__ import annotations

import math

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.coverage import NEAR_MODEL_M
from geo.printmap.frame import (
    INK,
    Column,
    Page,
    PrintMeta,
    footer,
    header,
    legend_box,
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

HOTSPOT_TITLE = "BẢN ĐỒ ĐIỂM NÓNG VI PHẠM TRẬT TỰ ĐÔ THỊ"
COVERAGE_TITLE = "BẢN ĐỒ ĐỘ PHỦ NHÀ TRỌ MÔ HÌNH"
RIGHT_X, RIGHT_W = 188.0, 99.0
# Gi* classes: hot red, cold blue, lighter with less confidence; cold ones also hatched
# so that a grey print still tells hot from cold.
HOTSPOT_STYLES = {
    "hot_99": ("#b2182b", "", "Điểm nóng — tin cậy 99%"),
    "hot_95": ("#ef6548", "", "Điểm nóng — tin cậy 95%"),
    "hot_90": ("#fdbb84", "", "Điểm nóng — tin cậy 90%"),
    "cold_99": ("#2166ac", "\\\\\\", "Điểm lạnh — tin cậy 99%"),
    "cold_95": ("#67a9cf", "\\\\\\", "Điểm lạnh — tin cậy 95%"),
    "cold_90": ("#d1e5f0", "\\\\\\", "Điểm lạnh — tin cậy 90%"),
}
COVERAGE_STYLES = (  # lowest share first matched from the top: (min share, fill, hatch, label)
    (0.75, "#3f007d", "", "Từ 75% trở lên"),
    (0.5, "#6a51a3", "", "50% – dưới 75%"),
    (0.25, "#9e9ac8", "..", "25% – dưới 50%"),
    (1e-9, "#dadaeb", "//", "Dưới 25%"),
    (0.0, "#ffffff", "xx", "0% (không cơ sở nào gần)"),
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
    k = page.k
    header(page, HOTSPOT_TITLE, meta, "Phân tích Getis-Ord Gi* (hiệu chỉnh FDR) — chỉ vẽ ô "
           "có ý nghĩa thống kê")
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
                                     label=f"{label} ({len(part)} ô)"))
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
                                      label=f"Tái vi phạm: {meta_c['vi']} ({len(part)} nơi)"))
    if not handles:
        handles.append(Patch(facecolor="white", edgecolor="#555555",
                             label="Không có ô nào có ý nghĩa thống kê"))
    handles += base_handles(streets, k)
    legend_box(ax, handles, "Chú giải", 5.8 * k)
    furniture(page, ax)
    columns = [Column("TT", 8, "center"), Column("Khu phố", 25), Column("Đường gần nhất", 31),
               Column("Gi* (z)", 12, "right"), Column("Số vụ", 11, "right"),
               Column("Số ô", 12, "right")]
    shown = areas[:24]
    body = [[i + 1, a.get("neighbourhood") or "", a.get("street") or "",
             fmt.number(a["z"], 2, missing=fmt.DASH), a["count"], a["cells"]]
            for i, a in enumerate(shown)]
    page.text(RIGHT_X, 179, f"Vùng điểm nóng, nặng nhất trước ({len(areas)} vùng)", 7.5,
              ha="left", va="center", weight="bold")
    if body:
        line = min(4.2, 105 / (len(body) + 1.25))
        bottom = table(page, RIGHT_X, 175, columns, body, line_mm=line, size=min(6.5, line * 1.6),
                       shade=[i % 2 == 1 for i in range(len(body))])
    else:
        page.text(RIGHT_X, 172, "Không có vùng điểm nóng trong khoảng thời gian này.", 7,
                  ha="left", va="center")
        bottom = 170
    if len(areas) > len(shown):
        page.text(RIGHT_X, bottom - 3, f"… và {len(areas) - len(shown)} vùng khác (xem trên "
                  "ứng dụng).", 5.5, ha="left", va="center")
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
    k = page.k
    header(page, COVERAGE_TITLE, meta, f"Mô hình “Nhà trọ an toàn, văn minh, tự quản”: tỷ lệ "
           f"cơ sở trong bán kính {fmt.integer(NEAR_MODEL_M)} m quanh một nhà trọ mô hình")
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
    handles = [Patch(facecolor=fill, hatch=hatch, edgecolor="#333333", label=label)
               for _, fill, hatch, label in COVERAGE_STYLES]
    handles += [Patch(facecolor="white", hatch="--", edgecolor="#333333",
                      label="Không có cơ sở cho thuê trọ"),
                Line2D([], [], color="#c00000", linewidth=1.3 * k, linestyle=(0, (3, 1.5)),
                       label="Khu phố trống (chưa có nhà trọ mô hình)"),
                Line2D([], [], marker="*", linestyle="", markersize=7 * k,
                       markerfacecolor="#fec44f", markeredgecolor=INK,
                       label=f"Nhà trọ mô hình ({0 if models is None else len(models)}), "
                             f"vòng {fmt.integer(NEAR_MODEL_M)} m")]
    handles += base_handles(streets, k)
    legend_box(ax, handles, f"Cơ sở trong {fmt.integer(NEAR_MODEL_M)} m quanh nhà mô hình", 5.8 * k)
    furniture(page, ax)
    ordered = sorted(rows, key=lambda r: (not r["gap"], r["code"]))
    columns = [Column("Khu phố", 34), Column("Cơ sở", 13, "right"),
               Column("Mô hình", 14, "right"), Column("Trong 300 m", 20, "right"),
               Column("Ghi chú", 18, "center")]
    body = [[r["name"], r["houses"], r["model_houses"],
             fmt.percent(r["share_near_model"], missing=fmt.DASH), "TRỐNG" if r["gap"] else ""]
            for r in ordered]
    page.text(RIGHT_X, 179, f"Khu phố trống xếp đầu ({sum(r['gap'] for r in rows)}/"
              f"{len(rows)} khu phố)", 7.5, ha="left", va="center", weight="bold")
    line = min(4.3, 108 / (len(body) + 1.25))
    table(page, RIGHT_X, 175, columns, body, line_mm=line, size=min(6.6, line * 1.6),
          shade=[i % 2 == 1 for i in range(len(body))], bold=[r["gap"] for r in ordered])
    signature(page, meta, RIGHT_X, RIGHT_X + RIGHT_W, top=52)
    footer(page, meta)
    return page
