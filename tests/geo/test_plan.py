"""The ward's plan as data: presets load, every problem is named in Vietnamese, YAML round
trips, a new ward's starting plan, nothing of Tam Phước's in the neutral preset."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from geo.plan import Plan, PlanError, presets, starting_plan


def test_every_preset_is_a_valid_plan():
    names = presets()
    assert {"tam-phuoc", "mac-dinh", "binh-phuoc"} <= set(names)
    for code in names:
        plan = Plan.preset(code)
        assert plan.targets and plan.criteria and plan.route_name


def test_neutral_preset_names_no_ward():
    text = (Plan.preset("mac-dinh").to_yaml()).lower()
    for word in ("tam phước", "ql51", "quốc lộ 51", "đồng nai", "55-kh"):
        assert word not in text


def test_yaml_round_trip_keeps_everything():
    plan = Plan.preset("tam-phuoc")
    again = Plan.from_yaml(plan.to_yaml())
    assert again == plan
    assert again.report["header"] == "party" and len(again.report["signatures"]) == 2


def test_problems_are_listed_in_vietnamese():
    body = Plan.preset("tam-phuoc").as_mapping()
    body.update(name="", baseline_year="hai nghìn", report_cycle_start="06/2026",
                report_due_day=31, route_name="x" * 300)
    body["phases"][0]["end"] = "2020-01-01"
    body["targets"][0]["metric"] = "nothing_like_this"
    body["targets"][1]["target"] = float("nan")
    body["targets"][2]["code"] = body["targets"][3]["code"]
    body["model_street_criteria"][0]["label"] = "sạch\x07"
    with pytest.raises(PlanError) as caught:
        Plan.from_mapping(body)
    problems = " ".join(caught.value.problems)
    for expected in ("Tên kế hoạch: chưa nhập", "Năm gốc so sánh", "yyyy-mm",
                     "từ 1 đến 28", "dài quá 200 ký tự", "ngày kết thúc trước ngày bắt đầu",
                     "nothing_like_this", "mục tiêu phải là một số", "bị trùng",
                     "ký tự điều khiển"):
        assert expected in problems, expected


def test_not_a_mapping_and_broken_yaml():
    with pytest.raises(PlanError, match="YAML"):
        Plan.from_yaml("a: [1, 2\n")
    with pytest.raises(PlanError, match="dạng bảng"):
        Plan.from_yaml("- just\n- a list\n")


def test_old_metric_codes_still_load():
    body = yaml.safe_load(Plan.preset("tam-phuoc").to_yaml())
    body["targets"][9]["metric"] = "public_order_reduction_vs_2025"
    assert Plan.from_mapping(body).targets[9]["metric"] == "public_order_reduction_vs_base"


def test_a_new_ward_starts_from_a_preset_of_its_own():
    plan = starting_plan("mac-dinh", "Phường Hồ Nai", date(2026, 12, 1))
    assert plan.plan_start == date(2026, 12, 1) and plan.baseline_year == 2025
    assert plan.report_cycle_start == "2026-12"
    assert plan.report["issuer"] == "ỦY BAN NHÂN DÂN PHƯỜNG HỒ NAI"
    assert plan.report["place"] == "Hồ Nai"
    assert plan.version == "mac-dinh-20261201"
    kept = starting_plan("tam-phuoc", "Phường Tam Phước", date(2026, 12, 1))
    assert kept.baseline_year == 2025 and kept.report["issuer"] == "ĐẢNG ỦY PHƯỜNG TAM PHƯỚC"


def test_unknown_preset():
    with pytest.raises(PlanError, match="Không có kế hoạch mẫu"):
        Plan.preset("../../etc/passwd")


def test_problems_read_english_through_translate_and_vietnamese_as_text():
    from geo.i18n import translate

    body = Plan.preset("mac-dinh").as_mapping()
    body["phases"] = [{"code": "p1", "label": "", "start": "2026-06-01", "end": "2026-01-01"}]
    body["baseline_year"] = "năm ngoái"
    with pytest.raises(PlanError) as refused:
        Plan.from_mapping(body)
    said = {str(p): translate(p, "en") for p in refused.value.problems}
    assert said["Tên giai đoạn 1: chưa nhập."] == "Name of phase 1: missing."
    assert said["Giai đoạn 1: ngày kết thúc trước ngày bắt đầu."] == \
        "Phase 1: the end date is before the start date."
    assert said["Năm gốc so sánh phải là một năm (ví dụ 2025)."].startswith("The base year")


def test_the_exported_yaml_says_its_header_in_vietnamese_then_english():
    lines = Plan.preset("mac-dinh").to_yaml().splitlines()
    assert lines[0].startswith("# Kế hoạch của phường — urbanorder (phiên bản ")
    assert lines[1].startswith("# The ward's plan — urbanorder (version ")
