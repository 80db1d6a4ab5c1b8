"""Files in, checked: ``check_import`` builds every row's geometry (any CRS, VN-2000
included), maps the columns and validates each row with Vietnamese messages; a caller stores
the rows only when ``ImportCheck.ok``.

Pure functions on GeoDataFrames (no Flask, no SQL).
"""

from __future__ import annotations

import math
from datetime import datetime

import shapely
import shapely.errors
from pyproj import CRS

from geo import formatting
from geo.crs import VN2000_TM3
from geo.i18n import N_, Figure, Message
from geo.io import street_files, tiling
from geo.io.errors import ReadError
from geo.io.fields import LAYER_FIELDS
from geo.io.read import RawFile
from geo.io.results import ImportCheck, RowError
from geo.io.rows import check_attributes, check_geometry, field_labels, normalise, outside_ward
from geo.io.values import coordinate
from geo.lazy import deferred
from geo.numbers import NOT_FINITE

gpd = deferred("geopandas")
pd = deferred("pandas")

# The CRSs a file may be in when it does not say so, each named by a geo.i18n.Message.
SOURCE_CRS_CHOICES = {4326: Message(N_("WGS 84 (kinh độ / vĩ độ)")), **VN2000_TM3}


def _epsg_label(crs) -> str:
    """The file's CRS as the import report names it: ``EPSG:5899 VN-2000 / TM-3 …``, our
    name (a ``geo.i18n.Message``) of a CRS we offer, else pyproj's."""
    epsg = CRS.from_user_input(crs).to_epsg()
    if not epsg:
        return CRS.from_user_input(crs).name
    # A pattern of values, no msgid: the same in every language, the name translated.
    return Message("EPSG:%(epsg)s %(name)s", epsg=epsg,
                   name=SOURCE_CRS_CHOICES.get(epsg, CRS.from_user_input(crs).name))


def build_geometry(raw: RawFile, mapping: dict[str, str], source_epsg: int | None
                   ) -> tuple[gpd.GeoSeries, dict[int, str], list[str], str]:
    """Geometry of every row in EPSG:4326 (``None`` where broken), errors by row, notes."""
    frame, errors, notes = raw.frame, {}, []
    if not raw.tabular:
        geoms = frame.geometry
        crs = frame.crs
        if source_epsg and crs is not None and CRS.from_user_input(crs).to_epsg() != source_epsg:
            notes.append(Message(N_("Dùng hệ tọa độ đã chọn EPSG:%(epsg)s thay cho hệ tọa độ "
                                    "của tệp (%(crs)s)."), epsg=source_epsg, crs=_epsg_label(crs)))
        if source_epsg:
            crs = source_epsg
        if crs is None:
            raise ReadError(Message(N_("Tệp không có hệ tọa độ (.prj): hãy chọn hệ tọa độ, ví dụ "
                                       "VN-2000 EPSG:5899 (Đồng Nai) hoặc 9210 (TP.HCM).")))
        series = gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs=crs)
        return series.to_crs(4326), errors, notes, _epsg_label(crs)
    shapes = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if mapping.get("wkt"):
        for index, text in frame[mapping["wkt"]].items():
            try:
                shapes[index] = shapely.from_wkt(str(text)) if text not in (None, "") else None
            except shapely.errors.GEOSException:
                errors[index] = Message(N_("Hình học (WKT) không đọc được."))
    elif mapping.get("x") and mapping.get("y"):
        for index, (x, y) in frame[[mapping["x"], mapping["y"]]].iterrows():
            x, y = coordinate(x), coordinate(y)
            if x is None or y is None:
                errors[index] = Message(N_("Thiếu tọa độ (kinh độ/vĩ độ hoặc X/Y)."))
            elif not all(isinstance(v, int | float) for v in (x, y)):
                errors[index] = Message(N_("Tọa độ không phải số: %(x)s, %(y)s."), x=x, y=y)
            elif not all(math.isfinite(v) for v in (x, y)):
                errors[index] = Message(N_("Tọa độ %(problem)s: %(x)s, %(y)s."),
                                        problem=Message(NOT_FINITE), x=x, y=y)
            else:
                shapes[index] = shapely.Point(x, y)
    else:
        raise ReadError(Message(N_("Không tìm thấy cột tọa độ: cần cột kinh độ/vĩ độ (lon/lat), "
                                   "X/Y hoặc WKT — chọn ở phần ghép cột.")))
    present = [g for g in shapes if g is not None]
    coords = shapely.get_coordinates(present) if present else None
    geographic = coords is not None and (abs(coords[:, 0]) <= 180).all() and \
        (abs(coords[:, 1]) <= 90).all()
    crs = source_epsg or raw.epsg or (4326 if geographic or coords is None else None)
    if crs is None:
        raise ReadError(Message(N_("Tọa độ là X/Y mét nhưng tệp không cho biết hệ tọa độ: hãy "
                                   "chọn VN-2000 (EPSG:5899 Đồng Nai, 9210 TP.HCM, 3405…).")))
    if crs != 4326 and coords is not None and (coords[:, 0] > 900_000).all() and \
            (coords[:, 1] < 900_000).all():
        # Vietnamese surveyors write X for northing and Y for easting.
        shapes = shapes.map(lambda g: None if g is None else
                            shapely.transform(g, lambda xy: xy[:, ::-1]))
        notes.append(Message(N_("Cột X là tọa độ Bắc, Y là tọa độ Đông (quy ước trắc địa Việt "
                                "Nam): đã đổi chỗ.")))
    series = gpd.GeoSeries(shapes.to_numpy(), index=frame.index, crs=crs)
    return series.to_crs(4326), errors, notes, _epsg_label(crs)


