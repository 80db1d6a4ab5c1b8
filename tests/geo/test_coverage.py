"""Coverage numbers on hand-built data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely import Point, box

from geo.coverage import coverage

EPSG = 5899
X0, Y0 = 420_000.0, 1_199_000.0


def _pts(xy):
    return gpd.GeoSeries([Point(X0 + x, Y0 + y) for x, y in xy], crs=EPSG).to_crs(4326)


def test_counts_shares_proximity_and_gaps():
    kp = gpd.GeoDataFrame(
        {"id": [1, 2, 3], "code": ["KP01", "KP02", "KP03"], "name": ["A", "B", "C"]},
        geometry=gpd.GeoSeries([box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000)
                                for i in range(3)], crs=EPSG).to_crs(4326), crs=4326)
    houses = gpd.GeoDataFrame({
        "neighbourhood_id": [1, 1, 1, 2, 2],
        "model_status": ["recognised", "none", "candidate", "none", "none"],
        "residents": [30, 10, 5, 8, 12],
    }, geometry=_pts([(900, 500), (950, 520), (200, 500), (1150, 500), (1800, 500)]), crs=4326)
    rows = coverage(kp, houses, EPSG).set_index("code")
    assert rows.loc["KP01", ["houses", "model_houses", "model_residents"]].tolist() == [3, 1, 30]
    assert rows.loc["KP01", "share_model"] == 1 / 3
    # (950,520) is 54 m away; (200,500) is 700 m away; (1150,500) in KP02 is 250 m away.
    assert rows.loc["KP01", "near_model"] == 2
    assert rows.loc["KP02", "near_model"] == 1 and rows.loc["KP02", "share_near_model"] == 0.5
    assert rows.loc["KP02", "gap"] and not rows.loc["KP01", "gap"]
    assert rows.loc["KP03", "houses"] == 0 and np.isnan(rows.loc["KP03", "share_model"])
    assert rows.loc["KP03", "gap"]


def test_no_model_house_anywhere():
    kp = gpd.GeoDataFrame({"id": [1], "code": ["KP01"], "name": ["A"]},
                          geometry=[box(106.9, 10.84, 106.91, 10.85)], crs=4326)
    houses = gpd.GeoDataFrame({"neighbourhood_id": [1], "model_status": ["none"],
                               "residents": [4]}, geometry=[Point(106.905, 10.845)], crs=4326)
    row = coverage(kp, houses, EPSG).iloc[0]
    assert row["near_model"] == 0 and row["gap"]
