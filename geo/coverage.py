"""Model boarding-house coverage per khu phố (mô hình “Nhà trọ an toàn, văn minh, tự quản”)."""

from __future__ import annotations

import numpy as np

from geo.crs import require_crs, to_metric
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

NEAR_MODEL_M = 300.0


def coverage(
    neighbourhoods: gpd.GeoDataFrame, houses: gpd.GeoDataFrame, metric_epsg: int,
    within_m: float = NEAR_MODEL_M,
) -> pd.DataFrame:
    """Per khu phố: houses, recognised model houses, shares, residents, proximity.

    ``houses`` needs ``neighbourhood_id``, ``model_status`` and ``residents``. A house is
    "near" a model house when one (of any khu phố: neighbours share a model) lies within
    ``within_m`` metres; a model house is near itself. ``gap`` marks khu phố with none.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> kp = gpd.GeoDataFrame({"id": [1, 2], "code": ["KP01", "KP02"], "name": ["A", "B"]},
    ...     geometry=[box(106.90, 10.84, 106.91, 10.85), box(106.91, 10.84, 106.92, 10.85)],
    ...     crs=4326)
    >>> houses = gpd.GeoDataFrame({"neighbourhood_id": [1, 1, 2],
    ...     "model_status": ["recognised", "none", "none"], "residents": [10, 5, 7]},
    ...     geometry=[Point(106.905, 10.845), Point(106.906, 10.845), Point(106.918, 10.845)],
    ...     crs=4326)
    >>> coverage(kp, houses, 5899)[["code", "houses", "model_houses", "gap"]].values.tolist()
    [['KP01', 2, 1, False], ['KP02', 1, 0, True]]
    """
    require_crs(neighbourhoods)
    require_crs(houses)
    houses = houses.copy()
    model = (houses["model_status"] == "recognised").to_numpy()
    houses["is_model"] = model
    houses["near_model"] = _near_any(houses, model, metric_epsg, within_m)
    houses["model_residents"] = np.where(model, houses["residents"].fillna(0), 0)
    grouped = houses.groupby("neighbourhood_id").agg(
        houses=("is_model", "size"), model_houses=("is_model", "sum"),
        residents=("residents", "sum"), model_residents=("model_residents", "sum"),
        near_model=("near_model", "sum"))
    out = neighbourhoods[["id", "code", "name"]].merge(
        grouped, left_on="id", right_index=True, how="left").fillna(
        {"houses": 0, "model_houses": 0, "residents": 0, "model_residents": 0, "near_model": 0})
    for column in ("houses", "model_houses", "residents", "model_residents", "near_model"):
        out[column] = out[column].astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_model"] = np.where(out["houses"] > 0, out["model_houses"] / out["houses"],
                                      np.nan)
        out["share_near_model"] = np.where(out["houses"] > 0,
                                           out["near_model"] / out["houses"], np.nan)
    out["gap"] = out["model_houses"] == 0
    return out.sort_values("code").reset_index(drop=True)


def _near_any(houses: gpd.GeoDataFrame, model: np.ndarray, metric_epsg: int,
              within_m: float) -> np.ndarray:
    near = np.zeros(len(houses), dtype=bool)
    if not model.any() or houses.empty:
        return near
    metric = to_metric(houses[[houses.geometry.name]], metric_epsg).geometry
    tree = gpd.GeoSeries(metric.values[model], crs=metric.crs).sindex
    hit, _ = tree.query(metric.values, predicate="dwithin", distance=within_m)
    near[np.unique(hit)] = True
    return near
