"""Targets: values from hand-built records, and the met / on track / at risk / missed rules."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pandas as pd

from geo.i18n import translate
from geo.plan import Plan
from geo.targets import PlanData, evaluate

TAM_PHUOC = Plan.preset("tam-phuoc")


def _data() -> PlanData:
    houses = pd.DataFrame({
        "neighbourhood_id": [1, 1, 2, 2],
        "classification": ["good", "poor", None, "average"],
        "antt_commitment_on": [date(2026, 1, 1)] * 4,
        "extinguishers": [1, 0, 2, 1], "has_escape_route": [True, True, True, False],
        "model_status": ["recognised", "none", "none", "none"],
    })
    model_streets = pd.DataFrame({
        "neighbourhood_id": [None, 1, 2], "level": ["ward", "neighbourhood", "neighbourhood"],
        "status": ["in_progress", "achieved", "registered"],
        "achieved_on": [None, date(2026, 10, 1), None],
        "frontage_households": [100, 10, 30], "commitments_signed": [10, 10, 10],
    })
    inc = [("residence", f"2025-0{m}-10") for m in (1, 2, 3, 4, 5)] + \
          [("drugs", "2026-02-10"), ("residence", "2026-03-10"), ("fire_safety", "2026-12-01")]
    incidents = pd.DataFrame({
        "category": [c for c, _ in inc] + ["illegal_advertising"] * 2,
        "observed_at": [datetime.fromisoformat(d) for _, d in inc] + [datetime(2026, 9, 1)] * 2,
        "status": ["resolved"] * len(inc) + ["resolved", "reported"],
        "model_street_id": [None] * len(inc) + [2, 2],
    })
    campaigns = pd.DataFrame({"starts_on": [date(2026, 3, 1), date(2025, 3, 1)]})
    snapshots = pd.DataFrame({"month": ["2026-06", "2026-07"],
                              "published_at": [datetime(2026, 6, 20), datetime(2026, 7, 28)]})
    return PlanData(pd.DataFrame({"id": [1, 2]}), model_streets, houses, incidents, campaigns,
                    snapshots)


def test_values_and_statuses_on_a_given_day():
    rows = {r["code"]: r for r in evaluate(TAM_PHUOC, _data(), date(2026, 11, 23))}
    assert rows["houses_reviewed"]["value"] == 0.75 and rows["houses_reviewed"]["detail"] == "3/4"
    assert rows["antt_commitments"]["status"] == "met"
    assert rows["fire_equipment"]["value"] == 0.5
    assert rows["model_house_per_kp"]["value"] == 0.5
    assert rows["demonstration_route"]["value"] == 0.0
    assert rows["model_street_per_kp"]["value"] == 0.5
    assert rows["campaigns_per_year"]["value"] == 1.0
    # Linear expectation: half a year's worth is due by late November → 1 of 2 is behind.
    assert rows["campaigns_per_year"]["status"] == "at_risk"
    assert rows["ads_handled"]["value"] == 0.5
    assert rows["frontage_commitments"]["value"] == 0.5
    # Year to date 23/11: 2 in 2026 against 5 in 2025 → 60 % fewer: met.
    assert rows["public_order_reduction"]["value"] == 0.6
    assert rows["public_order_reduction"]["status"] == "met"
    # Months due by 23/11: June–October (November's 25th not yet) → 1 of 5 on time.
    assert rows["monthly_report"]["value"] == 0.2
    # 75 % reviewed with 6 of 27 months gone is ahead of the straight line.
    assert rows["houses_reviewed"]["status"] == "on_track"
    assert rows["houses_reviewed"]["phase"].startswith("Giai đoạn 4")


def test_missed_after_the_deadline():
    rows = {r["code"]: r for r in evaluate(TAM_PHUOC, _data(), date(2027, 4, 2))}
    assert rows["demonstration_route"]["status"] == "missed"
    assert rows["demonstration_route"]["status_label"] == "Không đạt (quá hạn)"


def test_base_year_and_report_cycle_come_from_the_plan():
    # The same records against a plan whose base year is 2024 (no records then) and whose
    # reports start in October: nothing is hard-wired to 2025 or June 2026.
    plan = dataclasses.replace(TAM_PHUOC, baseline_year=2024, report_cycle_start="2026-10")
    rows = {r["code"]: r for r in evaluate(plan, _data(), date(2026, 11, 23))}
    assert rows["public_order_reduction"]["value"] is None
    assert "năm 2024" in rows["public_order_reduction"]["detail"]
    assert rows["monthly_report"]["detail"] == "0/1 tháng"


def test_manual_target_uses_the_latest_value_entered_up_to_the_day():
    plan = Plan.preset("binh-phuoc")
    data = dataclasses.replace(_data(), manual_values={
        "trees_digitised": [("2025-07", 120.0), ("2025-09", 260.0), ("2025-12", 510.0)]})
    rows = {r["code"]: r for r in evaluate(plan, data, date(2025, 10, 15))}
    trees = rows["trees_digitised"]
    assert trees["kind"] == "manual" and trees["value"] == 260.0
    assert trees["detail"] == "260 cây (số liệu tháng 09/2025)"
    bigger = dataclasses.replace(data, manual_values={"trees_digitised": [("2025-09", 1260.5)]})
    detail = {r["code"]: r for r in evaluate(plan, bigger, date(2025, 10, 15))}[
        "trees_digitised"]["detail"]  # the number in the reader's locale, the unit as written
    assert (str(detail), translate(detail, "en")) == \
        ("1.260,5 cây (số liệu tháng 09/2025)", "1,260.5 cây (figure for September 2025)")
    assert trees["status"] == "at_risk"  # 260 of 500 by mid-October is below the line
    later = {r["code"]: r for r in evaluate(plan, data, date(2025, 12, 20))}
    assert later["trees_digitised"]["status"] == "met"
    empty = {r["code"]: r for r in evaluate(plan, _data(), date(2025, 10, 15))}
    assert empty["trees_digitised"]["value"] is None
    assert empty["trees_digitised"]["detail"] == "chưa nhập số liệu"


def test_details_and_statuses_read_english_through_translate():
    from geo.i18n import translate

    rows = {r["code"]: r for r in evaluate(TAM_PHUOC, _data(), date(2026, 11, 23))}
    campaigns = rows["campaigns_per_year"]
    assert str(campaigns["detail"]) == "1 đợt năm 2026"
    assert translate(campaigns["detail"], "en") == "campaigns in 2026: 1"
    assert str(campaigns["status_label"]) == "Có nguy cơ chậm"
    assert translate(campaigns["status_label"], "en") == "At risk"
    assert translate(rows["monthly_report"]["detail"], "en") == "1/5 months"
