"""One point at a time against a ward's layers: khu phố, nearest street, nearest model street.

The field forms send one record at a time, hundreds a second: projecting and indexing the
ward's khu phố, streets and model streets for every record (GeoDataFrames, ``sjoin_nearest``)
cost tens of milliseconds each. A ``WardLocator`` projects them once, keeps STRtrees and a
prepared boundary, and answers in microseconds. The caller keeps it for as long as the layers
do not change. Its answers are those of the batch functions of ``geo.assign`` used by imports
and the demo loader (``tests/webapp/field/test_derivation.py`` compares them on random points).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import shapely

from geo import formatting as fmt
from geo.assign import EDGE_TOLERANCE_M, REPEAT_RADIUS_M, REPEAT_WINDOW_DAYS
from geo.crs import project_to_metric, require_crs
from geo.i18n import N_, Figure, Message
from geo.lazy import deferred

gpd = deferred("geopandas")


class _Nearest:
    """Features by id with a metric STRtree: the nearest within a distance, ties to the
    smaller id (as ``assign.nearest_feature``)."""

    def __init__(self, ids, metric_geometries) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.tree = shapely.STRtree(metric_geometries)

    def nearest(self, metric_point, within_m: float) -> int | None:
        if self.ids.size == 0:
            return None
        hits = self.tree.query_nearest(metric_point, max_distance=within_m, all_matches=True)
        return int(self.ids[hits].min()) if hits.size else None


def _layer(frame: gpd.GeoDataFrame, metric_epsg: int) -> _Nearest:
    require_crs(frame)
    return _Nearest(frame["id"].to_numpy(), project_to_metric(frame.geometry.values,
                                                              metric_epsg))


class WardLocator:
    """A ward's boundary and layers (EPSG:4326 frames with an ``id`` column), indexed.

    >>> import geopandas as gpd
    >>> from shapely import LineString, box
    >>> ward = box(106.90, 10.84, 106.92, 10.86)
    >>> kp = gpd.GeoDataFrame({"id": [3]}, geometry=[ward], crs=4326)
    >>> st = gpd.GeoDataFrame({"id": [5]}, geometry=[LineString([(106.90, 10.85),
    ...                       (106.92, 10.85)])], crs=4326)
    >>> where = WardLocator(ward, kp, st, st.iloc[:0], 5899)
    >>> where.place(106.91, 10.85), where.street(106.91, 10.8501, 60)
    ((3, None, None), 5)
    >>> where.place(107.0, 10.85)[2]
    'Vị trí nằm ngoài địa bàn phường (8.747 m từ ranh giới).'
    """

    def __init__(self, boundary, neighbourhoods: gpd.GeoDataFrame,
                 streets: gpd.GeoDataFrame, model_streets: gpd.GeoDataFrame,
                 metric_epsg: int) -> None:
        require_crs(neighbourhoods)
        self.metric_epsg = metric_epsg
        self._boundary = project_to_metric(boundary, metric_epsg)
        shapely.prepare(self._boundary)
        # Containment is decided in lon/lat, as ``assign.assign_polygon`` does; distances
        # in metres.
        self._kp_ids = neighbourhoods["id"].to_numpy().astype(np.int64)
        self._kp_tree = shapely.STRtree(neighbourhoods.geometry.values)
        self._kp = _layer(neighbourhoods, metric_epsg)
        self._streets = _layer(streets, metric_epsg)
        self._model_streets = _layer(model_streets, metric_epsg)
        self._last_point = (None, None)

    def metric_point(self, lon: float, lat: float):
        """(lon, lat) in the ward's metric CRS. A record asks for its point up to four
        times (khu phố edge, street, model street, repeats): the last one is kept, as one
        tuple, since threads share a locator."""
        key, point = self._last_point
        if key != (lon, lat):
            point = project_to_metric(shapely.Point(lon, lat), self.metric_epsg)
            self._last_point = ((lon, lat), point)
        return point

    def place(self, lon: float, lat: float,
              tolerance_m: float = EDGE_TOLERANCE_M) -> tuple[int | None, str | None,
                                                              str | None]:
        """Where a field record at (lon, lat) belongs: ``(khu phố id, note, error)``.

        Inside a khu phố: that one (on a shared edge the smaller id). Outside the ward but
        within ``tolerance_m`` of its boundary (GPS drift at the edge), or in a sliver
        between khu phố: the nearest khu phố, with a note. Farther: an error.
        """
        inside = self._kp_tree.query(shapely.Point(lon, lat), predicate="intersects")
        if inside.size:
            return int(self._kp_ids[inside].min()), None, None
        point = self.metric_point(lon, lat)
        distance = float(self._boundary.distance(point))
        if distance > tolerance_m:
            return None, None, Message(N_("Vị trí nằm ngoài địa bàn phường (%(metres)s m từ "
                                          "ranh giới)."), metres=Figure(fmt.integer, distance))
        nearest = self._kp.nearest(point, tolerance_m + 1)
        if nearest is None:
            return None, None, Message(N_("Vị trí nằm ngoài địa bàn các khu phố."))
        note = Message(N_("Vị trí cách ranh giới phường %(metres)s m (sai số GPS): gán vào khu "
                          "phố gần nhất."), metres=Figure(fmt.integer, distance))
        return nearest, note, None

    def street(self, lon: float, lat: float, within_m: float) -> int | None:
        """The id of the nearest street within ``within_m`` metres, else ``None``."""
        return self._streets.nearest(self.metric_point(lon, lat), within_m)

    def model_street(self, lon: float, lat: float, within_m: float) -> int | None:
        """The id of the nearest model street (line or cluster) within ``within_m``."""
        return self._model_streets.nearest(self.metric_point(lon, lat), within_m)

    def is_repeat(self, lon: float, lat: float, observed_at: datetime,
                  earlier: Sequence[tuple[object, datetime | None]],
                  radius_m: float = REPEAT_RADIUS_M,
                  window_days: int = REPEAT_WINDOW_DAYS) -> bool:
        """Whether a new incident at (lon, lat) observed at ``observed_at`` repeats one of
        ``earlier`` — ``(geometry in EPSG:4326, resolved_at)`` of incidents of the same
        category — resolved within ``window_days`` before it, ``radius_m`` metres or less
        away: the rule of ``assign.flag_repeats`` for one new incident.
        """
        window = timedelta(days=window_days)
        resolved = [(geometry, at) for geometry, at in earlier
                    if at is not None and timedelta(0) < observed_at - at <= window]
        if not resolved:
            return False
        metric = project_to_metric(np.array([g for g, _ in resolved]), self.metric_epsg)
        return bool(shapely.dwithin(metric, self.metric_point(lon, lat), radius_m).any())
