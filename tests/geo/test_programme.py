"""Rules of the plan's own records: model streets, their status steps and re-checks, campaigns."""

from __future__ import annotations

from datetime import date

from shapely import LineString, Point, Polygon

from geo.programme import (
    check_geometry,
    next_statuses,
    status_step,
    validate_campaign,
    validate_check,
    validate_model_street,
)

TODAY = date(2026, 11, 20)
BASE = {"name": "Tuyến Trần Phú", "level": "neighbourhood", "kind": "street"}


def test_a_model_street_is_checked_field_by_field():
    clean, errors = validate_model_street({**BASE, "frontage_households": "40",
                                           "commitments_signed": "35",
                                           "budget_vnd": "150000000"}, TODAY)
    assert errors == [] and clean["frontage_households"] == 40 and clean["status"] == "registered"
    _, errors = validate_model_street({**BASE, "name": "", "level": "province",
                                       "commitments_signed": "50", "frontage_households": "40",
                                       "registered_on": "2027-01-01",
                                       "budget_vnd": "1e400"}, TODAY)
    fields = {f for f, _ in errors}
    assert {"name", "level", "commitments_signed", "registered_on", "budget_vnd"} <= fields


def test_status_moves_one_step_on_or_back_with_a_reason():
    assert next_statuses("registered") == ("in_progress",)
    assert next_statuses("accepted") == ("achieved",)
    current = {"status": "in_progress", "started_on": date(2026, 9, 1)}
    values, problem = status_step(current, "achieved", date(2026, 11, 1), None, TODAY)
    assert problem is None and values == {"status": "achieved", "achieved_on": date(2026, 11, 1)}
    _, problem = status_step(current, "accepted", None, None, TODAY)
    assert "Không chuyển được" in problem
    _, problem = status_step(current, "achieved", date(2026, 12, 1), None, TODAY)
    assert "tương lai" in problem
    _, problem = status_step(current, "achieved", date(2026, 8, 1), None, TODAY)
    assert "trước ngày" in problem
    _, problem = status_step({"status": "achieved"}, "in_progress", None, "", TODAY)
    assert "lý do" in problem
    values, problem = status_step({"status": "achieved"}, "in_progress", None,
                                  "Tái lấn chiếm", TODAY)
    assert problem is None and values["achieved_on"] is None and values["accepted_on"] is None


def test_geometry_by_kind():
    line = LineString([(106.91, 10.85), (106.92, 10.85)])
    area = Polygon([(106.91, 10.85), (106.92, 10.85), (106.92, 10.86)])
    assert check_geometry(line, "street")[1] is None
    assert "đường (line)" in check_geometry(area, "street")[1]
    assert check_geometry(area, "cluster")[1] is None
    assert check_geometry(Point(106.91, 10.85), "cluster")[1]
    assert "Chưa vẽ" in check_geometry(None, "street")[1]


def test_a_recheck_needs_every_criterion_of_the_ward():
    criteria = [{"code": "sach", "label": "Sạch"}, {"code": "xanh", "label": "Xanh"}]
    check, errors = validate_check({"checked_on": "2026-11-19", "met-sach": "1",
                                    "met-xanh": "0", "note-xanh": "thiếu cây"}, criteria, TODAY)
    assert errors == []
    assert check["results"] == {"sach": {"met": True, "note": None},
                                "xanh": {"met": False, "note": "thiếu cây"}}
    _, errors = validate_check({"checked_on": "2026-11-19", "met-sach": "1"}, criteria, TODAY)
    assert [f for f, _ in errors] == ["met-xanh"]


def test_campaign_period():
    _, errors = validate_campaign({"name": "Ra quân tháng 11", "starts_on": "2026-11-10",
                                   "ends_on": "2026-11-01"}, TODAY)
    assert [f for f, _ in errors] == ["ends_on"]
    _, errors = validate_campaign({"name": "Cả năm", "starts_on": "2026-01-01",
                                   "ends_on": "2027-06-01"}, TODAY)
    assert "một năm" in errors[0][1]


def test_refusals_read_english_through_translate_and_vietnamese_as_text():
    from geo.i18n import translate

    _, errors = validate_model_street(
        {"name": "", "level": "ward", "kind": "street", "frontage_households": 2,
         "commitments_signed": 5}, today=date(2026, 7, 1))
    said = {field: (str(m), translate(m, "en")) for field, m in errors}
    assert said["name"] == ("Chưa nhập tên tuyến/cụm.", "Enter the name of the street/cluster.")
    assert said["commitments_signed"][1] == (
        "Households that signed the pledge cannot outnumber the frontage households.")
    _, problem = status_step({"status": "in_progress", "started_on": date(2026, 6, 1)},
                             "achieved", date(2026, 5, 1), None, date(2026, 7, 1))
    assert str(problem) == "Ngày chuyển không được trước ngày đang thực hiện (01/06/2026)."
    assert translate(problem, "en").startswith("The date of the change cannot be before the "
                                               "date of “in progress”")
