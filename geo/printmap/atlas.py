"""Atlas page of the ranking print: one khu phố, its month and its score breakdown."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.i18n import translate, translate_plural
from geo.printmap.frame import (
    INK,
    RIGHT_W,
    RIGHT_X,
    Column,
    Page,
    PrintMeta,
    change_text,
    footer,
    header,
    publication_state,
    table,
)
from geo.printmap.layers import (
    draw,
    draw_outline,
    draw_streets,
    furniture,
    map_axes,
    set_extent,
)
from geo.printmap.map_furniture import legend_box
from geo.ranking import tier_labels

MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")  # one shape per incident category
CATEGORY_MARKERS = dict(zip(vocab.INCIDENT_CATEGORIES, MARKERS, strict=True))


def _by_khu_pho(frame) -> dict:
    """``{khu phố id: its rows}`` of a layer, split once for all the pages."""
    if frame is None or frame.empty or "neighbourhood_id" not in frame:
        return {}
    return {kp_id: part for kp_id, part in frame.groupby("neighbourhood_id")}


class AtlasSheet:
    """One sheet reused for every khu phố page: the ward's base map (all khu phố in grey,
    streets, outline), the footer and the north arrow are drawn once; each page adds its
    khu phố's layers, texts and tables, is saved, and those are removed again.

    ``layers`` are already in the ward's metric CRS (``geo.printmap.ranking_pdf``).
    """

    def __init__(self, layers: dict, count: int, meta: PrintMeta, paper: str) -> None:
        self.page = page = Page(paper)
        self.count, self.meta = count, meta
        k = page.k
        self.heading = header(page, "", meta, publication_state(meta))
        self.kp = kp = layers["neighbourhoods"]
        self.spots = {code: geom.representative_point()
                      for code, geom in zip(kp["code"], kp.geometry, strict=True)}
        self.ax = ax = map_axes(page, kp.total_bounds, pad=0.12)
        draw(ax, kp, facecolor="#f2f2f2", edgecolor="#8a8a8a", linewidth=0.4 * k, zorder=1)
        draw_streets(ax, layers.get("streets"), k * 1.4)
        draw_outline(ax, layers.get("ward"), k)
        furniture(page, ax, scale=False, locale=meta.locale)
        footer(page, meta)
        self.model = _by_khu_pho(layers.get("model_streets"))
        self.houses = _by_khu_pho(layers.get("houses"))
        self.incidents = _by_khu_pho(layers.get("incidents"))
        self._base = page.checkpoint()

    def draw(self, row: dict) -> Page:
        """The page of ``row``'s khu phố (replacing the previous one)."""
        page, ax, meta, k = self.page, self.ax, self.meta, self.page.k
        locale = meta.locale
        page.revert(self._base)
        month = fmt.month(meta.month, locale=locale)
        self.heading.set_text(translate("%(name)s (%(code)s) — THÁNG %(month)s", locale,
                                        name=row["name"].upper(), code=row["code"],
                                        month=month.upper()))
        mine = self.kp[self.kp["code"] == row["code"]]
        kp_id = row.get("neighbourhood_id", mine["id"].iloc[0] if "id" in mine else None)
        set_extent(ax, mine.total_bounds, pad=0.12)
        draw(ax, mine, facecolor="white", edgecolor=INK, linewidth=1.6 * k, zorder=2)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for code, spot in self.spots.items():
            if code != row["code"] and x0 < spot.x < x1 and y0 < spot.y < y1:
                ax.text(spot.x, spot.y, code, fontsize=6 * k, color="#666666", ha="center",
                        va="center", zorder=7)
        handles = self._model_streets(kp_id) + self._houses(kp_id) + self._incidents(kp_id)
        furniture(page, ax, north=False, locale=locale)
        _summary(page, row, self.count, meta)
        bottom = _breakdown(page, row, meta)
        if not handles:
            handles = [Patch(facecolor="white", edgecolor="white", label=translate(
                "Không có vụ việc, tuyến kiểu mẫu hay nhà trọ trong tháng", locale))]
        legend_ax = page.axes(RIGHT_X, 9, RIGHT_W, max(bottom - 12, 10))
        legend_box(legend_ax, handles, translate("Chú giải — vụ việc tháng %(month)s", locale,
                                                 month=month), 5.6 * k, loc="upper left")
        return page

    def _model_streets(self, kp_id) -> list:
        model, k, handles = self.model.get(kp_id), self.page.k, []
        if model is None:
            return handles
        for status, meta_s in vocab.MODEL_STREET_STATUSES.items():
            part = model[model["status"] == status]
            if len(part):
                draw(self.ax, part, color=meta_s["colour"], linewidth=2.6 * k, zorder=5)
                handles.append(Line2D([], [], color=meta_s["colour"], linewidth=2.6 * k,
                                      label=translate(
                                          "Tuyến kiểu mẫu: %(status)s (%(count)s)",
                                          self.meta.locale, count=len(part),
                                          status=translate(meta_s["vi"], self.meta.locale))))
        return handles

    def _houses(self, kp_id) -> list:
        houses, k, handles = self.houses.get(kp_id), self.page.k, []
        if houses is None:
            return handles
        for status, meta_h in vocab.MODEL_HOUSE_STATUSES.items():
            part = houses[houses["model_status"] == status]
            if len(part):
                self.ax.scatter(part.geometry.x, part.geometry.y,
                                s=(14 if status == "recognised" else 6) * k * k, marker="h",
                                facecolor=meta_h["colour"], edgecolor=INK,
                                linewidth=0.25 * k, zorder=6)
                handles.append(Line2D([], [], marker="h", linestyle="", markersize=4 * k,
                                      markerfacecolor=meta_h["colour"], markeredgecolor=INK,
                                      markeredgewidth=0.3 * k,
                                      label=translate(
                                          "Nhà trọ — %(status)s (%(count)s)",
                                          self.meta.locale, count=len(part),
                                          status=translate(meta_h["vi"], self.meta.locale))))
        return handles

    def _incidents(self, kp_id) -> list:
        incidents, k, handles = self.incidents.get(kp_id), self.page.k, []
        if incidents is None:
            return handles
        for category, meta_c in vocab.INCIDENT_CATEGORIES.items():
            part = incidents[incidents["category"] == category]
            if len(part):
                marker = CATEGORY_MARKERS[category]
                self.ax.scatter(part.geometry.x, part.geometry.y, s=24 * k * k, marker=marker,
                                facecolor=meta_c["colour"], edgecolor=INK, linewidth=0.35 * k,
                                zorder=7)
                handles.append(Line2D([], [], marker=marker, linestyle="",
                                      markersize=4.5 * k, markerfacecolor=meta_c["colour"],
                                      markeredgecolor=INK, markeredgewidth=0.35 * k,
                                      label=translate_plural(
                                          "%(category)s (%(count)s vụ)",
                                          "%(category)s (%(count)s vụ)", len(part),
                                          self.meta.locale,
                                          category=translate(meta_c["vi"], self.meta.locale))))
        return handles


