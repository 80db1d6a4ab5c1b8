"""Hotspots (Gi* cells, repeat locations) and model-house coverage: pages and GeoJSON."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.hotspots import hotspot_areas
from geo.i18n import N_
from models import queries
from webapp.analysis import bp, common
from webapp.api.params import parse_codes, parse_date, parse_int
from webapp.auth.permissions import require
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import Labels
from webapp.services import analysis as service

HOTSPOT_PARAMETERS = {"from", "to", "category", "cell", "ward"}
CELL_SIZES = (25, 50, 100, 200)
LIST_LENGTH = 30
CLASS_LABELS = {  # msgids, said in the request's language where shown
    "hot_99": N_("Điểm nóng — tin cậy 99%"), "hot_95": N_("Điểm nóng — tin cậy 95%"),
    "hot_90": N_("Điểm nóng — tin cậy 90%"), "cold_99": N_("Điểm lạnh — tin cậy 99%"),
    "cold_95": N_("Điểm lạnh — tin cậy 95%"), "cold_90": N_("Điểm lạnh — tin cậy 90%"),
}
CLASS_COLOURS = {"hot_99": "#b2182b", "hot_95": "#ef6548", "hot_90": "#fdbb84",
                 "cold_99": "#2166ac", "cold_95": "#67a9cf", "cold_90": "#d1e5f0"}
COVERAGE_CLASSES = (  # share of houses within 300 m of a model house, lightest = worst
    (0.75, "#3f007d", N_("Từ 75% trở lên")), (0.5, "#6a51a3", N_("50% – dưới 75%")),
    (0.25, "#9e9ac8", N_("25% – dưới 50%")), (1e-9, "#dadaeb", N_("Dưới 25%")),
    (0.0, "#fcfbfd", N_("0% (không nhà nào gần)")),
)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):  # the same day of that month, or its last day
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def hotspot_params(args, ward) -> dict:
    """Categories, [start, end] and cell size asked for; ``ApiError`` (400) if bad."""
    unknown = sorted(set(args) - HOTSPOT_PARAMETERS)
    if unknown:
        raise ApiError(400, N_("Tham số không được hỗ trợ: %(unknown)s. Được phép: "
                               "%(allowed)s."), field=unknown[0],
                       params={"unknown": ", ".join(unknown),
                               "allowed": ", ".join(sorted(HOTSPOT_PARAMETERS))})
    _, last = queries.incident_date_range(db.conn, ward.id)
    today = local_now().date()
    end = min(last.date(), today) if last else today
    if args.get("to"):
        end = parse_date(args["to"], "to")
    start = _months_before(end, 6) + timedelta(days=1)
    if args.get("from"):
        start = parse_date(args["from"], "from")
    if start > end:
        raise ApiError(400, N_("Ngày bắt đầu (from) phải trước hoặc bằng ngày kết thúc (to)."),
                       field="from")
    categories = vocab.ENCROACHMENT
    if "category" in args:
        raw = ",".join(args.getlist("category"))
        categories = parse_codes(raw, vocab.INCIDENT_CATEGORIES, "category", N_("Loại vi phạm"))
    cell = parse_int(args.get("cell") or "50", "cell", 25, 500)
    return {"categories": tuple(categories), "start": start, "end": end, "cell": cell}


def _hotspot_features(cells, repeats) -> tuple[list[dict], list[dict]]:
    significant = cells[cells["cls"].isin(list(CLASS_LABELS))]
    cell_features = [common.feature(row.geometry, {
        "rank": i + 1, "z": round(float(row.z), 2), "p": round(float(row.p), 5),
        "cls": row.cls, "cls_label": _(CLASS_LABELS[row.cls]), "count": int(row.count),
        "neighbourhood": row.neighbourhood, "street": row.street,
    }) for i, row in enumerate(significant.itertuples())]
    repeat_features = [common.feature(row.geometry, {
        "category": row.category,
        "category_label": _(vocab.label(vocab.INCIDENT_CATEGORIES, row.category)),
        "count": int(row.count), "first_seen": row.first_seen.date().isoformat(),
        "last_seen": row.last_seen.date().isoformat(),
        "neighbourhood": getattr(row, "neighbourhood", None),
        "street": getattr(row, "street", None),
    }) for row in repeats.itertuples()]
    return cell_features, repeat_features


def _areas(cells) -> list[dict]:
    """Touching hot cells as one hotspot each; ``rank`` is the peak cell's map feature."""
    significant = cells[cells["cls"].isin(list(CLASS_LABELS))].reset_index(drop=True)
    areas = hotspot_areas(significant)
    return [{"rank": int(a.peak) + 1, "z": round(float(a.max_z), 2), "cls": a.cls,
             "count": int(a.incidents), "cells": int(a.cells),
             "neighbourhood": significant.at[int(a.peak), "neighbourhood"],
             "street": significant.at[int(a.peak), "street"]} for a in areas.itertuples()]


