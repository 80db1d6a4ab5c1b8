"""geo.io.osm: OSM XML and PBF extracts read into road ways, the rest counted."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import shapely

from geo.io.osm import read_osm
from tests.geo.osm_fixture import EXPECTED, WAYS, write_osm_extract

OGRINFO = Path("/usr/bin/ogrinfo")


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    return write_osm_extract(tmp_path_factory.mktemp("osm"))


def test_xml_and_pbf_give_the_same_rows(extract):
    osm_path, pbf_path, _ = extract
    from_xml, skipped_xml = read_osm(osm_path)
    from_pbf, skipped_pbf = read_osm(pbf_path)
    assert skipped_xml == skipped_pbf
    assert from_xml.drop(columns="geometry").equals(from_pbf.drop(columns="geometry"))
    assert shapely.equals_exact(from_xml.geometry.values, from_pbf.geometry.values,
                                tolerance=0).all()


def test_rows_tags_and_counts_by_reason(extract):
    ways, skipped = read_osm(extract[1])
    assert len(ways) == EXPECTED["rows"]
    assert skipped == EXPECTED["skipped"]
    assert list(ways.columns) == ["osm_id", "highway", "name", "name:vi", "ref", "geometry"]
    assert ways.crs.to_epsg() == 4326
    assert set(ways.geom_type) == {"LineString"}
    by_id = ways.set_index("osm_id")
    assert by_id.loc["way/101", "ref"] == "QL.51"
    assert by_id.loc["way/102", "name"] == "Duong Nguyen Tu Gian"
    assert by_id.loc["way/102", "name:vi"] == "Nguyễn Tư Giản"
    assert by_id.loc["way/103", "name"] is None  # absent tags are None, not NaN
    assert by_id.loc["way/113", "highway"] == "construction"
    # not returned: the building, the stream, the square, the way with one known node
    assert {"way/114", "way/115", "way/116", "way/118"}.isdisjoint(by_id.index)
    coords = {w: c for w, _, c in WAYS}
    assert list(by_id.loc["way/119", "geometry"].coords) == coords[119]


def test_pbf_is_a_real_pbf_that_gdal_reads(extract):
    _, pbf_path, _ = extract
    assert pbf_path.read_bytes()[4:15] == b"\n\tOSMHeader"  # first blob header of a PBF
    if not OGRINFO.exists():
        pytest.skip("ogrinfo (GDAL) is not installed")
    summary = subprocess.run([str(OGRINFO), "-ro", "-so", str(pbf_path), "lines"],
                             capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0, summary.stderr
    assert "Layer name: lines" in summary.stdout
    listing = subprocess.run([str(OGRINFO), "-ro", str(pbf_path), "lines"],
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    gdal_ids = {f"way/{i}" for i in re.findall(r"OGRFeature\(lines\):(\d+)", listing.stdout)}
    ways, _ = read_osm(pbf_path)
    assert gdal_ids - {"way/115"} == set(ways["osm_id"])  # GDAL's lines also hold the stream


def test_format_given_when_the_name_does_not_tell(extract, tmp_path):
    upload = tmp_path / "upload-7f3a"
    shutil.copy(extract[1], upload)
    ways, _ = read_osm(upload, file_format="pbf")
    assert len(ways) == EXPECTED["rows"]


def test_way_cut_by_the_extract_keeps_its_runs_of_known_nodes(tmp_path):
    nodes = [(1, 106.910), (2, 106.911), (3, 106.913), (4, 106.914)]
    xml = "".join(f'<node id="{i}" version="1" lat="10.86" lon="{lon}"/>' for i, lon in nodes)
    path = tmp_path / "cut.osm"
    path.write_text(
        f'<osm version="0.6">{xml}<way id="5" version="1"><nd ref="1"/><nd ref="2"/>'
        '<nd ref="77"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="service"/></way>'
        '<way id="6" version="1"><nd ref="1"/><nd ref="1"/><tag k="highway" v="service"/>'
        "</way></osm>", encoding="utf-8")
    ways, skipped = read_osm(path)
    assert ways["osm_id"].tolist() == ["way/5"]
    geometry = ways.geometry.iloc[0]
    assert geometry.geom_type == "MultiLineString" and len(geometry.geoms) == 2
    assert skipped["broken_geometry"] == 1  # way 6: one place, no line


def test_empty_extract_and_unreadable_file(tmp_path):
    empty = tmp_path / "empty.osm"
    empty.write_text('<osm version="0.6"></osm>', encoding="utf-8")
    ways, skipped = read_osm(empty)
    assert ways.empty and ways.crs.to_epsg() == 4326
    assert skipped == {"no_highway_tag": 0, "area": 0, "broken_geometry": 0}
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"this is not a protocol buffer")
    with pytest.raises(ValueError, match="Không đọc được tệp OpenStreetMap"):
        read_osm(broken)
