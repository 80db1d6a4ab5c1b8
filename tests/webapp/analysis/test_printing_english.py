"""The prints in the reader's language over HTTP, in a background job and on the command line,
on both backends: English for a reader who chose it, Vietnamese otherwise."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.databases import signed_in_client
from tests.helpers import ROLE_USERS, csrf_token
from tests.webapp.analysis.test_printing import start_atlas, wait_for_job


@pytest.fixture(autouse=True)
def _poppler():
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")


def _client(app, role: str, lang: str = "en"):
    client = signed_in_client(app, ROLE_USERS[role])
    client.set_cookie("lang", lang)
    return client


def _pdf_text(body: bytes, tmp_path, name: str = "print.pdf") -> str:
    assert body.startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_english_ranking_hotspot_and_coverage_prints(demo_app, tmp_path):
    client = _client(demo_app, "leader")
    response = client.get("/ranking/print.pdf?month=2026-10&paper=A4")
    assert response.status_code == 200
    text = _pdf_text(response.data, tmp_path)
    for expected in ("NEIGHBOURHOOD RANKING MAP — OCTOBER 2026", "Neighbourhood rating",
                     "Rank", "Rating", "Ward boundary", "Source: urbanorder"):
        assert expected in text, expected
    assert "BẢN ĐỒ XẾP HẠNG" not in text and "Xếp loại khu phố" not in text
    # The default rubric's tiers are our words: English on the map and on the page.
    assert "Good (≥ 75 points)" in text and "Tốt (≥ 75" not in text
    page = client.get("/ranking?month=2026-10").get_data(as_text=True)
    assert ">Good</span>" in page and ">Tốt</span>" not in page
    # …and so are its criteria's labels.
    detail = client.get("/ranking/KP01?month=2026-10").get_data(as_text=True)
    assert "Boarding houses reviewed and classified (share)" in detail
    assert "Cơ sở cho thuê trọ đã rà soát" not in detail
    manual = _client(demo_app, "admin").get("/ranking/manual?month=2026-10")
    assert "Taking part in peak campaigns (scored by staff)" in manual.get_data(as_text=True)
    hot = client.get("/hotspots/print.pdf?from=2026-05-01&to=2026-10-31"
                     "&category=encroachment_sidewalk&cell=100&paper=A4")
    text = _pdf_text(hot.data, tmp_path, "hot.pdf")
    assert "URBAN ORDER VIOLATION HOTSPOT MAP" in text
    assert "from May 1, 2026 to Oct 31, 2026; 100 m grid cells; Sidewalk encroachment" in text
    text = _pdf_text(client.get("/coverage/print.pdf?paper=A4").data, tmp_path, "cov.pdf")
    assert "MODEL BOARDING HOUSE COVERAGE MAP" in text and "BẢN ĐỒ ĐỘ PHỦ" not in text
    vietnamese = _client(demo_app, "leader", "vi").get("/ranking/print.pdf?month=2026-10")
    assert "BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG 10/2026" in _pdf_text(vietnamese.data, tmp_path)


def test_bad_print_requests_are_explained_in_english(demo_app):
    client = _client(demo_app, "leader")
    paper = client.get("/coverage/print.pdf?paper=letter")
    assert paper.status_code == 400
    assert "Paper size 'letter' is not valid: only A4 or A3" in paper.get_data(as_text=True)
    atlas = client.get("/ranking/print.pdf?month=2026-10&atlas=2")
    assert atlas.status_code == 400
    assert "The atlas parameter takes only 0 or 1." in atlas.get_data(as_text=True)


def test_an_atlas_job_started_in_english_prints_english(demo_app, tmp_path):
    """The job keeps its requester's language, whatever the language of the next request."""
    demo_app.config["INSTANCE_DIR"] = tmp_path
    client = _client(demo_app, "leader")
    page_url = start_atlas(client)
    client.set_cookie("lang", "vi")  # the reader switches language while it prints
    state = wait_for_job(client, page_url)
    assert state["status"] == "done", state
    assert state["title"] == "Neighbourhood ranking atlas, October 2026, A4"
    text = _pdf_text(client.get(state["download"]).data, tmp_path, "atlas.pdf")
    pages = text.split("\f")
    assert "NEIGHBOURHOOD RANKING MAP — OCTOBER 2026" in pages[0]
    assert "— OCTOBER 2026" in pages[1] and "Legend — incidents of October 2026" in pages[1]
    assert "THÁNG 10/2026" not in text and "Chú giải" not in text


def test_english_monthly_report_page_pdf_and_xlsx(demo_app, tmp_path):
    client = _client(demo_app, "leader")
    page = client.get("/reports/monthly?month=2026-09").get_data(as_text=True)
    assert '<th scope="col">Registered task</th>' in page
    assert "Nhiệm vụ đã đăng ký" not in page
    pdf = client.get("/reports/monthly.pdf?month=2026-09")
    assert pdf.status_code == 200
    text = _pdf_text(pdf.data, tmp_path)
    for expected in ("PROGRESS REPORT ON THE URBAN ORDER PLAN — SEPTEMBER 2026",
                     "Registered task", "COMMUNIST PARTY OF VIETNAM",
                     # the plan's own letterhead as the ward wrote it; its signature
                     # block's title is one of ours, so it is said in English
                     "ĐẢNG ỦY PHƯỜNG TAM PHƯỚC", "ON BEHALF OF THE STANDING COMMITTEE"):
        assert expected in text, expected
    assert "ĐẢNG CỘNG SẢN" not in text and "Kết quả thực hiện" not in text
    assert "T/M BAN THƯỜNG VỤ" not in text
    xlsx = client.get("/reports/monthly.xlsx?month=2026-09")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "No.")
    assert header[1] == "Registered task" and header[8] == "Next deadline"
    vietnamese = _client(demo_app, "leader", "vi").get("/reports/monthly.xlsx?month=2026-09")
    rows = list(load_workbook(io.BytesIO(vietnamese.data)).active.iter_rows(values_only=True))
    assert any(row[0] == "STT" and row[1] == "Nhiệm vụ đã đăng ký" for row in rows)


def test_english_monthly_report_errors(demo_app):
    client = _client(demo_app, "urban_staff")
    from geo.plan import Plan

    code = Plan.preset("tam-phuoc").targets[0]["code"]
    response = client.post("/reports/monthly", data={
        "month": "2026-09", "csrf_token": csrf_token(client, "/reports/monthly?month=2026-09"),
        f"percent-{code}": "150"})
    assert response.status_code == 400
    assert "is not valid — enter a number from 0 to 100" in response.get_data(as_text=True)


def test_cli_print_ranking_in_english(demo_app, tmp_path):
    from webapp.cli import cli

    runner = demo_app.test_cli_runner()
    out = tmp_path / "ranking.pdf"
    result = runner.invoke(cli, ["print-ranking", "--month", "2026-10", "--lang", "en",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Printed the October 2026 ranking map (" in result.output
    text = _pdf_text(out.read_bytes(), tmp_path, "cli.pdf")
    assert "NEIGHBOURHOOD RANKING MAP — OCTOBER 2026" in text and "Xếp loại" not in text
    bad = runner.invoke(cli, ["print-ranking", "--month", "2026-10", "--paper", "A0",
                              "--lang", "en", "-o", str(out)])
    assert bad.exit_code != 0 and "Paper size 'A0' is not valid" in bad.output
    refused = runner.invoke(cli, ["print-ranking", "--month", "2026-10", "--lang", "fr",
                                  "-o", str(out)])
    assert refused.exit_code != 0
