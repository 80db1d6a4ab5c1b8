"""Topology of a ward's khu phố: overlaps, gaps, and snapping the slivers away.

The khu phố of a phường should tile it. Files digitised by surveyors do not quite: shared
edges drawn twice leave thin overlaps and gaps, and some boundaries are simply wrong. The
check tells the two apart by thickness: a problem thinner than the tolerance is a drawing
sliver that :func:`snap_slivers` may fix; anything thicker needs a person to fix the file.

Thickness is the diameter of the largest circle that fits inside a piece, the width at which
a negative buffer erases it. Below the tolerance it is found by bisecting negative buffers
(GEOS's circle search is a hundred times slower on long diagonal slivers); above, by
``shapely.maximum_inscribed_circle`` (shapely ≥ 2.1, else ``2 · area / perimeter``).

Pure: no Flask, no SQLAlchemy. Areas and widths are measured in the ward's metric CRS. The
report found, and its wording, are ``geo.topology_report``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geo.crs import STORAGE_EPSG, require_crs, to_metric
from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.topology_report import Gap, Overlap, TopologyReport

gpd = deferred("geopandas")
pd = deferred("pandas")

MIN_AREA_M2 = 1.0
# Metric work is snapped to a millimetre grid: the reprojection round trip moves shared
# vertices by ~1e-10 m, and without a grid overlays return zero-width spikes along such edges.
_GRID_M = 0.001
# A gap this close to the ward's boundary touches it; a neighbour's edge this close to a
# gap's boundary borders it.
_TOUCH_M = 0.01
_SNAP_PASSES = 3


def check_topology(neighbourhoods: gpd.GeoDataFrame, ward_boundary, metric_epsg: int, *,
                   tolerance_m: float = 2.0, min_area_m2: float = MIN_AREA_M2,
                   code_column: str = "code") -> TopologyReport:
    """Overlaps between khu phố and gaps they leave in the ward.

    Parameters
    ----------
    neighbourhoods : GeoDataFrame in EPSG:4326 of valid (Multi)Polygons, indexed by the row
        numbers the user sees, with a ``code_column``.
    ward_boundary : shapely (Multi)Polygon in EPSG:4326.
    metric_epsg : the ward's metric CRS (VN-2000), where areas and widths are measured.
    tolerance_m : problems thinner than this are slivers (``sliver=True``).
    min_area_m2 : pieces smaller than this are floating-point noise of shared edges.

    Returns
    -------
    TopologyReport, its overlaps and gaps largest first.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> kp = gpd.GeoDataFrame({"code": ["KP01", "KP02"]}, crs=4326, geometry=[
    ...     box(106.90, 10.84, 106.911, 10.85), box(106.91, 10.84, 106.92, 10.85)])
    >>> report = check_topology(kp, kp.union_all(), 5899)
    >>> [(o.rows, o.codes, round(o.width_m), o.sliver) for o in report.overlaps]
    [((0, 1), ('KP01', 'KP02'), 109, False)]
    >>> report.gaps, round(report.coverage, 4)
    ([], 1.0)
    """
    survey = _Survey(*_metric(neighbourhoods, ward_boundary, metric_epsg), tolerance_m,
                     min_area_m2)
    labels = [x.item() if isinstance(x, np.generic) else x for x in neighbourhoods.index]
    codes = [str(c) if pd.notna(c) else Message(N_("dòng %(row)s"), row=label)
             for c, label in zip(neighbourhoods[code_column], labels, strict=True)]
    wheres = iter(_lonlat([p.point for p in survey.overlaps + survey.gaps], metric_epsg))
    overlaps = [
        Overlap(tuple(labels[k] for k in p.pair), tuple(codes[k] for k in p.pair),
                round(p.geom.area, 1), round(p.width, 1), next(wheres), p.width < tolerance_m)
        for p in survey.overlaps
    ]
    gaps = [
        Gap(round(p.geom.area, 1), round(p.width, 1), next(wheres),
            tuple(sorted({codes[k] for k in survey.neighbours(p.geom)})),
            bool(shapely.dwithin(p.geom, survey.ward.boundary, _TOUCH_M)),
            p.width < tolerance_m)
        for p in survey.gaps
    ]
    return TopologyReport(
        sorted(overlaps, key=lambda o: -o.area_m2), sorted(gaps, key=lambda g: -g.area_m2),
        ward_area_m2=survey.ward.area, covered_m2=survey.covered_m2,
        outside_m2=survey.outside_m2, tolerance_m=tolerance_m)


def snap_slivers(neighbourhoods: gpd.GeoDataFrame, ward_boundary, metric_epsg: int, *,
                 tolerance_m: float = 2.0, code_column: str = "code") -> gpd.GeoDataFrame:
    """A copy of ``neighbourhoods`` with the sliver overlaps and gaps snapped away.

    A sliver overlap goes to the larger of its two khu phố (by area, then by row order). A
    sliver gap, between khu phố or along the ward's edge, goes to the khu phố sharing the
    longest edge with it, as far as it lies within the tolerance of that khu phố (so a long
    strip along the edge is shared out among the khu phố beside it). Thicker problems are
    left for a person to fix, and a change that would empty a khu phố is not made.
    ``code_column`` mirrors :func:`check_topology`; snapping does not need the codes.

    Returns
    -------
    GeoDataFrame in EPSG:4326 with the same index and columns, geometries valid
    MultiPolygons (rows that needed no change keep their coordinates exactly).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> kp = gpd.GeoDataFrame({"code": ["KP01", "KP02"]}, crs=4326, geometry=[
    ...     box(106.90, 10.84, 106.91001, 10.85), box(106.91, 10.84, 106.92, 10.85)])
    >>> ward = kp.union_all()
    >>> [round(s.width_m, 1) for s in check_topology(kp, ward, 5899).slivers]
    [1.1]
    >>> check_topology(snap_slivers(kp, ward, 5899), ward, 5899).overlaps
    []
    """
    geoms, ward = _metric(neighbourhoods, ward_boundary, metric_epsg)
    changed = np.zeros(len(geoms), dtype=bool)
    area = shapely.area(geoms)
    # Trimming one overlap can thin a neighbouring one below the tolerance: look again.
    for _ in range(_SNAP_PASSES):
        survey = _Survey(geoms, ward, tolerance_m, MIN_AREA_M2)
        overlaps = [p for p in survey.overlaps if p.width < tolerance_m]
        gaps = [p for p in survey.gaps if p.width < tolerance_m]
        if not overlaps and not gaps:
            break
        for piece in overlaps:
            i, j = piece.pair
            keeper, loser = (i, j) if area[i] >= area[j] else (j, i)
            trimmed = _polygonal(shapely.difference(geoms[loser], geoms[keeper]), grid=True)
            if trimmed.area >= MIN_AREA_M2:
                geoms[loser], changed[loser] = trimmed, True
        for piece in gaps:
            _share_gap(piece.geom, geoms, changed, survey.neighbours(piece.geom), tolerance_m)
    result = neighbourhoods.copy()
    snapped = result.geometry.to_numpy().copy()
    if changed.any():
        back = gpd.GeoSeries(geoms[changed], crs=metric_epsg).to_crs(STORAGE_EPSG)
        snapped[changed] = back.to_numpy()
    result[result.geometry.name] = gpd.GeoSeries([_polygonal(g) for g in snapped],
                                                 index=result.index, crs=STORAGE_EPSG)
    return result


def _share_gap(gap, geoms: np.ndarray, changed: np.ndarray, candidates: np.ndarray,
               tolerance_m: float) -> None:
    """Add a sliver gap to its neighbours, longest shared edge first, in place.

    Each takes the part of the gap within the tolerance of it, so a thin gap between two
    khu phố goes whole to one of them, and a strip along the ward's edge is shared out.
    """
    if not candidates.size:
        return
    xmin, ymin, xmax, ymax = gap.bounds
    margin = 2 * tolerance_m + 1  # only edges near the gap matter: clip before buffering
    near = shapely.intersection(geoms[candidates], shapely.box(
        xmin - margin, ymin - margin, xmax + margin, ymax + margin))
    shared = shapely.length(shapely.intersection(gap.boundary, shapely.buffer(near, _TOUCH_M)))
    left = gap
    for k in np.lexsort((candidates, -shared)):
        reach = _polygonal(shapely.buffer(near[k], tolerance_m), grid=True)
        taken = _polygonal(shapely.intersection(left, reach), grid=True)
        if taken.area < MIN_AREA_M2 / 100:
            continue
        best = candidates[k]
        geoms[best], changed[best] = _polygonal(shapely.union(geoms[best], taken), True), True
        left = shapely.difference(left, taken)
        if left.is_empty:
            break


@dataclass
class _Piece:
    geom: shapely.Geometry        # the overlap (all its parts) or one gap, in metres
    width: float                  # of the thickest part
    point: shapely.Point          # inside the largest part
    pair: tuple[int, int] | None  # positions of the overlapping khu phố; None for a gap


def _metric(neighbourhoods, ward_boundary, metric_epsg: int):
    """The khu phố (an array) and the ward in the metric CRS, on the millimetre grid."""
    require_crs(neighbourhoods)
    metric = to_metric(neighbourhoods[[neighbourhoods.geometry.name]], metric_epsg)
    geoms = shapely.set_precision(shapely.make_valid(metric.geometry.to_numpy()), _GRID_M)
    ward = gpd.GeoSeries([ward_boundary], crs=STORAGE_EPSG).to_crs(epsg=metric_epsg)
    ward = _polygonal(ward.iloc[0], grid=True)
    if ward.is_empty:
        raise ValueError("ward boundary is empty")
    return geoms, ward


class _Survey:
    """The overlaps and gaps of khu phố ``geoms`` in ``ward`` (all in metres)."""

    def __init__(self, geoms: np.ndarray, ward, tolerance_m: float, min_area_m2: float):
        self.geoms, self.ward, self.tolerance_m = geoms, ward, tolerance_m
        self.tree = shapely.STRtree(geoms)
        left, right = self.tree.query(geoms, predicate="intersects")
        left, right = left[left < right], right[left < right]
        shared = shapely.intersection(geoms[left], geoms[right])
        pieces = [(parts, (int(i), int(j))) for i, j, overlap in zip(left, right, shared,
                                                                      strict=True)
                  if (parts := _parts(overlap, min_area_m2)).size]
        union = shapely.union_all(geoms)
        self.covered_m2 = shapely.intersection(union, ward).area
        outside = _parts(shapely.difference(union, ward), min_area_m2)
        self.outside_m2 = round(float(shapely.area(outside).sum()), 1)
        pieces += [(np.array([gap]), None)
                   for gap in _parts(shapely.difference(ward, union), min_area_m2)]
        # Every part measured in one vectorised call, then grouped back by piece.
        every_part = np.concatenate([parts for parts, _ in pieces] or [np.empty(0, object)])
        widths = np.split(_widths(every_part, tolerance_m),
                          np.cumsum([len(parts) for parts, _ in pieces])[:-1])
        measured = [_Piece(parts[0] if len(parts) == 1 else shapely.MultiPolygon(list(parts)),
                           float(width.max()),
                           parts[np.argmax(shapely.area(parts))].representative_point(), pair)
                    for (parts, pair), width in zip(pieces, widths, strict=False)]
        self.overlaps = [piece for piece in measured if piece.pair]
        self.gaps = [piece for piece in measured if not piece.pair]

    def neighbours(self, piece) -> np.ndarray:
        """Positions of the khu phố within the tolerance of ``piece``."""
        return self.tree.query(piece, predicate="dwithin", distance=self.tolerance_m)


def _polygonal(geom, grid: bool = False) -> shapely.MultiPolygon:
    """The polygons of ``geom`` as one valid MultiPolygon (overlays also yield lines, points).

    ``grid`` puts it on the millimetre grid: a floating-point union can keep two parts that
    share a nearly collinear edge, which later overlays on the grid read as a gap.
    """
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    if grid:
        return _polygonal(shapely.set_precision(_polygonal(geom), _GRID_M))
    # make_valid may answer a collection holding MultiPolygons: flatten twice.
    parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(geom)))
    polygons = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    multi = shapely.MultiPolygon(polygons)
    # Polygons of a valid collection may still share edges, which a MultiPolygon may not.
    return multi if multi.is_valid else shapely.MultiPolygon(
        list(shapely.get_parts(shapely.union_all(polygons))))


def _parts(geom, min_area_m2: float) -> np.ndarray:
    parts = shapely.get_parts(_polygonal(geom))
    return parts[shapely.area(parts) >= min_area_m2]


def _widths(parts: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Diameter of the largest circle inside each part (see the module's docstring).

    A part survives ``buffer(-r)`` iff a circle of radius ``r`` fits in it: ten halvings
    give thin parts' widths to 1 ‰ of the tolerance.
    """
    radius = tolerance_m / 2
    thin = shapely.is_empty(shapely.buffer(parts, -radius))
    low, high = np.zeros(thin.sum()), np.full(thin.sum(), radius)
    for _ in range(10):
        middle = (low + high) / 2
        fits = ~shapely.is_empty(shapely.buffer(parts[thin], -middle))
        low, high = np.where(fits, middle, low), np.where(fits, high, middle)
    widths = np.empty(len(parts))
    widths[thin] = low + high
    thick = parts[~thin]
    if hasattr(shapely, "maximum_inscribed_circle"):
        estimate = 2 * shapely.length(shapely.maximum_inscribed_circle(thick, radius / 50))
    else:
        estimate = 2 * shapely.area(thick) / shapely.length(thick)
    widths[~thin] = np.maximum(estimate, tolerance_m)
    return widths


def _lonlat(points: list, metric_epsg: int) -> list[tuple[float, float]]:
    if not points:
        return []
    lonlat = gpd.GeoSeries(points, crs=metric_epsg).to_crs(STORAGE_EPSG)
    return [(round(p.x, 7), round(p.y, 7)) for p in lonlat]

