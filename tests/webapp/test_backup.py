"""``urbanorder backup`` / ``restore`` on both backends (issue 10, point 7).

The source is the session's small writable demo plus a photo; the target a new, empty
database. Attacks: a flipped byte in the database file, an edited manifest, a truncated
archive, a database swapped with its file hash re-computed, a restore over live data, and
(PostGIS) pg_dump missing or older than the server.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from geo.i18n import translate
from models import backup as fingerprinting
from models import photos as photo_store
from models.engine import make_engine
from models.tables import BoardingHouse, Photo
from webapp import create_app
from webapp.cli import cli
from webapp.services import backup_archive
from webapp.services.backup import BackupError, create_backup, restore_backup

TZ = "Asia/Ho_Chi_Minh"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def source(writable_url):
    """This test's writable demo, with a photo added (a photo must survive)."""
    engine = make_engine(writable_url)
    data = _jpeg()
    with engine.begin() as conn:
        house = conn.execute(select(BoardingHouse.id, BoardingHouse.ward_id)
                             .order_by(BoardingHouse.id.desc()).limit(1)).first()
        photo_store.add_photo(conn, house.ward_id, "boarding_house", house.id, data=data,
                          content_type="image/jpeg", width=40, height=30,
                          sha256=hashlib.sha256(data).hexdigest(), user_id=None)
    engine.dispose()
    return writable_url, data


@pytest.fixture
def target_url(writable_url, tmp_path, request):
    """A new, empty database on the same backend as the source."""
    if writable_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'urbanorder.db'}"
    return request.getfixturevalue("postgres_databases").create()


def _facts(url: str) -> tuple[dict, dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = fingerprinting.fingerprints(conn)
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                  for t in fingerprinting.app_tables(conn)}
        photos = dict(conn.execute(select(Photo.sha256, Photo.data)).all())
    engine.dispose()
    return tables, {"counts": counts, "photos": photos}


def _cli(url: str, tmp_path, *args):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "INSTANCE_DIR": tmp_path})
    result = app.test_cli_runner().invoke(cli, list(args))
    app.extensions["urbanorder_engine"].dispose()
    return result


