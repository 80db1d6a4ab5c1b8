"""Coordinate reference systems: storage in EPSG:4326, metric work in the ward's VN-2000."""

from __future__ import annotations

import geopandas as gpd

STORAGE_EPSG = 4326
# VN-2000 / TM-3 zones used by the wards this project serves (per-ward setting).
VN2000_TM3 = {
    5899: "VN-2000 / TM-3 107-45 (Đồng Nai)",
    9210: "VN-2000 / TM-3 105-45 (TP. Hồ Chí Minh)",
    3405: "VN-2000 / UTM zone 48N",
}


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
