"""Monthly khu phố ranking: the page, publishing, one khu phố's score, the GeoJSON."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from geo import formatting as fmt
from geo import ranking as scoring
from models import ledger_verify, queries, records
from webapp.analysis import bp, charts, common
from webapp.auth.permissions import require
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.services import analysis as service
from webapp.services import publishing

PERCENT_CRITERIA = {"model_street_progress", "ads_handled_48h", "frontage_commitments",
                    "houses_classified", "antt_commitments", "fire_safety_pass",
                    "public_order_vs_base", "public_order_vs_2025"}


def _official(view: dict) -> list[dict]:
    """The rows that count: the published snapshot's when there is one."""
    return list(view["published"].rows) if view["published"] else view["current"]


def _month_nav(month: str) -> dict:
    latest = common.this_month()
    following = common.shift_month(month, 1)
    return {"prev": common.shift_month(month, -1),
            "next": following if following <= latest else None, "max": latest}


def _page(ward, month: str, problem: str | None = None):
    conn = db.conn
    view = service.ranking_view(conn, ward, month)
    rubric = view["rubric"]
    shell = common.map_shell(ward)
    config = {"map": shell["name"], "ward": ward.code, "month": month,
              "rankingApi": url_for("analysis.ranking_api", month=month),
              "detailUrl": url_for("analysis.neighbourhood", code="__CODE__", month=month),
              "tierColours": common.TIER_COLOURS, "tierText": common.TIER_TEXT}
    history = view["history"]
    return render_template(
        "analysis/ranking.html", ward=ward, month=month, nav=_month_nav(month), shell=shell,
        config=config, rows=_official(view), published=view["published"],
        check=history[0][1] if history else None, superseded=history[1:],
        options=publishing.options(current_user, month, view["published"]),
        differences=view["differences"], rubric_changed=view["rubric_changed"],
        rubric=rubric, tier_labels=common.tier_labels(rubric),
        status_labels=common.STATUS_LABELS, problem=problem)


@bp.get("/ranking")
@require("view_analysis")
def ranking():
    ward = common.ward()
    month, problem = common.month_arg(db.conn, ward)
    return _page(ward, month, problem)


def _publish(supersede: bool):
    ward = common.ward()
    try:
        month = fmt.parse_month(request.form.get("month"))
    except ValueError:
        flash(_("Tháng cần công bố không hợp lệ."), "error")
        return redirect(url_for("analysis.ranking"))
    try:
        with db.transaction() as conn:
            publishing.publish(conn, ward, current_user, month, request.form.get("reason"),
                               supersede=supersede)
    except ApiError as refused:
        flash(refused.message, "error")
        return _page(ward, month), refused.status
    except IntegrityError:  # published by someone else at the same moment
        flash(_("Xếp hạng tháng %(month)s đã được công bố; bản đã công bố không thể sửa.",
                month=fmt.month(month, locale=current_language())), "error")
        return _page(ward, month), 409
    label = fmt.month(month, locale=current_language())
    if supersede:
        flash(_("Đã thay thế bảng xếp hạng tháng %(month)s: bản mới là bản chính thức, bản cũ "
                "vẫn được giữ và ghi là “đã thay thế”.", month=label), "info")
    else:
        flash(_("Đã công bố xếp hạng khu phố tháng %(month)s. Bản công bố được giữ nguyên, "
                "không thay đổi về sau.", month=label), "info")
    return redirect(url_for("analysis.ranking", month=month))


@bp.post("/ranking/publish")
@require("publish_ranking")
def publish():
    return _publish(supersede=False)


@bp.post("/ranking/supersede")
@require("override_ranking")
def supersede():
    return _publish(supersede=True)


def _value_text(code: str, value) -> str:
    if value is None:
        return "—"
    locale = current_language()
    if code in PERCENT_CRITERIA:
        return fmt.percent(value, missing=fmt.DASH, locale=locale)
    if code == "encroachment_per_km":
        return _("%(count)s vụ/km", count=fmt.number(value, 2, locale=locale))
    if code == "model_house":
        return _("%(count)s nhà trọ", count=int(value))
    return fmt.number(value, 2, locale=locale)


