"""Back up and restore the whole installation (every ward, accounts, photos, audit log).

SpatiaLite: SQLite's online backup API copies the database while the server keeps running
(photos are stored in it). PostGIS: ``pg_dump``/``pg_restore`` (``pg_backup``). Either way
the backup is one archive with a manifest (``backup_archive``), and a restore is checked
table by table against it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from geo.i18n import N_, Joined, Message
from models import backup as fingerprinting
from models.engine import make_engine
from webapp.services import pg_backup
from webapp.services.backup_archive import (
    DATA_FILES,
    BackupError,
    build_manifest,
    open_backup,
    write_archive,
)

BACKEND_NAMES = {"spatialite": "SpatiaLite", "postgis": "PostGIS"}


@dataclass(frozen=True)
class Restored:
    manifest: dict
    problems: list[Message]  # tables whose count or content differs from the manifest
    schema_revision: str | None


def backend_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name == "sqlite":
        return "spatialite"
    if name == "postgresql":
        return "postgis"
    raise BackupError(Message(N_("Không sao lưu được CSDL loại %(name)s."), name=name))


def default_path(directory: Path, url: str, timezone: str) -> Path:
    """``urbanorder-<backend>-<ward time>.tar.gz`` in ``directory``."""
    stamp = datetime.now(ZoneInfo(timezone)).strftime("%Y%m%d-%H%M%S")
    return directory / f"urbanorder-{backend_of(url)}-{stamp}.tar.gz"


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(Message(N_("CSDL SQLite trong bộ nhớ (:memory:) không sao lưu được.")))
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with the online backup API: a consistent copy, the server may keep writing."""
    with closing(sqlite3.connect(source, timeout=30)) as src, \
            closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst)


def _describe(url: str) -> dict:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {"tables": fingerprinting.fingerprints(conn),
                    "schema_revision": fingerprinting.schema_revision(conn)}
    finally:
        engine.dispose()


def _is_empty(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return fingerprinting.is_empty(conn)
    finally:
        engine.dispose()


def create_backup(url: str, path: Path, timezone: str) -> dict:
    """Write a backup of ``url`` to ``path``; its manifest."""
    backend = backend_of(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory(dir=path.parent, prefix=".urbanorder-backup-") as work:
        data = Path(work) / DATA_FILES[backend]
        if backend == "spatialite":
            source = _sqlite_file(url)
            if not source.is_file():
                raise BackupError(Message(N_("Không có tệp CSDL %(path)s: chưa có gì để sao "
                                             "lưu."), path=str(source)))
            _sqlite_copy(source, data)
            facts = _describe(f"sqlite:///{data}")  # hashes of the copy, not the live file
        else:
            facts = pg_backup.dump(url, data)
        manifest = build_manifest(backend, data, facts, timezone)
        write_archive(path, manifest, data)
    return manifest


def restore_backup(path: Path, url: str, *, force: bool) -> Restored:
    """Restore ``path`` into ``url`` after verifying it; then compare every table again.

    Refused (``BackupError``) without changing anything: a backup that does not verify, one
    of the other backend, or a database that already holds data (unless ``force``).
    """
    backend = backend_of(url)
    with TemporaryDirectory(prefix="urbanorder-restore-") as work:
        manifest, data = open_backup(path, Path(work))
        if manifest["backend"] != backend:
            raise BackupError(Message(
                N_("Bản sao lưu này của %(source)s, CSDL đích là %(target)s: không phục hồi "
                   "chéo được."), source=BACKEND_NAMES[manifest["backend"]],
                target=BACKEND_NAMES[backend]))
        if backend == "spatialite":
            # The copy is checked table by table before it replaces anything.
            problems = fingerprinting.differences(
                manifest["tables"], _describe(f"sqlite:///{data}")["tables"])
            if problems:
                raise BackupError(Message(N_("Bản sao lưu không hợp lệ, không phục hồi: nội "
                                             "dung không khớp manifest — %(problems)s"),
                                          problems=Joined(problems, "; ")))
        empty = _is_empty(url)
        if not empty and not force:
            raise BackupError(Message(N_("CSDL đích đang có dữ liệu: không ghi đè. Nếu chắc "
                                         "chắn muốn thay toàn bộ dữ liệu hiện có bằng bản sao "
                                         "lưu, thêm --force.")))
        if backend == "spatialite":
            _sqlite_copy(data, _sqlite_file(url))
        else:
            pg_backup.restore(data, url, replace=not empty,
                              dump_major=manifest["pg_dump_version"])
    after = _describe(url)
    return Restored(manifest, fingerprinting.differences(manifest["tables"], after["tables"]),
                    after["schema_revision"])
