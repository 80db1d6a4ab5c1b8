"""A register entry's geometry, and its rows in spreadsheets (export and all-or-nothing
import), from the type's definition (``geo.registers``).

A point comes as the phone's ``location`` (``geo.validate.validate_location``) or as
``lon``/``lat`` columns; a line or polygon as GeoJSON (the desk's drawing) or a ``wkt``
column. Everything is EPSG:4326, like every layer of the ward.
"""

from __future__ import annotations

import shapely
from shapely.geometry import mapping, shape

from geo import register_values
from geo.i18n import N_, Message, Msgid
from geo.numbers import NumberRefused, finite
from geo.text import fold, tidy
from geo.validate import validate_location

SHAPES = {"point": ("Point",), "line": ("LineString", "MultiLineString"),
          "polygon": ("Polygon", "MultiPolygon")}
# What a position must be, as a sentence names it (msgids).
SHAPE_WORDS = {"point": N_("điểm"), "line": N_("đường"), "polygon": N_("vùng")}
MAX_VERTICES = 5000
HEADERS_BASE = ("id", "lon", "lat", "wkt")


def _checked(geometry, kind: str) -> tuple[object | None, str | None]:
    if geometry.geom_type not in SHAPES[kind]:
        return None, Message(N_("Vị trí phải là %(kind)s, không phải %(shape)s."),
                             kind=Msgid(SHAPE_WORDS[kind]), shape=geometry.geom_type)
    if geometry.is_empty or shapely.get_num_coordinates(geometry) > MAX_VERTICES:
        return None, Message(N_("Hình vẽ trống hoặc quá %(n)s đỉnh."), n=MAX_VERTICES)
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return None, Message(N_("Vị trí ngoài phạm vi kinh độ/vĩ độ."))
    if not geometry.is_valid:
        return None, Message(N_("Hình vẽ tự cắt hoặc không hợp lệ: hãy vẽ lại."))
    return geometry, None


def geometry_from_payload(kind: str, payload: dict) -> tuple[object | None, dict, list]:
    """(shapely geometry, location details for a point, errors) from a submission."""
    if kind == "point" and payload.get("geometry") is None:
        location, errors = validate_location(payload.get("location"))
        if errors:
            return None, {}, errors
        return shapely.Point(location["lon"], location["lat"]), location, []
    raw = payload.get("geometry")
    if not isinstance(raw, dict):
        return None, {}, [("geometry", Message(N_("Chưa vẽ vị trí trên bản đồ.")))]
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
        return None, {}, [("geometry", Message(N_("Hình vẽ không đọc được (GeoJSON).")))]
    geometry, problem = _checked(geometry, kind)
    return (None, {}, [("geometry", problem)]) if problem else (geometry, {}, [])


def geometry_from_row(kind: str, row: dict) -> tuple[object | None, str | None]:
    """A spreadsheet row's geometry: ``lon``/``lat`` for a point, else ``wkt``."""
    if kind == "point" and tidy(row.get("lon")) and tidy(row.get("lat")):
        try:
            return _checked(shapely.Point(finite(row["lon"]), finite(row["lat"])), kind)
        except NumberRefused as refused:
            return None, Message(N_("Kinh độ/vĩ độ %(problem)s"), problem=refused.args[0])
    text = tidy(row.get("wkt"))
    if not text:
        return None, Message(N_("Thiếu vị trí: cột lon và lat.") if kind == "point"
                             else N_("Thiếu vị trí: cột wkt."))
    try:
        return _checked(shapely.from_wkt(text), kind)
    except shapely.errors.GEOSException:
        return None, Message(N_("Cột wkt không phải hình học WKT hợp lệ."))


def header_row(definition: dict, fields: list[dict]) -> list[str]:
    """The export's first row: position columns, then each field by its label."""
    return [*HEADERS_BASE, *(f["label"] for f in fields if f["kind"] != "photo")]


def export_row(entry_id: int, geometry, attributes: dict, fields: list[dict]) -> list:
    point = geometry.geom_type == "Point"
    return [entry_id, round(geometry.x, 7) if point else None,
            round(geometry.y, 7) if point else None, None if point else geometry.wkt,
            *(register_values.display(f, attributes.get(f["name"])) for f in fields
              if f["kind"] != "photo")]


