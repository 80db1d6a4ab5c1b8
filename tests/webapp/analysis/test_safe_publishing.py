"""Safe publishing and tamper evidence on the ranking page (both backends).

The ward's clock is set to 15/05/2024 10:00: May 2024 is under way, June has not started,
April has ended. No other test uses 2024's months on the shared writable demo.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select, text

from geo import ranking
from models import ledger
from models.tables import AuditLog
from tests.helpers import as_attacker
from webapp.cli import cli
from webapp.demo import DEMO_WARD
from webapp.extensions import db

NOW = datetime(2024, 5, 15, 10, 0)
WARNING = ("Cảnh báo: bảng xếp hạng đã công bố không khớp mã kiểm tra — có thể đã bị sửa "
           "trực tiếp trong cơ sở dữ liệu")


@pytest.fixture(autouse=True)
def ward_clock(monkeypatch):
    monkeypatch.setattr("webapp.services.publishing.local_now", lambda: NOW)


def _post(client, action: str, month: str, reason: str | None = None):
    data = {"month": month, "csrf_token": client.csrf}
    if reason is not None:
        data["reason"] = reason
    return client.post(f"/ranking/{action}", data=data)


def _page(client, month: str) -> str:
    return client.get(f"/ranking?month={month}").get_data(as_text=True)


def _official(app, month: str):
    with app.app_context():
        return ledger.snapshot(db.conn, app_ward(app), month)


def app_ward(app) -> int:
    with app.app_context():
        return db.conn.execute(text("SELECT ward_id FROM app_user WHERE username = 'admin'"
                                    )).scalar_one()


def _audits(app, action: str) -> list[dict]:
    with app.app_context():
        return list(db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == action)).scalars())


def test_staff_cannot_publish_the_current_month(writer, writable_app):
    staff = writer("urban_staff")
    assert 'id="publish-button"' not in _page(staff, "2024-05")
    refused = _post(staff, "publish", "2024-05")
    assert refused.status_code == 403
    assert "Tháng 05/2024 chưa kết thúc: chỉ công bố được từ ngày 01/06/2024" in \
        refused.get_data(as_text=True)
    staff.set_cookie("lang", "en")  # the month and the day as an English reader writes them
    english = _post(staff, "publish", "2024-05").get_data(as_text=True)
    staff.delete_cookie("lang")
    assert "May 2024 has not ended: it can be published from Jun 1, 2024" in english
    assert _official(writable_app, "2024-05") is None


def test_no_one_publishes_a_month_that_has_not_started(writer, writable_app):
    admin = writer("admin")
    page = _page(admin, "2024-06")
    assert 'id="publish-button"' not in page and 'id="supersede-button"' not in page
    refused = _post(admin, "publish", "2024-06", "Lý do bất kỳ")
    assert refused.status_code == 400 and "tháng chưa bắt đầu" in refused.get_data(as_text=True)
    assert _official(writable_app, "2024-06") is None


def test_admin_publishes_early_only_with_a_reason_which_is_shown(writer, writable_app):
    admin = writer("admin")
    page = _page(admin, "2024-05")
    assert 'id="publish-early"' in page and 'id="early-reason"' in page
    refused = _post(admin, "publish", "2024-05", "  ")
    assert refused.status_code == 400 and "cần ghi lý do" in refused.get_data(as_text=True)
    assert _official(writable_app, "2024-05") is None

    reason = "Họp giao ban <b>quý II</b> cần số liệu sớm"
    done = _post(admin, "publish", "2024-05", reason)
    assert done.status_code == 302
    snap = _official(writable_app, "2024-05")
    assert (snap.early, snap.reason, snap.revision) == (True, reason, 1)
    for viewer in (admin, writer("leader")):
        page = _page(viewer, "2024-05")
        assert "Công bố sớm" in page and "Họp giao ban &lt;b&gt;quý II&lt;/b&gt;" in page
        assert f"Đã xác thực</strong> · mã {snap.content_hash[:12]}" in page
        assert WARNING not in page
    assert any(d.get("month") == "2024-05" and d.get("early") and d.get("reason") == reason
               for d in _audits(writable_app, "publish_ranking"))


def test_supersede_keeps_both_revisions_and_is_audited(writer, writable_app):
    month = "2024-03"
    staff, admin = writer("urban_staff"), writer("admin")
    assert _post(staff, "publish", month).status_code == 302
    first = _official(writable_app, month)
    assert first.early is False and first.reason is None
    assert 'id="supersede-button"' not in _page(staff, month)
    assert _post(staff, "supersede", month, "Sửa số liệu").status_code == 403
    assert _post(staff, "publish", month).status_code == 409
    assert _post(admin, "supersede", month).status_code == 400
    assert 'id="supersede-button"' in _page(admin, month)

    reason = "Nhập thiếu 12 vụ lấn chiếm của khu phố 3"
    assert _post(admin, "supersede", month, reason).status_code == 302
    official = _official(writable_app, month)
    assert (official.revision, official.supersedes_id, official.reason) == (2, first.id, reason)
    page = _page(staff, month)
    assert "Bản thay thế" in page and reason in page
    assert "Các lần công bố trước (đã thay thế)" in page and "Lần 1 — đã thay thế" in page
    assert page.count("Đã xác thực") == 2 and WARNING not in page
    body = staff.get(f"/api/v1/ranking?month={month}").get_json()["published"]
    assert (body["revision"], body["reason"], body["verified"]) == (2, reason, True)
    assert body["content_hash"] == official.content_hash
    audit = [d for d in _audits(writable_app, "supersede_ranking") if d["month"] == month]
    assert audit == [{"month": month, "content_hash": official.content_hash,
                      "supersedes": first.id, "revision": 2, "reason": reason}]


@pytest.mark.parametrize("role", ["leader", "police"])
def test_roles_without_the_right_see_no_buttons_and_are_refused(writer, role):
    client = writer(role)
    page = _page(client, "2024-04")
    assert 'id="publish-button"' not in page and 'id="supersede-button"' not in page
    assert _post(client, "publish", "2024-04").status_code == 403
    assert _post(client, "supersede", "2024-04", "Không được phép").status_code == 403


def _as_attacker(app, *statements, **params) -> None:
    with app.app_context(), db.transaction() as conn:
        as_attacker(conn, *statements, **params)


def test_forged_ranks_show_the_warning_and_fail_verify(writer, writable_app):
    month = "2024-02"
    staff = writer("urban_staff")
    assert _post(staff, "publish", month).status_code == 302
    runner = writable_app.test_cli_runner()
    intact = runner.invoke(cli, ["verify"])
    assert intact.exit_code == 0, intact.output
    assert "Kết quả: mọi chuỗi nguyên vẹn." in intact.output
    assert re.search(r"nguyên vẹn, đầu chuỗi [0-9a-f]{16}", intact.output)  # to keep outside

    snap = _official(writable_app, month)
    forged = [dict(row) for row in snap.rows]
    forged[0]["rank"], forged[-1]["rank"] = forged[-1]["rank"], forged[0]["rank"]
    forged[0]["name"] = "Khu phố giả mạo"
    update = "UPDATE ranking_snapshot SET rows = :rows WHERE id = :id"
    _as_attacker(writable_app, update, rows=json.dumps(forged), id=snap.id)
    try:
        page = _page(staff, month)
        assert "Khu phố giả mạo" in page  # the forgery is shown, but not as verified
        assert WARNING in page and "Đã xác thực" not in page
        api = staff.get(f"/api/v1/ranking?month={month}").get_json()["published"]
        assert api["verified"] is False
        broken = runner.invoke(cli, ["verify", "--ward", DEMO_WARD])
        assert broken.exit_code == 1
        assert f"BỊ PHÁ VỠ tại dòng #{snap.id}" in broken.output
        assert "CÓ CHUỖI BỊ PHÁ VỠ" in broken.output
        # The same report for an English reader: the chain, the row and why, in English.
        english = runner.invoke(cli, ["--lang", "en", "verify", "--ward", DEMO_WARD])
        assert english.exit_code == 1
        assert (f"published rankings: BROKEN at row #{snap.id} — the ranking table does not "
                "match its content checksum (changed after it was published)") in english.output
        assert "Result: A CHAIN IS BROKEN" in english.output
        assert re.search(r"audit log: [\d,]+ rows, intact", english.output)
        assert "BỊ PHÁ VỠ" not in english.output and "dòng" not in english.output
        staff.set_cookie("lang", "en")
        page = _page(staff, month)
        staff.delete_cookie("lang")
        assert "does not match its content checksum (changed after it was published)" in page
    finally:  # the shared demo gets its real ranking back
        _as_attacker(writable_app, update, rows=json.dumps(snap.rows), id=snap.id)
    assert ranking.content_hash(month, snap.rubric_version,
                                _official(writable_app, month).rows) == snap.content_hash
    assert runner.invoke(cli, ["verify"]).exit_code == 0
