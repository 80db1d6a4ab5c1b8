"""Early warning sent out: the flagged tasks of a ward as one JSON document, handed to the
ward's own notification command (a setting, ``NOTIFY_COMMAND``) on its standard input. The
command is split like a shell would split it but run without a shell, so no task text can
become part of a command line."""

from __future__ import annotations

import json
import shlex
import subprocess
from datetime import date

from geo import formatting as fmt
from geo.i18n import N_, Message, translate

TIMEOUT_S = 60


class NotifyError(RuntimeError):
    """The notification command failed; the message (``args[0]``, a ``geo.i18n.Message``)
    says why, in the reader's language where shown."""


def payload(ward, day: date, tasks: list[dict], locale: str = "vi") -> dict:
    """What the command receives: the ward, the day and each flagged task; its subject and
    text in ``locale`` (the tasks' fields are the ward's data, as stored)."""
    lines = [translate(N_("- [%(warning)s] %(code)s %(title)s — %(unit)s, hạn %(deadline)s, "
                          "%(percent)s"), locale, warning=translate(t["warning_label"], locale),
                       code=t["code"], title=t["title"][:120], unit=t["lead_unit"],
                       deadline=fmt.day(t["deadline"], locale=locale),
                       percent=fmt.percent((t["percent"] or 0) / 100, locale=locale))
             for t in tasks]
    return {
        "ward": ward.code, "ward_name": ward.name, "day": day.isoformat(),
        "subject": translate(N_("%(ward)s: %(count)s nhiệm vụ cần chú ý ngày %(day)s"), locale,
                             ward=ward.name, count=len(tasks),
                             day=fmt.day(day, locale=locale)),
        "text": "\n".join(lines),
        "tasks": [{"id": t["id"], "code": t["code"], "title": t["title"],
                   "lead_unit": t["lead_unit"], "deadline": t["deadline"].isoformat(),
                   "percent": t["percent"], "warning": t["warning"],
                   "warning_label": t["warning_label"]} for t in tasks],
    }


def send(command: str, document: dict, timeout: float = TIMEOUT_S) -> None:
    """Run ``command`` with ``document`` as JSON on its standard input."""
    try:
        done = subprocess.run(shlex.split(command), input=json.dumps(
            document, ensure_ascii=False).encode(), capture_output=True, timeout=timeout,
            check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as err:
        raise NotifyError(Message(N_("Không chạy được lệnh thông báo: %(error)s"),
                                  error=str(err))) from None
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip()[-300:]
        raise NotifyError(Message(N_("Lệnh thông báo kết thúc với mã %(code)s: %(tail)s"),
                                  code=done.returncode, tail=tail))
