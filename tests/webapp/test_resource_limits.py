"""Resource limits before work (issue 10, point 3): photos and archives cost bounded memory.

Attacks: a 76 KB PNG declaring 9000 × 9000 pixels added 467 MB to the server even with an
invalid payload (photos were decoded before the payload was validated, up to 5 a record); a
447 KB zip of 450 MB of zeros added 766 MB on import; a 300-character upload name → 500.

Peak memory is measured as the operating system sees it (``ru_maxrss`` of a child process
running the app: tracemalloc would miss Pillow's and zlib's C allocations).
"""

from __future__ import annotations

import functools
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from geo import io as geoio
from geo.io import read as io_read
from models.tables import BoardingHouse
from tests.helpers import csrf_token, sign_in
from tests.webapp.field.conftest import house_payload, incident_payload, post
from webapp import uploads
from webapp.extensions import db
from webapp.services import photos

HOUSES = "/api/v1/field/boarding-houses"
ROOT = Path(__file__).resolve().parents[2]
MAX_GROWTH_MB = 100


@functools.cache  # compressing the rows costs 0.5 s for 9000 × 9000; three tests want it
def png_bomb(width: int, height: int) -> bytes:
    """A grey PNG of zeros written row by row: tiny on the wire, ``width × height`` decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    squeeze, row, body = zlib.compressobj(9), b"\0" * (width + 1), []
    for _ in range(height):
        body.append(squeeze.compress(row))
    body.append(squeeze.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(body))
            + chunk(b"IEND", b""))


def zip_bomb(path: Path, megabytes: int, name: str = "duong.geojson") -> Path:
    """``path``: a zip of one member, ``name``, of ``megabytes`` MB of zeros."""
    path.write_bytes(_zip_bomb(megabytes, name))
    return path


@functools.cache  # deflating costs 5 ms a MB (2.5 s for 450 MB); each backend wants the same
def _zip_bomb(megabytes: int, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open(name, "w") as member:
        block = b"\0" * 2**20
        for _ in range(megabytes):
            member.write(block)
    return out.getvalue()


def jpeg(width=800, height=600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 90)).save(out, "JPEG", quality=80)
    return out.getvalue()


def count_houses(app) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(BoardingHouse)).scalar()


# --- photos: header first, decoding last -----------------------------------------------------

def test_png_bomb_is_refused_from_its_header():
    bomb = png_bomb(9000, 9000)
    assert len(bomb) < 200_000
    with pytest.raises(photos.PhotoError, match="điểm ảnh.*tối đa 40 megapixel"):
        photos.check_photo(bomb, "bom.png")
    assert Image.MAX_IMAGE_PIXELS == photos.MAX_PIXELS  # Pillow's own guard at our limit


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_other_than_jpeg_png_webp_are_refused(fmt):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, fmt)
    with pytest.raises(photos.PhotoError, match="phải là JPEG, PNG hoặc WebP"):
        photos.check_photo(out.getvalue(), f"anh.{fmt.lower()}")


def test_a_long_photo_name_is_shortened_in_the_message():
    with pytest.raises(photos.PhotoError) as err:
        photos.check_photo(b"not an image", "x" * 300 + ".jpg")
    assert len(str(err.value)) < 120


def test_photo_is_decoded_only_after_the_payload_validates(writable_app):
    """A photo whose header is fine but whose pixels are broken (a cut JPEG): with an invalid
    payload only the payload is reported — the photo was never decoded; with a valid
    payload the photo refuses the record and the row just written is rolled back."""
    police = writable_app.test_client()
    sign_in(police, "congan")
    police.csrf_headers = {"X-CSRFToken": csrf_token(police, "/")}
    whole = jpeg(1200, 900)
    cut = whole[: len(whole) // 2]
    photos.check_photo(cut, "cut.jpg")  # the header check passes
    before = count_houses(writable_app)
    invalid = post(police, HOUSES, house_payload(rooms=-3), [("cut.jpg", cut)])
    assert invalid.status_code == 400
    assert {e["field"] for e in invalid.get_json()["error"]["errors"]} == {"rooms"}
    valid = post(police, HOUSES, house_payload(), [("ok.jpg", whole), ("cut.jpg", cut)])
    assert valid.status_code == 400
    error = valid.get_json()["error"]
    assert error["field"] == "photos" and "cut.jpg" in error["message"]
    assert count_houses(writable_app) == before
    ok = post(police, HOUSES, house_payload(), [("ok.jpg", whole)])
    assert ok.status_code == 201, ok.get_json()
    assert count_houses(writable_app) == before + 1


@pytest.mark.parametrize("url, payload", [
    ("/api/v1/field/incidents", incident_payload), (HOUSES, house_payload)])
def test_photos_are_decoded_before_the_records_first_write(writable_app, monkeypatch, url,
                                                           payload):
    """Decoding takes tens of milliseconds a photo: done before the record's first write,
    no lock that write takes (the tile cell's count, on PostgreSQL until the commit) is
    held meanwhile."""
    from sqlalchemy import event

    police = writable_app.test_client()
    sign_in(police, "congan")
    police.csrf_headers = {"X-CSRFToken": csrf_token(police, "/")}
    steps = []
    clean = photos.PhotoUpload.clean
    monkeypatch.setattr(photos.PhotoUpload, "clean",
                        lambda self: steps.append("decode") or clean(self))
    engine = writable_app.extensions["urbanorder_engine"]

    def statement(_conn, _cursor, sql, *_):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "WITH")):
            steps.append("write")

    event.listen(engine, "before_cursor_execute", statement)
    try:
        answer = post(police, url, payload(), [("a.jpg", jpeg()), ("b.jpg", jpeg(640, 480))])
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert answer.status_code == 201, answer.get_json()
    assert steps[:3] == ["decode", "decode", "write"], steps


# --- archives ----------------------------------------------------------------------------

def test_zip_bomb_is_refused_on_read(tmp_path):
    bomb = zip_bomb(tmp_path / "bom.zip", 300)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(geoio.ReadError, match="Tệp nén quá lớn"):
        geoio.read_file(bomb)


def test_extraction_counts_real_bytes_not_the_header(tmp_path, monkeypatch):
    """With the header check out of the way, streaming still stops at the limit."""
    bomb = zip_bomb(tmp_path / "bom.zip", 12)
    monkeypatch.setattr(io_read, "MAX_UNZIPPED_BYTES", 5 * 2**20)
    monkeypatch.setattr(io_read, "check_archive", lambda path: None)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(geoio.ReadError, match="Tệp nén quá lớn"):
        io_read.extract_zip(bomb, out)
    assert sum(p.stat().st_size for p in out.iterdir()) <= 5 * 2**20


def test_zip_whose_header_lies_about_its_size_is_refused(tmp_path):
    """The member says 1 KB but inflates to 50 MB: zipfile stops at 1 KB, the CRC fails."""
    bomb = zip_bomb(tmp_path / "bom.zip", 50, name="a.geojson")
    raw = bytearray(bomb.read_bytes())
    central = raw.index(b"PK\x01\x02")
    for offset in (22, central + 24):  # uncompressed size: local header, central directory
        raw[offset:offset + 4] = struct.pack("<I", 1024)
    bomb.write_bytes(bytes(raw))
    with zipfile.ZipFile(bomb) as archive:
        assert archive.infolist()[0].file_size == 1024
    with pytest.raises(geoio.ReadError, match="bị hỏng"):
        io_read.extract_zip(bomb, tmp_path)


def test_too_many_members_are_refused(tmp_path):
    path = tmp_path / "nhieu.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(io_read.MAX_ARCHIVE_MEMBERS + 1):
            archive.writestr(f"f{i}.txt", "")
    with pytest.raises(geoio.ReadError, match="tối đa 500"):
        geoio.read_file(path)


def _upload(client, name: str, body: bytes, layer="incidents"):
    return client.post("/imports", data={
        "csrf_token": csrf_token(client, "/imports"), "layer": layer, "action": "dry_run",
        "file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


def test_upload_name_of_300_characters_is_kept_short(writable_app):
    staff = writable_app.test_client()
    sign_in(staff, "dothi")
    body = "Loại vi phạm;Ngày;Kinh độ;Vĩ độ\nLấn chiếm vỉa hè;01/11/2026;106.925;10.853\n"
    for name in ("ả" * 300 + ".csv", "a" * 300 + ".csv", "../../" + "b" * 250 + ".csv"):
        response = _upload(staff, name, body.encode())
        assert response.status_code == 200, name
        kept = uploads.safe_name(name)
        assert kept.endswith(".csv") and len(kept) <= 120 and len(kept.encode()) <= 200
        assert "/" not in kept and "\\" not in kept
        assert kept in response.get_data(as_text=True)
    assert uploads.safe_name("C:\\Users\\x\\" + "c" * 300 + ".osm.pbf") == \
        "c" * (120 - len(".osm.pbf")) + ".osm.pbf"
    assert uploads.safe_name("..") == "tep" and uploads.safe_name("a\x00b\u202e.csv") == "a_b_.csv"


def test_broken_and_bomb_archives_are_refused_at_upload(writable_app, tmp_path):
    staff = writable_app.test_client()
    sign_in(staff, "dothi")
    for name, body in (("hong.zip", b"PK\x03\x04 not really"),
                       ("bom.zip", zip_bomb(tmp_path / "b.zip", 250).read_bytes()),
                       ("hong.xlsx", b"not a workbook")):
        response = _upload(staff, name, body)
        assert response.status_code == 302
        flashed = staff.get("/imports").get_data(as_text=True)
        assert "Tệp nén" in flashed, name


# --- peak memory of the server --------------------------------------------------------------

def _measure(url: str, folder: str) -> None:
    """Run in a child process: the app on ``url``; print its peak RSS growth per attack."""
    import resource

    from tests.conftest import test_app

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    app = next(test_app(url))
    police, staff = app.test_client(), app.test_client()
    sign_in(police, "congan")
    sign_in(staff, "dothi")
    police.csrf_headers = {"X-CSRFToken": csrf_token(police, "/")}
    files = Path(folder)
    bomb, large = (files / "bomb.png").read_bytes(), (files / "large.png").read_bytes()
    small = jpeg()
    # Warm up every path once with small inputs: imports, Pillow, zipfile, the import page.
    assert post(police, HOUSES, house_payload(), [("a.jpg", small)]).status_code == 201
    assert post(police, HOUSES, house_payload(rooms=-1), [("a.jpg", small)]).status_code == 400
    with io.BytesIO() as small_zip:
        with zipfile.ZipFile(small_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.geojson", '{"type": "FeatureCollection", "features": []}')
        _upload(staff, "nho.zip", small_zip.getvalue())
    growth, before = {}, peak_mb()
    attacks = {
        "png_bomb_x5_invalid_payload": lambda: post(
            police, HOUSES, house_payload(rooms=-1), [("bom.png", bomb)] * 5),
        "png_bomb_x5_valid_payload": lambda: post(
            police, HOUSES, house_payload(), [("bom.png", bomb)] * 5),
        "png_36mp_x5_invalid_payload": lambda: post(
            police, HOUSES, house_payload(rooms=-1), [("lon.png", large)] * 5),
        "zip_bomb_import": lambda: _upload(staff, "bom.zip", (files / "bomb.zip").read_bytes()),
    }
    statuses = {}
    for name, attack in attacks.items():
        statuses[name] = attack().status_code
        growth[name] = peak_mb() - before
    print(json.dumps({"growth_mb": growth, "statuses": statuses}))


def test_peak_memory_stays_bounded(writable_url, tmp_path):
    (tmp_path / "bomb.png").write_bytes(png_bomb(9000, 9000))
    (tmp_path / "large.png").write_bytes(png_bomb(6000, 6000))  # 36 MP: under the limit
    zip_bomb(tmp_path / "bomb.zip", 450)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = (f"from tests.webapp.test_resource_limits import _measure; "
            f"_measure({writable_url!r}, {str(tmp_path)!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(result)  # shown with -s: the growth per attack
    assert result["statuses"] == {"png_bomb_x5_invalid_payload": 400,
                                  "png_bomb_x5_valid_payload": 400,
                                  "png_36mp_x5_invalid_payload": 400,
                                  "zip_bomb_import": 302}, result
    for attack, mb in result["growth_mb"].items():
        assert mb < MAX_GROWTH_MB, (attack, result)
