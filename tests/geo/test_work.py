"""The plan as work on plain data: the task table as a ward brings it (the appendix of 002,
abbreviated headers, combined "Chủ trì/phối hợp"), early warning, on-time rate, the unit's
quantity rule, unit report rows and summaries."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from geo import work, workform, workreport, worktable
from geo.plan import Plan
from geo.targets import METRICS

UNITS = [(1, "UBND phường", ["UBND", "Ủy ban nhân dân phường"]), (2, "Công an phường", []),
         (3, "MTTQ", ["Mặt trận Tổ quốc"]), (4, "Khu phố 1", []), (5, "Đoàn Thanh niên", [])]
SETTINGS = work.WorkSettings(due_soon_days=7, stuck_days=14, unit_report_day=25)


def appendix_rows(extra_co: str = "") -> list[tuple]:
    """The appendix's Bảng 2 as a ward's XLSX holds it: title lines, then the header."""
    return [
        ("PHỤ LỤC", None, None, None, None, None, None),
        ("Bảng 2. Phân công nhiệm vụ cụ thể", None, None, None, None, None, None),
        ("STT", "Nội dung/cơ quan", "Nhiệm vụ trọng tâm", "Chỉ tiêu/sản phẩm", "Đến 31/5/2026",
         "Đến 31/12/2026", "Chủ trì/phối hợp"),
        ("1.1", "UBND phường", "Rà soát, chuẩn hóa quy trình TTHC",
         "100% TTHC xử lý trên môi trường số", "Ban hành kế hoạch CCHC", "Triển khai đồng bộ",
         "Chủ trì: UBND phường. Phối hợp: MTTQ, Khu phố 1" + extra_co),
        ("1.2", "Công an phường", "Rà soát nhà trọ", "100% cơ sở được phân loại",
         "Lập danh sách", None, "Chủ trì: Công an phường, Đoàn Thanh niên. Phối hợp: Ủy ban "
         "nhân dân phường"),
        (None, None, None, None, None, None, None),
    ]


def test_the_appendix_table_reads_with_its_milestones_and_units():
    table = worktable.check_table(appendix_rows(), UNITS)
    assert table.ok, [r.problems for r in table.rows]
    first, second = (r.values for r in table.rows)
    assert first["code"] == "1.1" and first["lead_unit_id"] == 1
    assert first["co_unit_ids"] == [3, 4]
    assert first["deadline"] == date(2026, 12, 31)  # the last milestone with content
    assert [m["on"] for m in first["milestones"]] == ["2026-05-31", "2026-12-31"]
    assert (first["ward_quantity"], first["measure_unit"]) == (100.0, "%")
    # Second lead and the co-operating unit named by its alias.
    assert second["lead_unit_id"] == 2 and second["co_unit_ids"] == [1, 5]
    assert second["deadline"] == date(2026, 5, 31)
    assert [r.row for r in table.rows] == [4, 5]


def test_unknown_units_and_taken_codes_are_reported_per_row():
    table = worktable.check_table(appendix_rows(", doanh nghiệp"), UNITS, {"1.2"})
    assert not table.ok
    first, second = table.rows
    assert first.problems == ["Không có đơn vị: “doanh nghiệp” (thêm đơn vị, hoặc tên gọi "
                              "khác của đơn vị, rồi nhập lại)."]
    assert "STT “1.2” đã có" in second.problems[0]


def test_abbreviated_headers_and_a_deadline_column():
    rows = [("TT", "Nội dung nhiệm vụ", "SP", "ĐV chủ trì", "ĐV phối hợp", "TG hoàn thành",
             "ĐVT", "SL"),
            ("1", "Lắp camera", "Camera tại các nút giao", "Công an phường", "UBND",
             "Quý III/2026", "camera", "12"),
            ("2", "Ra mắt tổ tự quản", "Quyết định thành lập", "Khu phố 1", "", "tháng 13/2026",
             "", "")]
    table = worktable.check_table(rows, UNITS)
    good, bad = table.rows
    assert good.problems == [] and good.values["deadline"] == date(2026, 9, 30)
    assert (good.values["ward_quantity"], good.values["measure_unit"]) == (12.0, "camera")
    assert bad.problems == ["Thời gian hoàn thành “tháng 13/2026” không đọc được (dùng "
                            "dd/mm/yyyy, tháng/năm, quý/năm hoặc năm)."]


def test_a_table_without_its_header_is_refused_whole():
    table = worktable.check_table([("a", "b"), ("c", "d")], UNITS)
    assert not table.ok and table.rows == [] and "dòng tiêu đề" in table.problems[0]


def test_read_rows_from_an_xlsx_file(tmp_path):
    book = Workbook()
    for row in appendix_rows():
        book.active.append(row)
    book.save(tmp_path / "phu-luc.xlsx")
    assert worktable.read_rows(tmp_path / "phu-luc.xlsx")[2][0] == "STT"
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ValueError, match="Không đọc được tệp"):
        worktable.read_rows(tmp_path / "not.xlsx")


def _task(**values):
    return {"deadline": date(2026, 6, 30), "percent": 0, "done_on": None,
            "last_progress_at": None, "created_on": date(2026, 6, 1), **values}


@pytest.mark.parametrize(("task", "today", "expected"), [
    (_task(), date(2026, 6, 10), "on_track"),
    (_task(), date(2026, 6, 24), "due_soon"),  # 6 days left, nothing reported
    (_task(percent=30, last_progress_at=datetime(2026, 6, 20, 9)), date(2026, 6, 24), "on_track"),
    (_task(), date(2026, 7, 1), "late"),
    (_task(created_on=date(2026, 5, 1), deadline=date(2026, 12, 31)), date(2026, 6, 1), "stuck"),
    (_task(percent=10, last_progress_at=datetime(2026, 6, 1, 8), deadline=date(2026, 12, 31)),
     date(2026, 6, 16), "stuck"),
    (_task(percent=100, done_on=date(2026, 7, 3)), date(2026, 8, 1), "done"),
])
def test_early_warning(task, today, expected):
    assert work.warn(task, today, SETTINGS) == expected


def test_on_time_share_counts_tasks_due_or_done():
    tasks = [_task(done_on=date(2026, 6, 30)), _task(done_on=date(2026, 7, 2)), _task(),
             _task(deadline=date(2027, 1, 1))]  # the last is not due yet: not counted
    assert work.on_time_share(tasks, date(2026, 7, 5)) == (1 / 3, "1/3 nhiệm vụ đúng hạn")
    assert work.on_time_share([], date(2026, 7, 5))[0] is None
    assert "tasks_on_time_share" in METRICS


def test_the_plan_carries_the_work_settings():
    body = Plan.preset("tam-phuoc").as_mapping()
    assert Plan.from_mapping(body).work == work.WorkSettings(7, 14, 25)
    body["work"] = {"due_soon_days": 3, "stuck_days": 30, "unit_report_day": 20}
    plan = Plan.from_mapping(body)
    assert plan.work == work.WorkSettings(3, 30, 20)
    assert Plan.from_yaml(plan.to_yaml()).work == plan.work
    body["work"] = {"unit_report_day": 31}
    with pytest.raises(Exception, match="Hạn nộp báo cáo của đơn vị"):
        Plan.from_mapping(body)


def test_a_unit_registers_more_never_less():
    form = {"code": "1", "title": "Việc", "product": "Sản phẩm", "lead_unit_id": "1",
            "deadline": "2026-06-30", "ward_quantity": "10", "target_quantity": "8"}
    clean, errors = workform.validate_task(form, {1, 2}, {})
    assert errors == [("target_quantity", "Chỉ tiêu đơn vị đăng ký (8) không được thấp hơn "
                                          "chỉ tiêu phường giao (10).")]
    clean, errors = workform.validate_task({**form, "target_quantity": "12"}, {1, 2}, {})
    assert errors == [] and clean["target_quantity"] == 12 and clean["deadline"] == \
        date(2026, 6, 30)
    _clean, errors = workform.validate_task({**form, "lead_unit_id": "9", "target_quantity": ""},
                                             {1, 2}, {})
    assert errors == [("lead_unit_id", "Chọn đơn vị chủ trì.")]


def test_unit_report_rows_and_the_in_progress_rule():
    task = {"id": 7, "code": "1.1", "title": "Việc", "lead_unit": "UBND phường",
            "product": "100% TTHC", "percent": 40.0, "deadline": date(2026, 12, 31),
            "milestones": [{"on": "2026-05-31", "text": "a"}, {"on": "2026-08-31", "text": "b"}]}
    progress = {7: [{"note": "Xong 40%", "reported_at": datetime(2026, 6, 10, 8)},
                    {"note": "Tháng trước", "reported_at": datetime(2026, 5, 10, 8)}]}
    evidence = {7: [{"filename": "bien-ban.pdf", "created_at": datetime(2026, 6, 10, 8)}]}
    (row,) = workreport.prefill([task], progress, evidence, "2026-06", date(2026, 6, 20))
    assert (row["result_text"], row["percent"], row["next_deadline"], row["evidence"]) == \
        ("Xong 40%", 40.0, "2026-08-31", ["bien-ban.pdf"])
    assert workreport.row_problems(row) == []
    assert workreport.row_problems({**row, "result_text": "Đang thực hiện", "percent": None})
    report = workreport.consolidate("Phường X", "2026-06", [{"unit": "UBND", "rows": [row]}],
                                    None, date(2026, 6, 24), 25)
    assert report.rows[0].result == "Xong 40%\nMinh chứng: bien-ban.pdf"
    assert report.rows[0].percent == 0.4


def test_period_summary():
    tasks = [_task(done_on=date(2026, 6, 29), percent=100), _task(deadline=date(2026, 8, 1))]
    updates = [{"reported_at": datetime(2026, 6, 29, 9)}, {"reported_at": datetime(2026, 8, 2)}]
    start, end, label = workreport.period_bounds("quarter", date(2026, 6, 5))
    assert (start, end, label) == (date(2026, 4, 1), date(2026, 6, 30), "Quý 2/2026")
    got = workreport.summary(tasks, updates, start, end)
    assert (got["updates"], got["finished"], got["finished_on_time"], got["due"],
            got["due_open"], got["on_time"]) == (1, 1, 1, 1, 0, 1.0)


def test_reports_on_time_counts_the_units_submissions_once_a_ward_has_units():
    import pandas as pd

    from geo import targets

    data = targets.PlanData(*(pd.DataFrame() for _ in range(6)), units=2, unit_reports=[
        ("2026-06", datetime(2026, 6, 24, 16)), ("2026-06", datetime(2026, 6, 25, 8)),
        ("2026-07", datetime(2026, 7, 20, 9))])
    # June and July are due by 2026-07-26: 2 units × 2 months, 2 on time (one June late).
    assert targets._unit_reports_on_time(data, date(2026, 7, 26), "2026-06", 25) == \
        (0.5, "2/4 báo cáo đơn vị đúng hạn")
    assert targets._unit_reports_on_time(data, date(2026, 6, 24), "2026-06", 25) == \
        (None, "chưa đến hạn")
