"""Row-level checks of an import: geometry, place in the ward, and each field's value.

Boarding houses and incidents go through the same rules as the field forms
(``geo.validate``); cells are first normalised from what spreadsheets and GIS files hold
(Excel dates and numbers, dd/mm/yyyy, "Có"/"Không", Vietnamese labels; ``geo.io.values``)
to what those rules read.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import shapely

from geo import schema, validate
from geo import vocabulary as vocab
from geo.field_reader import FieldReader
from geo.i18n import N_, Message, Msgid
from geo.io.fields import LAYER_FIELDS, code_of
from geo.io.values import _boolean, _day, _digits, _moment, cell, number
from geo.lazy import deferred
from geo.numbers import INT64_MAX

gpd = deferred("geopandas")
pd = deferred("pandas")

DATE_FIELDS = {"antt_commitment_on", "model_recognised_on", "last_inspection_on",
               "registered_on", "target_date", "started_on", "achieved_on", "accepted_on"}
MOMENT_FIELDS = {"observed_at", "resolved_at"}
BOOL_FIELDS = {"has_alarm", "has_escape_route", "fire_safety_pass"}
TEXT_FIELDS = {"code", "name", "address", "owner_name", "owner_phone", "owner_id_number",
               "head_name", "description", "minutes_no", "sponsors", "criteria"}
GEOMETRY_KINDS = {
    "neighbourhoods": ("Polygon", "MultiPolygon"),
    "streets": ("LineString", "MultiLineString"),
    "boarding-houses": ("Point", "MultiPoint"),
    "incidents": ("Point", "MultiPoint"),
    "model-streets": ("LineString", "MultiLineString", "Polygon", "MultiPolygon"),
}
_KIND_LABELS = {"Polygon": N_("vùng (polygon)"), "LineString": N_("đường (line)"),
                "Point": N_("điểm")}


def normalise(field: str, value, layer: str | None = None):
    value = cell(value)
    if value is None:
        return None
    if field in DATE_FIELDS:
        return _day(value)
    if field in MOMENT_FIELDS:
        return _moment(value)
    if field in BOOL_FIELDS:
        return _boolean(value)
    if field == "owner_phone":
        return _digits(value, 10)
    if field == "owner_id_number":
        return _digits(value, 12)
    if field in TEXT_FIELDS:  # a code or name typed as a number is still text
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return str(number(value)) if is_number else value
    value = code_of(field, value, layer)
    return number(value) if isinstance(value, str) and field not in (
        "category", "status", "house_type", "classification", "model_status",
        "street_class", "level", "kind") else value


# --- geometry -----------------------------------------------------------------------------

def check_geometry(layer: str, geom) -> tuple[object, str | None]:
    """The geometry to store for ``layer`` (single part for lines/points), or an error (a
    ``geo.i18n.Message``)."""
    if geom is None or geom.is_empty:
        return None, Message(N_("Thiếu hình học (trống)."))
    geom = shapely.force_2d(geom)
    kinds = GEOMETRY_KINDS[layer]
    if geom.geom_type not in kinds:
        return None, Message(N_("Sai loại hình học: cần %(wanted)s, tệp có %(found)s."),
                             wanted=Msgid(_KIND_LABELS[kinds[0]]), found=geom.geom_type)
    if geom.geom_type == "MultiPoint":
        if len(geom.geoms) != 1:
            return None, Message(N_("Một dòng có nhiều điểm: mỗi dòng chỉ một điểm."))
        geom = geom.geoms[0]
    if geom.geom_type == "MultiLineString":
        merged = shapely.line_merge(geom)
        if merged.geom_type != "LineString" and layer != "model-streets":
            return None, Message(N_("Đường gồm nhiều đoạn rời nhau: tách thành từng dòng."))
        geom = merged
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    if not geom.is_valid:
        return None, Message(N_("Hình học không hợp lệ (%(reason)s)."),
                             reason=shapely.is_valid_reason(geom))
    if geom.geom_type == "Point" and not (-180 <= geom.x <= 180 and -90 <= geom.y <= 90):
        return None, Message(N_("Tọa độ ngoài phạm vi kinh độ/vĩ độ (sai hệ tọa độ?)."))
    return geom, None


def outside_ward(geoms: gpd.GeoSeries, ward_boundary, metric_epsg: int,
                 tolerance_m: float) -> pd.Series:
    """Metres by which each geometry reaches outside the ward (0 inside / within tolerance)."""
    result = pd.Series(0.0, index=geoms.index)
    present = geoms.notna()
    if not present.any():
        return result
    metric = geoms[present].to_crs(epsg=metric_epsg)
    ward = gpd.GeoSeries([ward_boundary], crs=4326).to_crs(epsg=metric_epsg).iloc[0]
    allowed = ward.buffer(tolerance_m)
    for index, geom in metric.items():
        if allowed.covers(geom):
            continue
        points = shapely.points(shapely.get_coordinates(geom))
        result[index] = float(np.max(shapely.distance(points, ward)))
    return result


# --- attributes ---------------------------------------------------------------------------

def check_attributes(layer: str, payload: dict, now: datetime) -> tuple[dict, list]:
    """Typed values of one row and its ``(field, message)`` errors."""
    if layer == "model-streets":
        return _model_street(payload, now)
    if layer == "boarding-houses":
        clean, errors = validate.validate_boarding_house(payload, now.date())
        # A ward's list may lack owners' details: imports do not require them.
        optional = ("owner_name", "owner_phone")
        errors = [e for e in errors
                  if not (e[0] in optional and schema.code_of(e) == "required")]
        r = FieldReader(payload)
        r.day("last_inspection_on", N_("ngày kiểm tra gần nhất"), now.date())
        r.boolean("fire_safety_pass", N_("kết quả PCCC"))
        return {**clean, **r.clean}, errors + r.errors
    if layer == "incidents":
        categories = tuple(vocab.INCIDENT_CATEGORIES)
        clean, errors = validate.validate_incident(payload, now, categories)
        for key in ("attach_to", "boarding_house_uuid"):
            clean.pop(key, None)
        r = FieldReader(payload, schema.TRANSITION)
        r.choice("status", N_("trạng thái"), vocab.INCIDENT_STATUSES)
        r.clean["status"] = r.clean.get("status") or "reported"
        r.text("minutes_no", N_("số biên bản"))
        r.integer("fine_vnd", N_("số tiền phạt"), column_max=INT64_MAX)
        r.moment("resolved_at", N_("ngày xử lý xong"), now)
        return {**clean, **r.clean}, errors + r.errors
    r = FieldReader(payload, schema.NEIGHBOURHOOD if layer == "neighbourhoods"
                         else schema.STREET)
    if layer == "neighbourhoods":
        r.text("code", N_("mã khu phố"), required=True)
        r.text("name", N_("tên khu phố"), required=True)
        r.integer("population", N_("dân số"))
        r.integer("households", N_("số hộ"))
        r.text("head_name", N_("trưởng khu phố"))
    else:
        r.text("name", N_("tên đường"), required=True)
        r.choice("street_class", N_("loại đường"), vocab.STREET_CLASSES)
        r.clean["street_class"] = r.clean.get("street_class") or "local"
    return r.clean, r.errors


def field_labels(layer: str) -> dict[str, str]:
    """``{field: label}`` of ``layer``'s row report, each label a ``Message`` (the reader's
    language where it is shown)."""
    labels = {f.name: f.label for f in LAYER_FIELDS[layer]}
    labels.update(geometry=N_("hình học"), location=N_("vị trí"))
    return {name: Message(label) for name, label in labels.items()}


def _model_street(payload: dict, now: datetime) -> tuple[dict, list]:
    """A model street row: the desk form's rules (``geo.programme``), its status and dates as
    exported, and its checklist as JSON ``{code: true}`` or a list of the codes met."""
    import json

    from geo import programme

    payload = {**payload, "level": payload.get("level") or "neighbourhood",
               "kind": payload.get("kind") or "street"}
    clean, errors = programme.validate_model_street(payload, now.date())
    raw = payload.get("criteria")
    criteria: dict = {}
    if raw not in (None, ""):
        try:
            if isinstance(raw, dict | list):  # a GeoJSON property is already an object
                parsed = raw
            elif isinstance(raw, str) and raw[:1] in "{[":
                parsed = json.loads(raw)
            else:
                parsed = [p.strip() for p in str(raw).replace(",", ";").split(";") if p.strip()]
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            criteria = {str(k): bool(v) for k, v in parsed.items()}
        elif isinstance(parsed, list):
            criteria = {str(code): True for code in parsed}
        else:
            errors.append(schema.FieldError(
                "criteria", Message(N_("Tiêu chí đạt phải là JSON hoặc các mã cách nhau bởi ;")),
                "invalid"))
    clean["criteria"] = criteria
    return clean, errors
