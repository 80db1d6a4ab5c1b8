"""The rubric's arithmetic on hand-built data: every criterion, rescaling, ties, gaps."""

from __future__ import annotations

from datetime import date, datetime

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, box

from geo.ranking import (
    MonthData,
    Rubric,
    content_hash,
    differences,
    score_month,
    street_km,
    with_changes,
)

EPSG = 5899
CRITERIA = ("clean", "no_encroachment", "no_illegal_ads", "lighting", "trees", "camera")
X0, Y0 = 420_000.0, 1_199_000.0
NAN = float("nan")


def _metric(geoms) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs=EPSG).to_crs(4326)


def _kp(n: int = 4) -> gpd.GeoDataFrame:
    squares = [box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(n)]
    return gpd.GeoDataFrame({"id": range(1, n + 1), "code": [f"KP0{i}" for i in range(1, n + 1)],
                             "name": [f"Khu phố {i}" for i in range(1, n + 1)]},
                            geometry=_metric(squares), crs=4326)


def _street(kp_index: int, y: float) -> LineString:
    return LineString([(X0 + kp_index * 1000, Y0 + y), (X0 + (kp_index + 1) * 1000, Y0 + y)])


def _inc(kp, category, observed, resolved=None, repeat=False, model_street=NAN):
    return {"neighbourhood_id": kp, "category": category,
            "observed_at": datetime.fromisoformat(observed),
            "resolved_at": datetime.fromisoformat(resolved) if resolved else None,
            "is_repeat": repeat, "model_street_id": model_street}


def _house(kp, classification=None, antt=None, fire=None, model="none", recognised=None):
    return {"neighbourhood_id": kp, "classification": classification,
            "antt_commitment_on": antt, "fire_safety_pass": fire, "model_status": model,
            "model_recognised_on": recognised}


ALL_CRITERIA = dict.fromkeys(("clean", "no_encroachment", "no_illegal_ads", "lighting", "trees",
                              "camera"), True)


@pytest.fixture
def month_data() -> MonthData:
    streets = gpd.GeoDataFrame(geometry=_metric([
        _street(0, 500), _street(1, 300), _street(1, 700), _street(2, 500)]), crs=4326)
    model_streets = pd.DataFrame([
        {"neighbourhood_id": 1, "level": "neighbourhood", "status": "achieved",
         "criteria": ALL_CRITERIA, "frontage_households": 10, "commitments_signed": 5,
         "registered_on": date(2026, 6, 1)},
        {"neighbourhood_id": 2, "level": "neighbourhood", "status": "registered",
         "criteria": {"clean": True, "lighting": True, "trees": True, "camera": False},
         "frontage_households": 20, "commitments_signed": 20,
         "registered_on": date(2026, 6, 1)},
        {"neighbourhood_id": None, "level": "ward", "status": "in_progress",
         "criteria": {}, "frontage_households": 300, "commitments_signed": 1,
         "registered_on": date(2026, 6, 1)},
    ])
    incidents = pd.DataFrame([
        _inc(1, "encroachment_sidewalk", "2026-10-02T08:00"),
        _inc(1, "encroachment_road", "2026-10-03T08:00"),
        _inc(1, "encroachment_sidewalk", "2026-10-20T08:00", repeat=True),
        _inc(2, "encroachment_sidewalk", "2026-10-05T08:00"),
        _inc(2, "encroachment_sidewalk", "2026-10-06T08:00"),
        _inc(3, "encroachment_sidewalk", "2026-09-30T23:00"),  # September: not counted
        _inc(1, "illegal_advertising", "2026-10-04T08:00", "2026-10-05T08:00", model_street=1),
        _inc(1, "illegal_advertising", "2026-10-04T08:00", "2026-10-07T08:00", model_street=1),
        _inc(3, "illegal_advertising", "2026-10-04T08:00"),  # not on a model street
        *[_inc(1, "residence", "2025-10-10T10:00") for _ in range(5)],
        *[_inc(1, "residence", "2026-10-10T10:00") for _ in range(4)],
        *[_inc(3, "drugs", "2025-10-10T10:00") for _ in range(2)],
        *[_inc(3, "fire_safety", "2026-10-11T10:00") for _ in range(2)],
    ])
    houses = pd.DataFrame([
        _house(1, "good", date(2026, 3, 1), True, "recognised", date(2026, 9, 1)),
        _house(1, "average", None, None),
        _house(2, None, None, False),
    ])
    manual = pd.DataFrame([{"neighbourhood_id": 1, "criterion": "campaign_turnout", "points": 5},
                           {"neighbourhood_id": 2, "criterion": "campaign_turnout", "points": 3}])
    return MonthData(_kp(), streets, model_streets, houses, incidents, EPSG, 2025, CRITERIA,
                     manual)


def test_street_km_per_khu_pho(month_data):
    km = street_km(month_data.neighbourhoods, month_data.streets, EPSG)
    assert km.round(3).tolist() == [1.0, 2.0, 1.0, 0.0]


