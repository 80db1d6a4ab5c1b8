"""Atlas page of the ranking print: one khu phố, its month and its score breakdown."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import vocabulary as vocab
from geo._printmap_frame import (
    INK,
    Column,
    Page,
    PrintMeta,
    change_text,
    footer,
    header,
    legend_box,
    month_vi,
    publication_state,
    table,
    vn_decimal,
)
from geo._printmap_layers import (
    TIER_STYLES,
    draw_outline,
    draw_streets,
    furniture,
    map_axes,
    metric,
)

MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")  # one shape per incident category
CATEGORY_MARKERS = dict(zip(vocab.INCIDENT_CATEGORIES, MARKERS, strict=True))
RIGHT_X, RIGHT_W = 188.0, 99.0


def _of(frame, kp_id):
    if frame is None or frame.empty or "neighbourhood_id" not in frame:
        return None
    return frame[frame["neighbourhood_id"] == kp_id]


def atlas_page(layers: dict, row: dict, count: int, meta: PrintMeta, paper: str) -> Page:
    page = Page(paper)
    k = page.k
    epsg = meta.metric_epsg
    title = f"{row['name'].upper()} ({row['code']}) — THÁNG {month_vi(meta.month)}"
    header(page, title, meta, publication_state(meta))
    kp_all = metric(layers["neighbourhoods"], epsg)
    mine = kp_all[kp_all["code"] == row["code"]]
    kp_id = row.get("neighbourhood_id", mine["id"].iloc[0] if "id" in mine else None)
    ax = map_axes(page, mine.total_bounds, pad=0.12)
    others = kp_all[kp_all["code"] != row["code"]]
    others.plot(ax=ax, facecolor="#f2f2f2", edgecolor="#8a8a8a", linewidth=0.4 * k, zorder=1)
    fill, hatch = TIER_STYLES.get(row.get("tier") if row.get("rank") else None,
                                  TIER_STYLES[None])
    mine.plot(ax=ax, facecolor="white", edgecolor=INK, linewidth=1.6 * k, zorder=2)
    streets = metric(layers.get("streets"), epsg)
    draw_streets(ax, streets, k * 1.4)
    draw_outline(ax, metric(layers.get("ward"), epsg), k)
    for item in others.itertuples():
        spot = item.geometry.representative_point()
        if ax.get_xlim()[0] < spot.x < ax.get_xlim()[1] and \
                ax.get_ylim()[0] < spot.y < ax.get_ylim()[1]:
            ax.text(spot.x, spot.y, item.code, fontsize=6 * k, color="#666666", ha="center",
                    va="center", zorder=7)
    handles = []
    model = _of(metric(layers.get("model_streets"), epsg), kp_id)
    if model is not None and len(model):
        for status, meta_s in vocab.MODEL_STREET_STATUSES.items():
            part = model[model["status"] == status]
            if len(part):
                part.plot(ax=ax, color=meta_s["colour"], linewidth=2.6 * k, zorder=5)
                handles.append(Line2D([], [], color=meta_s["colour"], linewidth=2.6 * k,
                                      label=f"Tuyến kiểu mẫu: {meta_s['vi']} ({len(part)})"))
    houses = _of(metric(layers.get("houses"), epsg), kp_id)
    if houses is not None and len(houses):
        for status, meta_h in vocab.MODEL_HOUSE_STATUSES.items():
            part = houses[houses["model_status"] == status]
            if len(part):
                ax.scatter(part.geometry.x, part.geometry.y, s=(14 if status == "recognised"
                                                                else 6) * k * k,
                           marker="h", facecolor=meta_h["colour"], edgecolor=INK,
                           linewidth=0.25 * k, zorder=6)
                handles.append(Line2D([], [], marker="h", linestyle="", markersize=4 * k,
                                      markerfacecolor=meta_h["colour"], markeredgecolor=INK,
                                      markeredgewidth=0.3 * k,
                                      label=f"Nhà trọ — {meta_h['vi']} ({len(part)})"))
    incidents = _of(metric(layers.get("incidents"), epsg), kp_id)
    if incidents is not None and len(incidents):
        for category, meta_c in vocab.INCIDENT_CATEGORIES.items():
            part = incidents[incidents["category"] == category]
            if len(part):
                marker = CATEGORY_MARKERS[category]
                ax.scatter(part.geometry.x, part.geometry.y, s=24 * k * k, marker=marker,
                           facecolor=meta_c["colour"], edgecolor=INK, linewidth=0.35 * k,
                           zorder=7)
                handles.append(Line2D([], [], marker=marker, linestyle="",
                                      markersize=4.5 * k, markerfacecolor=meta_c["colour"],
                                      markeredgecolor=INK, markeredgewidth=0.35 * k,
                                      label=f"{meta_c['vi']} ({len(part)} vụ)"))
    furniture(page, ax)
    _summary(page, row, count, meta, fill, hatch)
    bottom = _breakdown(page, row, meta)
    if not handles:
        handles = [Patch(facecolor="white", edgecolor="white",
                         label="Không có vụ việc, tuyến kiểu mẫu hay nhà trọ trong tháng")]
    legend_ax = page.axes(RIGHT_X, 9, RIGHT_W, max(bottom - 12, 10))
    legend_box(legend_ax, handles, f"Chú giải — vụ việc tháng {month_vi(meta.month)}",
               5.6 * k, loc="upper left")
    footer(page, meta)
    return page


def _summary(page: Page, row: dict, count: int, meta: PrintMeta, fill, hatch) -> None:
    labels = {t["code"]: t.get("label", t["code"]) for t in meta.tiers}
    if row.get("rank") is not None:
        rank = f"Hạng {row['rank']}/{count} — {vn_decimal(row.get('total'))} điểm — " \
               f"{labels.get(row.get('tier'), row.get('tier'))}"
        change = change_text(row.get("rank_change"))
        delta = row.get("total_change")
        detail = f"So với tháng trước: {change}" + (
            f" ({'+' if delta > 0 else ''}{vn_decimal(delta)} điểm)" if delta is not None
            else "")
    else:
        rank = "Không xếp hạng — thiếu dữ liệu (chưa đủ chiều dài đường)"
        detail = ""
    page.text(RIGHT_X, 178, rank, 8.5, ha="left", va="center", weight="bold")
    if detail:
        page.text(RIGHT_X, 173, detail, 7, ha="left", va="center")
    km = row.get("street_km")
    page.text(RIGHT_X, 168.5, f"Đường trong khu phố: {vn_decimal(km)} km; điểm đạt "
              f"{vn_decimal(row.get('earned'))}/{vn_decimal(row.get('available'), 0)} điểm "
              "áp dụng, quy về thang 100.", 5.8, ha="left", va="center", color="#333333")


def _breakdown(page: Page, row: dict, meta: PrintMeta) -> float:
    """Criterion, points/max, note; returns the bottom of the table (A4 mm)."""
    columns = [Column("Tiêu chí", 53, wrap=50), Column("Điểm", 16, "center"),
               Column("Ghi chú", 30, wrap=27)]
    body = []
    for code, item in (row.get("criteria") or {}).items():
        label = meta.criteria_labels.get(code, code)
        points = item.get("points")
        got = "không áp dụng" if points is None else \
            f"{vn_decimal(points, 1)}/{vn_decimal(item.get('max'), 0)}"
        body.append([label, got, item.get("note") or ""])
    return table(page, RIGHT_X, 164, columns, body, line_mm=3.3, size=5.6,
                 shade=[i % 2 == 1 for i in range(len(body))])
