"""Parse and validate API query parameters; every rejection names the field and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from geo import vocabulary as vocab
from geo.i18n import N_, Msgid
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
        raise ApiError(400, N_("bbox phải gồm 4 số: kinh độ tây, vĩ độ nam, kinh độ đông, vĩ "
                               "độ bắc."), field="bbox") from None
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise ApiError(400, N_("bbox không hợp lệ: cần tây < đông, nam < bắc, trong giới hạn "
                               "kinh độ ±180 và vĩ độ ±90."), field="bbox")
    return minx, miny, maxx, maxy


def parse_date(raw: str, field: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ApiError(400, N_("Ngày '%(raw)s' không hợp lệ ở tham số %(field)s: dùng dạng "
                           "yyyy-mm-dd hoặc dd/mm/yyyy."), field=field,
                   params={"raw": raw, "field": field})


def parse_codes(raw: str, vocabulary: dict, field: str, what: str) -> tuple[str, ...]:
    """``what``: the parameter's name for people (a msgid)."""
    codes = tuple(c.strip() for c in raw.split(",") if c.strip())
    unknown = [c for c in codes if c not in vocabulary]
    if unknown or not codes:
        raise ApiError(400, N_("%(what)s không hợp lệ: %(unknown)s. Giá trị được phép: "
                               "%(known)s."), field=field,
                       params={"what": Msgid(what), "unknown": ", ".join(unknown) or "—",
                               "known": ", ".join(vocabulary)})
    return codes


def parse_int(raw: str, field: str, minimum: int, maximum: int | None = None) -> int:
    """An integer query parameter in ``[minimum, maximum]``; without ``maximum`` it is
    still bounded by an Integer column (``INT32_MAX``: offsets, ids), so ``offset=10^20``
    is a 400, not a database error."""
    upper = INT32_MAX if maximum is None else maximum
    try:
        return whole(raw.strip() if isinstance(raw, str) else raw, minimum, upper)
    except OutOfRange:
        raise ApiError(400, N_("Tham số %(field)s phải ≥ %(minimum)s và ≤ %(upper)s."),
                       field=field, params={"field": field, "minimum": minimum,
                                            "upper": upper}) from None
    except NumberRefused:
        raise ApiError(400, N_("Tham số %(field)s phải là số nguyên."), field=field,
                       params={"field": field}) from None


def layer_filter(layer: Layer, args, neighbourhoods: Callable[[], dict[str, int]]) -> LayerFilter:
    """Build a ``LayerFilter`` from request ``args``; ``neighbourhoods()`` maps code/id → id
    (read only when the request filters by khu phố: most map requests do not)."""
    unknown = sorted(set(args) - allowed_parameters(layer))
    if unknown:
        allowed = ", ".join(sorted(allowed_parameters(layer)))
        raise ApiError(400, N_("Tham số không được hỗ trợ cho lớp %(layer)s: %(unknown)s. "
                               "Được phép: %(allowed)s."), field=unknown[0],
                       params={"layer": layer.name, "unknown": ", ".join(unknown),
                               "allowed": allowed})
    flt = LayerFilter()
    if "bbox" in args:
        flt.bbox = parse_bbox(args["bbox"])
    if "from" in args:
        flt.date_from = parse_date(args["from"], "from")
    if "to" in args:
        flt.date_to = parse_date(args["to"], "to")
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ApiError(400, N_("Ngày bắt đầu (from) phải trước hoặc bằng ngày kết thúc (to)."),
                       field="from")
    if "category" in args:
        flt.categories = parse_codes(args["category"], vocab.INCIDENT_CATEGORIES, "category",
                                     N_("Loại vi phạm"))
    if "status" in args:
        flt.statuses = parse_codes(args["status"], STATUS_VOCABULARIES[layer.name], "status",
                                   N_("Trạng thái"))
    if "neighbourhood" in args:
        key = args["neighbourhood"].strip()
        neighbourhoods = neighbourhoods()
        if key not in neighbourhoods:
            raise ApiError(400, N_("Không có khu phố '%(key)s' trong phường này."),
                           field="neighbourhood", params={"key": key})
        flt.neighbourhood_id = neighbourhoods[key]
    return flt
