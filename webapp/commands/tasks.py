"""Command-line early warning of the plan's tasks (cron): ``urbanorder tasks warn``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.commands import N_, _, database, language, option, refused, ward_or_fail


@click.group("tasks")
def tasks_group() -> None:
    """Nhiệm vụ theo kế hoạch. The plan's tasks."""


@tasks_group.command("warn")
@with_appcontext
@option("--ward", "ward_code", help=N_("Mã phường (mặc định: mọi phường)."))
@option("--day", help=N_("Ngày xét, dạng yyyy-mm-dd (mặc định: hôm nay)."))
def warn_command(ward_code, day) -> None:
    """Cảnh báo nhiệm vụ quá hạn, sắp đến hạn, lâu không cập nhật; gửi qua lệnh
    URBANORDER_NOTIFY_COMMAND. Warn about late, due-soon and stuck tasks."""
    from datetime import date

    from models import queries
    from webapp.clock import local_today
    from webapp.services import notify
    from webapp.services import work as service
    from webapp.services.plans import plan_for

    try:
        today = date.fromisoformat(day) if day else local_today()
    except ValueError:
        raise click.ClickException(_("Ngày “%(day)s” không hợp lệ (dùng yyyy-mm-dd).",
                                     day=day)) from None
    command = current_app.config.get("NOTIFY_COMMAND") or ""
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


COMMANDS = (tasks_group,)
