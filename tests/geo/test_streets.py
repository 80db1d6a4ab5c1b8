"""geo.streets: a ward's street layer from OSM ways or its own road lines."""

from __future__ import annotations

import unicodedata

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely import LineString, MultiLineString, Point, box

from geo import osm_highways, streets
from geo.i18n import translate
from geo.io.osm import read_osm
from geo.street_summary import StreetSummary
from geo.vocabulary import STREET_CLASSES
from tests.geo.osm_fixture import EXPECTED, write_osm_extract

WARD = box(106.905, 10.852, 106.925, 10.866)
EPSG = 5899


@pytest.fixture(scope="module")
def osm_extract(tmp_path_factory):
    osm_path, pbf_path, boundary = write_osm_extract(tmp_path_factory.mktemp("osm"))
    ways, _ = read_osm(pbf_path)
    return ways, boundary


@pytest.fixture(scope="module")
def prepared(osm_extract):
    ways, boundary = osm_extract
    return streets.prepare_streets(osm_highways.osm_street_lines(ways), boundary, EPSG)


def _lines(rows, crs=4326) -> gpd.GeoDataFrame:
    """rows: (name, street_class, geometry[, source_ref])."""
    columns = ["name", "street_class", "geometry", "source_ref"][:len(rows[0])]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=crs)


