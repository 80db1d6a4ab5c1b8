"""Printed maps over HTTP and on the command line, on both backends."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import pytest

from tests.databases import signed_in_client
from tests.helpers import ROLE_USERS, csrf_token


@pytest.fixture(autouse=True)
def _poppler():
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("poppler-utils (pdftoppm) required in CI")
        pytest.skip("poppler-utils (pdftoppm) not installed")


def _client(app, role: str):
    return signed_in_client(app, ROLE_USERS[role])


def _is_pdf(response, stem: str):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert f'filename="{stem}' in disposition and disposition.endswith('.pdf"')


def test_ranking_pdf(demo_app):
    """One render per backend: the police, who may print it too, need only the access check
    (a bad month answered 400, not 403), not a second render."""
    _is_pdf(_client(demo_app, "leader").get("/ranking/print.pdf?month=2026-10&paper=A3"),
            "xep-hang-")
    refused = _client(demo_app, "police").get("/ranking/print.pdf?month=2026-13&paper=A3")
    assert refused.status_code == 400
    assert "Tháng '2026-13' không hợp lệ" in refused.get_data(as_text=True)


def start_atlas(client) -> str:
    """Start the October atlas (A4) as a job; the URL of its page."""
    start = client.post("/ranking/atlas", data={
        "csrf_token": csrf_token(client, "/ranking?month=2026-10"), "month": "2026-10",
        "paper": "A4"})
    assert start.status_code == 303
    return start.headers["Location"]


def wait_for_job(client, page_url: str, seen: list | None = None) -> dict:
    """The job's JSON state once it stopped running (``seen`` gets each (done, total))."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        state = client.get(page_url + ".json").get_json()
        if seen is not None:
            seen.append((state["done"], state["total"]))
        if state["status"] != "running":
            break
        time.sleep(0.3)
    return state


def test_ranking_atlas_is_a_background_job_with_progress(demo_app, tmp_path):
    """27 pages take seconds to draw: once per backend, not once per role."""
    demo_app.config["INSTANCE_DIR"] = tmp_path
    client = _client(demo_app, "leader")
    page_url = start_atlas(client)
    page = client.get(page_url).get_data(as_text=True)
    assert "In tập bản đồ xếp hạng" in page and 'http-equiv="refresh"' in page
    seen: list = []
    state = wait_for_job(client, page_url, seen)
    assert state["status"] == "done", state
    assert state["total"] == 27 and seen[-1] == (27, 27)  # overview + 26 khu phố
    assert all(done <= total for done, total in seen)
    assert re.fullmatch(r"xep-hang-.+-2026-10-atlas-A4-\d{8}-\d{4}\.pdf", state["filename"])
    done_page = client.get(page_url).get_data(as_text=True)
    assert "Đã in xong 27 trang." in done_page and 'http-equiv="refresh"' not in done_page
    download = client.get(state["download"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert f'filename={state["filename"]}' in download.headers["Content-Disposition"]
    path = tmp_path / "atlas.pdf"
    path.write_bytes(download.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+27\b", info)
    assert demo_app.test_client().get(state["download"]).status_code in (301, 302)
    assert client.get(page_url[:-3] + "AAA").status_code == 404  # another (no) job


def test_atlas_job_refuses_a_bad_month_in_vietnamese(demo_app, tmp_path):
    demo_app.config["INSTANCE_DIR"] = tmp_path
    client = _client(demo_app, "police")
    response = client.post("/ranking/atlas", data={
        "csrf_token": csrf_token(client, "/ranking"), "month": "2026-13", "paper": "A4"})
    assert response.status_code == 400
    assert "Tháng '2026-13' không hợp lệ" in response.get_data(as_text=True)
    assert not (tmp_path / "print-jobs").exists()


def test_hotspot_and_coverage_pdfs(demo_app):
    client = _client(demo_app, "urban_staff")
    _is_pdf(client.get("/hotspots/print.pdf?from=2026-05-01&to=2026-10-31"
                       "&category=encroachment_sidewalk&cell=100&paper=A4"), "diem-nong-")
    _is_pdf(client.get("/coverage/print.pdf?paper=A3"), "do-phu-nha-tro-")


@pytest.mark.parametrize(("url", "message"), [
    ("/ranking/print.pdf?month=2026-13", "Tháng '2026-13' không hợp lệ"),
    ("/ranking/print.pdf?month=2026-10&paper=A5", "Khổ giấy 'A5' không hợp lệ"),
    ("/ranking/print.pdf?month=2026-10&atlas=2", "atlas chỉ nhận 0 hoặc 1"),
    ("/hotspots/print.pdf?from=2026-10-01&to=2026-05-01", "Ngày bắt đầu"),
    ("/hotspots/print.pdf?paper=B4", "Khổ giấy"),
    ("/coverage/print.pdf?paper=letter", "chỉ in được khổ A4 hoặc A3"),
])
def test_bad_requests_are_explained_in_vietnamese(demo_app, url, message):
    response = _client(demo_app, "leader").get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/ranking/print.pdf", "/hotspots/print.pdf",
                                 "/coverage/print.pdf"])
def test_anonymous_is_sent_to_sign_in(demo_app, url):
    response = demo_app.test_client().get(url)
    assert response.status_code in (301, 302)
    assert "/auth/login" in response.headers["Location"]


def test_pages_link_to_the_prints(demo_app):
    client = _client(demo_app, "leader")
    ranking = client.get("/ranking?month=2026-10").get_data(as_text=True)
    assert "/ranking/print.pdf?month=2026-10&amp;paper=A3" in ranking
    assert 'action="/ranking/atlas"' in ranking and "In tập bản đồ" in ranking
    hotspots = client.get("/hotspots").get_data(as_text=True)
    assert "/hotspots/print.pdf?" in hotspots and "paper=A4" in hotspots
    assert "/coverage/print.pdf?paper=A4" in client.get("/coverage").get_data(as_text=True)


def test_cli_print_ranking(demo_app, tmp_path):
    from webapp.cli import cli

    runner = demo_app.test_cli_runner()
    out = tmp_path / "xep-hang.pdf"
    result = runner.invoke(cli, ["print-ranking", "--month", "2026-10", "--paper", "A3",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "Đã in bản đồ xếp hạng" in result.output
    bad = runner.invoke(cli, ["print-ranking", "--month", "10-2026", "-o", str(out)])
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output
    bad = runner.invoke(cli, ["print-ranking", "--month", "2026-10", "--paper", "A0",
                              "-o", str(out)])
    assert bad.exit_code != 0 and "Khổ giấy" in bad.output
