"""Prints that take seconds (the ranking atlas) run as background jobs.

A job is a folder under ``<instance>/print-jobs/<id>/``: ``state.json`` (status, pages done
of the total, the error, the file name, the requester's language) rewritten atomically as
it goes, and
``result.pdf`` when it is ready. Files, not memory, so that every worker process of the
server sees the same jobs; the id is unguessable and a job is only shown to users of its
ward who may print. The work runs on a thread of the process that was asked (the pages
themselves are drawn by ``geo.printmap``'s worker processes). Jobs are removed
``KEEP`` after they were started; one whose state has not moved for ``STALLED`` (the
server stopped meanwhile) is reported as interrupted.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from geo.i18n import N_, translate
from webapp.clock import local_now

KEEP = 3600.0  # seconds a job and its PDF are kept
STALLED = 300.0  # seconds without progress after which a running job counts as lost
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
FAILED = N_("Không in được tập bản đồ do lỗi của hệ thống; vui lòng thử lại hoặc báo quản trị "
            "viên.")
INTERRUPTED = N_("Việc in đã bị gián đoạn (máy chủ khởi động lại); vui lòng in lại.")


@dataclass
class JobState:
    id: str
    ward_id: int
    user_id: int | None
    title: str  # what is printed, in ``locale`` ("Tập bản đồ xếp hạng tháng 10/2026, A4")
    filename: str
    started: float  # epoch seconds
    status: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    message: str = ""  # the error of a failed job, in ``locale``
    updated: float = 0.0
    locale: str = "vi"  # the requester's language, kept for the job's pages and messages

    @property
    def ready(self) -> bool:
        return self.status == "done"


def jobs_dir(instance: Path) -> Path:
    return Path(instance) / "print-jobs"


def _write(folder: Path, state: JobState) -> None:
    state.updated = time.time()
    tmp = folder / f"state.{threading.get_ident()}.tmp"
    tmp.write_text(json.dumps(asdict(state), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "state.json")  # readers never see half a file


def load(instance: Path, job_id: str) -> JobState | None:
    """The job's state, or ``None`` if there is no such job (or it was removed)."""
    if not _ID.match(job_id or ""):
        return None
    try:
        raw = json.loads((jobs_dir(instance) / job_id / "state.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    state = JobState(**raw)
    if state.status == "running" and time.time() - state.updated > STALLED:
        state.status, state.message = "failed", translate(INTERRUPTED, state.locale)
    return state


def result_path(instance: Path, state: JobState) -> Path:
    return jobs_dir(instance) / state.id / "result.pdf"


def sweep(instance: Path, now: float | None = None) -> int:
    """Remove the jobs started more than ``KEEP`` ago; returns how many went."""
    now = time.time() if now is None else now
    removed = 0
    root = jobs_dir(instance)
    for folder in root.iterdir() if root.is_dir() else ():
        try:
            started = json.loads((folder / "state.json").read_text("utf-8"))["started"]
        except (OSError, ValueError, KeyError):
            started = folder.stat().st_mtime
        if now - started > KEEP:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def start(instance: Path, *, ward_id: int, user_id: int | None, title: str, filename: str,
          work: Callable[[Callable[[int, int], None]], bytes], log=None,
          locale: str = "vi") -> JobState:
    """Start ``work(progress)`` on a thread; it returns the PDF and calls
    ``progress(done, total)`` as pages are drawn. ``locale``: the requester's language
    (``work`` prints in it; the job's messages are said in it)."""
    sweep(instance)
    job_id = secrets.token_urlsafe(18)
    folder = jobs_dir(instance) / job_id
    folder.mkdir(parents=True)
    state = JobState(id=job_id, ward_id=ward_id, user_id=user_id, title=title,
                     filename=filename, started=time.time(), locale=locale)
    _write(folder, state)
    threading.Thread(target=_run, args=(folder, state, work, log), daemon=True,
                     name=f"print-job-{job_id[:6]}").start()
    return state


def _run(folder: Path, state: JobState, work, log) -> None:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        state.done, state.total = done, total
        if done == total or time.monotonic() - last[0] > 0.25:  # a few writes a second
            last[0] = time.monotonic()
            _write(folder, state)

    try:
        body = work(progress)
        tmp = folder / "result.pdf.tmp"
        tmp.write_bytes(body)
        os.replace(tmp, folder / "result.pdf")
        state.status = "done"
        state.done = state.total = max(state.total, state.done)
    except Exception:  # noqa: BLE001 - any failure is shown to the user, the cause logged
        if log:
            log.exception("print job %s failed", state.id)
        state.status, state.message = "failed", translate(FAILED, state.locale)
    _write(folder, state)


def stamp() -> str:
    """Ward time for a file name: ``20261202-1147``."""
    return local_now().strftime("%Y%m%d-%H%M")
