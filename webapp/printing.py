"""Printed maps (PDF) of a ward: gathers the data of ``webapp.services.analysis`` for
``geo.printmap``. Used by the analysis pages and by ``urbanorder print-ranking``."""

from __future__ import annotations

from datetime import timedelta

from geo import formatting as fmt
from geo import ranking
from geo import vocabulary as vocab
from geo.hotspots import hotspot_areas
from geo.i18n import N_, Message, translate
from geo.lazy import deferred
from models import queries
from models.queries import LAYERS, LayerFilter
from webapp.clock import local_now
from webapp.services import analysis as service
from webapp.services.plans import plan_for

printmap = deferred("geo.printmap")  # matplotlib loads with the first print

gpd = deferred("geopandas")

PAPERS = ("A4", "A3")  # geo.printmap.PAPERS (a test keeps them equal)
SIGNIFICANT = ("hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90")


class PrintError(ValueError):
    """A request that cannot be printed; ``args[0]`` is the message for the user (a
    ``geo.i18n.Message``, said in the reader's language where it is shown)."""


def check_paper(raw: str | None) -> str:
    paper = (raw or "A4").strip().upper()
    if paper not in PAPERS:
        raise PrintError(Message(N_("Khổ giấy '%(paper)s' không hợp lệ: chỉ in được khổ A4 "
                                    "hoặc A3."), paper=raw))
    return paper


def _meta(conn, ward, locale: str, **values) -> printmap.PrintMeta:
    plan = plan_for(conn, ward)
    return printmap.PrintMeta(ward_name=ward.name, metric_epsg=ward.metric_epsg,
                              printed_at=local_now().replace(second=0, microsecond=0),
                              synthetic=bool(ward.is_synthetic), route_name=plan.route_name,
                              place=plan.report.get("place") or None, locale=locale,
                              **({"signatures": tuple(plan.report["signatures"])}
                                 if plan.report.get("signatures") else {}), **values)


def _base_layers(conn, ward) -> dict:
    boundary = queries.ward_boundary(conn, ward.id)
    model = queries.read_layer(conn, LAYERS["model-streets"], ward.id, columns=["id", "level"])
    return {
        "ward": gpd.GeoDataFrame(geometry=[boundary], crs=4326),
        "neighbourhoods": queries.read_layer(conn, LAYERS["neighbourhoods"], ward.id,
                                             columns=["id", "code", "name"]),
        "streets": queries.read_layer(conn, LAYERS["streets"], ward.id,
                                      columns=["id", "name", "street_class"]),
        "route": model[model["level"] == "ward"],
    }


# One process by default: on the shared 2-core machine the atlas was no faster with one
# process per core (10.0–10.4 s against 8.4–10.1 s at load 5, bench/README.md).
ATLAS_WORKERS = 1


def ranking_pdf(conn, ward, month: str, paper: str = "A4", atlas: bool = False,
                on_page=None, workers: int | None = ATLAS_WORKERS, locale: str = "vi") -> bytes:
    """The month's ranking as printed: the published snapshot if any, else the draft.

    The atlas's pages are drawn by ``workers`` processes (``None``: one per core);
    ``on_page(done, total)`` follows them. ``locale``: the reader's language."""
    view = service.ranking_view(conn, ward, month)
    published = view["published"]
    rows = list(published.rows) if published else view["current"]
    rubric = view["rubric"]
    meta = _meta(conn, ward, locale, month=month, tiers=tuple(rubric.tiers),
                 criteria_labels=ranking.criterion_labels(rubric, locale),
                 published_at=published.published_at if published else None,
                 published_by=published.published_by_name if published else None)
    layers = _base_layers(conn, ward)
    if atlas:
        start, end = ranking.month_range(month)
        layers["model_streets"] = queries.read_layer(
            conn, LAYERS["model-streets"], ward.id,
            columns=["id", "neighbourhood_id", "name", "status"])
        layers["houses"] = queries.read_layer(conn, LAYERS["boarding-houses"], ward.id,
                                              columns=["id", "neighbourhood_id",
                                                       "model_status"])
        layers["incidents"] = queries.read_layer(
            conn, LAYERS["incidents"], ward.id,
            LayerFilter(date_from=start.date(), date_to=(end - timedelta(days=1)).date()),
            columns=["id", "neighbourhood_id", "category"])
    total = printmap.page_count(layers, rows, atlas)
    if on_page:
        on_page(0, total)  # the total is known before the first page is drawn
    return printmap.ranking_pdf(layers, rows, meta, paper, atlas, workers=workers,
                                on_page=on_page and (lambda done: on_page(done, total)))


def hotspot_pdf(conn, ward, params: dict, paper: str = "A4", locale: str = "vi") -> bytes:
    """``params`` as ``webapp.analysis.maps.hotspot_params`` returns them."""
    start, end = params["start"], params["end"]
    cells, repeats = service.hotspot_analysis(conn, ward, params["categories"], start, end,
                                              params["cell"])
    significant = cells[cells["cls"].isin(SIGNIFICANT)].reset_index(drop=True) \
        if len(cells) else cells
    areas = []
    if len(significant):
        for area in hotspot_areas(significant).itertuples():
            peak = int(area.peak)
            areas.append({"z": float(area.max_z), "cls": area.cls, "count": int(area.incidents),
                          "cells": int(area.cells),
                          "neighbourhood": significant.at[peak, "neighbourhood"],
                          "street": significant.at[peak, "street"]})
    names = ", ".join(translate(vocab.label(vocab.INCIDENT_CATEGORIES, c), locale)
                      for c in params["categories"])
    subtitle = translate("từ %(start)s đến %(end)s; ô lưới %(cell)s m; %(categories)s", locale,
                         start=fmt.day(start, locale=locale), end=fmt.day(end, locale=locale),
                         cell=params["cell"], categories=names)
    meta = _meta(conn, ward, locale, subtitle=subtitle)
    return printmap.hotspot_pdf(_base_layers(conn, ward), significant, repeats, areas, meta,
                                paper)


def coverage_pdf(conn, ward, paper: str = "A4", locale: str = "vi") -> bytes:
    table = service.coverage_table(conn, ward)
    rows = [{"code": r.code, "name": r.name, "houses": int(r.houses),
             "model_houses": int(r.model_houses),
             "share_near_model": None if r.share_near_model != r.share_near_model
             else float(r.share_near_model), "gap": bool(r.gap)} for r in table.itertuples()]
    layers = _base_layers(conn, ward)
    layers["houses"] = queries.read_layer(conn, LAYERS["boarding-houses"], ward.id,
                                          columns=["id", "model_status"])
    return printmap.coverage_pdf(layers, rows, _meta(conn, ward, locale), paper)


def filename(kind: str, ward, paper: str, month: str | None = None,
             atlas: bool = False, stamp: str | None = None) -> str:
    """``xep-hang-TAMPHUOC-2026-10-A4.pdf`` (ASCII, safe in a Content-Disposition);
    ``stamp`` (ward time of printing, ``20261202-1147``) goes last."""
    parts = [kind, ward.code, month, "atlas" if atlas else None, paper, stamp]
    return "-".join(p for p in parts if p) + ".pdf"

