"""Targets: values from hand-built records, and the met / on track / at risk / missed rules."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from geo.targets import PlanData, evaluate, load_plan


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
    rows = {r["code"]: r for r in evaluate(load_plan(), _data(), date(2026, 11, 23))}
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
    rows = {r["code"]: r for r in evaluate(load_plan(), _data(), date(2027, 4, 2))}
    assert rows["demonstration_route"]["status"] == "missed"
    assert rows["demonstration_route"]["status_label"] == "Không đạt (quá hạn)"
