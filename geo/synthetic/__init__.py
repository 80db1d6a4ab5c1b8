"""Deterministic SYNTHETIC demo ward placed where Tam Phước ward (Biên Hòa, Đồng Nai) is.

No openly licensed khu phố or street data for Tam Phước exists offline, so the demo dataset
is generated: a ward outline spanning the real ward's extent, khu phố tiling it, a street
network around Quốc lộ 51, model streets, boarding houses, inspections, incidents and peak
campaigns. Everything is invented except the placement facts (extent, QL51's course,
industrial parks along QL51) and is labelled as synthetic. All metric work happens in
VN-2000 / TM-3 107°45' (EPSG:5899); every GeoDataFrame returned is in EPSG:4326.

The generator never assigns khu phố, nearest street or repeat flags to points: the loader
derives those from geometry (``geo.assign``), exactly as for real data.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely import MultiPolygon

from geo.lazy import deferred
from geo.synthetic import names as vn
from geo.synthetic.network import _model_streets, _neighbourhoods, _streets
from geo.synthetic.records import _boarding_houses, _incidents
from geo.synthetic.world import (
    AS_OF,
    DEMONSTRATION_ROUTE,
    METRIC_EPSG,
    N_NEIGHBOURHOODS,
    START,
    _clean,
    _which,
    _World,
)

gpd = deferred("geopandas")
pd = deferred("pandas")

__all__ = ["AS_OF", "DEMONSTRATION_ROUTE", "METRIC_EPSG", "START", "generate_ward"]


def generate_ward(seed: int = 2026, *, boarding_houses: int = 3000, incidents: int = 6000,
                  centre_shift: tuple[float, float] = (0.0, 0.0), ward_code: str = "tam-phuoc",
                  ward_name: str = "Phường Tam Phước (dữ liệu mô phỏng)",
                  ) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """Generate a synthetic ward where Tam Phước (Biên Hòa, Đồng Nai) is.

    The result is fully determined by the arguments (``numpy.random.default_rng(seed)``).
    Metric work is done in EPSG:5899; every GeoDataFrame returned is in EPSG:4326. The
    generator does not assign khu phố, nearest street or repeat flags to points: the loader
    derives those from geometry.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    boarding_houses, incidents : int
        Number of boarding houses and incidents (runtime grows linearly with both).
    centre_shift : (float, float)
        Offset in degrees (lon, lat) added to every placement fact, so a province-sized
        generator can put several synthetic wards side by side.
    ward_code, ward_name : str
        Code and display name of the ward; the name (without "Phường" and the bracket)
        also names the local streets ("Đường Tam Phước 12").

    Returns
    -------
    dict
        ``ward``, ``neighbourhoods``, ``streets``, ``model_streets``, ``boarding_houses``,
        ``incidents`` (GeoDataFrames, EPSG:4326) and ``inspections``, ``campaigns``
        (DataFrames). Missing values are ``None`` in object columns. ``house_index`` (in
        ``inspections`` and ``incidents``) is a row position in ``boarding_houses``.

    Examples
    --------
    >>> data = generate_ward(7, boarding_houses=200, incidents=300)
    >>> data["ward"].crs.to_epsg(), len(data["boarding_houses"]), len(data["incidents"])
    (4326, 200, 300)
    >>> 20 <= len(data["neighbourhoods"]) <= 30
    True
    """
    rng = np.random.default_rng(seed)
    w = _World(rng, centre_shift)
    kps = _neighbourhoods(w, N_NEIGHBOURHOODS)
    codes = [f"KP{i + 1:02d}" for i in range(len(kps))]
    kp_names = [f"Khu phố {i + 1}" for i in range(len(kps))]
    streets = _streets(w, vn.place_name(ward_name))
    model = _model_streets(w, streets, kps, codes, kp_names)
    ids = rng.permutation(len(kps))
    gaps, lagging = set(ids[:5].tolist()), set(ids[5:9].tolist())
    houses, inspections, kp_house = _boarding_houses(
        w, streets, lambda xy: _which(kps, xy), boarding_houses, gaps)
    inc = _incidents(w, streets, houses, kp_house, lagging, incidents)
    area = shapely.area(kps) / 1e6
    n_house = np.bincount(kp_house, minlength=len(kps))
    lodgers = np.bincount(kp_house, weights=houses.residents, minlength=len(kps))
    households = np.round(area * rng.uniform(150, 300, len(kps)) + n_house * rng.uniform(
        4, 7, len(kps))).astype(int) + 50
    population = np.round(households * rng.uniform(3.2, 3.8, len(kps)) + 0.9 * lodgers)
    hoods = gpd.GeoDataFrame({
        "code": codes, "name": kp_names, "population": population.astype(int),
        "households": households, "head_name": vn.person_names(rng, len(kps), 0.3)[0]},
        geometry=list(kps), crs=METRIC_EPSG)
    ward = gpd.GeoDataFrame({"code": [ward_code], "name": [ward_name],
                             "metric_epsg": [METRIC_EPSG], "is_synthetic": [True]},
                            geometry=[MultiPolygon([w.ward])], crs=METRIC_EPSG)
    out = {"ward": ward, "neighbourhoods": hoods,
           "streets": streets[["name", "street_class", "geometry"]], "model_streets": model,
           "boarding_houses": houses, "inspections": inspections, "incidents": inc,
           "campaigns": vn.campaigns()}
    for key, df in out.items():
        if isinstance(df, gpd.GeoDataFrame):
            df = df.to_crs(4326)
        df = df.reset_index(drop=True)
        for col in df.columns:
            if col != "geometry" and (df[col].dtype == object
                                      or pd.api.types.is_string_dtype(df[col].dtype)):
                df[col] = _clean(df[col])
        out[key] = df
    return out
