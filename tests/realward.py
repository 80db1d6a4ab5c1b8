"""The files a real ward brings, as messy as real ones, written by the tests (never fetched).

"Phường Thử Nghiệm" lies in Biên Hòa (Đồng Nai) around the OSM extract of
``tests/geo/osm_fixture.py``:

- ``ranh-gioi.geojson``: the ward boundary in VN-2000 (EPSG:9210, a CRS other than the ward's
  own 5899, so the import must reproject);
- ``khu-pho.zip``: four khu phố as a Shapefile in VN-2000 / 5899 with abbreviated headers
  (``MaKP``, ``TenKP``, ``DanSo``, ``SoHo``, ``TruongKP``, ``DIEN_TICH``), **no .prj**, a
  0.5 m sliver overlap between KP01 and KP02, and a ``.cpg``;
- ``duong.osm`` / ``duong.osm.pbf``: the OSM extract (unnamed ways, ways crossing the
  boundary, footway, steps, construction, a building, a stream, a pedestrian square);
- ``diem.csv``: three incidents and ``nha-tro.csv`` two boarding houses in lon/lat.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely import Polygon, box

from tests.geo.osm_fixture import WARD_BOUNDARY, write_osm_extract

CODE = "thu-nghiem"
NAME = "Phường Thử Nghiệm"
PROVINCE = "Đồng Nai"
METRIC = 5899
# Split of the ward at these metric x / y (EPSG:5899) into four khu phố.
SLIVER_M = 0.5


def _khu_pho() -> gpd.GeoDataFrame:
    ward = gpd.GeoSeries([WARD_BOUNDARY], crs=4326).to_crs(METRIC).iloc[0]
    minx, miny, maxx, maxy = ward.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    quads = [box(minx, cy, cx + SLIVER_M, maxy), box(cx, cy, maxx, maxy),  # KP01 ∩ KP02 sliver
             box(minx, miny, cx, cy), box(cx, miny, maxx, cy)]
    parts = [shapely.intersection(ward, q) for q in quads]
    return gpd.GeoDataFrame({
        "MaKP": ["KP01", "KP02", "KP03", "KP04"],
        "TenKP": ["Khu phố Một", "Khu phố Hai", "Khu phố Ba", "Khu phố Bốn"],
        "DanSo": [4210, 3875, 5102, 2990],
        "SoHo": [1120, 990, 1340, 801],
        "TruongKP": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"],
        "DIEN_TICH": [round(p.area / 1e4, 2) for p in parts],  # hectares, as surveyors write
    }, geometry=parts, crs=METRIC)


def write_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    osm, pbf, _ = write_osm_extract(folder)
    boundary = folder / "ranh-gioi.geojson"
    gpd.GeoDataFrame({"ten": [NAME]}, geometry=[WARD_BOUNDARY], crs=4326).to_crs(9210).to_file(
        boundary, driver="GeoJSON")
    shp = folder / "shp"
    shp.mkdir(exist_ok=True)
    _khu_pho().to_file(shp / "KhuPho.shp", driver="ESRI Shapefile", engine="pyogrio",
                       encoding="UTF-8")
    zipped = folder / "khu-pho.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(shp.iterdir()):
            if path.suffix != ".prj":  # surveyors' files often come without their CRS
                archive.write(path, path.name)
    incidents = folder / "diem.csv"
    incidents.write_text(
        "Loại vi phạm,Ngày phát hiện,Kinh độ,Vĩ độ,Mô tả\n"
        "Lấn chiếm vỉa hè,05/11/2026 08:10,106.9121,10.8580,Bày hàng trước số 12\n"
        "Lấn chiếm vỉa hè,06/11/2026 09:30,106.9181,10.8620,Dựng mái che\n"
        "Quảng cáo rao vặt trái phép,07/11/2026 15:00,106.9090,10.8575,Dán tờ rơi\n",
        encoding="utf-8")
    houses = folder / "nha-tro.csv"
    houses.write_text(
        "Tên cơ sở,Địa chỉ,Loại hình,Số phòng,Số người ở,Kinh độ,Vĩ độ\n"
        "Nhà trọ Bình An,12 Nguyễn Tư Giản,Nhà trọ,12,20,106.9123,10.8590\n"
        "Nhà trọ Hòa Bình,5 Lê Lợi,Nhà trọ,8,11,106.9179,10.8625\n", encoding="utf-8")
    return {"boundary": boundary, "khu_pho": zipped, "osm": osm, "pbf": pbf,
            "incidents": incidents, "houses": houses}


def route_line():
    """A demonstration route along the OSM Quốc lộ 51 inside the ward (EPSG:4326)."""
    return shapely.LineString([(106.908, 10.8576), (106.918, 10.8596)])


def cluster_polygon() -> Polygon:
    return Polygon([(106.9070, 10.8620), (106.9090, 10.8620), (106.9090, 10.8635),
                    (106.9070, 10.8635)])