def test_round_trip_gives_an_identical_database_with_photos(source, target_url, tmp_path):
    url, photo = source
    made = _cli(url, tmp_path, "backup", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    assert "Đã sao lưu" in made.output
    archive = next((tmp_path / "backups").glob("urbanorder-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["schema_revision"] == fingerprinting.code_revision()
    assert manifest["created_at_utc"].endswith("Z") and manifest["created_at_ward"].endswith(
        "+07:00")
    assert manifest["photos"] >= 1 and manifest["app_version"]

    restored = _cli(target_url, tmp_path, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "khớp số dòng và mã băm" in restored.output

    source_tables, source_rows = _facts(url)
    target_tables, target_rows = _facts(target_url)
    assert manifest["tables"] == source_tables == target_tables
    assert source_rows["counts"] == target_rows["counts"]
    assert source_rows["counts"]["boarding_house"] > 0
    assert target_rows["photos"][hashlib.sha256(photo).hexdigest()] == photo


def _repack(archive, out, *, manifest=None, data=None):
    """A copy of ``archive`` with its manifest and/or database bytes replaced."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    name = json.loads(members["manifest.json"])["data_file"]["name"]
    if manifest is not None:
        members["manifest.json"] = json.dumps(manifest).encode()
    if data is not None:
        members[name] = data
    with tarfile.open(out, "w:gz") as tar:
        for member, body in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return out


def _parts(archive):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        return manifest, tar.extractfile(manifest["data_file"]["name"]).read()


_BACKUPS: dict[str, object] = {}


@pytest.fixture
def made_backup(source, tmp_path_factory):
    """A backup of the source, made once per backend (tests only read it)."""
    if source[0] not in _BACKUPS:
        path = tmp_path_factory.mktemp("backup") / "good.tar.gz"
        create_backup(source[0], path, TZ)
        _BACKUPS[source[0]] = path
    return _BACKUPS[source[0]]


def test_flipped_byte_in_the_database_file_is_refused(made_backup, target_url, tmp_path):
    _, data = _parts(made_backup)
    middle = len(data) // 2
    bad = _repack(made_backup, tmp_path / "flipped.tar.gz",
                  data=data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    with pytest.raises(BackupError, match="SHA-256 không khớp"):
        restore_backup(bad, target_url, force=False)
    assert _is_empty(target_url)


def test_edited_manifest_is_refused(made_backup, target_url, tmp_path):
    manifest, _ = _parts(made_backup)
    manifest["tables"]["boarding_house"]["rows"] += 1
    bad = _repack(made_backup, tmp_path / "edited.tar.gz", manifest=manifest)
    with pytest.raises(BackupError, match="manifest.json đã bị sửa"):
        restore_backup(bad, target_url, force=False)
    assert _is_empty(target_url)


def test_truncated_archive_is_refused(made_backup, target_url, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(made_backup.read_bytes()[: made_backup.stat().st_size // 2])
    result = _cli(target_url, tmp_path, "restore", str(cut))
    assert result.exit_code != 0
    assert "Bản sao lưu không hợp lệ" in result.output
    assert _is_empty(target_url)


def test_swapped_database_with_rehashed_manifest_is_caught(made_backup, target_url, tmp_path):
    """Someone swaps in a changed database and fixes the file hash, not the table hashes."""
    restore_backup(made_backup, target_url, force=False)
    engine = make_engine(target_url)
    with engine.begin() as conn:
        conn.execute(update(BoardingHouse).where(BoardingHouse.id == select(
            func.min(BoardingHouse.id)).scalar_subquery()).values(residents=999))
    engine.dispose()
    changed = tmp_path / "changed.tar.gz"
    create_backup(target_url, changed, TZ)
    manifest, _ = _parts(made_backup)
    new_manifest, data = _parts(changed)
    manifest["data_file"] = new_manifest["data_file"]
    if "pg_dump_version" in new_manifest:
        manifest["pg_dump_version"] = new_manifest["pg_dump_version"]
    manifest["manifest_sha256"] = backup_archive._self_digest(manifest)
    forged = _repack(made_backup, tmp_path / "forged.tar.gz", manifest=manifest, data=data)
    if target_url.startswith("sqlite"):  # the copy is checked before it replaces anything
        with pytest.raises(BackupError, match="bảng boarding_house"):
            restore_backup(forged, target_url, force=True)
    else:  # pg_restore must load the dump to know; the check after it names the table
        restored = restore_backup(forged, target_url, force=True)
        assert restored.problems == [
            "bảng boarding_house: nội dung khác bản sao lưu (mã băm không khớp)"]
        assert translate(restored.problems[0], "en") == \
            "table boarding_house: the content differs from the backup (the hashes do not match)"


def _is_empty(url: str) -> bool:
    engine = make_engine(url)
    with engine.connect() as conn:
        empty = fingerprinting.is_empty(conn)
    engine.dispose()
    return empty


def test_restore_over_live_data_needs_force(made_backup, target_url, tmp_path):
    restore_backup(made_backup, target_url, force=False)
    engine = make_engine(target_url)
    marker = f"nhà trọ sau sao lưu {uuid.uuid4().hex[:6]}"
    with engine.begin() as conn:
        conn.execute(update(BoardingHouse).where(BoardingHouse.id == select(
            func.max(BoardingHouse.id)).scalar_subquery()).values(name=marker))
    refused = _cli(target_url, tmp_path, "restore", str(made_backup))
    assert refused.exit_code != 0 and "--force" in refused.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(BoardingHouse.name == marker)).scalar()
    forced = _cli(target_url, tmp_path, "restore", "--force", str(made_backup))
    assert forced.exit_code == 0, forced.output
    with engine.connect() as conn:
        assert not conn.execute(select(func.count()).where(BoardingHouse.name == marker)).scalar()
    engine.dispose()
    manifest, _ = _parts(made_backup)
    assert _facts(target_url)[0] == manifest["tables"]


@pytest.fixture
def postgres_url(postgres_databases):
    return postgres_databases.create()


def test_pg_dump_missing_is_named_in_vietnamese(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="Không tìm thấy chương trình pg_dump"):
        create_backup(postgres_url, tmp_path / "x.tar.gz", TZ)
    assert not (tmp_path / "x.tar.gz").exists()


def test_pg_dump_older_than_the_server_is_refused(postgres_url, tmp_path, monkeypatch):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="cũ hơn máy chủ PostgreSQL"):
        create_backup(postgres_url, tmp_path / "x.tar.gz", TZ)
