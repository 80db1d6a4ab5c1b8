"""Assignment by geometry: polygons, nearest lines, repeats."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point, box

from geo.assign import assign_polygon, flag_repeats, link_points, nearest_feature

EPSG = 5899
# ~1 m in degrees at Tam Phước's latitude.
M_LON = 1 / 109_500
M_LAT = 1 / 110_600


def points(coords, **columns):
    return gpd.GeoDataFrame(columns, geometry=[Point(x, y) for x, y in coords], crs=4326)


def test_assign_polygon_edges_go_to_the_smaller_key_whatever_the_order():
    kp = gpd.GeoDataFrame({"id": [9, 3]}, geometry=[box(1, 0, 2, 1), box(0, 0, 1, 1)], crs=4326)
    pts = points([(1, 0.5), (0.2, 0.2), (1.5, 0.5), (3, 3)])
    assert assign_polygon(pts, kp).tolist() == [3, 3, 9, pd.NA]
    assert assign_polygon(pts, kp.iloc[::-1]).tolist() == [3, 3, 9, pd.NA]


def test_assign_polygon_rejects_missing_crs():
    kp = gpd.GeoDataFrame({"id": [1]}, geometry=[box(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="no CRS"):
        assign_polygon(points([(0.5, 0.5)]), kp)


def test_nearest_feature_respects_metric_distance():
    x0, y0 = 106.9, 10.85
    street = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[
        LineString([(x0, y0), (x0 + 0.01, y0)]),
        LineString([(x0, y0 + 60 * M_LAT), (x0 + 0.01, y0 + 60 * M_LAT)]),
    ], crs=4326)
    pts = points([(x0 + 0.005, y0 + 10 * M_LAT), (x0 + 0.005, y0 + 45 * M_LAT),
                  (x0 + 0.005, y0 + 200 * M_LAT)])
    result = nearest_feature(pts, street, EPSG, max_distance_m=20)
    assert result["id"].tolist() == [1, 2, pd.NA]
    assert result["distance_m"].iloc[0] == pytest.approx(10, abs=0.5)
    assert result["distance_m"].iloc[1] == pytest.approx(15, abs=0.5)


def test_flag_repeats_needs_same_category_distance_and_window():
    x0, y0 = 106.9, 10.85
    frame = points(
        [(x0, y0), (x0 + 5 * M_LON, y0), (x0 + 30 * M_LON, y0), (x0, y0), (x0, y0), (x0, y0)],
        category=["encroachment_sidewalk", "encroachment_sidewalk", "encroachment_sidewalk",
                  "illegal_advertising", "encroachment_sidewalk", "encroachment_sidewalk"],
        observed_at=pd.to_datetime(["2026-01-01", "2026-02-10", "2026-02-10", "2026-02-10",
                                    "2026-06-30", "2026-01-01 18:00"], format="ISO8601"),
        resolved_at=pd.to_datetime(["2026-01-02", None, None, None, None, None]),
    )
    # 5 m away, 39 days later: repeat. 30 m away: not. Other category: not.
    # 179 days later: outside 90 days. Observed before the resolution: not a repeat.
    assert flag_repeats(frame, EPSG).tolist() == [False, True, False, False, False, False]


def test_link_points_derives_all_three():
    x0, y0 = 106.9, 10.85
    kp = gpd.GeoDataFrame({"id": [4]}, geometry=[box(x0 - 0.01, y0 - 0.01, x0 + 0.02, y0 + 0.01)],
                          crs=4326)
    line = gpd.GeoDataFrame({"id": [8]}, geometry=[LineString([(x0, y0), (x0 + 0.01, y0)])],
                            crs=4326)
    pts = points([(x0 + 0.001, y0 + 10 * M_LAT), (x0 + 0.001, y0 + 50 * M_LAT)])
    links = link_points(pts, kp, line, line, EPSG)
    assert links.iloc[0].tolist() == [4, 8, 8]
    assert links.iloc[1].tolist() == [4, 8, pd.NA]
