"""Printed maps (PDF, A4/A3 landscape): ranking (with an atlas), hotspots, coverage.

Pure: takes GeoDataFrames in EPSG:4326 (as ``models.queries`` returns them), plain rows
and a ``PrintMeta``, draws with matplotlib in the ward's VN-2000 metric CRS and returns
the bytes of a vector PDF with DejaVu Sans embedded (TrueType, so Vietnamese diacritics
print and can be searched). No tile server: only the ward's own vectors are drawn.

``layers`` is a dict of GeoDataFrames: ``ward`` (its boundary), ``neighbourhoods`` (id,
code, name), ``streets`` (name, street_class), ``route`` (the ward demonstration route,
named in the legend by ``PrintMeta.route_name``) and, for the atlas, ``model_streets``
(neighbourhood_id, name, status), ``houses`` (neighbourhood_id, model_status) and
``incidents`` of the month (neighbourhood_id, category).
"""

from __future__ import annotations

import io
import threading
from datetime import datetime

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages

from geo import formatting as fmt
from geo.i18n import N_, translate
from geo.printmap import fonts
from geo.printmap.frame import (
    RIGHT_W,
    RIGHT_X,
    Column,
    Page,
    PrintMeta,
    change_text,
    footer,
    header,
    publication_state,
    signature,
    table,
)
from geo.printmap.layers import (
    TIER_STYLES,
    base_handles,
    draw,
    draw_outline,
    draw_route,
    draw_streets,
    furniture,
    label_circle,
    map_axes,
    metric,
    route_handle,
    tier_handles,
)
from geo.printmap.map_furniture import legend_box
from geo.ranking import tier_labels

__all__ = ["PAPERS", "PrintMeta", "coverage_pdf", "hotspot_pdf", "ranking_pdf",
           "ranking_title"]

PAPERS = ("A4", "A3")
TABLE_TOP, TABLE_BOTTOM = 181.0, 60.0
_LOCK = threading.Lock()


def ranking_title(month: str, locale: str = "vi") -> str:
    return translate("BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG %(month)s", locale,
                     month=fmt.month(month, locale=locale).upper())


def _pdf(pages, meta: PrintMeta, title: str, on_page=None) -> bytes:
    """Render the ``Page`` objects that ``pages`` yields into one PDF; ``on_page(n)`` is
    told after each page is written (n pages so far)."""
    buffer = io.BytesIO()
    info = {"Title": title, "Author": "urbanorder", "Subject": meta.ward_name,
            "Creator": "urbanorder (matplotlib)",
            "CreationDate": meta.printed_at if meta.printed_at.tzinfo else None}
    info = {k: v for k, v in info.items() if v is not None}
    with _LOCK:  # matplotlib is not thread-safe; printing is rare, one at a time is fine
        matplotlib.rcParams["font.family"] = fonts.families()  # before any text is made
        with PdfPages(buffer, metadata=info) as pdf:
            for done, page in enumerate(pages, start=1):
                pdf.savefig(page.fig)
                if on_page:
                    on_page(done)
    return buffer.getvalue()


def _one(build):
    """The pages of a one-page print (a generator, as ``_pdf`` takes them)."""
    page = build()
    try:
        yield page
    finally:
        page.close()


def _check_paper(paper: str, locale: str) -> None:
    if paper not in PAPERS:
        raise ValueError(translate("Khổ giấy '%(paper)s' không hợp lệ: chỉ in được khổ A4 "
                                   "hoặc A3.", locale, paper=paper))


