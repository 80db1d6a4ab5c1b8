"""The plan's tasks from the command line: the early warning (cron), ``urbanorder tasks
warn``, and the appendix's task table, ``urbanorder tasks import FILE.xlsx``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.commands import N_, _, database, group, language, option, refused, ward_or_fail


@group("tasks", help=N_("Nhiệm vụ theo kế hoạch."))
def tasks_group() -> None:
    pass


@tasks_group.command("warn", help=N_(
    "Cảnh báo nhiệm vụ quá hạn, sắp đến hạn, lâu không cập nhật.\n\nGửi qua lệnh "
    "URBANORDER_NOTIFY_COMMAND và e-mail (URBANORDER_SMTP_HOST) tới người của từng đơn vị."))
@with_appcontext
@option("--ward", "ward_code", help=N_("Mã phường (mặc định: mọi phường)."))
@option("--day", help=N_("Ngày xét, dạng yyyy-mm-dd (mặc định: hôm nay)."))
def warn_command(ward_code, day) -> None:
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
        raise click.ClickException(_("Ngày “%(day)s” không hợp lệ (dùng yyyy-mm-dd).",
                                     day=day)) from None
    command = current_app.config.get("NOTIFY_COMMAND") or ""
    smtp = mail.SmtpSettings.from_config(current_app.config)
    with database().engine.connect() as conn:
        wards = [ward_or_fail(conn, ward_code, N_("cảnh báo nhiệm vụ"))] if ward_code else \
            queries.wards(conn)
        for ward in wards:
            flagged = service.flagged(conn, ward.id, today, plan_for(conn, ward).work)
            document = notify.payload(ward, today, flagged, language())
            click.echo(document["subject"])
            if document["text"]:
                click.echo(document["text"])
            if command and flagged:
                try:
                    notify.send(command, document)
                except notify.NotifyError as err:
                    raise refused(err) from None
                click.echo(_("Đã gửi thông báo (%(count)s nhiệm vụ).", count=len(flagged)))
            if smtp and flagged:
                recipients = work_store.unit_recipients(conn, ward.id)
                try:
                    sent = mail.send(smtp, mail.messages(smtp, ward, today, flagged,
                                                         recipients))
                except mail.MailError as err:
                    raise refused(err) from None
                click.echo(_("Đã gửi e-mail tới %(count)s người.", count=sent))


def _echo_table(table) -> None:
    """The row-level report, as the web's dry run shows it."""
    for problem in table.problems:
        click.echo(_("Lỗi: %(problem)s", problem=_(problem)), err=True)
    if table.columns:
        click.echo(_("Cột nhận được: %(columns)s", columns=", ".join(table.columns.values())))
    for row in table.rows:
        deadline = row.values.get("deadline")
        when = deadline.strftime("%d/%m/%Y") if deadline else "—"
        state = "; ".join(_(p) for p in row.problems) if row.problems else _("hợp lệ")
        click.echo(_("Dòng %(row)s [%(code)s] %(title)s — hạn %(when)s: %(state)s",
                     row=row.row, code=row.values.get("code") or "—",
                     title=(row.values.get("title") or "")[:80], when=when, state=state))
    wrong = sum(1 for row in table.rows if row.problems)
    click.echo(_("%(rows)s dòng, %(wrong)s dòng có lỗi.", rows=len(table.rows), wrong=wrong))


@tasks_group.command("import", help=N_(
    "Nhập bảng phân công nhiệm vụ (XLSX), tất cả hoặc không.\n\nBảng như phụ lục của kế "
    "hoạch; một dòng có lỗi thì không lưu dòng nào."))
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@option("--ward", "ward_code", help=N_("Mã phường (bỏ trống nếu chỉ có một phường)."))
@option("--dry-run", is_flag=True, help=N_("Chỉ kiểm tra từng dòng, không lưu gì."))
def import_command(path, ward_code, dry_run) -> None:
    from pathlib import Path

    from webapp.services import work as service

    file = Path(path)
    db = database()
    with db.engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, N_("nhập bảng nhiệm vụ"))
        if dry_run:
            table = service.check_task_table(conn, ward.id, file)
            _echo_table(table)
            if not table.ok or not table.rows:
                raise click.ClickException(_("Bảng có lỗi hoặc không có dòng nhiệm vụ nào: "
                                             "khi nhập sẽ không lưu dòng nào."))
            click.echo(_("Kiểm tra thử: %(count)s nhiệm vụ hợp lệ, chưa lưu gì.",
                         count=len(table.rows)))
            return
    try:
        count = service.import_task_table(db.engine, ward.id, file, None, file.name)
    except service.ImportRefused as refused_table:
        _echo_table(refused_table.table)
        raise click.ClickException(_("Không nhập: bảng có lỗi. Chưa lưu nhiệm vụ nào.")) from None
    click.echo(_("Đã nhập %(count)s nhiệm vụ vào %(ward)s.", count=count, ward=ward.name))


COMMANDS = (tasks_group,)
