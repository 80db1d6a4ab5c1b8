"""Reading OpenStreetMap extracts (``.osm`` XML, ``.osm.pbf``) into a frame of road ways.

Only ways tagged ``highway`` come out, each as a line in EPSG:4326 with the few tags a
street layer needs; deciding which ``highway`` values are roads of the ward is left to
``geo.streets``. The file is streamed by pyosmium: node coordinates go to its native
location cache and never become Python objects, so only the ways cost Python time.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

import shapely

from geo.i18n import N_, Message
from geo.io.errors import ReadError
from geo.lazy import deferred

gpd = deferred("geopandas")
osmium = deferred("osmium")
pd = deferred("pandas")

log = logging.getLogger(__name__)

OSM_SUFFIXES = {".osm": "OpenStreetMap (XML)", ".pbf": "OpenStreetMap (PBF)"}
OSM_COLUMNS = ("osm_id", "highway", "name", "name:vi", "ref")
# What read_osm did not return, by reason (keys of its second result).
NO_HIGHWAY_TAG = "no_highway_tag"
AREA = "area"
BROKEN_GEOMETRY = "broken_geometry"


def is_osm_path(path: str | os.PathLike) -> bool:
    """Whether ``path`` names an OSM extract by its suffix.

    >>> is_osm_path("tam-phuoc.osm.pbf"), is_osm_path("duong.OSM"), is_osm_path("a.geojson")
    (True, True, False)
    """
    return Path(path).suffix.lower() in OSM_SUFFIXES


def read_osm(
    path: str | os.PathLike, file_format: str | None = None
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """The ``highway`` ways of an OSM extract, one row per way, and what was left out.

    Parameters
    ----------
    path : an ``.osm`` (XML) or ``.osm.pbf`` file
    file_format : ``"osm"`` or ``"pbf"`` when the file name does not tell (an upload kept
        under a temporary name); by default osmium goes by the suffix

    Returns
    -------
    frame : GeoDataFrame in EPSG:4326 with columns ``osm_id`` (``"way/123"``), ``highway``,
        ``name``, ``name:vi``, ``ref`` (``None`` when the tag is absent) and a LineString
        geometry. A way some of whose nodes are missing from the extract (cut at its edge)
        keeps each run of consecutive known nodes, so it may be a MultiLineString rather
        than a line jumping over the gap.
    skipped : counts by reason of the ways not returned: ``"no_highway_tag"`` (buildings,
        waterways, land use…), ``"area"`` (closed ``area=yes`` ways such as pedestrian
        squares) and ``"broken_geometry"`` (fewer than two known node locations). All
        three keys are present.

    Raises
    ------
    ValueError
        the file cannot be parsed (message in Vietnamese).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> xml = ('<osm version="0.6"><node id="1" lat="10.86" lon="106.91"/>'
    ...        '<node id="2" lat="10.86" lon="106.92"/><way id="7"><nd ref="1"/><nd ref="2"/>'
    ...        '<tag k="highway" v="residential"/><tag k="name" v="Lê Lợi"/></way></osm>')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     osm = pathlib.Path(tmp, "x.osm")
    ...     _ = osm.write_text(xml, encoding="utf-8")
    ...     ways, skipped = read_osm(osm)
    >>> ways[["osm_id", "highway", "name", "ref"]].values.tolist(), skipped["no_highway_tag"]
    ([['way/7', 'residential', 'Lê Lợi', None]], 0)
    """
    source = osmium.io.File(str(path), file_format) if file_format else osmium.io.File(str(path))
    # The location cache must see the nodes; the filter after it keeps them out of Python.
    processor = (osmium.FileProcessor(source, osmium.osm.NODE | osmium.osm.WAY)
                 .with_locations()
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)))
    rows: dict[str, list] = {column: [] for column in OSM_COLUMNS}
    geometries = []
    skipped = Counter({NO_HIGHWAY_TAG: 0, AREA: 0, BROKEN_GEOMETRY: 0})
    try:
        for way in processor:
            tags = way.tags
            highway = tags.get("highway")
            if not highway:
                skipped[NO_HIGHWAY_TAG] += 1
                continue
            if tags.get("area") == "yes" and way.is_closed():
                skipped[AREA] += 1
                continue
            geometry = _way_geometry(way)
            if geometry is None:
                skipped[BROKEN_GEOMETRY] += 1
                continue
            for column, value in zip(OSM_COLUMNS, (f"way/{way.id}", highway, tags.get("name"),
                                                   tags.get("name:vi"), tags.get("ref")),
                                     strict=True):
                rows[column].append(value)
            geometries.append(geometry)
    except RuntimeError as exc:  # libosmium reports malformed input this way
        log.warning("osmium could not read %s: %r", path, exc)  # its text names our paths
        raise ReadError(Message(N_("Không đọc được tệp OpenStreetMap %(name)s: tệp hỏng hoặc "
                                   "bị cắt dở (tải lại bản trích xuất)."),
                                name=Path(path).name)) from exc
    # object columns: pandas 3 would turn the missing tags into NaN in a "str" column
    frame = gpd.GeoDataFrame({column: pd.Series(values, dtype=object)
                              for column, values in rows.items()},
                             geometry=geometries, crs=4326)
    return frame, dict(skipped)


def _way_geometry(way):
    """The way's line from its known node locations, or ``None`` if fewer than two."""
    runs, run = [], []
    for node in way.nodes:
        location = node.location
        if not location.valid():
            runs.append(run)
            run = []
            continue
        point = (location.lon, location.lat)
        if not run or run[-1] != point:  # a node repeated in place adds no segment
            run.append(point)
    runs.append(run)
    runs = [r for r in runs if len(r) >= 2]
    if not runs:
        return None
    if len(runs) == 1:
        return shapely.LineString(runs[0])
    return shapely.MultiLineString(runs)
