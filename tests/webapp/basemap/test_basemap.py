"""The offline basemap: tiles from a tiny MBTiles and a tiny PMTiles file, behind sign-in,
and the pages' tile URL pointing at them."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3

import pytest
from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write

from tests.helpers import sign_in
from webapp import create_app
from webapp.basemap import BasemapError


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), colour).save(out, "PNG")
    return out.getvalue()


RED, BLUE = png((255, 0, 0)), png((0, 0, 255))


def make_mbtiles(path, metadata: dict, tiles: dict[tuple[int, int, int], bytes]):
    """``tiles`` keyed by (zoom, column, TMS row), as MBTiles stores them."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE metadata (name text, value text)")
        conn.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, "
                     "tile_row integer, tile_data blob)")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
        conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                         [(*key, data) for key, data in tiles.items()])
    conn.close()
    return path


def make_pmtiles(path, tile_type: TileType, tiles: dict[tuple[int, int, int], bytes],
                 metadata: dict, compression: Compression = Compression.NONE):
    """``tiles`` keyed by (z, x, y) in XYZ order, as PMTiles addresses them."""
    with write(str(path)) as writer:
        for (z, x, y), data in sorted(tiles.items(), key=lambda t: zxy_to_tileid(*t[0])):
            writer.write_tile(zxy_to_tileid(z, x, y), data)
        writer.finalize({"tile_type": tile_type, "tile_compression": compression}, metadata)
    return path


def app_with(url: str, path, **config):
    settings = {"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test",
                "RATELIMIT_ENABLED": False, "TILE_URL": None, "TILE_ATTRIBUTION": None,
                "BASEMAP_FILE": str(path), **config}
    return create_app(settings)


@pytest.fixture
def mbtiles_app(demo_url, tmp_path):
    # z=1, column 1, TMS row 1 is the north-east tile: XYZ y=0. Row 0 (south) is XYZ y=1.
    path = make_mbtiles(tmp_path / "ward.mbtiles",
                        {"name": "Phường thử", "format": "png",
                         "attribution": "Bản đồ nền thử nghiệm"},
                        {(1, 1, 1): RED, (1, 1, 0): BLUE})
    app = app_with(demo_url, path)
    yield app
    app.extensions["urbanorder_engine"].dispose()


def signed_in(app):
    client = app.test_client()
    sign_in(client, "congan")
    return client


def test_mbtiles_tiles_are_served_with_the_tms_row_flipped(mbtiles_app):
    client = signed_in(mbtiles_app)
    north = client.get("/basemap/1/1/0.png")
    assert north.status_code == 200 and north.data == RED
    assert north.mimetype == "image/png"
    assert north.headers["Cache-Control"] == "public, max-age=604800"
    assert "Content-Encoding" not in north.headers
    assert client.get("/basemap/1/1/1.png").data == BLUE


def test_missing_tiles_and_bad_coordinates(mbtiles_app):
    client = signed_in(mbtiles_app)
    assert client.get("/basemap/1/0/0.png").status_code == 404
    assert client.get("/basemap/5/3/3.png").status_code == 404
    assert client.get("/basemap/1/1/0.jpg").status_code == 404  # the file holds PNG
    for bad in ("/basemap/1/2/0.png", "/basemap/1/0/2.png", "/basemap/0/1/0.png",
                "/basemap/31/0/0.png"):
        assert client.get(bad).status_code == 400, bad
    assert client.get("/basemap/1/-1/0.png").status_code == 404  # not a tile address


def test_tiles_need_a_signed_in_user(mbtiles_app):
    response = mbtiles_app.test_client().get("/basemap/1/1/0.png")
    assert response.status_code in (302, 401)
    assert response.data != RED


def test_the_pages_use_the_basemap(mbtiles_app):
    assert mbtiles_app.config["TILE_URL"] == "/basemap/{z}/{x}/{y}.png"
    assert mbtiles_app.config["TILE_ATTRIBUTION"] == "Bản đồ nền thử nghiệm"
    html = signed_in(mbtiles_app).get("/").get_data(as_text=True)
    assert "/basemap/{z}/{x}/{y}.png" in html
    assert "tile.openstreetmap.org" not in html
    assert json.dumps("Bản đồ nền thử nghiệm") in html  # folium escapes it in its script


