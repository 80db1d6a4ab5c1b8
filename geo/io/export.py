"""Files out: ``write_gis`` (GeoJSON, GeoPackage, a Shapefile zip with a README of the
shortened field names) and ``tabular`` (attributes plus lon/lat or X/Y columns for a sheet).

Pure functions on GeoDataFrames (no Flask, no SQL).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import shapely
from pyproj import CRS

from geo.i18n import N_, translate
from geo.io import gpkg
from geo.io.fields import shp_name
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

EXPORT_FORMATS = {
    "geojson": ("GeoJSON", "application/geo+json"),
    "gpkg": ("GeoPackage", "application/geopackage+sqlite3"),
    "shp": ("Shapefile (zip)", "application/zip"),
    "xlsx": ("Excel (XLSX)",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("CSV", "text/csv"),
}


def layer_file_name(layer: str) -> str:
    """``boarding-houses`` → ``boarding_houses`` (GeoPackage layer and file names)."""
    return layer.replace("-", "_")


def _plain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dates and times as ISO text, dicts as JSON: what every GIS driver can hold."""
    out = gdf.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%dT%H:%M:%S").where(series.notna(), None)
        elif series.dtype == object:
            out[column] = series.map(plain_value)
    return out


def plain_value(value):
    """A cell as the exports write it: dates and moments in ISO 8601, JSON and other
    objects as text (the GIS exports and the XLSX of ``webapp.exchange`` alike)."""
    import json
    from datetime import date

    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def shp_columns(columns) -> dict[str, str]:
    """``{column: Shapefile name}``: at most 10 characters, unique.

    >>> shp_columns(["neighbourhood_code", "neighbourhood_name", "name"])
    {'neighbourhood_code': 'neighbourh', 'neighbourhood_name': 'neighbou_1', 'name': 'name'}
    """
    names: dict[str, str] = {}
    for column in columns:
        name, n = shp_name(column), 0
        while name in names.values():
            n += 1
            name = f"{column[:10 - len(str(n)) - 1]}_{n}"
        names[column] = name
    return names


def write_gis(gdf: gpd.GeoDataFrame, fmt: str, layer: str) -> bytes:
    """``gdf`` (any CRS) as a GeoJSON, GeoPackage or zipped Shapefile file's bytes.

    The GeoPackage layer is named like the layer (``boarding_houses``). The Shapefile is
    UTF-8 with a ``.cpg``; its field names are cut to 10 characters and README.txt in the
    zip lists the full names. A layer mixing lines and polygons (model clusters) becomes
    one Shapefile per geometry type.
    """
    name = layer_file_name(layer)
    gdf = _plain(gdf)
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "geojson":
            path = Path(tmp) / f"{name}.geojson"
            gdf.to_file(path, driver="GeoJSON", engine="pyogrio", layer=name)
            return path.read_bytes()
        if fmt == "gpkg":
            path = Path(tmp) / f"{name}.gpkg"
            gpkg.write(gdf, path, name)  # in a child process: see geo.io.gpkg
            return path.read_bytes()
        if fmt != "shp":
            raise ValueError(f"not a GIS format: {fmt}")
        renamed = shp_columns([c for c in gdf.columns if c != gdf.geometry.name])
        shp = gdf.rename(columns=renamed)
        families = shp.geometry.geom_type.str.replace("Multi", "").fillna("Point")
        groups = {"": shp} if families.nunique() <= 1 else \
            {f"_{kind.lower()}": shp[families == kind] for kind in sorted(families.unique())}
        for suffix, part in groups.items():
            part.to_file(Path(tmp) / f"{name}{suffix}.shp", driver="ESRI Shapefile",
                         engine="pyogrio", encoding="UTF-8")
        readme = _shp_readme(layer, renamed, list(groups))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).iterdir()):
                archive.write(path, path.name)
            archive.writestr("README.txt", readme)
        return buffer.getvalue()


# Whoever opens the zip reads its README: each line in Vietnamese, then in English.
README_LANGUAGES = ("vi", "en")


def _shp_readme(layer: str, renamed: dict[str, str], suffixes: list[str]) -> str:
    def said(msgid: str, **params) -> list[str]:
        return [translate(msgid, locale, **params) for locale in README_LANGUAGES]

    lines = [*said(N_("Lớp %(layer)s — Shapefile, bảng mã UTF-8 (tệp .cpg)."), layer=layer),
             *said(N_("Tên trường Shapefile tối đa 10 ký tự; tên đầy đủ của từng trường:")),
             ""]
    lines += [f"{short:<10}  {full}" for full, short in renamed.items()]
    if len(suffixes) > 1:
        lines += ["", *said(N_("Lớp có nhiều loại hình học: mỗi loại một Shapefile "
                               "(%(kinds)s)."),
                            kinds=", ".join(s.strip("_") for s in suffixes))]
    return "\r\n".join(lines) + "\r\n"


def tabular(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Attributes and coordinates for a sheet: ``lon``/``lat`` in EPSG:4326, ``X``/``Y``
    (easting, northing) in a projected CRS; lines and polygons as a ``WKT`` column."""
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    geoms = gdf.geometry
    geographic = gdf.crs is None or CRS.from_user_input(gdf.crs).is_geographic
    if len(geoms) and (geoms.geom_type == "Point").all():
        xname, yname = ("lon", "lat") if geographic else ("X", "Y")
        digits = 8 if geographic else 4  # 8: as stored (models.queries rounds EWKT to 8)
        frame[xname] = geoms.x.round(digits).to_numpy()
        frame[yname] = geoms.y.round(digits).to_numpy()
    else:
        frame["WKT"] = shapely.to_wkt(geoms.to_numpy(), rounding_precision=8 if geographic
                                      else 3).tolist()
    return frame

