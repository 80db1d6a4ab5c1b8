"""Assign points to the features they belong to, by geometry alone.

A record's khu phố, nearest street and model street are derived from where it is, never
from what the person entering it (or a generator) believed; these batch functions serve
imports, re-links and the demo loader, and ``geo.locate`` gives the field forms the same
answers one point at a time.
"""

from __future__ import annotations

import numpy as np

from geo.crs import require_crs, to_metric
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

# GPS drifts: a point this close to a khu phố (outside the ward's edge, or in a sliver
# between two khu phố) belongs to the nearest one. The field forms and imports agree.
EDGE_TOLERANCE_M = 50.0
# A repeat (tái vi phạm): same category, this close, observed this soon after the resolution.
REPEAT_RADIUS_M = 15.0
REPEAT_WINDOW_DAYS = 90


def assign_polygon(
    points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, key: str = "id"
) -> pd.Series:
    """The ``key`` of the polygon each point lies in (``<NA>`` outside all of them).

    A point on the shared edge of two polygons goes to the one with the smaller key, so the
    answer does not depend on row order.

    Parameters
    ----------
    points, polygons : GeoDataFrame in EPSG:4326
    key : column of ``polygons`` to return

    Returns
    -------
    Series indexed like ``points``, dtype ``Int64``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> kp = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    ...                       crs=4326)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(0.5, 0.5), Point(1, 0.5), Point(5, 5)], crs=4326)
    >>> assign_polygon(pts, kp).tolist()
    [1, 1, <NA>]
    """
    require_crs(points)
    require_crs(polygons)
    result = pd.Series(pd.NA, index=points.index, dtype="Int64")
    if points.empty or polygons.empty:
        return result
    tree = polygons.sindex
    point_pos, poly_pos = tree.query(points.geometry.values, predicate="intersects")
    if point_pos.size == 0:
        return result
    keys = polygons[key].to_numpy()[poly_pos]
    order = np.lexsort((keys, point_pos))
    point_pos, keys = point_pos[order], keys[order]
    first = np.r_[True, point_pos[1:] != point_pos[:-1]]
    result.iloc[point_pos[first]] = keys[first]
    return result


def nearest_feature(
    points: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    metric_epsg: int,
    max_distance_m: float,
    key: str = "id",
) -> pd.DataFrame:
    """The nearest feature of ``features`` within ``max_distance_m`` metres of each point.

    Distances are measured in the ward's metric CRS. Ties go to the smaller key.

    Returns
    -------
    DataFrame indexed like ``points`` with ``key`` (``Int64``, ``<NA>`` when none is close
    enough) and ``distance_m``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString, Point
    >>> streets = gpd.GeoDataFrame({"id": [7]}, geometry=[LineString([(106.90, 10.85),
    ...                            (106.91, 10.85)])], crs=4326)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.905, 10.8501)], crs=4326)
    >>> nearest_feature(pts, streets, 5899, 50)["id"].tolist()
    [7]
    """
    require_crs(points)
    require_crs(features)
    out = pd.DataFrame(
        {key: pd.Series(pd.NA, index=points.index, dtype="Int64"),
         "distance_m": pd.Series(np.nan, index=points.index)}
    )
    if points.empty or features.empty:
        return out
    metric_points = to_metric(points[[points.geometry.name]], metric_epsg)
    metric_features = to_metric(features[[key, features.geometry.name]], metric_epsg)
    joined = gpd.sjoin_nearest(
        metric_points, metric_features, how="inner", max_distance=max_distance_m,
        distance_col="distance_m",
    )
    joined = joined.sort_values([key]).loc[lambda df: ~df.index.duplicated(keep="first")]
    out.loc[joined.index, key] = joined[key].astype("Int64")
    out.loc[joined.index, "distance_m"] = joined["distance_m"]
    return out