def ranking_pdf(layers: dict, rows: list[dict], meta: PrintMeta, paper: str = "A4",
                atlas: bool = False, on_page=None, workers: int | None = 1) -> bytes:
    """The month's ranking map (and, with ``atlas``, one page per khu phố after it).

    ``on_page(n)`` is called as each page is written (``page_count`` tells how many).
    The atlas is drawn by up to ``workers`` processes (``None``: one per core).
    """
    _check_paper(paper, meta.locale)
    codes = [row["code"] for row in _atlas_rows(layers, rows)] if atlas else []
    from geo.printmap.parallel import parallel_atlas_pdf, worker_count

    processes = worker_count(len(codes) + 1, workers)
    if processes > 1:
        return parallel_atlas_pdf(atlas_run_pdf, layers, rows, meta, paper, codes, processes,
                                  on_page)
    return atlas_run_pdf(layers, rows, meta, paper, True, codes, on_page)


def atlas_run_pdf(layers: dict, rows: list[dict], meta: PrintMeta, paper: str,
                  overview: bool, codes: list[str], on_page=None) -> bytes:
    """The overview (if ``overview``) and the atlas pages of the khu phố ``codes``."""
    return _pdf(_ranking_pages(layers, rows, meta, paper, overview, codes), meta,
                ranking_title(meta.month or "", meta.locale), on_page)


def page_count(layers: dict, rows: list[dict], atlas: bool = False) -> int:
    """How many pages ``ranking_pdf`` prints: the overview and, for the atlas, one per
    khu phố of the layer that has a row."""
    return 1 + (len(_atlas_rows(layers, rows)) if atlas else 0)


def _atlas_rows(layers: dict, rows: list[dict]) -> list[dict]:
    by_code = {row["code"]: row for row in rows}
    return [by_code[code] for code in sorted(layers["neighbourhoods"]["code"])
            if code in by_code]


def _ranking_pages(layers, rows, meta, paper, overview: bool, codes: list[str]):
    if overview:
        yield from _one(lambda: _ranking_page(layers, rows, meta, paper,
                                              ranking_title(meta.month or "", meta.locale)))
    if not codes:
        return
    from geo.printmap.atlas import AtlasSheet

    layers = {name: metric(frame, meta.metric_epsg) for name, frame in layers.items()}
    by_code = {row["code"]: row for row in rows}
    sheet = AtlasSheet(layers, len(rows), meta, paper)
    try:
        for code in codes:
            yield sheet.draw(by_code[code])
    finally:
        sheet.page.close()


def _tier_counts(rows: list[dict]) -> dict:
    counts: dict = {}
    for row in rows:
        key = row.get("tier") if row.get("rank") is not None else None
        counts[key] = counts.get(key, 0) + 1
    return counts


def _ranking_page(layers: dict, rows: list[dict], meta: PrintMeta, paper: str,
                  title: str) -> Page:
    page = Page(paper)
    k = page.k
    header(page, title, meta, publication_state(meta))
    epsg = meta.metric_epsg
    kp = metric(layers["neighbourhoods"], epsg)
    ward = metric(layers.get("ward"), epsg)
    streets = metric(layers.get("streets"), epsg)
    bounds = (ward if ward is not None and not ward.empty else kp).total_bounds
    ax = map_axes(page, bounds)
    by_code = {row["code"]: row for row in rows}
    kp = kp.assign(tier=[(by_code.get(c) or {}).get("tier") if (by_code.get(c) or {}).get(
        "rank") is not None else None for c in kp["code"]])
    for tier, group in kp.groupby(kp["tier"].fillna("__none__"), sort=False):
        fill, hatch = TIER_STYLES.get(None if tier == "__none__" else tier,
                                      TIER_STYLES["below"])
        draw(ax, group, facecolor=fill, edgecolor="#222222", hatch=hatch,
             linewidth=0.45 * k, zorder=2)
    draw_streets(ax, streets, k)
    route = metric(layers.get("route"), epsg)
    draw_route(ax, route, k)
    draw(ax, kp.boundary, color="#222222", linewidth=0.6 * k, zorder=5)
    draw_outline(ax, ward, k)
    for item in kp.itertuples():
        row = by_code.get(item.code)
        if row is None:
            continue
        spot = item.geometry.representative_point()
        text = str(row["rank"]) if row.get("rank") is not None else "—"
        label_circle(ax, spot.x, spot.y, text, 6.5 if len(text) < 2 else 6, k)
    locale = meta.locale
    handles = tier_handles(meta.tiers, _tier_counts(rows), k, locale) \
        + base_handles(streets, k, locale)
    if route is not None and not route.empty:
        handles += route_handle(meta.route_name, k)
    legend_box(ax, handles, translate("Xếp loại khu phố (số trong vòng tròn: hạng)", locale),
               6 * k)
    furniture(page, ax, locale=locale)
    _ranking_table(page, rows, tier_labels(meta.tiers, locale), locale)
    signature(page, meta, RIGHT_X, RIGHT_X + RIGHT_W, top=52)
    footer(page, meta)
    return page


