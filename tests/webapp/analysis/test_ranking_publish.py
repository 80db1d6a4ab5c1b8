"""Publishing a month's ranking (both backends): draft → published, once, and frozen.

The writable demo is shared by the session and a published month stays published, so each
test here publishes months no other test uses.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from geo import ranking
from models import records
from models.tables import AuditLog
from tests.webapp.field.conftest import INSIDE, incident_payload, post
from webapp.extensions import db


def _publish(client, month: str):
    return client.post("/ranking/publish", data={"month": month, "csrf_token": client.csrf})


def _official(client, month: str) -> tuple[str | None, str]:
    body = client.get(f"/api/v1/ranking?month={month}").get_json()
    rows = json.dumps([f["properties"] for f in body["features"]], sort_keys=True,
                      ensure_ascii=False)
    return (body["published"] or {}).get("content_hash"), rows


def _snapshot(app, month: str):
    with app.app_context():
        ward_id = records.user_by_username(db.conn, "admin").ward_id
        return records.snapshot(db.conn, ward_id, month)


def test_publish_once_then_409(writer, writable_app):
    month = "2025-02"
    staff = writer("urban_staff")
    html = staff.get(f"/ranking?month={month}").get_data(as_text=True)
    assert "BẢN NHÁP (chưa công bố)" in html and 'id="publish-button"' in html
    assert staff.get(f"/api/v1/ranking?month={month}").get_json()["published"] is None

    response = _publish(staff, month)
    assert response.status_code == 302 and "month=2025-02" in response.location
    html = staff.get(response.location).get_data(as_text=True)
    assert "ĐÃ CÔNG BỐ" in html and "BẢN NHÁP" not in html
    assert "Đã công bố xếp hạng khu phố tháng 02/2025" in html
    assert 'id="publish-button"' not in html
    assert "Bảng xếp hạng chính thức (đã công bố)" in html

    again = _publish(staff, month)
    assert again.status_code == 409
    assert ("Xếp hạng tháng 02/2025 đã được công bố; bản đã công bố không thể sửa."
            in again.get_data(as_text=True))

    body = writer("leader").get(f"/api/v1/ranking?month={month}").get_json()
    assert body["published"]["published_by"] and body["published"]["content_hash"]
    assert all(f["properties"]["published"] for f in body["features"])
    snapshot = _snapshot(writable_app, month)
    # The stored fingerprint is the fingerprint of the stored rows.
    assert ranking.content_hash(month, snapshot.rubric_version, snapshot.rows) == \
        snapshot.content_hash
    with writable_app.app_context():
        actions = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "publish_ranking")).scalars().all()
    assert any(detail.get("month") == month for detail in actions)


@pytest.mark.parametrize("role", ["leader", "police"])
def test_only_staff_and_admin_publish(writer, writable_app, role):
    month = "2025-01"
    response = _publish(writer(role), month)
    assert response.status_code == 403
    assert _snapshot(writable_app, month) is None


def test_a_month_that_has_not_started_cannot_be_published(writer):
    response = _publish(writer("admin"), "2099-01")
    assert response.status_code == 400
    assert "tháng chưa bắt đầu" in response.get_data(as_text=True)


def test_new_incidents_leave_the_published_ranking_unchanged(writer, writable_app):
    month = "2025-04"
    staff = writer("urban_staff")
    assert _publish(staff, month).status_code == 302
    digest, rows = _official(staff, month)
    stored = _snapshot(writable_app, month)
    # Three encroachments on one spot in that month change what a recomputation gives.
    for day in (10, 12, 14):
        created = post(staff, "/api/v1/field/incidents", incident_payload(
            observed_at=f"{month}-{day}T09:30", location=dict(INSIDE)))
        assert created.status_code == 201, created.get_json()
    assert _official(staff, month) == (digest, rows)
    after = _snapshot(writable_app, month)
    assert after.rows == stored.rows and after.content_hash == stored.content_hash
    html = staff.get(f"/ranking?month={month}").get_data(as_text=True)
    assert "ĐÃ CÔNG BỐ" in html and "Nếu tính lại bây giờ" in html
    assert "xếp hạng chính thức vẫn là bản đã công bố" in html


def test_rubric_change_leaves_the_published_ranking_unchanged(private, private_app):
    month = "2025-06"
    admin = private("admin")
    assert _publish(admin, month).status_code == 302
    digest, rows = _official(admin, month)
    stored = _snapshot(private_app, month)
    form = _rubric_form(admin)
    form["c-1-points"] = "35"  # encroachment per km weighs more
    assert admin.post("/admin/rubric", data=form).status_code == 302
    assert _official(admin, month) == (digest, rows)
    after = _snapshot(private_app, month)
    assert (after.rows, after.content_hash, after.rubric_version) == \
        (stored.rows, stored.content_hash, stored.rubric_version)
    html = admin.get(f"/ranking?month={month}").get_data(as_text=True)
    assert "Nếu tính lại bây giờ" in html and "bộ tiêu chí (nay là phiên bản phuong-" in html
    assert f"bộ tiêu chí {stored.rubric_version}" in html

    # The database itself refuses to change a published snapshot.
    with private_app.app_context(), pytest.raises(DBAPIError), db.transaction() as conn:
        conn.execute(text("UPDATE ranking_snapshot SET content_hash = 'forged' "
                          "WHERE month = :month"), {"month": month})
    assert _snapshot(private_app, month).content_hash == stored.content_hash


def _rubric_form(client) -> dict:
    """The rubric form as the page fills it in."""
    page = client.get("/admin/rubric").get_data(as_text=True)
    found = re.findall(r'name="([ct]-\d+-\w+|name|base_version)" value="([^"]*)"', page)
    return {**{k: html.unescape(v) for k, v in found}, "csrf_token": client.csrf}
