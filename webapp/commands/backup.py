"""``urbanorder backup`` and ``urbanorder restore`` (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _timezone() -> str:
    return current_app.config["TIMEZONE"]


@click.command("backup")
@with_appcontext
@click.argument("path", required=False, type=click.Path(path_type=Path))
def backup_command(path: Path | None) -> None:
    """Sao lưu toàn bộ CSDL (mọi phường, ảnh, nhật ký) thành một tệp .tar.gz.

    PATH: tệp hoặc thư mục đích (mặc định: thư mục backups trong thư mục instance).
    Máy chủ không cần dừng. / Back up the whole database while the server runs.
    """
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
        raise click.ClickException(str(err)) from None
    rows = sum(table["rows"] for table in manifest["tables"].values())
    size_mb = path.stat().st_size / 1e6
    click.echo(f"Đã sao lưu {BACKEND_NAMES[manifest['backend']]} vào {path} "
               f"({fmt.number(size_mb, 1)} MB): {len(manifest['tables'])} bảng, "
               f"{fmt.integer(rows)} dòng, {fmt.integer(manifest['photos'])} ảnh; "
               f"lược đồ {manifest['schema_revision']}; lúc {manifest['created_at_ward']}.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Ghi đè CSDL đang có dữ liệu (mọi dữ liệu hiện có bị thay thế).")
def restore_command(path: Path, force: bool) -> None:
    """Phục hồi CSDL từ một bản sao lưu, rồi kiểm tra lại từng bảng.

    Từ chối bản sao lưu hỏng hoặc bị sửa, và CSDL đang có dữ liệu (trừ khi có --force).
    / Restore a backup, verified before and after.
    """
    from models import backup as fingerprinting
    from webapp.services.backup import BackupError, restore_backup

    url = current_app.config["DATABASE_URL"]
    try:
        restored = restore_backup(path, url, force=force)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    manifest = restored.manifest
    if restored.problems:
        raise click.ClickException(
            "Đã phục hồi nhưng dữ liệu KHÔNG khớp bản sao lưu:\n  "
            + "\n  ".join(restored.problems))
    click.echo(f"Đã phục hồi bản sao lưu lúc {manifest['created_at_ward']}: "
               f"{len(manifest['tables'])} bảng khớp số dòng và mã băm nội dung.")
    head = fingerprinting.code_revision()
    if restored.schema_revision != head:
        click.echo(f"Bản sao lưu có lược đồ {restored.schema_revision}, phần mềm này dùng "
                   f"{head}: chạy 'urbanorder init' để nâng cấp trước khi mở máy chủ.")


COMMANDS = (backup_command, restore_command)