def flag_repeats(
    incidents: gpd.GeoDataFrame,
    metric_epsg: int,
    radius_m: float = REPEAT_RADIUS_M,
    window_days: int = REPEAT_WINDOW_DAYS,
) -> pd.Series:
    """Flag repeat incidents (tái lấn chiếm / tái vi phạm).

    An incident is a repeat when another incident of the same ``category`` within
    ``radius_m`` metres was resolved in the ``window_days`` days before it was observed.

    Parameters
    ----------
    incidents : GeoDataFrame in EPSG:4326 with ``category``, ``observed_at`` and
        ``resolved_at`` (NaT when not resolved).

    Returns
    -------
    Boolean Series indexed like ``incidents``.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> inc = gpd.GeoDataFrame({
    ...     "category": ["drugs", "drugs", "drugs"],
    ...     "observed_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-09-01"]),
    ...     "resolved_at": pd.to_datetime(["2026-01-05", None, None])},
    ...     geometry=[Point(106.9, 10.85)] * 3, crs=4326)
    >>> flag_repeats(inc, 5899).tolist()
    [False, True, False]
    """
    require_crs(incidents)
    flags = pd.Series(False, index=incidents.index)
    if incidents.empty:
        return flags
    resolved_at = pd.to_datetime(incidents["resolved_at"]).to_numpy()
    observed_at = pd.to_datetime(incidents["observed_at"]).to_numpy()
    category = incidents["category"].to_numpy()
    metric = to_metric(incidents[[incidents.geometry.name]], metric_epsg).geometry
    resolved = np.flatnonzero(~pd.isna(resolved_at))
    if resolved.size == 0:
        return flags
    tree = gpd.GeoSeries(metric.values[resolved], crs=metric.crs).sindex
    later, earlier_pos = tree.query(metric.values, predicate="dwithin", distance=radius_m)
    earlier = resolved[earlier_pos]
    window = np.timedelta64(window_days, "D")
    gap = observed_at[later] - resolved_at[earlier]
    hit = (
        (later != earlier)
        & (category[later] == category[earlier])
        & (gap > np.timedelta64(0, "s"))
        & (gap <= window)
    )
    flags.iloc[np.unique(later[hit])] = True
    return flags


def neighbourhood_of(
    points: gpd.GeoDataFrame, neighbourhoods: gpd.GeoDataFrame, metric_epsg: int,
    tolerance_m: float = EDGE_TOLERANCE_M,
) -> pd.Series:
    """The khu phố ``id`` of each point: the one it lies in, else the nearest one within
    ``tolerance_m`` metres (GPS drift at an edge), else ``<NA>``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> kp = gpd.GeoDataFrame({"id": [7]}, geometry=[box(106.90, 10.84, 106.92, 10.86)],
    ...                       crs=4326)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.91, 10.85), Point(106.9203, 10.85),
    ...                                  Point(107.0, 10.85)], crs=4326)
    >>> neighbourhood_of(pts, kp, 5899).tolist()
    [7, 7, <NA>]
    """
    found = assign_polygon(points, neighbourhoods)
    outside = found.isna()
    if outside.any() and not neighbourhoods.empty:
        nearest = nearest_feature(points[outside], neighbourhoods, metric_epsg, tolerance_m)
        found[outside] = nearest["id"].astype("Int64")
    return found


def link_points(
    points: gpd.GeoDataFrame,
    neighbourhoods: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    model_streets: gpd.GeoDataFrame,
    metric_epsg: int,
    street_within_m: float = 100.0,
    model_street_within_m: float = 20.0,
) -> pd.DataFrame:
    """Derive ``neighbourhood_id``, ``street_id`` and ``model_street_id`` of each point.

    The three layers carry their database ``id``; a point farther than the given distances
    from any street / model street gets ``<NA>`` there.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString, Point, box
    >>> kp = gpd.GeoDataFrame({"id": [1]}, geometry=[box(106.8, 10.8, 107, 10.9)], crs=4326)
    >>> st = gpd.GeoDataFrame({"id": [5]}, geometry=[LineString([(106.9, 10.85),
    ...                       (106.91, 10.85)])], crs=4326)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.905, 10.85005)], crs=4326)
    >>> link_points(pts, kp, st, st, 5899).iloc[0].tolist()
    [1, 5, 5]
    """
    return pd.DataFrame({
        "neighbourhood_id": neighbourhood_of(points, neighbourhoods, metric_epsg),
        "street_id": nearest_feature(points, streets, metric_epsg, street_within_m)["id"],
        "model_street_id": nearest_feature(points, model_streets, metric_epsg,
                                           model_street_within_m)["id"],
    }, index=points.index)


def distances_m(points: gpd.GeoDataFrame, lon: float, lat: float, metric_epsg: int) -> pd.Series:
    """Metric distance of each feature of ``points`` from (``lon``, ``lat``).

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(106.9, 10.85)], crs=4326)
    >>> round(distances_m(pts, 106.9, 10.8501, 5899).iloc[0])
    11
    """
    require_crs(points)
    if points.empty:
        return pd.Series(dtype=float, index=points.index)
    origin = to_metric(gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs=4326),
                       metric_epsg).geometry.iloc[0]
    return to_metric(points[[points.geometry.name]], metric_epsg).distance(origin)

