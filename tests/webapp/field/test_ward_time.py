"""Issue 10 point 9 end to end: a phone's time is stored in UTC, used and shown in ward time."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import text

from tests.helpers import sign_in
from tests.webapp.field.conftest import incident_payload, post
from webapp import clock
from webapp.extensions import db

INCIDENTS = "/api/v1/field/incidents"


def test_a_phone_time_in_utc_is_stored_utc_and_shown_as_the_wards(field_client, writable_app):
    """17:30Z on 30/11 is 00:30 on 01/12 in the ward: the page and December's list say so."""
    police = field_client("police")
    response = post(police, INCIDENTS, incident_payload(observed_at="2026-11-30T17:30:00Z"))
    assert response.status_code == 201, response.get_json()
    incident_id = response.get_json()["id"]
    with writable_app.app_context():
        stored = db.conn.execute(text("SELECT observed_at FROM incident WHERE id = :i"),
                                 {"i": incident_id}).scalar_one()
    assert str(stored).startswith("2026-11-30 17:30:00")
    desk = writable_app.test_client()
    sign_in(desk, "dothi")
    page = desk.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "01/12/2026 00:30" in page
    december = desk.get("/incidents/?status=all&from=2026-12&to=2026-12&kp=").get_data(
        as_text=True)
    november = desk.get("/incidents/?status=all&from=2026-11&to=2026-11&kp=").get_data(
        as_text=True)
    link = f'href="/incidents/{incident_id}"'
    assert link in december and link not in november


def test_export_file_names_carry_the_wards_day(writable_app, monkeypatch):
    """At 03:30 on 01/01/2027 in the ward (20:30 UTC on 31/12) an export is named …-20270101."""
    ward_moment = datetime.fromisoformat("2027-01-01T03:30:00+07:00")
    monkeypatch.setattr(clock, "ward_now", lambda: ward_moment)
    desk = writable_app.test_client()
    sign_in(desk, "dothi")
    response = desk.get("/exports/incidents.csv")
    assert response.status_code == 200
    name = re.search(r'filename="?([^";]+)', response.headers["Content-Disposition"]).group(1)
    assert name.endswith("-20270101.csv"), name
