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

TIMEOUT_S = 60


class NotifyError(RuntimeError):
    """The notification command failed (message in Vietnamese)."""


def payload(ward, day: date, tasks: list[dict]) -> dict:
    """What the command receives: the ward, the day and each flagged task."""
    lines = [f"- [{t['warning_label']}] {t['code']} {t['title'][:120]} — {t['lead_unit']}, "
             f"hạn {fmt.day(t['deadline'])}, {fmt.percent((t['percent'] or 0) / 100)}"
             for t in tasks]
    return {
        "ward": ward.code, "ward_name": ward.name, "day": day.isoformat(),
        "subject": f"{ward.name}: {len(tasks)} nhiệm vụ cần chú ý ngày {fmt.day(day)}",
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
        raise NotifyError(f"Không chạy được lệnh thông báo: {err}") from None
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip()[-300:]
        raise NotifyError(f"Lệnh thông báo kết thúc với mã {done.returncode}: {tail}")
