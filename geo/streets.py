"""Preparing a ward's street layer from road lines: an OSM extract or the ward's own files.

Lines are cut to the ward, exact duplicates dropped, consecutive segments of one named
street merged, and unnamed ones labelled by their class and the nearest named street, so
an alley reads "Hẻm gần đường Nguyễn Tư Giản" on the map. The same input always gives the
same rows, in the same order, with the same coordinates, so a file imported twice is
recognised segment by segment through ``street_key``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely

from geo.crs import STORAGE_EPSG, require_crs, to_metric
from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.street_names import join_refs, normalise_name, shortened, unnamed_label
from geo.street_summary import StreetSummary
from geo.vocabulary import STREET_CLASSES

gpd = deferred("geopandas")
pd = deferred("pandas")

NEAREST_NAMED_M = 300.0
MIN_PIECE_M = 1.0  # shorter leftovers of a cut are slivers along the ward edge
MIN_LINE_M = 0.01  # below this a line has collapsed to a point
# Why a row is dropped (msgids; a reason with a value is a ``geo.i18n.Message``).
OUTSIDE = N_("ngoài ranh giới phường")
DUPLICATE = N_("trùng lặp")
NOT_A_LINE = N_("không phải hình học đường")
NO_CLASS = N_("không rõ loại đường")
STREET_COLUMNS = ["name", "street_class", "named", "source_ref", "length_m", "geometry"]
_CLASS_RANK = {code: rank for rank, code in enumerate(STREET_CLASSES)}


def street_key(geom) -> str:
    """A stable key of a stored street geometry (EPSG:4326), blind to direction.

    >>> from shapely import LineString
    >>> line = LineString([(106.91, 10.86), (106.92, 10.87)])
    >>> street_key(line) == street_key(LineString([(106.92, 10.87), (106.91, 10.86000001)]))
    True
    """
    return shapely.to_wkb(shapely.normalize(_round_degrees(geom)), hex=True, output_dimension=2,
                          byte_order=1)


@dataclass
class StreetPrep:
    streets: gpd.GeoDataFrame
    summary: StreetSummary


def prepare_streets(lines: gpd.GeoDataFrame, ward_boundary, metric_epsg: int) -> StreetPrep:
    """The ward's street layer from road lines: cut, deduplicated, merged, labelled.

    Parameters
    ----------
    lines : GeoDataFrame in EPSG:4326 with ``name`` and ``street_class`` (a code of
        ``STREET_CLASSES``; ``None`` drops the row, for the reason in the optional
        ``drop_reason`` column), optionally ``source_ref`` (where the row came from)
    ward_boundary : shapely (Multi)Polygon in EPSG:4326
    metric_epsg : the ward's VN-2000 metric CRS, in which lengths and distances are taken

    Returns
    -------
    StreetPrep whose ``streets`` has columns ``name``, ``street_class``, ``named`` (False
    for the labels given to unnamed segments), ``source_ref`` (";"-joined when merged),
    ``length_m`` and a LineString geometry in EPSG:4326 rounded to 7 decimals, sorted by
    class, name and geometry.

    Examples
    --------
    >>> from shapely import LineString, box
    >>> lines = gpd.GeoDataFrame(
    ...     {"name": ["Lê Lợi", "Lê  Lợi ", None], "street_class": ["main", "main", "alley"]},
    ...     geometry=[LineString([(106.91, 10.86), (106.912, 10.86)]),
    ...               LineString([(106.912, 10.86), (106.914, 10.86)]),
    ...               LineString([(106.911, 10.8605), (106.911, 10.862)])], crs=4326)
    >>> prep = prepare_streets(lines, box(106.905, 10.855, 106.92, 10.865), 5899)
    >>> prep.streets[["name", "street_class", "named"]].values.tolist()
    [['Lê Lợi', 'main', True], ['Hẻm gần đường Lê Lợi', 'alley', False]]
    >>> prep.summary.merged, prep.summary.kept
    (1, 2)
    """
    require_crs(lines)
    if shapely.get_type_id(ward_boundary) not in (3, 6):
        raise ValueError(Message(N_("ranh giới phường phải là một vùng (Polygon / "
                                    "MultiPolygon)")))
    dropped: Counter = Counter()
    frame = _standardise(lines, dropped)
    boundary = shapely.make_valid(
        gpd.GeoSeries([ward_boundary], crs=STORAGE_EPSG).to_crs(epsg=metric_epsg).iloc[0])
    metric = to_metric(frame, metric_epsg).explode(index_parts=False, ignore_index=True)
    metric, clipped = _clip(metric, boundary, dropped)
    metric = _drop_duplicates(metric, dropped)
    metric, merged = _merge_named(metric)
    streets = _finish(_label_unnamed(metric))
    km = streets.groupby("street_class")["length_m"].sum() / 1000
    summary = StreetSummary(
        read=len(lines), kept=len(streets), merged=merged, clipped=clipped,
        duplicates=dropped[DUPLICATE],
        dropped=dict(sorted((k, v) for k, v in dropped.items() if v)),
        unnamed=int((~streets["named"]).sum()),
        km_by_class={code: round(float(km.get(code, 0.0)), 2) for code in STREET_CLASSES})
    return StreetPrep(streets, summary)


def _standardise(lines: gpd.GeoDataFrame, dropped: Counter) -> gpd.GeoDataFrame:
    """Rows with a known class and a line geometry; the others counted by reason."""
    def texts(column: str) -> list[str | None]:
        return [normalise_name(v) for v in (lines[column] if column in lines else [None] * n)]

    n = len(lines)
    names = [shortened(name) for name in texts("name")]
    classes, refs = texts("street_class"), texts("source_ref")
    # Kept as given: a reason is a Message (its values said in the reader's language).
    reasons = [r if isinstance(r, str) and r.strip() else None
               for r in (lines["drop_reason"] if "drop_reason" in lines else [None] * n)]
    geoms = shapely.force_2d(np.asarray(lines.geometry.values, dtype=object))
    keep = np.zeros(n, dtype=bool)
    is_line = np.isin(shapely.get_type_id(geoms), (1, 5)) & ~shapely.is_empty(geoms)
    for i, code in enumerate(classes):
        if code not in STREET_CLASSES:
            dropped[reasons[i] or (Message(N_("loại đường không hợp lệ (%(code)s)"), code=code)
                                   if code else NO_CLASS)] += 1
        elif not is_line[i]:
            dropped[NOT_A_LINE] += 1
        else:
            keep[i] = True
    return gpd.GeoDataFrame(
        {"name": _text(names), "street_class": _text(classes), "source_ref": _text(refs)},
        geometry=list(geoms), crs=lines.crs).iloc[np.flatnonzero(keep)].reset_index(drop=True)


def _clip(metric: gpd.GeoDataFrame, boundary, dropped: Counter) -> tuple[gpd.GeoDataFrame, int]:
    """Segments inside the ward, those crossing its edge cut to their inside pieces."""
    geoms = metric.geometry.to_numpy()
    lengths = shapely.length(geoms)
    dropped[NOT_A_LINE] += int((lengths < MIN_LINE_M).sum())
    shapely.prepare(boundary)
    inside = shapely.covered_by(geoms, boundary)
    touching = shapely.intersects(geoms, boundary)
    positions, pieces, clipped = [], [], 0
    for pos in np.flatnonzero(lengths >= MIN_LINE_M):
        if inside[pos]:
            positions.append(pos)
            pieces.append(geoms[pos])
            continue
        kept = []
        if touching[pos]:
            cut = _line_parts(shapely.intersection(geoms[pos], boundary))
            if cut:
                kept = [p for p in _line_parts(shapely.line_merge(shapely.MultiLineString(cut)))
                        if p.length >= MIN_PIECE_M]
        if kept:
            clipped += 1
            positions.extend([pos] * len(kept))
            pieces.extend(kept)
        else:
            dropped[OUTSIDE] += 1
    out = metric.iloc[positions].drop(columns="geometry").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry=pieces, crs=metric.crs), clipped


def _line_parts(geometry) -> list:
    parts = shapely.get_parts(shapely.get_parts(geometry))  # collection → multi → single
    return [p for p in parts if p.geom_type == "LineString" and not p.is_empty]


def _drop_duplicates(metric: gpd.GeoDataFrame, dropped: Counter) -> gpd.GeoDataFrame:
    shapes = shapely.normalize(shapely.set_precision(metric.geometry.to_numpy(), 0.01))
    keys = pd.DataFrame({"name": metric["name"].fillna(""), "street_class": metric["street_class"],
                         "shape": shapely.to_wkb(shapes, byte_order=1)})
    duplicate = keys.duplicated().to_numpy()
    dropped[DUPLICATE] += int(duplicate.sum())
    return metric[~duplicate].reset_index(drop=True)


def _merge_named(metric: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Touching segments of one named street joined; unnamed ones are distinct alleys."""
    named = metric["name"].notna().to_numpy()
    rows, merged = [], 0
    for (name, code), group in metric[named].groupby(["name", "street_class"], sort=True):
        geoms = group.geometry.to_numpy()
        refs = group["source_ref"].to_numpy()
        joined = _line_parts(shapely.line_merge(shapely.MultiLineString(list(geoms))))
        merged += len(geoms) - len(joined)
        middles = shapely.line_interpolate_point(geoms, 0.5, normalized=True)
        for line in joined:
            rows.append({"name": name, "street_class": code, "geometry": line,
                         "source_ref": join_refs(refs[shapely.dwithin(line, middles, 0.01)])})
    rows.extend(metric[~named].to_dict("records"))
    frame = gpd.GeoDataFrame(rows, columns=["name", "street_class", "source_ref", "geometry"],
                             geometry="geometry", crs=metric.crs)
    return frame, merged