def _criteria(row: dict, rubric: scoring.Rubric) -> list[dict]:
    """The row's criteria in the rubric's order, labelled (older versions' codes last)."""
    known = {c["code"]: c for c in (*scoring.Rubric.default().criteria, *rubric.criteria)}
    labels = scoring.criterion_labels(rubric, current_language())
    order = [c["code"] for c in rubric.criteria if c["code"] in row["criteria"]]
    order += sorted(code for code in row["criteria"] if code not in order)
    out = []
    for code in order:
        item = row["criteria"][code]
        meta = known.get(code, {})
        out.append({"code": code, "label": labels.get(code, code),
                    "source": meta.get("source", ""), "points": item.get("points"),
                    "max": item.get("max"), "value": _value_text(code, item.get("value")),
                    "note": item.get("note", ""), "applies": item.get("points") is not None})
    return out


@bp.get("/ranking/<code>")
@require("view_analysis")
def neighbourhood(code: str):
    ward = common.ward()
    conn = db.conn
    month, problem = common.month_arg(conn, ward)
    published = records.snapshot(conn, ward.id, month)
    rubric = service.rubric_for(conn, ward.id)
    rows = list(published.rows) if published else service.compute(conn, ward, month, rubric)
    row = next((r for r in rows if r["code"] == code), None)
    if row is None:
        abort(404)
    trend = service.trend(conn, ward, row["neighbourhood_id"], month)
    return render_template(
        "analysis/neighbourhood.html", ward=ward, month=month, nav=_month_nav(month), row=row,
        criteria=_criteria(row, rubric), published=published, trend=trend,
        check=ledger_verify.check_snapshot(conn, published) if published else None,
        chart=charts.trend_chart(trend, rubric.tiers), tier_labels=common.tier_labels(rubric),
        status_labels=common.STATUS_LABELS, ranked_count=sum(r["rank"] is not None for r in rows),
        problem=problem)


@bp.get("/api/v1/ranking")
@require("view_analysis")
def ranking_api():
    ward = common.ward()
    conn = db.conn
    month = common.api_month(conn, ward)
    published = records.snapshot(conn, ward.id, month)
    rubric = service.rubric_for(conn, ward.id)
    rows = list(published.rows) if published else service.compute(conn, ward, month, rubric)
    by_id = {r["neighbourhood_id"]: r for r in rows}
    labels = common.tier_labels(rubric)
    kp = queries.read_layer(conn, queries.LAYERS["neighbourhoods"], ward.id,
                            columns=["id", "code", "name"])
    features = []
    for item in kp.sort_values("code").itertuples():
        row = by_id.get(item.id)
        if row is None:
            continue
        spot = item.geometry.representative_point()
        features.append(common.feature(item.geometry, {
            "code": row["code"], "name": row["name"], "rank": row["rank"],
            "total": row["total"], "tier": row["tier"],
            "tier_label": labels.get(row["tier"], row["tier"] or ""),
            "status": row["status"], "status_label": _(common.STATUS_LABELS[row["status"]])
            if row["status"] in common.STATUS_LABELS else "",
            "rank_change": row.get("rank_change"), "total_change": row.get("total_change"),
            "published": published is not None,
            "label_point": [round(spot.x, 6), round(spot.y, 6)],
        }, item.id))
    body = {
        "type": "FeatureCollection", "features": features, "month": month,
        "published": None if published is None else {
            "published_at": published.published_at.isoformat(timespec="minutes"),
            "published_by": published.published_by_name,
            "rubric_version": published.rubric_version,
            "content_hash": published.content_hash, "revision": published.revision,
            "early": published.early, "reason": published.reason,
            "verified": ledger_verify.check_snapshot(conn, published) is None},
        "rubric_version": published.rubric_version if published else rubric.version,
        "ward": {"code": ward.code, "name": ward.name, "synthetic": ward.is_synthetic},
    }
    return common.geojson(body)
