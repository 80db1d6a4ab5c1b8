"""One backup is one ``.tar.gz``: ``manifest.json`` and the database file it describes.

The manifest carries the schema revision, each table's row count and content hash
(``models.backup``), the database file's size and SHA-256 and a SHA-256 of itself, so a
backup that was cut short, corrupted or edited is refused before anything is restored.
(Whoever can rewrite a backup can rewrite its hashes too: keep backups where only the
ward's administrators can write.)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

from geo.i18n import N_, Message

FORMAT = "urbanorder-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_FILES = {"spatialite": "urbanorder.db", "postgis": "urbanorder.dump"}
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message (``args[0]``, a
    ``geo.i18n.Message``) says why, in the reader's language where shown."""


def _app_version() -> str:
    try:
        return metadata.version("urbanorder")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _self_digest(manifest: dict) -> str:
    body = {key: value for key, value in manifest.items() if key != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
                          ).hexdigest()


def build_manifest(backend: str, data_file: Path, facts: dict, timezone: str) -> dict:
    """The manifest of ``data_file``; ``facts``: tables, schema_revision and tool versions."""
    now = datetime.now(UTC).replace(microsecond=0)
    sha256, size = file_digest(data_file)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": _app_version(),
        "backend": backend,
        "created_at_utc": now.isoformat().replace("+00:00", "Z"),
        "created_at_ward": now.astimezone(ZoneInfo(timezone)).isoformat(),
        "timezone": timezone,
        "data_file": {"name": DATA_FILES[backend], "bytes": size, "sha256": sha256},
        "photos": facts["tables"].get("photo", {}).get("rows", 0),
        **facts,
    }
    manifest["manifest_sha256"] = _self_digest(manifest)
    return manifest


def write_archive(path: Path, manifest: dict, data_file: Path) -> None:
    """Write the archive under a temporary name, then rename: a backup cut short never
    carries the final name. Owner-only permissions: it holds personal data."""
    partial = path.with_name(path.name + ".part")
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o600
        archive.addfile(info, io.BytesIO(body))
        archive.add(data_file, arcname=manifest["data_file"]["name"], recursive=False,
                    filter=_owner_only)
    partial.chmod(0o600)
    os.replace(partial, path)


def _owner_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _refuse(reason: Message) -> BackupError:
    return BackupError(Message(N_("Bản sao lưu không hợp lệ, không phục hồi: %(reason)s."),
                               reason=reason))


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read(1 << 22))
    except (KeyError, AttributeError, ValueError):
        raise _refuse(Message(N_("thiếu hoặc hỏng tệp manifest.json"))) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(Message(N_("không phải bản sao lưu của urbanorder")))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(Message(N_("định dạng phiên bản %(version)s chưa được hỗ trợ"),
                              version=manifest.get("format_version")))
    if manifest.get("manifest_sha256") != _self_digest(manifest):
        raise _refuse(Message(N_("manifest.json đã bị sửa (mã băm của manifest không khớp)")))
    if manifest.get("backend") not in DATA_FILES or \
            manifest["data_file"].get("name") != DATA_FILES[manifest["backend"]]:
        raise _refuse(Message(N_("manifest không ghi đúng tệp dữ liệu")))
    return manifest


def open_backup(path: Path, workdir: Path) -> tuple[dict, Path]:
    """The verified manifest and the database file extracted into ``workdir``.

    Refused (``BackupError``): not a backup, an edited manifest, extra or missing members,
    or a database file whose size or SHA-256 differs from the manifest's.
    """
    try:
        with tarfile.open(path, "r:*") as archive:
            manifest = _manifest(archive)
            expected = manifest["data_file"]
            names = sorted(archive.getnames())
            if names != sorted([MANIFEST, expected["name"]]):
                raise _refuse(Message(N_("các tệp bên trong không đúng: %(names)s"),
                                      names=", ".join(names)))
            member = archive.getmember(expected["name"])
            if not member.isfile() or member.size != expected["bytes"]:
                raise _refuse(Message(N_("tệp dữ liệu bị cắt ngắn hoặc đổi kích thước")))
            target = workdir / expected["name"]
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except (tarfile.TarError, EOFError, OSError, zlib.error):
        raise _refuse(Message(N_("không đọc được tệp %(name)s (không phải .tar.gz, bị hỏng "
                                 "hoặc bị cắt ngắn)"), name=path.name)) from None
    if digest.hexdigest() != expected["sha256"]:
        raise _refuse(Message(N_("tệp dữ liệu đã bị thay đổi (mã băm SHA-256 không khớp "
                                 "manifest)")))

    return manifest, target
