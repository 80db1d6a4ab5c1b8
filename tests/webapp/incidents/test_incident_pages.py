"""Incident desk pages: who sees what, filters, work-through order, the allowed next steps."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from models.tables import Incident
from tests.helpers import api_headers
from webapp.extensions import db

ROLES = ("admin", "police", "urban_staff", "leader")
# docs/field-api.md: the steps that may follow each status.
NEXT = {
    "reported": {"verified", "dismissed"},
    "verified": {"minutes_issued", "resolved", "dismissed"},
    "minutes_issued": {"resolved"},
    "resolved": set(),
    "dismissed": set(),
}


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td data-label="Mã"><a href="/incidents/(\d+)"', html)]


def _first_with_status(app, status: str) -> int:
    with app.app_context():
        return db.conn.execute(select(func.min(Incident.id)).where(
            Incident.status == status)).scalar_one()


def test_anonymous_is_sent_to_sign_in(anonymous):
    for path in ("/incidents/", "/incidents/1"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_the_list_and_a_record(client_as, demo_app, role):
    client = client_as(role)
    html = _html(client, "/incidents/")
    assert "Vụ việc vi phạm" in html and len(_row_ids(html)) == 50
    assert ("Chế độ chỉ xem" in html) == (role == "leader")
    _html(client, f"/incidents/{_first_with_status(demo_app, 'reported')}")
    assert client.get("/incidents/999999").status_code == 404


@pytest.mark.parametrize("status", sorted(NEXT))
def test_record_offers_exactly_the_allowed_steps(client_as, demo_app, status):
    incident_id = _first_with_status(demo_app, status)
    for role in ("urban_staff", "police", "admin"):
        html = _html(client_as(role), f"/incidents/{incident_id}")
        assert set(re.findall(r'data-to="(\w+)"', html)) == NEXT[status], role
        assert ('id="transition-form"' in html) == bool(NEXT[status])
        if NEXT[status]:
            assert f'data-url="/api/v1/incidents/{incident_id}/transition"' in html
            assert "js/desk/incident.js" in html
        assert ('name="minutes_no"' in html) == (status == "verified")
    leader = _html(client_as("leader"), f"/incidents/{incident_id}")
    assert "data-to=" not in leader and "transition-form" not in leader
    assert "incident.js" not in leader


def test_default_list_is_open_incidents_oldest_first(client, demo_app):
    html = _html(client, "/incidents/")
    ids = _row_ids(html)
    with demo_app.app_context():
        rows = db.conn.execute(select(Incident.id, Incident.observed_at, Incident.status)
                               .where(Incident.id.in_(ids))).all()
    by_id = {r.id: r for r in rows}
    assert {r.status for r in rows} <= {"reported", "verified", "minutes_issued"}
    observed = [by_id[i].observed_at for i in ids]
    assert observed == sorted(observed)
    with demo_app.app_context():
        open_total = db.conn.execute(select(func.count()).select_from(Incident).where(
            Incident.status.in_(("reported", "verified", "minutes_issued")))).scalar_one()
    assert f"/ {open_total} vụ việc" in html.replace(".", "")
    second = _row_ids(_html(client, "/incidents/?page=2"))
    assert second and not set(second) & set(ids)


def test_filters_narrow_the_list(client, demo_app):
    html = _html(client, "/incidents/?status=all&category=encroachment_sidewalk&repeat=1"
                         "&from=2025-03&to=2025-08&kp=")
    ids = _row_ids(html)
    assert ids
    with demo_app.app_context():
        rows = db.conn.execute(select(Incident.category, Incident.is_repeat,
                                      Incident.observed_at).where(Incident.id.in_(ids))).all()
    assert all(r.category == "encroachment_sidewalk" and r.is_repeat for r in rows)
    assert all(datetime(2025, 3, 1) <= r.observed_at < datetime(2025, 9, 1) for r in rows)
    assert html.count("Tái vi phạm</span>") == len(ids)


def test_khu_pho_choice_is_remembered(client, demo_app):
    html = _html(client, "/incidents/?kp=KP03&status=open")
    assert '<option value="KP03" selected>' in html
    assert set(re.findall(r'<td data-label="Khu phố">([^<]+)</td>', html)) == {"Khu phố 3"}
    again = _html(client, "/incidents/")
    assert '<option value="KP03" selected>' in again
    cleared = _html(client, "/incidents/?kp=")
    assert '<option value="KP03" selected>' not in cleared
    assert len(set(re.findall(r'<td data-label="Khu phố">([^<]+)</td>', cleared))) > 1


def test_bad_filters_are_ignored_with_a_notice(client):
    html = _html(client, "/incidents/?status=nope&category=x&from=2025-13&kp=KP99&page=abc")
    assert "Đã bỏ qua bộ lọc không hợp lệ" in html
    assert len(_row_ids(html)) == 50


def test_record_shows_the_facts_and_the_map_link(client, demo_app):
    incident_id = _first_with_status(demo_app, "minutes_issued")
    with demo_app.app_context():
        row = db.conn.execute(select(Incident).where(Incident.id == incident_id)).one()
    html = _html(client, f"/incidents/{incident_id}")
    assert row.observed_at.strftime("%d/%m/%Y %H:%M") in html
    assert "Xem trên bản đồ" in html and '/?neighbourhood=KP' in html
    if row.minutes_no:
        assert row.minutes_no in html


def test_a_transition_through_the_api_shows_in_the_history(writable_app):
    """The contract the record page's buttons use: multipart with a JSON ``payload``."""
    from tests.helpers import sign_in

    client = writable_app.test_client()
    sign_in(client, "dothi")
    incident_id = _first_with_status(writable_app, "reported")
    payload = {"uuid": str(uuid.uuid4()), "to": "verified", "note": "Kiểm tra thực tế: đúng"}
    response = client.post(f"/api/v1/incidents/{incident_id}/transition",
                           data={"payload": json.dumps(payload)}, headers=api_headers(client))
    assert response.status_code == 201, response.get_json()
    html = _html(client, f"/incidents/{incident_id}")
    assert 'class="status status-verified"' in html
    assert "Kiểm tra thực tế: đúng" in html and "Cán bộ quản lý đô thị (mô phỏng)" in html
    assert re.search(r"Mới ghi nhận → <strong>Đã xác minh</strong>", html)
    assert set(re.findall(r'data-to="(\w+)"', html)) == NEXT["verified"]
    # The endpoint's own refusal is what the page shows: Vietnamese, with the field.
    bad = client.post(f"/api/v1/incidents/{incident_id}/transition",
                      data={"payload": json.dumps({"uuid": str(uuid.uuid4()),
                                                   "to": "minutes_issued"})},
                      headers=api_headers(client))
    assert bad.status_code == 400 and "số biên bản" in bad.get_json()["error"]["message"]