def check_import(raw: RawFile, layer: str, mapping: dict[str, str], *, ward_boundary,
                 metric_epsg: int, now: datetime, source_epsg: int | None = None,
                 tolerance_m: float = 50.0, topology_tolerance_m: float = 2.0,
                 snap_slivers: bool = False) -> ImportCheck:
    """Dry run of an import: every row checked, nothing stored.

    ``mapping`` is ``{field: source column}`` (see ``guess_mapping``); ``now`` is the
    ward's local time (dates must not be in the future). Points up to ``tolerance_m``
    outside the ward boundary are accepted (GPS and digitising drift). Khu phố are also
    checked as a set (``geo.topology``): overlaps thicker than ``topology_tolerance_m`` are
    row errors, thinner slivers are snapped away when ``snap_slivers``.
    """
    labels = field_labels(layer)
    geoms, geometry_errors, notes, crs_label = build_geometry(raw, mapping, source_epsg)
    if layer == "streets":
        return _check_streets(raw, mapping, geoms, ward_boundary, metric_epsg,
                              [*raw.notes, *notes], crs_label)
    errors = [RowError(row, labels["geometry"], message)
              for row, message in geometry_errors.items()]
    checked = {}
    for row, geom in geoms.items():
        if row in geometry_errors:
            continue
        good, message = check_geometry(layer, geom)
        if message:
            errors.append(RowError(row, labels["geometry"], message))
        checked[row] = good
    placed = gpd.GeoSeries(pd.Series(checked, dtype=object), crs=4326)
    for row, metres in outside_ward(placed, ward_boundary, metric_epsg, tolerance_m).items():
        if metres > 0:
            errors.append(RowError(row, labels["location"], Message(
                N_("Nằm ngoài địa bàn phường (%(metres)s m từ ranh giới, cho phép %(allowed)s m)."),
                metres=Figure(formatting.integer, metres),
                allowed=Figure(formatting.integer, tolerance_m))))
    names = [f.name for f in LAYER_FIELDS[layer]]
    records, seen_codes = {}, {}
    for row, values in raw.frame.iterrows():
        payload = {name: normalise(name, values[mapping[name]], layer)
                   for name in names if mapping.get(name) in values.index}
        clean, problems = check_attributes(layer, payload, now)
        errors += [RowError(row, labels.get(f, f), m) for f, m in problems]
        if layer == "neighbourhoods" and clean.get("code"):
            if clean["code"] in seen_codes:
                errors.append(RowError(row, labels["code"], Message(
                    N_("Mã khu phố “%(code)s” trùng với dòng %(row)s."), code=clean["code"],
                    row=seen_codes[clean["code"]])))
            seen_codes.setdefault(clean["code"], row)
        records[row] = clean
    errors.sort(key=lambda e: (e.row, e.field))
    columns = list(dict.fromkeys(k for r in records.values() for k in r))
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in records.values()], dtype=object,
                                       index=list(records)) for c in columns},
                         index=list(records))
    clean = gpd.GeoDataFrame(frame, geometry=placed.reindex(frame.index), crs=4326)
    check = ImportCheck(layer, len(raw.frame), clean, errors, [*raw.notes, *notes], crs_label)
    if layer == "neighbourhoods" and not errors and len(clean):
        tiling.check_tiling(check, raw, mapping, ward_boundary, metric_epsg,
                                topology_tolerance_m, snap_slivers)
    return check


def _check_streets(raw: RawFile, mapping: dict[str, str], geoms: gpd.GeoSeries, ward_boundary,
                   metric_epsg: int, notes: list[str], crs_label: str) -> ImportCheck:
    """A street file as a whole (``geo.io.street_files``); nothing in it is a row error."""
    prep, class_notes = street_files.prepare(raw, mapping, geoms, ward_boundary, metric_epsg)
    if raw.osm:
        class_notes.append(Message(N_("Dữ liệu OpenStreetMap: tên lấy theo name:vi, rồi name, "
                                      "rồi ref; loại đường theo thẻ highway (bảng "
                                      "data/osm_highway.yaml).")))
    errors = [] if len(prep.streets) else [RowError(
        0, Message(N_("hình học")), Message(N_("Không còn đoạn đường nào trong ranh giới "
                                               "phường: kiểm tra hệ tọa độ và ranh giới phường.")))]
    return ImportCheck("streets", len(raw.frame), prep.streets, errors, [*notes, *class_notes],
                       crs_label, summary=prep.summary.lines())


def required_missing(layer: str, mapping: dict[str, str]) -> list[str]:
    """Labels of required fields that no column is mapped to."""
    return [f.label for f in LAYER_FIELDS[layer] if f.required and not mapping.get(f.name)]