@bp.get("/api/v1/hotspots")
@require("view_analysis")
def hotspots_api():
    ward = common.ward()
    params = hotspot_params(request.args, ward)
    cells, repeats = service.hotspot_analysis(db.conn, ward, params["categories"],
                                              params["start"], params["end"], params["cell"])
    cell_features, repeat_features = _hotspot_features(cells, repeats)
    return common.geojson({
        "parameters": {"categories": list(params["categories"]),
                       "from": params["start"].isoformat(), "to": params["end"].isoformat(),
                       "cell_m": params["cell"]},
        "incidents": int(cells["count"].sum()) if len(cells) else 0,
        "cells": {"type": "FeatureCollection", "features": cell_features},
        "repeats": {"type": "FeatureCollection", "features": repeat_features},
    })


@bp.get("/hotspots")
@require("view_analysis")
def hotspots():
    ward = common.ward()
    error, status, hot, summary, repeats_list = None, 200, [], {}, []
    try:
        params = hotspot_params(request.args, ward)
    except ApiError as bad:
        error, status = bad.message, 400
        params = hotspot_params({}, ward)
    config = {"ward": ward.code, "classColours": CLASS_COLOURS,
              "classLabels": dict(Labels(CLASS_LABELS)),
              "api": url_for("api.index"), "categories": vocab.INCIDENT_CATEGORIES}
    if error is None:
        cells, repeats = service.hotspot_analysis(db.conn, ward, params["categories"],
                                                  params["start"], params["end"],
                                                  params["cell"])
        cell_features, repeat_features = _hotspot_features(cells, repeats)
        hot = _areas(cells)[:LIST_LENGTH]
        summary = {cls: sum(f["properties"]["cls"] == cls for f in cell_features)
                   for cls in CLASS_LABELS}
        summary["incidents"] = int(cells["count"].sum()) if len(cells) else 0
        repeats_list = [f["properties"] for f in repeat_features]
        config["hotspotsApi"] = url_for(
            "analysis.hotspots_api", **{"from": params["start"].isoformat(),
                                        "to": params["end"].isoformat(),
                                        "category": ",".join(params["categories"]),
                                        "cell": params["cell"]})
    shell = common.map_shell(ward)
    config["map"] = shell["name"]
    shown = {name: request.args.get(name) if error else fmt.day(params[key])
             for name, key in (("from", "start"), ("to", "end"))}
    return render_template(
        "analysis/hotspots.html", ward=ward, shell=shell, config=config, params=params,
        form_from=shown["from"] or "", form_to=shown["to"] or "",
        error=error, hot=hot, summary=summary, repeats=repeats_list,
        categories=vocab.INCIDENT_CATEGORIES, cell_sizes=CELL_SIZES,
        class_labels=Labels(CLASS_LABELS), class_colours=CLASS_COLOURS), status


def _coverage_rows(ward) -> list[dict]:
    table = service.coverage_table(db.conn, ward)
    rows = []
    for row in table.itertuples():
        rows.append({"id": int(row.id), "code": row.code, "name": row.name,
                     "houses": int(row.houses), "model_houses": int(row.model_houses),
                     "share_model": common.plain(row.share_model),
                     "residents": int(row.residents),
                     "model_residents": int(row.model_residents),
                     "near_model": int(row.near_model),
                     "share_near_model": common.plain(row.share_near_model),
                     "gap": bool(row.gap), "geometry": row.geometry})
    return sorted(rows, key=lambda r: (not r["gap"], r["code"]))


@bp.get("/api/v1/coverage")
@require("view_analysis")
def coverage_api():
    ward = common.ward()
    unknown = sorted(set(request.args) - {"ward"})
    if unknown:
        raise ApiError(400, N_("Tham số không được hỗ trợ: %(unknown)s."), field=unknown[0],
                       params={"unknown": ", ".join(unknown)})
    features = [common.feature(r.pop("geometry"), r, r["id"]) for r in _coverage_rows(ward)]
    return common.geojson({"type": "FeatureCollection", "features": features,
                           "within_m": 300,
                           "ward": {"code": ward.code, "name": ward.name,
                                    "synthetic": ward.is_synthetic}})


@bp.get("/coverage")
@require("view_analysis")
def coverage():
    ward = common.ward()
    rows = _coverage_rows(ward)
    houses = sum(r["houses"] for r in rows)
    totals = {"houses": houses, "model_houses": sum(r["model_houses"] for r in rows),
              "near": sum(r["near_model"] for r in rows),
              "residents": sum(r["model_residents"] for r in rows),
              "gaps": sum(r["gap"] for r in rows), "kps": len(rows)}
    totals["share_near"] = totals["near"] / houses if houses else None
    shell = common.map_shell(ward)
    config = {"map": shell["name"], "ward": ward.code, "api": url_for("api.index"),
              "coverageApi": url_for("analysis.coverage_api"),
              "classes": [[low, colour, _(text)] for low, colour, text in COVERAGE_CLASSES]}
    return render_template("analysis/coverage.html", ward=ward, shell=shell, config=config,
                           rows=rows, totals=totals, classes=config["classes"])