def test_an_explicit_tile_url_wins(demo_url, tmp_path):
    path = make_mbtiles(tmp_path / "ward.mbtiles", {"format": "png"}, {(0, 0, 0): RED})
    app = app_with(demo_url, path, TILE_URL="https://tiles.example.invalid/{z}/{x}/{y}.png")
    try:
        assert app.config["TILE_URL"].startswith("https://tiles.example.invalid/")
        assert signed_in(app).get("/basemap/0/0/0.png").data == RED  # still served
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_attribution_falls_back_to_the_wards_basemap(demo_url, tmp_path):
    path = make_mbtiles(tmp_path / "plain.mbtiles", {}, {(0, 0, 0): png((0, 255, 0))})
    app = app_with(demo_url, path)
    try:
        assert app.config["TILE_URL"] == "/basemap/{z}/{x}/{y}.png"  # sniffed from the tile
        assert app.config["TILE_ATTRIBUTION"] == "Bản đồ nền của phường"
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_vector_mbtiles_say_they_are_gzipped(demo_url, tmp_path):
    raw = b"\x1a\x02vector tile bytes"
    path = make_mbtiles(tmp_path / "vector.mbtiles", {"format": "pbf"},
                        {(2, 1, 2): gzip.compress(raw)})
    app = app_with(demo_url, path)
    try:
        # Leaflet draws raster tiles only: vector tiles are for GIS clients, not the pages.
        assert not app.config["TILE_URL"].startswith("/basemap/")
        response = signed_in(app).get("/basemap/2/1/1.pbf")
        assert response.status_code == 200 and response.mimetype == "application/x-protobuf"
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data) == raw
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_pmtiles_tiles_are_served(demo_url, tmp_path):
    webp = io.BytesIO()
    Image.new("RGB", (1, 1), (10, 20, 30)).save(webp, "WEBP")
    tiles = {(0, 0, 0): webp.getvalue(), (2, 3, 1): b"RIFF....WEBP-other-tile"}
    path = make_pmtiles(tmp_path / "ward.pmtiles", TileType.WEBP, tiles,
                        {"attribution": "© Dữ liệu nền phường"})
    app = app_with(demo_url, path)
    try:
        assert app.config["TILE_URL"] == "/basemap/{z}/{x}/{y}.webp"
        assert app.config["TILE_ATTRIBUTION"] == "© Dữ liệu nền phường"
        client = signed_in(app)
        for (z, x, y), data in tiles.items():
            response = client.get(f"/basemap/{z}/{x}/{y}.webp")
            assert response.status_code == 200 and response.data == data
            assert response.mimetype == "image/webp"
            assert response.headers["Cache-Control"] == "public, max-age=604800"
        assert client.get("/basemap/2/1/3.webp").status_code == 404  # XYZ, no flip
        assert client.get("/basemap/2/4/0.webp").status_code == 400
        assert client.get("/basemap/0/0/0.png").status_code == 404
        assert app.test_client().get("/basemap/0/0/0.webp").status_code in (302, 401)
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_gzipped_pmtiles_vectors(demo_url, tmp_path):
    raw = b"\x1a\x03mvt"
    path = make_pmtiles(tmp_path / "vector.pmtiles", TileType.MVT,
                        {(1, 0, 1): gzip.compress(raw)}, {}, Compression.GZIP)
    app = app_with(demo_url, path)
    try:
        response = signed_in(app).get("/basemap/1/0/1.pbf")
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data) == raw
        assert "OpenStreetMap" in app.config["TILE_ATTRIBUTION"]  # the pages' tiles
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_no_basemap_file_keeps_the_old_defaults(demo_url, tmp_path):
    app = app_with(demo_url, "", BASEMAP_FILE="")
    try:
        assert app.config["TILE_URL"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        assert signed_in(app).get("/basemap/0/0/0.png").status_code == 404
    finally:
        app.extensions["urbanorder_engine"].dispose()


def test_a_bad_basemap_file_is_a_clear_error(demo_url, tmp_path):
    with pytest.raises(BasemapError, match="Không tìm thấy"):
        app_with(demo_url, tmp_path / "missing.mbtiles")
    other = tmp_path / "ward.tif"
    other.write_bytes(b"II*\x00")
    with pytest.raises(BasemapError, match=".mbtiles hoặc .pmtiles"):
        app_with(demo_url, other)
    broken = tmp_path / "broken.pmtiles"
    broken.write_bytes(b"not a pmtiles file at all")
    with pytest.raises(BasemapError):
        app_with(demo_url, broken)
