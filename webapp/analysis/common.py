"""Shared by the analysis views: the ward and month of a request, number formats, map shell."""

from __future__ import annotations

import math
from datetime import datetime

from flask import abort, current_app, request
from shapely.geometry import mapping

from models import queries
from webapp import jsonio, wards
from webapp.analysis import bp
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.map.builder import ward_map
from webapp.security import csp_nonce
from webapp.services import analysis as service

# Tiers from best to worst: one hue, darkest first, so a grey print keeps the order.
TIER_COLOURS = {"excellent": "#08306b", "good": "#2171b5", "pass": "#6baed6",
                "below": "#deebf7"}
TIER_TEXT = {"excellent": "#ffffff", "good": "#ffffff", "pass": "#08306b", "below": "#08306b"}
STATUS_LABELS = {"ranked": "Đã xếp hạng", "insufficient_data": "Thiếu dữ liệu"}


def ward():
    """The ward of the request (the user's own); 404 as a page or as JSON on the API."""
    try:
        return wards.resolve(request.args.get("ward"))
    except wards.NoWard as missing:
        if request.path.startswith("/api/"):
            raise ApiError(404, f"Không tìm thấy phường '{missing}'.",
                           f"Ward '{missing}' not found.", "ward") from None
        abort(404)


def parse_month(raw: str | None) -> str:
    """``"yyyy-mm"`` (or ``"mm/yyyy"``) → ``"yyyy-mm"``; ``ValueError`` if not a month."""
    value = (raw or "").strip()
    for fmt in ("%Y-%m", "%m/%Y"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if 2000 <= parsed.year <= 2100:
            return parsed.strftime("%Y-%m")
    raise ValueError(value)


def month_arg(conn, ward_row) -> tuple[str, str | None]:
    """The month asked for (default: the latest complete one) and a problem to show."""
    raw = request.args.get("month")
    if raw:
        try:
            return parse_month(raw), None
        except ValueError:
            return (service.latest_month(conn, ward_row),
                    f"Tháng '{raw}' không hợp lệ (dùng dạng yyyy-mm); đang hiển thị tháng "
                    "gần nhất.")
    return service.latest_month(conn, ward_row), None


def api_month(conn, ward_row) -> str:
    raw = request.args.get("month")
    if not raw:
        return service.latest_month(conn, ward_row)
    try:
        return parse_month(raw)
    except ValueError:
        raise ApiError(400, f"Tháng '{raw}' không hợp lệ ở tham số month: dùng dạng yyyy-mm.",
                       f"Invalid month '{raw}': use yyyy-mm.", "month") from None


def shift_month(month: str, months: int) -> str:
    year, mon = (int(p) for p in month.split("-"))
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def this_month() -> str:
    return local_now().strftime("%Y-%m")


def month_vi(month: str | None) -> str:
    """``"2026-10"`` → ``"10/2026"``."""
    if not month:
        return ""
    year, _, mon = str(month).partition("-")
    return f"{mon}/{year}"


def vn_decimal(value, digits: int = 2) -> str:
    """``81.745`` → ``"81,75"`` (Vietnamese decimal comma); empty for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{vn_decimal(100 * float(value), digits)}%"


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
    return {tier["code"]: tier.get("label", tier["code"]) for tier in rubric.tiers}


for _name, _function in (("month_vi", month_vi), ("vn_decimal", vn_decimal),
                         ("vn_percent", vn_percent)):
    bp.add_app_template_filter(_function, _name)
bp.add_app_template_global(TIER_COLOURS, "tier_colours")
bp.add_app_template_global(TIER_TEXT, "tier_text")