def _ranking_table(page: Page, rows: list[dict], labels: dict[str, str], locale: str) -> None:
    columns = [Column(translate(title, locale), width, align) for title, width, align in (
        (N_("Hạng"), 10, "center"), (N_("Khu phố"), 38, "left"), (N_("Điểm"), 14, "right"),
        (N_("Xếp loại"), 19, "left"), (N_("Thay đổi"), 18, "center"))]
    available = TABLE_TOP - TABLE_BOTTOM - 1.5
    line = min(4.3, available / (len(rows) + 1.25))
    size = min(6.8, line * 1.6)
    body, missing = [], translate("Thiếu dữ liệu", locale)
    for row in rows:
        ranked = row.get("rank") is not None
        body.append([row["rank"] if ranked else "—", row["name"],
                     fmt.number(row.get("total"), 2, missing=fmt.DASH, locale=locale)
                     if ranked else "—",
                     labels.get(row.get("tier"), row.get("tier") or "") if ranked else missing,
                     change_text(row.get("rank_change")) if ranked else "—"])
    table(page, RIGHT_X, TABLE_TOP, columns, body, line_mm=line, size=size,
          shade=[i % 2 == 1 for i in range(len(body))])
    page.text(RIGHT_X, TABLE_BOTTOM - 0.5, translate(
        "Thay đổi: so với hạng tháng trước (▲ tăng, ▼ giảm, = giữ nguyên, — chưa có).",
        locale), 5.3, ha="left", va="top", color="#333333")


def hotspot_pdf(layers: dict, cells, repeats, areas: list[dict], meta: PrintMeta,
                paper: str = "A4") -> bytes:
    """Gi* cells by class, repeat locations and the worst hotspot areas."""
    _check_paper(paper, meta.locale)
    from geo.printmap.analysis import HOTSPOT_TITLE, hotspot_page

    return _pdf(_one(lambda: hotspot_page(layers, cells, repeats, areas, meta, paper)), meta,
                translate(HOTSPOT_TITLE, meta.locale))


def coverage_pdf(layers: dict, coverage_rows, meta: PrintMeta, paper: str = "A4") -> bytes:
    """Khu phố shaded by the share of houses within 300 m of a model house; gaps table."""
    _check_paper(paper, meta.locale)
    from geo.printmap.analysis import COVERAGE_TITLE, coverage_page

    return _pdf(_one(lambda: coverage_page(layers, coverage_rows, meta, paper)), meta,
                translate(COVERAGE_TITLE, meta.locale))


def example_meta(**overrides) -> PrintMeta:
    """A ``PrintMeta`` for tests and docs (a synthetic ward, printed now)."""
    values = {"ward_name": "Phường Tam Phước", "metric_epsg": 5899,
              "printed_at": datetime.now().replace(second=0, microsecond=0),
              "synthetic": True, "month": "2026-10",
              "tiers": ({"code": "excellent", "min": 90, "label": "Xuất sắc"},
                        {"code": "good", "min": 75, "label": "Tốt"},
                        {"code": "pass", "min": 50, "label": "Đạt"},
                        {"code": "below", "min": 0, "label": "Chưa đạt"})}
    values.update(overrides)
    return PrintMeta(**values)

