"""Shared by the analysis views: the ward and month of a request, JSON values, map shell."""

from __future__ import annotations

import math

from flask import abort, current_app, request
from flask_babel import gettext as _
from shapely.geometry import mapping

from geo import formatting as fmt
from geo import ranking
from geo.i18n import N_
from models import queries
from webapp import jsonio, wards
from webapp.analysis import bp
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.map.builder import ward_map
from webapp.security import csp_nonce
from webapp.services import analysis as service

# Tiers from best to worst: one hue, darkest first, so a grey print keeps the order.
TIER_COLOURS = {"excellent": "#08306b", "good": "#2171b5", "pass": "#6baed6",
                "below": "#deebf7"}
TIER_TEXT = {"excellent": "#ffffff", "good": "#ffffff", "pass": "#08306b", "below": "#08306b"}
# msgids, said in the reader's language where shown
STATUS_LABELS = {"ranked": N_("Đã xếp hạng"), "insufficient_data": N_("Thiếu dữ liệu")}


def ward():
    """The ward of the request (the user's own); 404 as a page or as JSON on the API."""
    try:
        return wards.resolve(request.args.get("ward"))
    except wards.NoWard as missing:
        if request.path.startswith("/api/"):
            raise ApiError(404, N_("Không tìm thấy phường '%(missing)s'."), field="ward",
                           params={"missing": str(missing)}) from None
        abort(404)


def month_arg(conn, ward_row) -> tuple[str, str | None]:
    """The month asked for (default: the latest complete one) and a problem to show."""
    raw = request.args.get("month")
    if raw:
        try:
            return fmt.parse_month(raw), None
        except ValueError:
            return (service.latest_month(conn, ward_row),
                    _("Tháng '%(raw)s' không hợp lệ (dùng dạng yyyy-mm); đang hiển thị tháng "
                      "gần nhất.", raw=raw))
    return service.latest_month(conn, ward_row), None


def api_month(conn, ward_row) -> str:
    raw = request.args.get("month")
    if not raw:
        return service.latest_month(conn, ward_row)
    try:
        return fmt.parse_month(raw)
    except ValueError:
        raise ApiError(400, N_("Tháng '%(raw)s' không hợp lệ ở tham số month: dùng dạng "
                               "yyyy-mm."), field="month", params={"raw": raw}) from None


def shift_month(month: str, months: int) -> str:
    year, mon = (int(p) for p in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def this_month() -> str:
    return fmt.month_key(local_now())


def plain(value):
    """JSON-safe: NaN → None, numpy scalars → Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def feature(geometry, properties: dict, feature_id=None) -> dict:
    out = {"type": "Feature", "geometry": mapping(geometry) if geometry is not None else None,
           "properties": {k: plain(v) for k, v in properties.items()}}
    if feature_id is not None:
        out["id"] = plain(feature_id)
    return out


geojson = jsonio.geojson_response


def map_shell(ward_row) -> dict:
    """The folium/Leaflet shell of an analysis map, its scripts carrying the CSP nonce."""
    shell = ward_map(queries.ward_extent(db.conn, ward_row.id), current_app.config["TILE_URL"],
                     current_app.config["TILE_ATTRIBUTION"])
    for part in ("header", "body", "script"):
        shell[part] = shell[part].replace("<script>", f'<script nonce="{csp_nonce()}">')
    return shell


def tier_labels(rubric) -> dict[str, str]:
    """The rubric's tier labels in the request's language (``geo.ranking.tier_labels``)."""
    return ranking.tier_labels(rubric.tiers, current_language())


bp.add_app_template_global(TIER_COLOURS, "tier_colours")
bp.add_app_template_global(TIER_TEXT, "tier_text")
