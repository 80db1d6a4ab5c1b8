"""Printed maps over HTTP and on the command line, on both backends."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.helpers import ROLE_USERS, sign_in


@pytest.fixture(autouse=True)
def _poppler():
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("poppler-utils (pdftoppm) required in CI")
        pytest.skip("poppler-utils (pdftoppm) not installed")


def _client(app, role: str):
    client = app.test_client()
    sign_in(client, ROLE_USERS[role])
    return client


def _is_pdf(response, stem: str):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert f'filename="{stem}' in disposition and disposition.endswith('.pdf"')


@pytest.mark.parametrize("role", ["leader", "police"])
def test_ranking_pdf(demo_app, role):
    client = _client(demo_app, role)
    _is_pdf(client.get("/ranking/print.pdf?month=2026-10&paper=A3"), "xep-hang-")


def test_ranking_atlas_has_a_page_per_khu_pho(demo_app, tmp_path):
    """27 pages take seconds to draw: once per backend, not once per role."""
    client = _client(demo_app, "leader")
    atlas = client.get("/ranking/print.pdf?month=2026-10&paper=A4&atlas=1")
    _is_pdf(atlas, "xep-hang-")
    assert b"atlas-A4.pdf" in atlas.headers["Content-Disposition"].encode()
    path = tmp_path / "atlas.pdf"
    path.write_bytes(atlas.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+27\b", info)  # overview + 26 khu phố


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
