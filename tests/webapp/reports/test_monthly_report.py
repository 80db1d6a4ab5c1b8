"""The monthly progress report page, XLSX and PDF on both backends: roles, saving, files."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from geo.plan import Plan
from geo.report import COLUMNS
from models import records
from models.tables import MonthlyReportEntry
from webapp.extensions import db
from webapp.services import reports as service

PLAN = Plan.preset("tam-phuoc")  # the demo ward follows Tam Phước's plan
CODES = [t["code"] for t in PLAN.targets]
LABELS = [t["label"] for t in PLAN.targets]
ROLES = ("admin", "police", "urban_staff", "leader")


def _entries(app, month: str) -> dict:
    with app.app_context():
        ward_id = records.user_by_username(db.conn, "admin").ward_id
        stmt = select(MonthlyReportEntry).where(MonthlyReportEntry.ward_id == ward_id,
                                                MonthlyReportEntry.month == month)
        return {row.target_code: row for row in db.conn.execute(stmt)}


def _form(client, month: str, **fields) -> dict:
    return {"month": month, "csrf_token": client.csrf, **fields}


def _xlsx_rows(client, month: str) -> tuple[tuple, list[tuple]]:
    response = client.get(f"/reports/monthly.xlsx?month={month}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    return rows[header], [r for r in rows[header + 1:] if isinstance(r[0], int)]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_report(client_as, role):
    client = client_as(role)
    response = client.get("/reports/monthly?month=2026-09")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Báo cáo tiến độ thực hiện — tháng 09/2026" in page
    assert ">Báo cáo tháng</a>" in page  # top navigation
    for title in COLUMNS:
        assert f"<th scope=\"col\">{title}</th>" in page
    for label in LABELS:
        assert label in page
    assert page.count("<tr data-code=") == len(CODES)
    assert "Đã qua hạn gửi báo cáo tháng 09/2026" in page  # today is after 25/09/2026
    assert ("<textarea" in page) == (role in ("urban_staff", "admin"))
    assert "%)" in page and "trong tháng 09/2026" in page  # figures pre-filled


@pytest.mark.parametrize("role", ("leader", "police"))
def test_readers_cannot_save(report_writer, writable_app, role):
    month = "2026-03"
    client = report_writer(role)
    response = client.post("/reports/monthly", data=_form(
        client, month, **{f"difficulties-{CODES[0]}": "Không được lưu"}))
    assert response.status_code == 403
    assert _entries(writable_app, month) == {}


def test_staff_save_and_the_xlsx_carries_it(report_writer, writable_app):
    month = "2026-04"
    staff = report_writer("urban_staff")
    first, second = CODES[0], CODES[1]
    response = staff.post("/reports/monthly", data=_form(staff, month, **{
        f"difficulties-{first}": "Thiếu nhân lực rà soát ban đêm",
        f"proposals-{first}": "Bổ sung 02 cán bộ",
        f"next_deadline-{first}": "20/05/2026",
        f"percent-{first}": "62,5",
        f"result_text-{second}": "Kèm danh sách 35 cam kết.",
    }))
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    page = staff.get(response.location).get_data(as_text=True)
    assert "Đã lưu báo cáo tháng 04/2026 (2 dòng có nội dung)" in page
    saved = _entries(writable_app, month)
    assert set(saved) == {first, second}
    assert saved[first].difficulties == "Thiếu nhân lực rà soát ban đêm"
    assert saved[first].next_deadline == date(2026, 5, 20)
    assert saved[first].percent_override == 62.5 and saved[second].percent_override is None
    assert saved[first].updated_by is not None
    assert "62,5%" in page and "20/05/2026" in page

    header, rows = _xlsx_rows(staff, month)
    assert tuple(header) == COLUMNS
    assert [r[0] for r in rows] == list(range(1, len(CODES) + 1))
    assert [r[1] for r in rows] == LABELS
    assert rows[0][6] == "Thiếu nhân lực rà soát ban đêm" and rows[0][7] == "Bổ sung 02 cán bộ"
    assert rows[0][5] == pytest.approx(0.625)
    assert rows[1][4].endswith("Kèm danh sách 35 cam kết.")

    # clearing a row removes it; the leader sees what staff wrote
    response = staff.post("/reports/monthly", data=_form(staff, month, **{
        f"difficulties-{first}": "Thiếu nhân lực rà soát ban đêm"}))
    assert response.status_code == 302
    assert set(_entries(writable_app, month)) == {first}
    leader = report_writer("leader").get(f"/reports/monthly?month={month}")
    assert "Thiếu nhân lực rà soát ban đêm" in leader.get_data(as_text=True)


@pytest.mark.parametrize("field, bad, message", [
    ("next_deadline", "31/02/2026", "nhập ngày dạng dd/mm/yyyy"),
    ("next_deadline", "mai", "nhập ngày dạng dd/mm/yyyy"),
    ("percent", "120", "một số từ 0 đến 100"),
    ("percent", "-5", "một số từ 0 đến 100"),
    ("percent", "nhiều", "một số từ 0 đến 100"),
])
def test_a_bad_cell_saves_nothing(report_writer, writable_app, field, bad, message):
    month = "2026-05"
    staff = report_writer("urban_staff")
    response = staff.post("/reports/monthly", data=_form(staff, month, **{
        f"difficulties-{CODES[0]}": "Sẽ không được lưu", f"{field}-{CODES[2]}": bad}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Không ô nào được lưu" in page
    assert f'id="{field}-{CODES[2]}-error"' in page and 'aria-invalid="true"' in page
    assert "Sẽ không được lưu" in page  # what was typed is kept on the page
    assert _entries(writable_app, month) == {}


def test_a_bad_month_is_refused_for_downloads(client_as):
    client = client_as("leader")
    assert client.get("/reports/monthly.xlsx?month=13-2026").status_code == 400
    page = client.get("/reports/monthly?month=abc")
    assert page.status_code == 200 and "không hợp lệ" in page.get_data(as_text=True)


def test_xlsx_has_the_plan_columns_title_and_note(client_as):
    response = client_as("leader").get("/reports/monthly.xlsx?month=2026-10")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    # The demo ward's plan (Tam Phước's) sets a Party letterhead.
    assert "THÁNG 10/2026" in rows[2][0] and "ĐẢNG ỦY PHƯỜNG TAM PHƯỚC" in rows[0][0]
    assert rows[0][5] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "Kính gửi: Ban Thường vụ Đảng ủy phường" in rows[3][0]
    assert any("trước ngày 25 hằng tháng" in (r[0] or "") for r in rows[:5])
    header, body = _xlsx_rows(client_as("leader"), "2026-10")
    assert tuple(header) == COLUMNS and len(body) == len(CODES)
    assert ws.freeze_panes is not None
    assert 'bao-cao-tien-do-2026-10.xlsx' in response.headers["Content-Disposition"]


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                    reason="poppler-utils not installed")
def test_pdf_is_a_real_pdf(client_as, tmp_path):
    response = client_as("leader").get("/reports/monthly.pdf?month=2026-10")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO TIẾN ĐỘ" in text and "THÁNG 10/2026" in text
    assert "Mỗi khu phố có ít nhất 01 mô hình nhà trọ an toàn" in " ".join(text.split())
    assert "NGƯỜI LẬP BÁO CÁO" in text and "T/M BAN THƯỜNG VỤ" in text  # the plan's signers
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI" not in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert page.width > page.height  # landscape
    low, _ = page.getextrema()
    assert low < 100  # ink on the page
    dark = sum(page.histogram()[:200])
    assert dark > 0.01 * page.width * page.height


def test_deadline_state():
    assert service.deadline_state("2026-10", date(2026, 10, 20), 25)["state"] == "open"
    assert service.deadline_state("2026-10", date(2026, 10, 20), 25)["days_left"] == 5
    assert service.deadline_state("2026-10", date(2026, 10, 25), 25)["state"] == "late"
    assert service.deadline_state("2026-10", date(2026, 9, 30), 25)["state"] == "future"
    assert service.deadline_state("2026-10", date(2026, 10, 20), 15)["state"] == "late"
