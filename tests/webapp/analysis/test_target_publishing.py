"""Publishing the plan's target figures: frozen with the month's ranking or by "công bố
tiến độ chỉ tiêu", audited, append-only, checked by ``urbanorder verify`` (both backends).

The ward's clock is set to 15/05/2024 10:00 as in test_safe_publishing: April 2024 has
ended, May is under way.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from geo import ranking
from models import ledger, ledger_verify
from models.tables import AuditLog, BoardingHouse
from tests.helpers import as_attacker
from webapp.extensions import db

NOW = datetime(2024, 5, 15, 10, 0)


@pytest.fixture(autouse=True)
def ward_clock(monkeypatch):
    monkeypatch.setattr("webapp.services.publishing.local_now", lambda: NOW)
    monkeypatch.setattr("webapp.analysis.plan.local_now", lambda: NOW)


def _ward_id(app) -> int:
    with app.app_context():
        return db.conn.execute(text("SELECT ward_id FROM app_user WHERE username = 'admin'"
                                    )).scalar_one()


def _snapshot(app, month: str):
    with app.app_context():
        return ledger.target_snapshot(db.conn, _ward_id(app), month)


def _audits(app) -> list[dict]:
    with app.app_context():
        return list(db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "publish_targets")).scalars())


def _publish_targets(client, month: str):
    return client.post("/targets/publish", data={"month": month, "csrf_token": client.csrf})


def test_publishing_a_ranking_freezes_the_months_targets(writer, writable_app):
    staff = writer("urban_staff")
    assert _snapshot(writable_app, "2024-04") is None
    answer = staff.post("/ranking/publish", data={"month": "2024-04", "csrf_token": staff.csrf})
    assert answer.status_code == 302
    frozen = _snapshot(writable_app, "2024-04")
    assert frozen is not None and frozen.published_by is not None
    with writable_app.app_context():
        from webapp.services.plans import plan_for

        ward = db.conn.execute(text("SELECT * FROM ward WHERE id = :w"),
                               {"w": _ward_id(writable_app)}).first()
        codes = [t["code"] for t in plan_for(db.conn, ward).targets]
    assert [r["code"] for r in frozen.rows] == codes
    assert frozen.content_hash == ranking.content_hash("2024-04", frozen.plan_version,
                                                       frozen.rows)
    audit = _audits(writable_app)
    assert len(audit) == 1 and audit[0]["month"] == "2024-04" and audit[0]["with_ranking"]
    assert audit[0]["content_hash"] == frozen.content_hash
    # Superseding the ranking later does not touch the published targets.
    admin = writer("admin")
    admin.post("/ranking/supersede", data={"month": "2024-04", "reason": "Sửa điểm khu phố 3",
                                           "csrf_token": admin.csrf})
    assert _snapshot(writable_app, "2024-04").id == frozen.id and len(_audits(writable_app)) == 1
    with writable_app.app_context():
        reports = ledger_verify.check_ward(db.conn, _ward_id(writable_app))
    assert [r.table for r in reports] == ["audit_log", "ranking_snapshot", "target_snapshot"]
    assert all(r.intact for r in reports), [r.describe() for r in reports]


def test_the_explicit_publication_is_once_only_and_of_an_ended_month(writer, writable_app):
    staff = writer("urban_staff")
    page = staff.get("/targets").get_data(as_text=True)
    assert 'id="publish-targets"' in page and '<option value="2024-04">' in page
    assert '<option value="2024-05">' not in page  # under way: not offered
    refused = _publish_targets(staff, "2024-05")
    assert refused.status_code == 400
    assert "Tháng 05/2024 chưa kết thúc" in refused.get_data(as_text=True)
    assert _snapshot(writable_app, "2024-05") is None
    assert _publish_targets(staff, "not-a-month").status_code == 400
    assert _publish_targets(staff, "2024-04").status_code == 302
    frozen = _snapshot(writable_app, "2024-04")
    assert frozen is not None and not _audits(writable_app)[0]["with_ranking"]
    again = _publish_targets(staff, "2024-04")
    assert again.status_code == 409 and "không thể sửa" in again.get_data(as_text=True)
    page = staff.get("/targets").get_data(as_text=True)
    assert '<option value="2024-04">' not in page and "04/2024" in page
    assert len(_audits(writable_app)) == 1


@pytest.mark.parametrize("role", ["leader", "police"])
def test_roles_without_the_right_cannot_publish_targets(writer, writable_app, role):
    client = writer(role)
    if role == "leader":
        assert 'id="publish-targets"' not in client.get("/targets").get_data(as_text=True)
    assert _publish_targets(client, "2024-04").status_code == 403
    assert _snapshot(writable_app, "2024-04") is None


def test_published_figures_stay_when_the_data_changes_and_refuse_edits(writer, writable_app):
    staff = writer("urban_staff")
    assert _publish_targets(staff, "2024-04").status_code == 302
    frozen = _snapshot(writable_app, "2024-04")
    with writable_app.app_context(), db.transaction() as conn:
        conn.execute(update(BoardingHouse).values(classification=None))
    assert _snapshot(writable_app, "2024-04").rows == frozen.rows
    with writable_app.app_context():
        with pytest.raises(DatabaseError), db.transaction() as conn:
            conn.execute(text("UPDATE target_snapshot SET rows = :r"), {"r": "[]"})
        with pytest.raises(DatabaseError), db.transaction() as conn:
            conn.execute(text("DELETE FROM target_snapshot"))
    # Changed around the triggers, the figures no longer match their hash: verify says so.
    with writable_app.app_context(), db.transaction() as conn:
        forged = [{**r, "value": 1.0} for r in frozen.rows]
        as_attacker(conn, "UPDATE target_snapshot SET rows = :rows WHERE id = :id",
                    rows=json.dumps(forged, ensure_ascii=False), id=frozen.id)
    with writable_app.app_context():
        report = ledger_verify.check_chain(db.conn, "target_snapshot", _ward_id(writable_app))
    assert report.problem == ledger_verify.TARGETS_ALTERED and report.broken_id == frozen.id
