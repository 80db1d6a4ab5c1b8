"""Coordinate reference systems: storage in EPSG:4326, metric work in the ward's VN-2000.

Every ward has a metric CRS: the VN-2000 / TM-3 zone of its province (``data/vn2000_zones.yaml``,
after Thông tư 973/2001/TT-TCĐC), chosen when the ward is created.
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
import yaml

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message
from geo.lazy import deferred
from geo.resources import DATA_DIR
from geo.text import fold

gpd = deferred("geopandas")

STORAGE_EPSG = 4326
ZONES_FILE = DATA_DIR / "vn2000_zones.yaml"


@functools.cache
def _zones() -> dict:
    return yaml.safe_load(ZONES_FILE.read_text(encoding="utf-8"))


def zone_name(zone: dict) -> Message:
    """The name of a TM-3 zone of ``data/vn2000_zones.yaml`` (a ``geo.i18n.Message``, said
    in the reader's language where shown): its central meridian, and the number of a
    national 3° zone.

    >>> from geo.i18n import translate
    >>> national = {"meridian": "105°00′", "national_zone": 482}
    >>> str(zone_name(national)), translate(zone_name(national), "en")
    ('VN-2000 / TM-3 105°00′ (vùng 482)', 'VN-2000 / TM-3 105°00′ (zone 482)')
    >>> str(zone_name({"meridian": "107°45′"}))
    'VN-2000 / TM-3 107°45′'
    """
    if "national_zone" in zone:
        return Message(N_("VN-2000 / TM-3 %(meridian)s (vùng %(zone)s)"),
                       meridian=zone["meridian"], zone=zone["national_zone"])
    # A pattern of values, no msgid: the same in every language.
    return Message("VN-2000 / TM-3 %(meridian)s", meridian=zone["meridian"])


def metric_crs_choices() -> dict[int, Message]:
    """``{EPSG: label}`` of the VN-2000 metric CRSs a ward may use (TM-3 zones, UTM), each
    label a ``geo.i18n.Message``.

    >>> metric_crs_choices()[5899]
    'VN-2000 / TM-3 107°45′ (Đồng Nai, Bà Rịa - Vũng Tàu, Lâm Đồng, Đà Nẵng, …)'
    """
    choices = {}
    for epsg, zone in sorted(_zones()["zones"].items()):
        places = zone["provinces"]
        shown = ", ".join(places[:4]) + (", …" if len(places) > 4 else "")
        choices[int(epsg)] = Message("%(name)s (%(places)s)", name=zone_name(zone),
                                     places=shown)
    for fallback in _zones()["fallback"]:
        choices.setdefault(int(fallback["epsg"]), zone_name(fallback))
    choices.update({3405: Message(N_("VN-2000 / UTM vùng 48N")),
                    3406: Message(N_("VN-2000 / UTM vùng 49N"))})
    return choices


def metric_epsg_for(province: str | None, centre_lon: float) -> tuple[int, str]:
    """The metric CRS of a new ward: its province's TM-3 zone, else the national 3° zone of
    the boundary's centre. Returns ``(epsg, why)``, ``why`` a ``geo.i18n.Message``.

    >>> metric_epsg_for("Tỉnh Đồng Nai", 106.9)[0], metric_epsg_for("ha noi", 105.8)[0]
    (5899, 5897)
    >>> metric_epsg_for(None, 106.7)
    (5898, 'không rõ tỉnh: vùng 3° theo kinh độ tâm ranh giới (106,70°)')
    """
    wanted = fold(province or "")
    for prefix in ("tinh ", "thanh pho ", "tp "):
        wanted = wanted.removeprefix(prefix)
    for epsg, zone in _zones()["zones"].items():
        for place in zone["provinces"]:
            key = fold(place)
            for prefix in ("thanh pho ", "tp "):
                key = key.removeprefix(prefix)
            if wanted and key == wanted:
                return int(epsg), Message(N_("kinh tuyến trục của %(place)s (%(zone)s)"),
                                          place=place, zone=zone_name(zone))
    for fallback in _zones()["fallback"]:
        if centre_lon < fallback["west_of"]:
            why = Message(N_("không rõ tỉnh: vùng 3° theo kinh độ tâm ranh giới (%(lon)s°)"),
                          lon=Figure(fmt.number, centre_lon, 2))
            return int(fallback["epsg"]), why
    raise ValueError(centre_lon)


# Source CRSs offered for files that do not say theirs (``geo.io``).
VN2000_TM3 = {epsg: label for epsg, label in metric_crs_choices().items()}


def require_crs(gdf: gpd.GeoDataFrame, epsg: int = STORAGE_EPSG) -> gpd.GeoDataFrame:
    """Return ``gdf`` unchanged if its CRS is ``epsg``; raise ``ValueError`` otherwise.

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> require_crs(gpd.GeoDataFrame(geometry=[Point(106.9, 10.85)], crs=4326)).crs.to_epsg()
    4326
    """
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS")
    if gdf.crs.to_epsg() != epsg:
        raise ValueError(f"expected EPSG:{epsg}, got {gdf.crs.to_string()}")
    return gdf


def to_metric(gdf: gpd.GeoDataFrame, metric_epsg: int) -> gpd.GeoDataFrame:
    """Project ``gdf`` to the ward's metric CRS (metres), checking it has a CRS at all.

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.9, 10.85)], crs=4326)
    >>> round(to_metric(pts, 5899).geometry.x.iloc[0])  # doctest: +SKIP
    422048
    """
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS")
    return gdf.to_crs(epsg=metric_epsg)


@functools.lru_cache(maxsize=64)
def metric_transformer(metric_epsg: int):
    """The pyproj Transformer from storage (EPSG:4326, lon/lat order) to ``metric_epsg``,
    built once per process: building one costs milliseconds, using it microseconds."""
    from pyproj import Transformer

    return Transformer.from_crs(STORAGE_EPSG, metric_epsg, always_xy=True)


def project_to_metric(geometries, metric_epsg: int):
    """Shapely geometries (one, or an array) in EPSG:4326 projected to ``metric_epsg``: the
    same coordinates as ``to_metric`` gives, without a GeoDataFrame.

    >>> from shapely import Point
    >>> point = Point(106.9, 10.85)
    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame(geometry=[point], crs=4326)
    >>> project_to_metric(point, 5899).equals_exact(to_metric(frame, 5899).geometry.iloc[0], 0)
    True
    """
    transform = metric_transformer(metric_epsg).transform

    def project(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(transform(coords[:, 0], coords[:, 1]))

    return shapely.transform(geometries, project)
