"""The hotspot page and its map's API compute the analysis once per data version."""

from __future__ import annotations

import uuid

from geo import hotspots
from tests.webapp.field.conftest import incident_payload, post
from webapp.services import analysis

QUERY = "from=2025-01-01&to=2026-12-31&cell=50&category=encroachment_sidewalk"


def test_page_then_api_compute_once_and_a_new_incident_recomputes(writer, monkeypatch):
    calls = []
    real = hotspots.hotspots

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hotspots, "hotspots", counted)
    analysis._HOTSPOTS.clear()
    staff = writer("urban_staff")
    assert staff.get(f"/hotspots?{QUERY}").status_code == 200
    first = staff.get(f"/api/v1/hotspots?{QUERY}").get_json()
    assert len(calls) == 1  # the page's analysis served the map's request
    police = writer("police")
    created = post(police, "/api/v1/field/incidents", incident_payload(
        uuid=str(uuid.uuid4()), observed_at="2026-06-01T08:00"))
    assert created.status_code == 201, created.get_json()
    second = staff.get(f"/api/v1/hotspots?{QUERY}").get_json()
    assert len(calls) == 2  # new data, new analysis
    assert second["incidents"] == first["incidents"] + 1
