"""A small OpenStreetMap extract in Biên Hòa (Đồng Nai), written by tests, never fetched.

``write_osm_extract(folder)`` writes the same data as ``.osm`` (XML) and ``.osm.pbf`` and
returns the ward boundary it was drawn around. ``WAYS`` says what each way is there for;
``EXPECTED`` holds the counts that ``read_osm`` and ``prepare_streets`` must find.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import osmium
from shapely import Polygon

# Ward edges: lon 106.905–106.925, lat 10.852–10.866, a roof peaking at 10.869.
WARD_BOUNDARY = Polygon([(106.905, 10.852), (106.925, 10.852), (106.925, 10.866),
                         (106.915, 10.869), (106.905, 10.866)])
MISSING_NODE = 999_999  # referenced by a way, absent from the file (cut off by the extract)

# (way id, tags, node coordinates); a coordinate equal to an earlier one reuses its node.
WAYS: list[tuple[int, dict[str, str], list[tuple[float, float]]]] = [
    # crosses the west and east edges: clipped
    (101, {"highway": "trunk", "name": "Quốc lộ 51", "ref": "QL.51"},
     [(106.900, 10.856), (106.910, 10.858), (106.920, 10.860), (106.930, 10.862)]),
    # two touching segments of one street, `name:vi` preferred over an unaccented `name`
    (102, {"highway": "secondary", "name": "Duong Nguyen Tu Gian", "name:vi": "Nguyễn Tư Giản"},
     [(106.912, 10.8535), (106.912, 10.857)]),
    (103, {"highway": "secondary", "name:vi": "Nguyễn Tư Giản"},
     [(106.912, 10.857), (106.912, 10.864)]),
    # leaves through the north edge: clipped
    (104, {"highway": "residential", "name": "Lê Lợi"}, [(106.918, 10.862), (106.918, 10.872)]),
    # goes out through the east edge and comes back: two inside pieces
    (119, {"highway": "residential", "name": "Trần Quốc Toản"},
     [(106.921, 10.853), (106.928, 10.8545), (106.921, 10.856)]),
    # unnamed, each near a different named street
    (105, {"highway": "residential"}, [(106.9125, 10.860), (106.915, 10.860)]),
    (106, {"highway": "service"}, [(106.907, 10.858), (106.907, 10.860)]),
    (107, {"highway": "service"}, [(106.9185, 10.864), (106.921, 10.864)]),
    # unnamed, more than 300 m from every named street
    (108, {"highway": "residential"}, [(106.906, 10.8525), (106.908, 10.8525)]),
    # exact duplicate of 105, drawn the other way
    (110, {"highway": "residential"}, [(106.915, 10.860), (106.9125, 10.860)]),
    # wholly outside the ward
    (109, {"highway": "tertiary", "name": "Phạm Văn Thuận"},
     [(106.927, 10.850), (106.929, 10.851)]),
    # highway values that are not roads of the layer
    (111, {"highway": "footway", "name": "Lối đi bộ công viên"},
     [(106.914, 10.865), (106.916, 10.865)]),
    (112, {"highway": "steps"}, [(106.916, 10.865), (106.9165, 10.8655)]),
    (113, {"highway": "construction", "construction": "tertiary"},
     [(106.908, 10.864), (106.910, 10.864)]),
    # no highway tag
    (114, {"building": "yes"}, [(106.913, 10.861), (106.9132, 10.861), (106.9132, 10.8612),
                                (106.913, 10.8612), (106.913, 10.861)]),
    (115, {"waterway": "stream", "name": "Suối Linh"}, [(106.906, 10.862), (106.909, 10.866)]),
    # a pedestrian square
    (116, {"highway": "pedestrian", "area": "yes", "name": "Quảng trường"},
     [(106.916, 10.857), (106.917, 10.857), (106.917, 10.858), (106.916, 10.858),
      (106.916, 10.857)]),
    # one known node only
    (118, {"highway": "residential"}, [(106.910, 10.855), None]),
]

EXPECTED = {
    "rows": 14,
    "skipped": {"no_highway_tag": 2, "area": 1, "broken_geometry": 1},
    "kept": 9,
    "clipped": 3,
    "merged": 1,
    "duplicates": 1,
    "unnamed": 4,
    "dropped": {"không phải đường xe (construction)": 1, "không phải đường xe (footway)": 1,
                "không phải đường xe (steps)": 1, "ngoài ranh giới phường": 1, "trùng lặp": 1},
    "labels": {"way/105": "Đường nội bộ gần đường Nguyễn Tư Giản",
               "way/106": "Hẻm gần Quốc lộ 51",
               "way/107": "Hẻm gần đường Lê Lợi",
               "way/108": "Đường nội bộ không tên"},
}


def osm_xml() -> str:
    """The extract as OSM XML text: nodes, then ways, each sorted by id as in real extracts."""
    node_ids: dict[tuple[float, float], int] = {}
    way_lines = []
    for way_id, tags, coords in sorted(WAYS, key=lambda way: way[0]):
        refs = []
        for coord in coords:
            if coord is None:
                refs.append(MISSING_NODE)
                continue
            refs.append(node_ids.setdefault(coord, len(node_ids) + 1))
        way_lines.append(f'  <way id="{way_id}" version="1">')
        way_lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        way_lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        way_lines.append("  </way>")
    node_lines = [f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>'
                  for (lon, lat), node_id in node_ids.items()]
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<osm version="0.6" generator="urbanorder tests">', *node_lines,
                      *way_lines, "</osm>"])


def write_osm_extract(folder: str | Path) -> tuple[Path, Path, Polygon]:
    """Write ``extract.osm`` and ``extract.osm.pbf`` into ``folder``.

    Returns
    -------
    (osm_path, pbf_path, ward_boundary) with the boundary a shapely Polygon in EPSG:4326.
    """
    folder = Path(folder)
    osm_path = folder / "extract.osm"
    pbf_path = folder / "extract.osm.pbf"
    osm_path.write_text(osm_xml(), encoding="utf-8")
    with osmium.SimpleWriter(str(pbf_path), overwrite=True) as writer:
        for entity in osmium.FileProcessor(str(osm_path)):
            writer.add(entity)
    return osm_path, pbf_path, WARD_BOUNDARY