def match_headers(definition: dict, headers: list) -> tuple[dict[int, str], list[str]]:
    """Column index → field name (or a position column) by label or name, accents and case
    folded; and the headers nobody knows (reported, never guessed)."""
    known = {fold(name): name for name in HEADERS_BASE}
    for field in definition["fields"]:
        if field["kind"] != "photo":
            known[fold(field["label"])] = known[fold(field["name"])] = field["name"]
    columns, unknown = {}, []
    for index, header in enumerate(headers):
        if header is None or not tidy(header):
            continue
        name = known.get(fold(header))
        if name is None:
            unknown.append(str(header))
        else:
            columns[index] = name
    return columns, unknown


def check_rows(definition: dict, headers: list, rows: list[list]) -> tuple[list[dict], list]:
    """Every data row checked: ``(clean rows, errors)`` with errors as
    ``(row number, column, message)``; the import stores nothing unless errors is empty.
    A clean row is ``{"row": number, "geometry": shapely, "attributes": {...}}``."""
    columns, unknown = match_headers(definition, headers)
    errors = [(1, header, Message(N_("Cột “%(header)s” không có trong sổ."), header=header))
              for header in unknown]
    clean = []
    for number, cells in enumerate(rows, start=2):
        if all(c is None or not tidy(c) for c in cells):
            continue
        row = {name: cells[i] for i, name in columns.items() if i < len(cells)}
        geometry, problem = geometry_from_row(definition["geometry"], row)
        if problem:
            errors.append((number, Message(N_("vị trí")), problem))
        values = {k: v for k, v in row.items() if k not in HEADERS_BASE}
        attributes, problems = register_values.validate_attributes(definition, values, photos=1,
                                                             strict=False)
        errors += [(number, field, message) for field, message in problems]
        clean.append({"row": number, "geometry": geometry, "attributes": attributes})
    if not clean and not errors:
        errors.append((1, "", Message(N_("Tệp không có dòng dữ liệu nào."))))
    return clean, errors


def feature(entry_id: int, geojson_text_geometry: dict, attributes: dict,
            fields: list[dict]) -> dict:
    """A GeoJSON feature for the map: labels as people read them, the raw values too."""
    shown = {f["label"]: register_values.display(f, attributes.get(f["name"])) for f in fields
             if f["kind"] != "photo" and attributes.get(f["name"]) not in (None, "")}
    return {"type": "Feature", "id": entry_id, "geometry": geojson_text_geometry,
            "properties": {"id": entry_id, "shown": shown,
                           **{f["name"]: attributes.get(f["name"]) for f in fields
                              if f["kind"] != "photo"}}}


def as_geojson(geometry) -> dict:
    return mapping(geometry)


# --- files ---------------------------------------------------------------------------------

def to_xlsx(title: str, headers: list, data: list[list]) -> bytes:
    """One sheet, every cell through ``geo.spreadsheet`` (no formula ever runs)."""
    import io

    import openpyxl

    from geo import spreadsheet

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = (title or "Sổ")[:31]
    spreadsheet.put_row(sheet, 1, headers)
    for number, row in enumerate(data, start=2):
        spreadsheet.put_row(sheet, number, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(headers: list, data: list[list]) -> bytes:
    import csv
    import io

    from geo import spreadsheet

    out = io.StringIO()
    writer = csv.writer(out)
    for row in (headers, *data):
        writer.writerow(spreadsheet.csv_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def read_xlsx(raw: bytes, max_rows: int = 20_000) -> tuple[list, list[list]]:
    """The first sheet's header and rows; ``ValueError`` (Vietnamese) if it is no XLSX."""
    import io
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ValueError(Message(N_("Tệp không phải bảng tính XLSX đọc được."))) from None
    sheet = book.worksheets[0]
    found = [list(r) for r in sheet.iter_rows(max_row=max_rows + 2, values_only=True)]
    book.close()
    if not found:
        raise ValueError(Message(N_("Bảng tính trống.")))
    if len(found) > max_rows + 1:
        raise ValueError(Message(N_("Tối đa %(n)s dòng cho một lần nhập."), n=max_rows))
    return found[0], found[1:]