def _summary(page: Page, row: dict, count: int, meta: PrintMeta) -> None:
    locale = meta.locale
    labels = tier_labels(meta.tiers, locale)
    if row.get("rank") is not None:
        rank = translate("Hạng %(rank)s/%(count)s — %(total)s điểm — %(tier)s", locale,
                         rank=row["rank"], count=count,
                         total=fmt.number(row.get("total"), 2, missing=fmt.DASH, locale=locale),
                         tier=labels.get(row.get("tier"), row.get("tier")))
        change = change_text(row.get("rank_change"))
        delta = row.get("total_change")
        if delta is None:
            detail = translate("So với tháng trước: %(change)s", locale, change=change)
        else:
            detail = translate("So với tháng trước: %(change)s (%(delta)s điểm)", locale,
                               change=change, delta=("+" if delta > 0 else "")
                               + fmt.number(delta, 2, locale=locale))
    else:
        rank = translate("Không xếp hạng — thiếu dữ liệu (chưa đủ chiều dài đường)", locale)
        detail = ""
    page.text(RIGHT_X, 178, rank, 8.5, ha="left", va="center", weight="bold")
    if detail:
        page.text(RIGHT_X, 173, detail, 7, ha="left", va="center")
    km, earned, available = (fmt.number(row.get(key), digits, missing=fmt.DASH, locale=locale)
                             for key, digits in (("street_km", 2), ("earned", 2),
                                                 ("available", 0)))
    page.text(RIGHT_X, 168.5, translate(
        "Đường trong khu phố: %(km)s km; điểm đạt %(earned)s/%(available)s điểm áp dụng, quy "
        "về thang 100.", locale, km=km, earned=earned, available=available), 5.8, ha="left",
        va="center", color="#333333")


def _breakdown(page: Page, row: dict, meta: PrintMeta) -> float:
    """Criterion, points/max, note; returns the bottom of the table (A4 mm)."""
    locale = meta.locale
    columns = [Column(translate("Tiêu chí", locale), 51, wrap=48),
               Column(translate("Điểm", locale), 18, "center"),  # "not applicable" fits
               Column(translate("Ghi chú", locale), 30, wrap=27)]
    body, not_applied = [], translate("không áp dụng", locale)
    for code, item in (row.get("criteria") or {}).items():
        label = meta.criteria_labels.get(code, code)
        points = item.get("points")
        got = not_applied if points is None else \
            f"{fmt.number(points, 1, locale=locale)}/" \
            f"{fmt.number(item.get('max'), missing=fmt.DASH, locale=locale)}"
        note = item.get("note")  # geo.ranking's Message, or a published snapshot's text
        body.append([label, got, translate(note, locale) if note else ""])
    return table(page, RIGHT_X, 164, columns, body, line_mm=3.3, size=5.6,
                 shade=[i % 2 == 1 for i in range(len(body))])
