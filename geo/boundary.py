"""A ward's outline from the file a ward has (any CRS, one or many polygons).

A cadastral or administrative file may hold the ward as one polygon, as its khu phố, or
as many pieces; the outline is their union, repaired if invalid, reprojected to EPSG:4326.

>>> import geopandas as gpd
>>> from shapely import box
>>> parts = gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
...                          crs=5899)
>>> outline, notes = ward_outline(parts)
>>> outline.geom_type, len(outline.geoms), notes[0]
('MultiPolygon', 1, 'Ghép 2 vùng thành một ranh giới phường.')
"""

from __future__ import annotations

import shapely
from pyproj import CRS

from geo import formatting as fmt
from geo.crs import STORAGE_EPSG
from geo.i18n import N_, Message
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

MIN_AREA_M2 = 10_000  # a ward is at least a hectare: anything smaller is a wrong file or CRS
MAX_AREA_M2 = 2_000_000_000  # 2,000 km²: larger is a province or a CRS in the wrong unit


class BoundaryError(ValueError):
    """The file does not give a usable outline (``args[0]``: a ``geo.i18n.Message``)."""


def ward_outline(frame: gpd.GeoDataFrame, source_epsg: int | None = None
                 ) -> tuple[shapely.MultiPolygon, list[str]]:
    """The union of the polygons of ``frame`` as a MultiPolygon in EPSG:4326, and notes
    (``geo.i18n.Message``).

    ``source_epsg`` overrides or supplies the file's CRS (a Shapefile without ``.prj``).
    Raises ``BoundaryError`` when there is no polygon, no CRS, or the area is implausible.
    """
    notes: list[str] = []
    crs = source_epsg or frame.crs
    if crs is None:
        raise BoundaryError(Message(N_("Tệp ranh giới không có hệ tọa độ (.prj): hãy chọn hệ "
                                       "tọa độ, ví dụ VN-2000 EPSG:5899 (Đồng Nai) hoặc 9210 "
                                       "(TP. Hồ Chí Minh).")))
    shapes = gpd.GeoSeries(frame.geometry.to_numpy(), crs=crs)
    polygonal = shapes[shapes.notna() & ~shapes.is_empty
                       & shapes.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygonal.empty:
        raise BoundaryError(Message(N_("Tệp không có vùng (polygon) nào: ranh giới phường phải "
                                       "là một vùng khép kín.")))
    if len(polygonal) < len(shapes):
        notes.append(Message(N_("Bỏ qua %(n)s đối tượng không phải vùng."),
                             n=len(shapes) - len(polygonal)))
    invalid = int((~polygonal.is_valid).sum())
    if invalid:
        notes.append(Message(N_("Đã sửa %(n)s vùng có hình học không hợp lệ (tự cắt, trùng "
                                "điểm)."), n=invalid))
    if len(polygonal) > 1:
        notes.append(Message(N_("Ghép %(n)s vùng thành một ranh giới phường."), n=len(polygonal)))
    merged = shapely.union_all(shapely.make_valid(polygonal.to_numpy()))
    outline = gpd.GeoSeries([_polygonal(merged)], crs=crs)
    metric = outline.to_crs(outline.estimate_utm_crs())
    area = float(metric.area.iloc[0])
    if not MIN_AREA_M2 <= area <= MAX_AREA_M2:
        raise BoundaryError(Message(N_("Diện tích ranh giới %(km2)s km² không hợp lý cho một "
                                       "phường: kiểm tra hệ tọa độ của tệp."),
                                    km2=fmt.number(area / 1e6, 3)))
    result = outline.to_crs(STORAGE_EPSG).iloc[0]
    lon, lat = result.centroid.x, result.centroid.y
    if not (100 <= lon <= 112 and 7 <= lat <= 24):
        centre = f"{fmt.coordinate(lat, 4)}, {fmt.coordinate(lon, 4)}"
        notes.append(Message(N_("Tâm ranh giới (%(centre)s) nằm ngoài Việt Nam: kiểm tra hệ tọa "
                                "độ của tệp."), centre=centre))
    if CRS.from_user_input(crs).to_epsg() != STORAGE_EPSG:
        notes.append(Message(N_("Đã chuyển từ %(crs)s sang WGS 84 (EPSG:4326)."),
                             crs=CRS.from_user_input(crs).name))
    return _polygonal(result), notes


def _polygonal(geom) -> shapely.MultiPolygon:
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon",
                                                                           "MultiPolygon")]
    polygons = [p for g in parts for p in getattr(g, "geoms", [g])]
    return shapely.MultiPolygon(polygons)


def area_km2(outline, metric_epsg: int) -> float:
    """Area of an EPSG:4326 outline in km², measured in the ward's metric CRS."""
    return float(gpd.GeoSeries([outline], crs=STORAGE_EPSG).to_crs(metric_epsg).area.iloc[0]
                 / 1e6)


def reach_outside(geoms: gpd.GeoSeries, outline, metric_epsg: int,
                  tolerance_m: float = 50.0) -> pd.Series:
    """Metres by which each geometry (EPSG:4326) reaches beyond ``outline`` plus a tolerance
    band (0 for those within it), measured in the ward's metric CRS.

    >>> from shapely import Point, box
    >>> pts = gpd.GeoSeries([Point(106.90, 10.85), Point(106.95, 10.85)], crs=4326)
    >>> reach_outside(pts, box(106.89, 10.84, 106.91, 10.86), 5899).round(-2).tolist()
    [0.0, 4400.0]
    """
    metric = geoms.to_crs(metric_epsg)
    ward = gpd.GeoSeries([outline], crs=STORAGE_EPSG).to_crs(metric_epsg).iloc[0]
    allowed = ward.buffer(tolerance_m)
    shapely.prepare(allowed)
    present = metric.notna() & ~metric.is_empty
    inside = present.copy()
    inside[present] = shapely.covers(allowed, metric[present].to_numpy())
    result = pd.Series(0.0, index=geoms.index)
    for index, geom in metric[present & ~inside].items():
        vertices = shapely.points(shapely.get_coordinates(geom))
        result[index] = float(shapely.distance(vertices, ward).max())
    return result
