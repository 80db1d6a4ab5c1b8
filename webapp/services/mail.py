"""Early warning by e-mail: each unit's people get the flagged tasks their unit leads or
co-operates on, one message per person, in their own interface language (Vietnamese unless
they chose otherwise), over the installation's SMTP server (settings ``SMTP_*``).

One message per person, not one with every address: a khu phố head does not learn the
addresses of the other units' people. Nothing here needs an outside service to be tested:
the settings name any SMTP server, a test's own included.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr

from geo import formatting as fmt
from geo.i18n import N_, translate

TIMEOUT_S = 30


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused (message in Vietnamese)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``starttls``: upgrade the connection before signing in (the
    usual port 587); a user and password are sent only when both are set."""

    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = True

    @classmethod
    def from_config(cls, config) -> SmtpSettings | None:
        """From the app's config (``webapp.config``); ``None`` when no host is set."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(host=config["SMTP_HOST"], port=int(config.get("SMTP_PORT") or 587),
                   sender=config.get("SMTP_FROM") or "", user=config.get("SMTP_USER") or "",
                   password=config.get("SMTP_PASSWORD") or "",
                   starttls=bool(config.get("SMTP_STARTTLS", True)))


def unit_tasks(tasks: list[dict]) -> dict[int, list[dict]]:
    """The flagged tasks of each unit: those it leads or co-operates on."""
    out: dict[int, list[dict]] = {}
    for task in tasks:
        for unit_id in dict.fromkeys([task["lead_unit_id"], *(task.get("co_unit_ids") or ())]):
            out.setdefault(unit_id, []).append(task)
    return out


def digest(ward, day: date, tasks: list[dict], locale: str) -> tuple[str, str]:
    """The subject and text of one person's e-mail."""
    subject = translate(N_("%(ward)s: %(n)s nhiệm vụ cần chú ý ngày %(day)s"), locale,
                        ward=ward.name, n=len(tasks), day=fmt.day(day, locale=locale))
    lines = [translate(N_("Các nhiệm vụ sau của đơn vị cần chú ý:"), locale), ""]
    for task in tasks:
        lines.append(translate(
            N_("- [%(warning)s] %(code)s %(title)s — chủ trì: %(lead)s, hạn %(deadline)s, "
               "đã làm %(percent)s"), locale,
            warning=translate(task["warning_label"], locale), code=task["code"],
            title=task["title"][:120], lead=task["lead_unit"],
            deadline=fmt.day(task["deadline"], locale=locale),
            percent=fmt.percent((task["percent"] or 0) / 100, locale=locale)))
    lines += ["", translate(N_("Cập nhật tiến độ và minh chứng ở trang Nhiệm vụ (/tasks)."),
                            locale)]
    return subject, "\n".join(lines)


def messages(settings: SmtpSettings, ward, day: date, tasks: list[dict],
             recipients: list) -> list[EmailMessage]:
    """One message per person with an e-mail (rows of ``work_queries.unit_recipients``)
    whose units have flagged tasks; a person of several units gets one message."""
    by_unit = unit_tasks(tasks)
    people: dict[int, dict] = {}
    for person in recipients:
        mine = by_unit.get(person.unit_id)
        if not mine:
            continue
        entry = people.setdefault(person.user_id, {"person": person, "tasks": {}})
        entry["tasks"].update({task["id"]: task for task in mine})
    out = []
    for entry in people.values():
        person = entry["person"]
        subject, text = digest(ward, day, list(entry["tasks"].values()),
                               person.language or "vi")
        message = EmailMessage()
        message["Subject"], message["From"] = subject, settings.sender
        message["To"] = formataddr((person.full_name or person.username, person.email))
        message.set_content(text)
        out.append(message)
    return out


def send(settings: SmtpSettings, messages_out: list[EmailMessage]) -> int:
    """Send the messages over one connection; how many were sent."""
    if not messages_out:
        return 0
    if not settings.sender:
        raise MailError(translate(N_("Chưa đặt địa chỉ gửi e-mail (URBANORDER_SMTP_FROM)."),
                                  "vi"))
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user and settings.password:
                server.login(settings.user, settings.password)
            for message in messages_out:
                server.send_message(message)
    except (OSError, smtplib.SMTPException) as err:
        raise MailError(translate(N_("Không gửi được e-mail qua %(host)s:%(port)s: %(error)s"),
                                  "vi", host=settings.host, port=settings.port,
                                  error=err)) from None
    return len(messages_out)
