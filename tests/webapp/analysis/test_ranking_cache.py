"""A month's computed ranking is scored once per data version (issue 11: khu phố detail)."""

from __future__ import annotations

import re
import uuid

from geo import ranking
from tests.webapp.field.conftest import incident_payload, post
from webapp.services import analysis

MONTH = "2026-10"


def test_khu_pho_pages_reuse_the_months_ranking_until_the_data_changes(writer, monkeypatch):
    scored = []
    real = ranking.score_month

    def counted(data, rubric, month):
        scored.append(month)
        return real(data, rubric, month)

    monkeypatch.setattr(ranking, "score_month", counted)
    analysis._RANKINGS.clear()
    staff = writer("urban_staff")
    page = staff.get(f"/ranking?month={MONTH}")
    assert page.status_code == 200
    assert scored.count(MONTH) == 1
    codes = re.findall(r'href="/ranking/(KP[^"?]+)\?month=' + MONTH, page.get_data(as_text=True))
    assert len(set(codes)) >= 2, "the ranking page links its khu phố"
    first, second = sorted(set(codes))[:2]
    assert staff.get(f"/ranking/{first}?month={MONTH}").status_code == 200
    after_first = len(scored)
    assert after_first > 1 and scored.count(MONTH) == 1  # the trend's other months, once
    assert staff.get(f"/ranking/{second}?month={MONTH}").status_code == 200
    assert len(scored) == after_first  # another khu phố: nothing scored again
    police = writer("police")
    created = post(police, "/api/v1/field/incidents", incident_payload(
        uuid=str(uuid.uuid4()), observed_at=f"{MONTH}-15T08:00"))
    assert created.status_code == 201, created.get_json()
    assert staff.get(f"/ranking/{second}?month={MONTH}").status_code == 200
    assert scored.count(MONTH) == 2  # new data: scored anew
