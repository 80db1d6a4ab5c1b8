"""The plan's tasks from the command line: the early warning (cron), ``urbanorder tasks
warn``, and the appendix's task table, ``urbanorder tasks import FILE.xlsx``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.commands import database, ward_or_fail


@click.group("tasks")
def tasks_group() -> None:
    """Nhiệm vụ theo kế hoạch. The plan's tasks."""


@tasks_group.command("warn")
@with_appcontext
@click.option("--ward", "ward_code", help="Mã phường (mặc định: mọi phường).")
@click.option("--day", help="Ngày xét, dạng yyyy-mm-dd (mặc định: hôm nay).")
def warn_command(ward_code, day) -> None:
    """Cảnh báo nhiệm vụ quá hạn, sắp đến hạn, lâu không cập nhật; gửi qua lệnh
    URBANORDER_NOTIFY_COMMAND và e-mail (URBANORDER_SMTP_HOST) tới người của từng đơn vị.
    Warn about late, due-soon and stuck tasks."""
    from datetime import date

    from models import queries
    from models import work_queries as work_store
    from webapp.clock import local_today
    from webapp.services import mail, notify
    from webapp.services import work as service
    from webapp.services.plans import plan_for

    try:
        today = date.fromisoformat(day) if day else local_today()
    except ValueError:
        raise click.ClickException(f"Ngày “{day}” không hợp lệ (dùng yyyy-mm-dd).") from None
    command = current_app.config.get("NOTIFY_COMMAND") or ""
    smtp = mail.SmtpSettings.from_config(current_app.config)
    with database().engine.connect() as conn:
        wards = [ward_or_fail(conn, ward_code, "cảnh báo nhiệm vụ")] if ward_code else \
            queries.wards(conn)
        for ward in wards:
            flagged = service.flagged(conn, ward.id, today, plan_for(conn, ward).work)
            document = notify.payload(ward, today, flagged)
            click.echo(document["subject"])
            if document["text"]:
                click.echo(document["text"])
            if command and flagged:
                try:
                    notify.send(command, document)
                except notify.NotifyError as err:
                    raise click.ClickException(str(err)) from None
                click.echo(f"Đã gửi thông báo ({len(flagged)} nhiệm vụ).")
            if smtp and flagged:
                recipients = work_store.unit_recipients(conn, ward.id)
                try:
                    sent = mail.send(smtp, mail.messages(smtp, ward, today, flagged,
                                                         recipients))
                except mail.MailError as err:
                    raise click.ClickException(str(err)) from None
                click.echo(f"Đã gửi e-mail tới {sent} người.")


def _echo_table(table) -> None:
    """The row-level report, as the web's dry run shows it."""
    for problem in table.problems:
        click.echo(f"Lỗi: {problem}", err=True)
    if table.columns:
        click.echo("Cột nhận được: " + ", ".join(table.columns.values()))
    for row in table.rows:
        deadline = row.values.get("deadline")
        when = deadline.strftime("%d/%m/%Y") if deadline else "—"
        click.echo(f"Dòng {row.row} [{row.values.get('code') or '—'}] "
                   f"{(row.values.get('title') or '')[:80]} — hạn {when}: "
                   + ("; ".join(map(str, row.problems)) if row.problems else "hợp lệ"))
    wrong = sum(1 for row in table.rows if row.problems)
    click.echo(f"{len(table.rows)} dòng, {wrong} dòng có lỗi.")


@tasks_group.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--ward", "ward_code", help="Mã phường (bỏ trống nếu chỉ có một phường).")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra từng dòng, không lưu gì.")
def import_command(path, ward_code, dry_run) -> None:
    """Nhập bảng phân công nhiệm vụ (XLSX, như phụ lục kế hoạch): tất cả các dòng hoặc
    không dòng nào. Import the task table, all rows or none."""
    from pathlib import Path

    from webapp.services import work as service

    file = Path(path)
    db = database()
    with db.engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, "nhập bảng nhiệm vụ")
        if dry_run:
            table = service.check_task_table(conn, ward.id, file)
            _echo_table(table)
            if not table.ok or not table.rows:
                raise click.ClickException("Bảng có lỗi hoặc không có dòng nhiệm vụ nào: "
                                           "khi nhập sẽ không lưu dòng nào.")
            click.echo(f"Kiểm tra thử: {len(table.rows)} nhiệm vụ hợp lệ, chưa lưu gì.")
            return
    try:
        count = service.import_task_table(db.engine, ward.id, file, None, file.name)
    except service.ImportRefused as refused:
        _echo_table(refused.table)
        raise click.ClickException("Không nhập: bảng có lỗi. Chưa lưu nhiệm vụ nào.") from None
    click.echo(f"Đã nhập {count} nhiệm vụ vào {ward.name}.")


COMMANDS = (tasks_group,)
