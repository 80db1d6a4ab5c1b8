"""Export files of a ward's layers: GeoJSON, GeoPackage, Shapefile (zip), XLSX, CSV.

Owner personal data (Decree 13/2023/NĐ-CP) is in a file only when the caller asked for it
*and* passed ``personal=True`` after checking the role; every such file writes one
``export_personal_data`` audit row on the same transaction that read the rows.

Every sheet cell goes through ``geo.spreadsheet`` (as the boarding-house CSV does): text a
spreadsheet would run as a formula is neutralised, characters an XLSX refuses are dropped,
phone and CCCD numbers keep their leading zero.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from geo import formatting, spreadsheet
from geo import io as geoio
from geo.i18n import N_, translate
from geo.lazy import deferred
from models import queries, records
from webapp.clock import local_now

gpd = deferred("geopandas")
pd = deferred("pandas")

FOREIGN_KEYS = ("neighbourhood_id", "street_id", "model_street_id", "boarding_house_id",
                "campaign_id", "recorded_by", "reported_by")
DIGIT_COLUMNS = ("owner_phone", "owner_id_number")
AUDIT_ENTITY = {"neighbourhoods": "neighbourhood", "streets": "street",
                "model-streets": "model_street", "boarding-houses": "boarding_house",
                "incidents": "incident"}


@dataclass
class ExportFile:
    body: bytes
    filename: str
    mimetype: str
    rows: int


def export_frame(conn, ward, layer: str, personal: bool = False) -> gpd.GeoDataFrame:
    """The layer as exported: public columns (owners' only if ``personal``), the khu phố
    code and name and the street name instead of internal ids, in EPSG:4326."""
    spec = queries.LAYERS[layer]
    gdf = queries.read_layer(conn, spec, ward.id, with_personal_data=personal)
    if "neighbourhood_id" in gdf.columns:
        kp = {r.id: r for r in queries.neighbourhood_names(conn, ward.id)}
        ids = gdf["neighbourhood_id"]
        gdf["neighbourhood_code"] = ids.map(lambda i: kp[i].code if i in kp else None)
        gdf["neighbourhood_name"] = ids.map(lambda i: kp[i].name if i in kp else None)
    if "street_id" in gdf.columns:
        streets = queries.read_layer(conn, queries.LAYERS["streets"], ward.id,
                                     columns=["id", "name"], geometry=False)
        names = dict(zip(streets["id"], streets["name"], strict=True))
        gdf["street_name"] = gdf["street_id"].map(names)
    return gdf.drop(columns=[c for c in FOREIGN_KEYS if c in gdf.columns])


def export_layer(conn, ward, layer: str, fmt: str, crs: str = "4326", personal: bool = False,
                 user_id: int | None = None, via: str = "web", locale: str = "vi"
                 ) -> ExportFile:
    """Build the export file; with ``personal``, write the audit row on ``conn``. The
    yes/no cells are in ``locale``; field names, dd/mm/yyyy dates and the information
    sheet are the same in every language, so the file imports again."""
    if layer not in queries.LAYERS or fmt not in geoio.EXPORT_FORMATS:
        raise ValueError(f"unknown layer or format: {layer}.{fmt}")
    personal = personal and layer == "boarding-houses"
    gdf = export_frame(conn, ward, layer, personal)
    epsg = ward.metric_epsg if crs == "ward" else 4326
    if epsg != 4326:
        gdf = gdf.to_crs(epsg=epsg)
    if fmt in ("geojson", "gpkg", "shp"):
        body = geoio.write_gis(gdf, fmt, layer)
    elif fmt == "csv":
        body = _csv(geoio.tabular(gdf), locale)
    else:
        body = _xlsx(geoio.tabular(gdf), ward, layer, epsg, locale)
    if personal:
        records.audit(conn, ward.id, user_id, "export_personal_data", AUDIT_ENTITY[layer], None,
                      layer=layer, format=fmt, rows=len(gdf), crs=f"EPSG:{epsg}", via=via,
                      fields=list(queries.PERSONAL_COLUMNS))
    suffix = "zip" if fmt == "shp" else fmt
    stamp = local_now().strftime("%Y%m%d")
    tag = "-ca-nhan" if personal else ""
    name = f"{ward.code}-{geoio.layer_file_name(layer)}{tag}-{epsg}-{stamp}.{suffix}"
    return ExportFile(body, name, geoio.EXPORT_FORMATS[fmt][1], len(gdf))


def _text(value, column: str, locale: str):
    """A cell for CSV: dd/mm/yyyy dates, Có/Không, digits kept as text."""
    value = _sheet_value(value, locale)
    if isinstance(value, datetime):
        return formatting.moment(value, seconds=bool(value.second))
    if isinstance(value, date):
        return formatting.day(value)
    if value is not None and column in DIGIT_COLUMNS:
        return spreadsheet.as_digit_text(str(value))
    return value


def _csv(frame: pd.DataFrame, locale: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = list(frame.columns)
    writer.writerow(spreadsheet.csv_row(columns))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(spreadsheet.csv_row(_text(v, c, locale)
                                            for v, c in zip(row, columns, strict=True)))
    return out.getvalue().encode("utf-8-sig")


def _xlsx(frame: pd.DataFrame, ward, layer: str, epsg: int, locale: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = geoio.layer_file_name(layer)[:31]
    spreadsheet.put_row(sheet, 1, list(frame.columns))
    for c in sheet[1]:
        c.font = Font(bold=True)
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        spreadsheet.put_row(sheet, number, (_sheet_value(v, locale) for v in row))
    for cells in sheet.iter_rows(min_row=2):
        for c in cells:
            if isinstance(c.value, datetime):
                c.number_format = "DD/MM/YYYY HH:MM:SS"
            elif isinstance(c.value, date):
                c.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    # The information sheet is part of the file's format: geo.io.read finds it by its name
    # and reads the CRS from its "Hệ tọa độ" row when the file comes back, so it is written
    # in Vietnamese whatever the downloader's language.
    info = book.create_sheet("Thông tin")
    crs_name = "WGS 84 (kinh độ/vĩ độ)" if epsg == 4326 else geoio.SOURCE_CRS_CHOICES.get(
        epsg, "")
    for number, pair in enumerate((
            ("Phường", ward.name), ("Lớp", layer), ("Số dòng", len(frame)),
            ("Hệ tọa độ", f"EPSG:{epsg} {crs_name}"),
            ("Dữ liệu", "MÔ PHỎNG (synthetic)" if ward.is_synthetic else ""),
            ("Xuất lúc", formatting.moment(local_now()))), start=1):
        spreadsheet.put_row(info, number, pair)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_value(value, locale: str):
    """A cell for XLSX: real dates and numbers, Có/Không, JSON as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dict | list):
        return geoio.plain_value(value)
    if isinstance(value, bool):
        return translate(N_("Có") if value else N_("Không"), locale)
    return value.item() if hasattr(value, "item") else value