def _metres(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.geometry.to_crs(epsg=EPSG)


def test_osm_extract_counts(prepared):
    summary = prepared.summary
    assert summary.read == EXPECTED["rows"]
    assert summary.kept == EXPECTED["kept"] == len(prepared.streets)
    assert summary.clipped == EXPECTED["clipped"]
    assert summary.merged == EXPECTED["merged"]
    assert summary.duplicates == EXPECTED["duplicates"]
    assert summary.unnamed == EXPECTED["unnamed"]
    assert summary.dropped == EXPECTED["dropped"]


def test_output_columns_types_and_crs(prepared):
    frame = prepared.streets
    assert list(frame.columns) == streets.STREET_COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert list(frame.index) == list(range(len(frame)))
    assert set(frame.geom_type) == {"LineString"}
    assert frame["named"].dtype == bool
    assert set(frame["street_class"]) <= set(STREET_CLASSES)
    ranks = frame["street_class"].map(list(STREET_CLASSES).index)
    assert ranks.is_monotonic_increasing


def test_names_prefer_name_vi_and_unnamed_ways_are_labelled(prepared):
    frame = prepared.streets
    labels = dict(zip(frame.loc[~frame["named"], "source_ref"],
                      frame.loc[~frame["named"], "name"], strict=True))
    assert labels == EXPECTED["labels"]
    named = set(frame.loc[frame["named"], "name"])
    assert named == {"Quốc lộ 51", "Nguyễn Tư Giản", "Lê Lợi", "Trần Quốc Toản"}


def test_crossing_ways_are_cut_to_the_ward(osm_extract, prepared):
    ways, boundary = osm_extract
    frame = prepared.streets
    edge = gpd.GeoSeries([boundary], crs=4326).to_crs(epsg=EPSG).iloc[0].buffer(0.5)
    assert _metres(frame).covered_by(edge).all()
    before = _metres(ways).length.groupby(ways["osm_id"]).sum()
    after = frame.groupby("source_ref")["length_m"].sum()
    for osm_id in ("way/101", "way/104", "way/119"):
        assert 1 < after[osm_id] < before[osm_id] - 1
    assert (frame["source_ref"] == "way/119").sum() == 2  # out and back in: two pieces
    assert "way/109" not in set(frame["source_ref"])  # wholly outside


def test_touching_segments_of_one_street_merge_into_one_feature(prepared):
    street = prepared.streets[prepared.streets["name"] == "Nguyễn Tư Giản"]
    assert len(street) == 1
    assert street["source_ref"].iloc[0] == "way/102;way/103"
    assert street["length_m"].iloc[0] == pytest.approx(1161, abs=5)  # 10.8535 → 10.864


def test_same_input_same_output_and_stable_keys(osm_extract, prepared):
    ways, boundary = osm_extract
    again = streets.prepare_streets(osm_highways.osm_street_lines(ways), boundary, EPSG)
    pd.testing.assert_frame_equal(prepared.streets.drop(columns="geometry"),
                                  again.streets.drop(columns="geometry"))
    assert (shapely.to_wkb(prepared.streets.geometry.values)
            == shapely.to_wkb(again.streets.geometry.values)).all()
    keys = [streets.street_key(g) for g in prepared.streets.geometry]
    assert keys == [streets.street_key(g) for g in again.streets.geometry]
    assert len(set(keys)) == len(keys)
    stored = shapely.from_wkb(shapely.to_wkb(prepared.streets.geometry.values))  # a DB round trip
    assert keys == [streets.street_key(g) for g in stored]
    assert keys == [streets.street_key(g.reverse()) for g in prepared.streets.geometry]
    shuffled = osm_highways.osm_street_lines(ways).sample(frac=1, random_state=3)
    reordered = streets.prepare_streets(shuffled, boundary, EPSG).streets
    assert [streets.street_key(g) for g in reordered.geometry] == keys
    assert reordered["name"].tolist() == prepared.streets["name"].tolist()


def test_kilometres_by_class_add_up_and_report_lines(prepared):
    summary, frame = prepared.summary, prepared.streets
    assert list(summary.km_by_class) == list(STREET_CLASSES)
    assert sum(summary.km_by_class.values()) == pytest.approx(frame["length_m"].sum() / 1000,
                                                              abs=0.01 * len(STREET_CLASSES))
    assert summary.km_by_class["provincial"] == 0
    assert (frame["length_m"] == frame["length_m"].round(1)).all()
    lines = summary.lines()
    assert "Giữ 9 đoạn đường (tổng 5,9 km)" in lines
    assert "Gộp 1 đoạn nối tiếp cùng tên" in lines
    assert "Cắt 3 đoạn tại ranh giới phường" in lines
    assert "4 đoạn không tên: đặt tên theo loại và đường có tên gần nhất" in lines
    assert any(line.startswith("Bỏ 5 đoạn: ") and "không phải đường xe (footway) 1" in line
               for line in lines)
    assert lines[-1].startswith("Quốc lộ 2,2 km; Đường chính 1,2 km; Đường nội bộ")


def test_other_metric_crs_gives_the_same_streets(osm_extract, prepared):
    ways, boundary = osm_extract
    hcm = streets.prepare_streets(osm_highways.osm_street_lines(ways), boundary, 9210).streets
    assert hcm["name"].tolist() == prepared.streets["name"].tolist()
    assert hcm["length_m"].sum() == pytest.approx(prepared.streets["length_m"].sum(), rel=2e-3)


def test_messy_names_geometries_and_classes():
    nfd = unicodedata.normalize("NFD", "Nguyễn Tư Giản")
    rows = [
        (float("nan"), "alley", LineString([(106.910, 10.855), (106.910, 10.856)]), "a"),
        (None, "alley", LineString([(106.911, 10.855), (106.911, 10.856)]), "b"),
        ("   ", "alley", LineString([(106.912, 10.855), (106.912, 10.856)]), "c"),
        (nfd, "main", LineString([(106.909, 10.854), (106.915, 10.854)]), "d"),
        ("  Lê   Lợi ", "local", MultiLineString([[(106.906, 10.860), (106.907, 10.860)],
                                                  [(106.920, 10.860), (106.921, 10.860)]]), "e"),
        ("Điểm", "local", Point(106.91, 10.86), "f"),
        ("Rỗng", "local", LineString(), "g"),
        ("Không có", "local", None, "h"),
        ("Không rõ", None, LineString([(106.913, 10.855), (106.913, 10.856)]), "i"),
        ("Sai mã", "bogus", LineString([(106.914, 10.855), (106.914, 10.856)]), "j"),
    ]
    prep = streets.prepare_streets(_lines(rows), WARD, EPSG)
    frame, summary = prep.streets, prep.summary
    assert summary.read == 10
    assert summary.dropped == {"không phải hình học đường": 3, "không rõ loại đường": 1,
                               "loại đường không hợp lệ (bogus)": 1}
    assert frame.loc[frame["source_ref"] == "d", "name"].tolist() == ["Nguyễn Tư Giản"]
    assert unicodedata.is_normalized("NFC", "".join(frame["name"]))
    assert frame.loc[frame["source_ref"] == "e", "name"].tolist() == ["Lê Lợi", "Lê Lợi"]
    alleys = frame[frame["source_ref"].isin(["a", "b", "c"])]
    assert alleys["name"].tolist() == ["Hẻm gần đường Nguyễn Tư Giản"] * 3
    assert not alleys["named"].any()
    assert summary.merged == 0  # the two Lê Lợi parts do not touch, the alleys are unnamed


def test_unknown_highway_values_are_counted_not_kept(osm_extract):
    ways, boundary = osm_extract
    ways = ways.copy()
    ways.loc[ways["osm_id"] == "way/108", "highway"] = "yes_please"
    prep = streets.prepare_streets(osm_highways.osm_street_lines(ways), boundary, EPSG)
    assert prep.summary.dropped["loại highway không rõ (yes_please)"] == 1
    assert "way/108" not in set(prep.streets["source_ref"])


@pytest.mark.parametrize(("nearest", "label"), [
    ("Quốc lộ 51", "Hẻm gần Quốc lộ 51"),
    ("QL51", "Hẻm gần QL51"),
    ("ĐT.768", "Hẻm gần ĐT.768"),
    ("Phố Huế", "Hẻm gần Phố Huế"),
    ("đường số 5", "Hẻm gần đường số 5"),
    ("Ngõ 12 Phạm Văn Thuận", "Hẻm gần Ngõ 12 Phạm Văn Thuận"),
    ("Phốc Lâm", "Hẻm gần đường Phốc Lâm"),  # a word that only begins like "Phố"
    ("Nguyễn Ái Quốc", "Hẻm gần đường Nguyễn Ái Quốc"),
])
def test_label_names_the_nearest_street_once(nearest, label):
    rows = [(nearest, "main", LineString([(106.910, 10.860), (106.915, 10.860)])),
            (None, "alley", LineString([(106.912, 10.8602), (106.912, 10.862)]))]
    frame = streets.prepare_streets(_lines(rows), WARD, EPSG).streets
    assert frame.loc[~frame["named"], "name"].tolist() == [label]


def test_unnamed_far_from_named_streets_and_unnamed_never_merged():
    rows = [("Lê Lợi", "local", LineString([(106.906, 10.853), (106.907, 10.853)])),
            (None, "local", LineString([(106.920, 10.862), (106.921, 10.862)])),
            (None, "local", LineString([(106.921, 10.862), (106.922, 10.862)])),
            (None, "national", LineString([(106.920, 10.864), (106.923, 10.864)]))]
    prep = streets.prepare_streets(_lines(rows), WARD, EPSG)
    unnamed = prep.streets[~prep.streets["named"]]
    assert sorted(unnamed["name"]) == ["Quốc lộ không tên"] + ["Đường nội bộ không tên"] * 2
    assert prep.summary.merged == 0 and prep.summary.unnamed == 3


def test_texts_stay_within_200_characters():
    segments = [LineString([(106.906 + i * 1e-4, 10.86), (106.906 + (i + 1) * 1e-4, 10.86)])
                for i in range(40)]
    rows = [("Trần Hưng Đạo", "main", g, f"so-hieu-doan-{i:03d}") for i, g in enumerate(segments)]
    rows.append((None, "alley", LineString([(106.907, 10.8601), (106.907, 10.861)]), "x"))
    rows.append(("Ạ" * 250, "main", LineString([(106.920, 10.855), (106.921, 10.855)]), "y"))
    rows.append((None, "alley", LineString([(106.9205, 10.8551), (106.9205, 10.856)]), "z"))
    prep = streets.prepare_streets(_lines(rows), WARD, EPSG)
    frame = prep.streets
    merged = frame[frame["name"] == "Trần Hưng Đạo"]
    assert len(merged) == 1 and prep.summary.merged == 39
    ref = merged["source_ref"].iloc[0]
    assert len(ref) <= 200 and ref.startswith("so-hieu-doan-000;") and ref.endswith(";…")
    assert frame["name"].str.len().max() <= 200
    assert frame["source_ref"].dropna().str.len().max() <= 200


def test_exact_duplicates_ignore_direction_and_centimetres():
    line = LineString([(106.910, 10.860), (106.912, 10.861)])
    nudged = LineString([(106.912, 10.861), (106.91000002, 10.860)])  # ≈ 2 mm, reversed
    rows = [("Lê Lợi", "local", line), ("Lê Lợi", "local", nudged),
            ("Lê Lợi", "main", line), ("Hai Bà Trưng", "local", line)]
    prep = streets.prepare_streets(_lines(rows), WARD, EPSG)
    assert prep.summary.duplicates == 1 and prep.summary.dropped == {"trùng lặp": 1}
    assert prep.summary.kept == 3


def test_empty_input_and_wrong_crs_or_boundary():
    empty = gpd.GeoDataFrame({"name": [], "street_class": []}, geometry=[], crs=4326)
    prep = streets.prepare_streets(empty, WARD, EPSG)
    assert prep.streets.empty and list(prep.streets.columns) == streets.STREET_COLUMNS
    assert prep.summary.kept == 0 and prep.summary.lines()[1].startswith("Giữ 0 đoạn")
    metric = _lines([("Lê Lợi", "local", LineString([(0, 0), (10, 0)]))], crs=EPSG)
    with pytest.raises(ValueError, match="EPSG:4326"):
        streets.prepare_streets(metric, WARD, EPSG)
    with pytest.raises(ValueError, match="ranh giới phường"):
        streets.prepare_streets(empty, Point(106.91, 10.86), EPSG)


def test_highway_table_file_and_its_checks(tmp_path):
    table = osm_highways.load_highway_table()
    assert set(table.values()) - {None} == set(STREET_CLASSES)
    for dropped in ("footway", "path", "steps", "cycleway", "construction", "proposed",
                    "platform", "busway"):
        assert table[dropped] is None
    assert table["trunk"] == "national" and table["primary"] == "provincial"
    assert table["tertiary"] == "main" and table["residential"] == "local"
    assert table["service"] == "alley"
    bad = tmp_path / "bad.yaml"
    bad.write_text("residential: hem\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hem"):
        osm_highways.load_highway_table(bad)
    classes, reasons = osm_highways.classify_highway(pd.Series(["Trunk", None, "steps"]), table)
    assert classes.tolist() == ["national", None, None]
    assert reasons.tolist() == [None, "loại highway không rõ (trống)",
                                "không phải đường xe (steps)"]


def test_the_summary_reads_english_through_translate_and_vietnamese_as_text():
    table = {"primary": "provincial", "footway": None}
    _, reasons = osm_highways.classify_highway(pd.Series(["footway", "xyz"]), table)
    summary = StreetSummary(read=5, kept=3, merged=1,
                            dropped={streets.DUPLICATE: 1, reasons[0]: 2},
                            km_by_class={"main": 1.26, "alley": 0.3})
    lines = summary.lines()
    assert [str(line) for line in lines] == [
        "Đọc 5 đối tượng từ tệp", "Giữ 3 đoạn đường (tổng 1,6 km)",
        "Gộp 1 đoạn nối tiếp cùng tên", "Bỏ 3 đoạn: không phải đường xe (footway) 2, trùng lặp 1",
        "Đường chính 1,3 km; Hẻm 0,30 km"]
    english = [translate(line, "en") for line in lines]
    assert english[0] == "Read 5 objects from the file"
    assert english[3] == "Dropped 3 segments: not a road for vehicles (footway) 2, duplicate 1"
    assert english[4] == (f"{translate(STREET_CLASSES['main'], 'en')} 1.3 km; "
                          f"{translate(STREET_CLASSES['alley'], 'en')} 0.30 km")
    assert translate(reasons[1], "en") == "unknown highway type (xyz)"