def test_every_criterion_total_and_rank(month_data):
    rows = {r["code"]: r for r in score_month(month_data, Rubric.default(), "2026-10")}
    a, b, c, d = rows["KP01"], rows["KP02"], rows["KP03"], rows["KP04"]
    points = {code: {k: v["points"] for k, v in r["criteria"].items()}
              for code, r in rows.items()}
    assert points["KP01"] == {
        "model_street_progress": 20.0, "encroachment_per_km": 0.0, "ads_handled_48h": 5.0,
        "frontage_commitments": 5.0, "houses_classified": 10.0, "antt_commitments": 5.0,
        "fire_safety_pass": 5.0, "model_house": 5.0, "public_order_vs_base": 5.0,
        "campaign_turnout": 5.0, "report_on_time": None}
    assert points["KP02"]["model_street_progress"] == 9.0  # 0.2 + 0.5 × 3/6
    assert points["KP02"]["encroachment_per_km"] == 15.0  # 1/km between best 0 and worst 4
    assert points["KP02"]["ads_handled_48h"] is None
    assert points["KP02"]["public_order_vs_base"] == 5.0  # 0 then, 0 now
    assert points["KP03"]["encroachment_per_km"] == 20.0
    assert points["KP03"]["public_order_vs_base"] == 0.0  # 2 then, 2 now
    assert points["KP03"]["houses_classified"] is None
    assert a["criteria"]["encroachment_per_km"]["value"] == 4.0  # repeat counted twice
    assert (a["earned"], a["available"], a["total"]) == (65.0, 105.0, 61.9)
    assert (b["earned"], b["available"], b["total"]) == (42.0, 95.0, 44.21)
    assert (c["earned"], c["available"], c["total"]) == (20.0, 45.0, 44.44)
    assert [a["rank"], c["rank"], b["rank"]] == [1, 2, 3]
    assert a["tier"] == "pass" and b["tier"] == "below"
    assert d["status"] == "insufficient_data" and d["rank"] is None and d["total"] is None
    assert d["criteria"]["encroachment_per_km"]["note"] == "Không có số liệu chiều dài đường"


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    kp = _kp(3)
    streets = gpd.GeoDataFrame(geometry=_metric([_street(i, 500) for i in range(3)]), crs=4326)
    empty_ms = pd.DataFrame(columns=["neighbourhood_id", "level", "status", "criteria",
                                     "frontage_households", "commitments_signed",
                                     "registered_on"])
    incidents = pd.DataFrame([_inc(3, "encroachment_road", "2026-10-01T08:00")])
    houses = pd.DataFrame([_house(i, "good") for i in (1, 2, 3)])
    data = MonthData(kp, streets, empty_ms, houses, incidents, EPSG, 2025, CRITERIA)
    rows = score_month(data, Rubric.default(), "2026-10")
    assert [(r["code"], r["rank"]) for r in rows] == [("KP01", 1), ("KP02", 1), ("KP03", 3)]
    assert rows[0]["total"] == rows[1]["total"] > rows[2]["total"]


def test_changes_hash_and_differences(month_data):
    rubric = Rubric.default()
    october = score_month(month_data, rubric, "2026-10")
    september = score_month(month_data, rubric, "2026-09")
    rows = {r["code"]: r for r in with_changes(october, september)}
    sept = {r["code"]: r for r in september}
    assert rows["KP01"]["total_change"] == round(rows["KP01"]["total"] - sept["KP01"]["total"], 2)
    assert rows["KP01"]["rank_change"] == sept["KP01"]["rank"] - rows["KP01"]["rank"]
    assert rows["KP04"]["rank_change"] is None
    assert content_hash("2026-10", rubric.version, october) == \
        content_hash("2026-10", rubric.version, [dict(r) for r in october])
    assert differences(october, october) == []
    changed = differences(october, september)
    assert changed and {"published", "now"} <= set(changed[0])


def test_rubric_is_checked():
    good = Rubric.default().as_mapping()
    with pytest.raises(ValueError, match="không được hỗ trợ"):
        Rubric.from_mapping({**good, "criteria": [{"code": "x", "source": "data",
                                                   "points": 1}]})
    with pytest.raises(ValueError, match="≥ 0"):
        Rubric.from_mapping({**good, "criteria": [{"code": "model_house", "source": "data",
                                                   "points": -5}]})
    with pytest.raises(ValueError, match="từ 0 điểm"):
        Rubric.from_mapping({**good, "tiers": [{"code": "x", "min": 50, "label": "x"}]})


def test_points_follow_an_edited_rubric(month_data):
    rubric = Rubric.default().as_mapping()
    for criterion in rubric["criteria"]:
        if criterion["code"] == "model_street_progress":
            criterion["points"] = 40
    rubric["version"] = "sua-1"
    rows = {r["code"]: r for r in score_month(month_data, Rubric.from_mapping(rubric),
                                              "2026-10")}
    assert rows["KP01"]["criteria"]["model_street_progress"]["points"] == 40.0
    assert rows["KP01"]["available"] == 125.0


def test_notes_and_rubric_refusals_read_english_through_translate(month_data):
    from geo.i18n import translate

    rows = {r["code"]: r for r in score_month(month_data, Rubric.default(), "2026-10")}
    note = rows["KP04"]["criteria"]["encroachment_per_km"]["note"]
    assert translate(note, "en") == "No street length data"
    assert translate(rows["KP01"]["criteria"]["ads_handled_48h"]["note"], "en").endswith(
        "incidents")
    with pytest.raises(ValueError) as refused:
        Rubric.from_mapping({"version": "1", "criteria": []})
    assert str(refused.value) == "Bộ tiêu chí không có tiêu chí nào."
    assert translate(refused.value.args[0], "en") == "The rubric has no criteria."


def test_the_default_rubrics_labels_are_in_the_catalogue():
    """data/rubric.yaml's tier and criterion labels are ours: each has English, so an edit
    of the file that is not mirrored in geo.ranking's msgids fails here, not silently."""
    from geo import ranking

    rubric = Rubric.default()
    tiers = ranking.tier_labels(rubric.tiers, "en")
    criteria = ranking.criterion_labels(rubric, "en")
    untranslated = [t["label"] for t in rubric.tiers if tiers[t["code"]] == t["label"]]
    untranslated += [c["label"] for c in rubric.criteria if criteria[c["code"]] == c["label"]]
    assert untranslated == []