def _label_unnamed(metric: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Unnamed segments named by class and the nearest named street within 300 m."""
    metric = metric.reset_index(drop=True)
    named = metric["name"].notna()
    metric["named"] = named
    unnamed = metric[~named]
    if unnamed.empty:
        return metric
    nearest = pd.Series([None] * len(unnamed), index=unnamed.index, dtype=object)
    if named.any():
        near = gpd.sjoin_nearest(unnamed[["geometry"]], metric.loc[named, ["name", "geometry"]],
                                 max_distance=NEAREST_NAMED_M, distance_col="distance_m")
        near = (near.rename_axis("row").reset_index()
                .assign(distance_m=lambda f: f["distance_m"].round(3))
                .sort_values(["row", "distance_m", "name"]).drop_duplicates("row"))
        nearest.loc[near["row"].to_numpy()] = near["name"].to_numpy()
    metric.loc[~named, "name"] = [
        unnamed_label(code, street) for code, street in zip(unnamed["street_class"], nearest,
                                                            strict=True)]
    return metric


def _finish(metric: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lengths, back to EPSG:4326 at 7 decimals, and one fixed row order."""
    lengths = shapely.length(metric.geometry.to_numpy()).round(1)
    geoms = shapely.normalize(_round_degrees(metric.geometry.to_crs(epsg=STORAGE_EPSG).to_numpy()))
    keys = shapely.to_wkb(geoms, hex=True, output_dimension=2, byte_order=1)
    names = metric["name"].astype(str).to_numpy()
    ranks = metric["street_class"].map(_CLASS_RANK).to_numpy()
    order = np.lexsort((keys, names, ranks)) if len(metric) else np.array([], dtype=int)
    streets = gpd.GeoDataFrame({
        "name": _text(names[order]),
        "street_class": _text(metric["street_class"].to_numpy()[order]),
        "named": metric["named"].to_numpy()[order].astype(bool),
        "source_ref": _text(r if isinstance(r, str) else None
                            for r in metric["source_ref"].to_numpy()[order]),
        "length_m": lengths[order].astype(float),
    }, geometry=list(geoms[order]), crs=STORAGE_EPSG)
    return streets[STREET_COLUMNS]


def _text(values) -> pd.Series:
    """Text kept as objects so that a missing value stays ``None`` (pandas 3 makes it NaN)."""
    return pd.Series(list(values), dtype=object)


def _round_degrees(geoms):
    return shapely.transform(geoms, lambda coords: np.round(coords, 7))
