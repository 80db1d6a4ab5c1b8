"""``urbanorder backup`` and ``urbanorder restore`` (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.commands import N_, _, command, language, option, refused


def _timezone() -> str:
    return current_app.config["TIMEZONE"]


@command("backup", help=N_(
    "Sao lưu toàn bộ CSDL thành một tệp .tar.gz.\n\nGồm mọi phường, ảnh và nhật ký; máy chủ "
    "không cần dừng. PATH: tệp hoặc thư mục đích (mặc định: thư mục backups trong thư mục "
    "instance)."))
@with_appcontext
@click.argument("path", required=False, type=click.Path(path_type=Path))
def backup_command(path: Path | None) -> None:
    from geo import formatting as fmt
    from webapp.services.backup import BACKEND_NAMES, BackupError, create_backup, default_path

    url = current_app.config["DATABASE_URL"]
    if path is None:
        path = Path(current_app.config["INSTANCE_DIR"]) / "backups"
    if path.is_dir() or path.suffix == "":
        path = default_path(path, url, _timezone())
    try:
        manifest = create_backup(url, path, _timezone())
    except BackupError as err:
        raise refused(err) from None
    rows = sum(table["rows"] for table in manifest["tables"].values())
    size_mb = path.stat().st_size / 1e6
    locale = language()
    click.echo(_("Đã sao lưu %(backend)s vào %(path)s (%(size)s MB): %(tables)s bảng, "
                 "%(rows)s dòng, %(photos)s ảnh; lược đồ %(schema)s; lúc %(at)s.",
                 backend=BACKEND_NAMES[manifest["backend"]], path=path,
                 size=fmt.number(size_mb, 1, locale=locale), tables=len(manifest["tables"]),
                 rows=fmt.integer(rows, locale=locale),
                 photos=fmt.integer(manifest["photos"], locale=locale),
                 schema=manifest["schema_revision"], at=manifest["created_at_ward"]))


@command("restore", help=N_(
    "Phục hồi CSDL từ một bản sao lưu.\n\nKiểm tra bản sao lưu trước khi ghi và từng bảng sau "
    "khi ghi; từ chối bản sao lưu hỏng hoặc bị sửa, và CSDL đang có dữ liệu (trừ khi có "
    "--force)."))
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--force", is_flag=True,
        help=N_("Ghi đè CSDL đang có dữ liệu (mọi dữ liệu hiện có bị thay thế)."))
def restore_command(path: Path, force: bool) -> None:
    from models import backup as fingerprinting
    from webapp.services.backup import BackupError, restore_backup

    url = current_app.config["DATABASE_URL"]
    try:
        restored = restore_backup(path, url, force=force)
    except BackupError as err:
        raise refused(err) from None
    manifest = restored.manifest
    if restored.problems:
        raise click.ClickException(
            _("Đã phục hồi nhưng dữ liệu KHÔNG khớp bản sao lưu:") + "\n  "
            + "\n  ".join(_(problem) for problem in restored.problems))
    click.echo(_("Đã phục hồi bản sao lưu lúc %(at)s: %(tables)s bảng khớp số dòng và mã băm "
                 "nội dung.", at=manifest["created_at_ward"], tables=len(manifest["tables"])))
    head = fingerprinting.code_revision()
    if restored.schema_revision != head:
        click.echo(_("Bản sao lưu có lược đồ %(backup)s, phần mềm này dùng %(code)s: chạy "
                     "'urbanorder init' để nâng cấp trước khi mở máy chủ.",
                     backup=restored.schema_revision, code=head))


COMMANDS = (backup_command, restore_command)
