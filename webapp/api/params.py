"""Parse and validate API query parameters; every rejection names the field and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from geo import vocabulary as vocab
from geo.numbers import INT32_MAX, NumberRefused, OutOfRange, whole
from models.queries import Layer, LayerFilter
from webapp.errors import ApiError

COMMON = {"bbox", "neighbourhood", "limit", "offset", "ward"}
STATUS_VOCABULARIES = {
    "incidents": vocab.INCIDENT_STATUSES,
    "model-streets": vocab.MODEL_STREET_STATUSES,
    "boarding-houses": vocab.MODEL_HOUSE_STATUSES,
}


def allowed_parameters(layer: Layer) -> set[str]:
    allowed = set(COMMON)
    if layer.date_column:
        allowed |= {"from", "to"}
    if layer.category_column:
        allowed.add("category")
    if layer.status_column:
        allowed.add("status")
    return allowed


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    parts = raw.split(",")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise ApiError(400, "bbox phải gồm 4 số: kinh độ tây, vĩ độ nam, kinh độ đông, vĩ độ bắc.",
                       "bbox must be four numbers: minlon,minlat,maxlon,maxlat.", "bbox") from None
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise ApiError(400, "bbox không hợp lệ: cần tây < đông, nam < bắc, trong giới hạn "
                       "kinh độ ±180 và vĩ độ ±90.",
                       "bbox out of range or min >= max.", "bbox")
    return minx, miny, maxx, maxy


def parse_date(raw: str, field: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ApiError(400, f"Ngày '{raw}' không hợp lệ ở tham số {field}: dùng dạng yyyy-mm-dd "
                   "hoặc dd/mm/yyyy.", f"Invalid date '{raw}' in {field}: use yyyy-mm-dd.", field)


def parse_codes(raw: str, vocabulary: dict, field: str, what_vi: str) -> tuple[str, ...]:
    codes = tuple(c.strip() for c in raw.split(",") if c.strip())
    unknown = [c for c in codes if c not in vocabulary]
    if unknown or not codes:
        known = ", ".join(vocabulary)
        raise ApiError(400, f"{what_vi} không hợp lệ: {', '.join(unknown) or '(trống)'}. "
                       f"Giá trị được phép: {known}.",
                       f"Unknown {field}: {', '.join(unknown) or '(empty)'}. Allowed: {known}.",
                       field)
    return codes


def parse_int(raw: str, field: str, minimum: int, maximum: int | None = None) -> int:
    """An integer query parameter in ``[minimum, maximum]``; without ``maximum`` it is
    still bounded by an Integer column (``INT32_MAX``: offsets, ids), so ``offset=10^20``
    is a 400, not a database error."""
    upper = INT32_MAX if maximum is None else maximum
    try:
        return whole(raw.strip() if isinstance(raw, str) else raw, minimum, upper)
    except OutOfRange:
        raise ApiError(400, f"Tham số {field} phải ≥ {minimum} và ≤ {upper}.",
                       f"{field} must be >= {minimum} and <= {upper}.", field) from None
    except NumberRefused:
        raise ApiError(400, f"Tham số {field} phải là số nguyên.",
                       f"{field} must be an integer.", field) from None


def layer_filter(layer: Layer, args, neighbourhoods: Callable[[], dict[str, int]]) -> LayerFilter:
    """Build a ``LayerFilter`` from request ``args``; ``neighbourhoods()`` maps code/id → id
    (read only when the request filters by khu phố: most map requests do not)."""
    unknown = sorted(set(args) - allowed_parameters(layer))
    if unknown:
        allowed = ", ".join(sorted(allowed_parameters(layer)))
        raise ApiError(400, f"Tham số không được hỗ trợ cho lớp {layer.name}: "
                       f"{', '.join(unknown)}. Được phép: {allowed}.",
                       f"Unsupported parameter(s) for {layer.name}: {', '.join(unknown)}. "
                       f"Allowed: {allowed}.", unknown[0])
    flt = LayerFilter()
    if "bbox" in args:
        flt.bbox = parse_bbox(args["bbox"])
    if "from" in args:
        flt.date_from = parse_date(args["from"], "from")
    if "to" in args:
        flt.date_to = parse_date(args["to"], "to")
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ApiError(400, "Ngày bắt đầu (from) phải trước hoặc bằng ngày kết thúc (to).",
                       "'from' must not be after 'to'.", "from")
    if "category" in args:
        flt.categories = parse_codes(args["category"], vocab.INCIDENT_CATEGORIES, "category",
                                     "Loại vi phạm")
    if "status" in args:
        flt.statuses = parse_codes(args["status"], STATUS_VOCABULARIES[layer.name], "status",
                                   "Trạng thái")
    if "neighbourhood" in args:
        key = args["neighbourhood"].strip()
        neighbourhoods = neighbourhoods()
        if key not in neighbourhoods:
            raise ApiError(400, f"Không có khu phố '{key}' trong phường này.",
                           f"No neighbourhood '{key}' in this ward.", "neighbourhood")
        flt.neighbourhood_id = neighbourhoods[key]
    return flt
