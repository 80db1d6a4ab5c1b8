"""The monthly progress report (Bảng 3): rows from hand-made targets, XLSX and PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest

from geo import plan, report
from geo.report import COLUMNS, Entry, MonthCounts, Report, build_rows
from geo.targets import metric_kind
from tests.test_catalogue import VIETNAMESE


def _target(code, metric, value, detail, target=1.0, is_share=True, **extra) -> dict:
    return {"code": code, "label": f"Chỉ tiêu {code}", "lead": "Công an phường",
            "metric": metric, "kind": metric_kind(metric), "value": value, "detail": detail,
            "target": target,
            "deadline": "2027-08-27", "phase": "Giai đoạn 4: tăng tốc, về đích",
            "is_share": is_share, "status_label": "Có nguy cơ chậm", **extra}


TARGETS = [
    _target("houses_reviewed", "houses_reviewed_share", 0.783, "2349/3000"),
    _target("campaigns", "campaigns_this_year", 3.0, "3 đợt năm 2026", target=2,
            is_share=False),
    _target("reduction", "public_order_reduction_vs_base", -0.1, "110 vụ so với 100 vụ cùng "
            "kỳ 2025", target=0.2),
    _target("ranking", "rankings_published_before_due_share", None, "chưa đến hạn"),
    _target("route", "demonstration_route_done", 1.0, "Đạt chuẩn"),
]
COUNTS = MonthCounts(inspections=41, houses_inspected=39, public_order=7, public_order_base=9,
                     base_year=2025,
                     incidents_recorded=120, incidents_resolved=80,
                     ranking_published_on=date(2026, 10, 20))


def test_rows_are_prefilled_from_the_data():
    rows = build_rows(TARGETS, COUNTS, {}, "2026-10")
    assert [r.stt for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0]
    assert first.task == "Chỉ tiêu houses_reviewed" and first.lead == "Công an phường"
    assert first.product == ("Chỉ tiêu: 100%; thời hạn: 27/08/2027 "
                             "(Giai đoạn 4: tăng tốc, về đích)")
    assert first.result == ("Rà soát, phân loại 2.349/3.000 cơ sở (78,3%); trong tháng "
                            "10/2026: 41 lượt kiểm tra tại 39 cơ sở.")
    assert first.percent == pytest.approx(0.783) and first.percent_text == "78,3%"
    assert first.percent_from == "data"
    assert first.difficulties == "" and first.next_deadline is None
    assert "03/02 đợt ra quân" in rows[1].result
    assert "tăng 10%" in rows[2].result and "(cùng tháng 2025: 9 vụ)" in rows[2].result
    assert "120 vụ vi phạm, xử lý xong 80 vụ" in rows[2].result
    assert "xếp hạng tháng 10/2026 đã công bố ngày 20/10/2026" in rows[3].result
    assert rows[3].percent is None and rows[3].percent_text == "chưa có số liệu"
    assert rows[4].product.startswith("Chỉ tiêu: hoàn thành")
    assert "đã hoàn thành" in rows[4].result
    # never the bare "đang thực hiện": every result carries a figure or says there is none
    assert all(r.result[0].isupper() or r.result[0].isdigit() for r in rows)


def test_percent_is_capped_between_0_and_100():
    rows = build_rows(TARGETS, COUNTS, {}, "2026-10")
    assert rows[1].percent == 1.0  # 3 campaigns of 2
    assert rows[2].percent == 0.0  # violations rose: no progress, not negative
    assert rows[4].percent == 1.0


def test_staff_entries_override_percent_and_add_to_the_figures():
    entries = {"houses_reviewed": Entry(result_text="Kèm 12 biên bản kiểm tra.",
                                        difficulties="Thiếu nhân lực", proposals="Bổ sung 2 "
                                        "cán bộ", next_deadline=date(2026, 11, 20),
                                        percent_override=85.5),
               "ranking": Entry(percent_override=0)}
    rows = build_rows(TARGETS, COUNTS, entries, "2026-10")
    first = rows[0]
    assert first.percent == pytest.approx(0.855) and first.percent_from == "override"
    assert first.result.startswith("Rà soát, phân loại 2.349/3.000 cơ sở (78,3%)")
    assert first.result.endswith("\nKèm 12 biên bản kiểm tra.")
    assert (first.difficulties, first.proposals) == ("Thiếu nhân lực", "Bổ sung 2 cán bộ")
    assert report.cells(first)[8] == "20/11/2026"
    assert rows[3].percent == 0.0 and rows[3].percent_from == "override"  # 0 is a value
    assert rows[1].percent_from == "data"


def _report(**entries) -> Report:
    return Report(ward_name="Phường Tam Phước", month="2026-10",
                  rows=build_rows(TARGETS, COUNTS, entries, "2026-10"),
                  as_of=date(2026, 10, 20), made_on=date(2026, 10, 21))


def test_report_heading_and_date_line():
    r = _report()
    assert r.heading.startswith("BÁO CÁO TIẾN ĐỘ THỰC HIỆN") and r.heading.endswith(
        "THÁNG 10/2026")
    assert r.date_line == "Tam Phước, ngày 21 tháng 10 năm 2026"
    assert report.due_date("2026-10") == date(2026, 10, 25)


def test_xlsx_has_the_plan_columns_one_row_per_target():
    from openpyxl import load_workbook

    r = _report(houses_reviewed=Entry(difficulties="Thiếu nhân lực",
                                      next_deadline=date(2026, 11, 20)))
    ws = load_workbook(io.BytesIO(report.write_xlsx(r))).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert tuple(rows[header]) == COLUMNS
    body = rows[header + 1: header + 1 + len(TARGETS)]
    assert [row[0] for row in body] == [1, 2, 3, 4, 5]
    assert body[0][6] == "Thiếu nhân lực" and body[0][5] == pytest.approx(0.783)
    assert body[0][8].date() == date(2026, 11, 20)
    assert ws.freeze_panes == f"A{header + 2}"
    assert ws.cell(row=header + 2, column=5).alignment.wrap_text
    assert "PHƯỜNG TAM PHƯỚC" in rows[0][0] and "THÁNG 10/2026" in rows[2][0]
    assert any("trước ngày 25 hằng tháng" in (row[0] or "") for row in rows[:header])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_is_a_pdf_with_vietnamese_text(tmp_path):
    pdf = report.write_pdf(_report(houses_reviewed=Entry(difficulties="Thiếu nhân lực")))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("BÁO CÁO TIẾN ĐỘ", "THÁNG 10/2026", "Chỉ tiêu houses_reviewed",
                     "Thiếu nhân lực", "NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG ĐƠN VỊ",
                     "Tam Phước, ngày 21 tháng 10 năm 2026", "Kiến nghị/đề xuất"):
        assert expected in text, expected


def _english(**entries) -> Report:
    return Report(ward_name="Phường Tam Phước", month="2026-10",
                  rows=build_rows(TARGETS, COUNTS, entries, "2026-10", locale="en"),
                  as_of=date(2026, 10, 20), made_on=date(2026, 10, 21), synthetic=True,
                  locale="en")


def test_english_rows_say_the_figures_in_english():
    rows = build_rows(TARGETS, COUNTS, {"ranking": Entry(percent_override=40)}, "2026-10",
                      locale="en")
    first = rows[0]
    assert first.product == ("Target: 100%; deadline: Aug 27, 2027 "
                             "(Giai đoạn 4: tăng tốc, về đích)")  # the plan's phase as written
    assert first.result == ("2,349/3,000 premises reviewed and classified (78.3%); in "
                            "October 2026: 41 inspections at 39 premises.")
    assert first.percent_text == "78.3%" and first.task == "Chỉ tiêu houses_reviewed"
    assert "03/02 peak campaigns held this year" in rows[1].result
    assert "up 10%" in rows[2].result and "(same month of 2025: 9 incidents)" in rows[2].result
    assert "the October 2026 ranking was published on Oct 20, 2026" in rows[3].result
    assert report.cells(rows[3])[5] == "40%\n(entered by staff)"
    assert rows[4].product.startswith("Target: completed")


def test_english_report_frame_and_defaults():
    r = _english()
    assert r.heading == ("PROGRESS REPORT ON THE URBAN ORDER PLAN — OCTOBER 2026")
    assert r.date_line == "Tam Phước, October 21, 2026"
    assert r.national_lines == ("SOCIALIST REPUBLIC OF VIETNAM",
                                "Independence - Freedom - Happiness")
    assert [s["title"] for s in r.signatures] == ["PREPARED BY", "HEAD OF UNIT"]
    assert r.columns[1] == "Registered task" and "before day 25 of each month" in r.note
    own = Report(ward_name="Phường Tam Phước", month="2026-10", rows=[], as_of=date(2026, 10, 20),
                 made_on=date(2026, 10, 21), locale="en", letterhead=report.Letterhead(
                     title="BÁO CÁO CỦA PHƯỜNG", signatures=(
                         {"title": "CHỦ TỊCH", "name": "Trần Văn Bình"},
                         {"title": "TRƯỞNG BAN CHỈ ĐẠO 500 NGÀY", "hint": "100% (ký)"})))
    # The plan's own title and signature blocks are the ward's text, as it wrote them, but
    # for the words that are ours; no placeholder is filled in the ward's text.
    assert own.heading == "BÁO CÁO CỦA PHƯỜNG — OCTOBER 2026"
    assert own.signatures == (
        {"title": "CHAIRPERSON", "hint": "", "name": "Trần Văn Bình"},
        {"title": "TRƯỞNG BAN CHỈ ĐẠO 500 NGÀY", "hint": "100% (ký)"})


@pytest.mark.parametrize("code", sorted(plan.presets()))
def test_an_english_report_of_a_preset_plan_signs_in_english(code):
    letterhead = report.Letterhead.from_plan(plan.Plan.preset(code).report)
    r = Report(ward_name="Phường X", month="2026-10", rows=[], as_of=date(2026, 10, 20),
               made_on=date(2026, 10, 21), locale="en", letterhead=letterhead)
    said = [block[key] for block in r.signatures for key in ("title", "hint")]
    assert said and not [text for text in said if VIETNAMESE.search(text)], said


def test_english_xlsx():
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(report.write_xlsx(_english()))).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "No.")
    assert rows[header][1:3] == ("Registered task", "Lead")
    assert rows[header + 4][5] == "no figures yet"  # the ranking row has no percentage
    text = "\n".join(str(v) for row in rows for v in row if v)
    assert "PROGRESS REPORT ON THE URBAN ORDER PLAN — OCTOBER 2026" in text
    assert "figures as of Oct 20, 2026" in text and "SYNTHETIC DATA" in text
    assert "PREPARED BY" in text and "SOCIALIST REPUBLIC OF VIETNAM" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_english_pdf_has_no_vietnamese_frame(tmp_path):

    path = tmp_path / "en.pdf"
    r = _english(houses_reviewed=Entry(difficulties="Thiếu nhân lực"))
    path.write_bytes(report.write_pdf(r))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("PROGRESS REPORT ON THE URBAN ORDER PLAN", "OCTOBER 2026",
                     "Registered task", "Recommendations,", "proposals", "PREPARED BY",
                     "HEAD OF UNIT", "Tam Phước, October 21, 2026", "Page 1 / 1",
                     "figures as of Oct 20, 2026", "SYNTHETIC DATA — illustrative figures"):
        assert expected in text, expected
    # The words left in Vietnamese are the ward's: its name, the plan's targets and phases,
    # the data's details, staff's text.
    own = " ".join([r.ward_name, r.ward_name.upper(), "Thiếu nhân lực",
                    *(str(t[key]) for t in TARGETS for key in ("label", "lead", "phase",
                                                               "detail"))])
    words = {w for w in re.findall(r"\w+", text) if VIETNAMESE.search(w)}
    assert words and not words - set(re.findall(r"\w+", own)), words - set(own.split())


def test_a_targets_detail_is_said_in_the_reports_language():
    """geo.targets gives its details as Messages; a stored report keeps Vietnamese text."""
    from geo.i18n import N_, Message
    from geo.report.figures import _dotted

    not_due = Message(N_("chưa đến hạn"))
    assert _dotted(not_due, "en") == "not due yet"
    assert _dotted(not_due, "vi") == "chưa đến hạn"
    households = Message(N_("%(signed)s/%(total)s hộ"), signed=2349, total=3000)
    assert _dotted(households, "vi") == "2.349/3.000 hộ"
    assert _dotted(households, "en").startswith("2,349/3,000")
    assert _dotted("", "en") == ""
