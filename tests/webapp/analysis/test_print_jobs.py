"""Background print jobs: state on disk for every server process, errors, clean-up."""

from __future__ import annotations

import json
import time

from webapp.services import print_jobs


def _wait(instance, job_id: str) -> print_jobs.JobState:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = print_jobs.load(instance, job_id)
        if state.status != "running":
            return state
        time.sleep(0.02)
    raise AssertionError("job still running")


def _start(instance, work):
    return print_jobs.start(instance, ward_id=7, user_id=3, title="Tập bản đồ",
                            filename="x.pdf", work=work)


def test_a_job_reports_progress_and_keeps_its_result(tmp_path):
    def work(progress):
        for done in range(4):
            progress(done, 3)
        return b"%PDF-1.4 test"

    job = _start(tmp_path, work)
    state = _wait(tmp_path, job.id)
    assert (state.status, state.done, state.total, state.ward_id) == ("done", 3, 3, 7)
    assert print_jobs.result_path(tmp_path, state).read_bytes() == b"%PDF-1.4 test"


def test_a_failed_job_says_so_in_vietnamese_and_logs_the_cause(tmp_path, caplog):
    import logging

    def work(progress):
        raise RuntimeError("boom")

    job = print_jobs.start(tmp_path, ward_id=1, user_id=None, title="t", filename="x.pdf",
                           work=work, log=logging.getLogger("test-print-jobs"))
    state = _wait(tmp_path, job.id)
    assert state.status == "failed" and "Không in được" in state.message
    assert "boom" in caplog.text
    assert not print_jobs.result_path(tmp_path, state).exists()


def test_a_job_keeps_its_requesters_language_for_its_messages(tmp_path):
    def work(progress):
        raise RuntimeError("boom")

    job = print_jobs.start(tmp_path, ward_id=1, user_id=None, title="Atlas", filename="x.pdf",
                           work=work, locale="en")
    state = _wait(tmp_path, job.id)
    assert state.locale == "en" and state.message.startswith("The atlas could not be printed")


def test_unknown_or_malformed_ids_are_no_job(tmp_path):
    assert print_jobs.load(tmp_path, "../../etc/passwd") is None
    assert print_jobs.load(tmp_path, "A" * 24) is None


def test_a_stalled_job_is_reported_interrupted(tmp_path):
    job = _start(tmp_path, lambda progress: time.sleep(0.5) or b"%PDF")
    state_file = print_jobs.jobs_dir(tmp_path) / job.id / "state.json"
    raw = json.loads(state_file.read_text("utf-8"))
    raw["updated"] -= print_jobs.STALLED + 1
    state_file.write_text(json.dumps(raw), "utf-8")
    state = print_jobs.load(tmp_path, job.id)
    assert state.status == "failed" and "gián đoạn" in state.message
    _wait(tmp_path, job.id)


def test_old_jobs_are_swept(tmp_path):
    job = _start(tmp_path, lambda progress: b"%PDF")
    _wait(tmp_path, job.id)
    assert print_jobs.sweep(tmp_path, now=time.time() + 60) == 0
    assert print_jobs.sweep(tmp_path, now=time.time() + print_jobs.KEEP + 1) == 1
    assert print_jobs.load(tmp_path, job.id) is None
