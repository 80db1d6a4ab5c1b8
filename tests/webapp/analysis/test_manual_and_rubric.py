"""Manual scores (staff) and the rubric (admin), on both backends: validation, versions."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from models import records, rubrics
from models.tables import AuditLog
from webapp.extensions import db


def _ward_id(app) -> int:
    with app.app_context():
        return records.user_by_username(db.conn, "admin").ward_id


def _manual(app, month: str) -> dict:
    with app.app_context():
        return {(r.neighbourhood_id, r.criterion): r.points
                for r in rubrics.manual_scores(db.conn, _ward_id(app), month)}


def _cells(client, month: str) -> dict[str, str]:
    page = client.get(f"/ranking/manual?month={month}").get_data(as_text=True)
    return dict(re.findall(r'name="(s-\d+-\w+)" value="([^"]*)"', page))


def _form(client, month: str, **cells) -> dict:
    return {**_cells(client, month), **cells, "month": month, "csrf_token": client.csrf}


def test_manual_table_is_khu_pho_by_manual_criterion(writer):
    page = writer("urban_staff").get("/ranking/manual?month=2025-08").get_data(as_text=True)
    assert "Điểm chấm thủ công — tháng 08/2025" in page
    assert "Tham gia đợt ra quân cao điểm" in page and "Gửi báo cáo tháng trước ngày 25" in page
    assert len(re.findall(r'name="s-\d+-campaign_turnout"', page)) == 26
    assert len(re.findall(r'name="s-\d+-report_on_time"', page)) == 26
    assert 'max="5"' in page and 'min="0"' in page


@pytest.mark.parametrize("bad, message", [
    ("abc", "Phải là một số."),
    ("7", "Phải từ 0 đến 5."),
    ("-1", "Phải từ 0 đến 5."),
])
def test_a_bad_cell_saves_nothing(writer, writable_app, bad, message):
    month = "2025-08"
    staff = writer("urban_staff")
    before = _manual(writable_app, month)
    cells = _cells(staff, month)
    first, second = sorted(cells)[:2]
    response = staff.post("/ranking/manual", data=_form(staff, month, **{first: "3",
                                                                          second: bad}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Không ô nào được lưu" in page
    assert f'id="{second}-error"' in page and 'aria-invalid="true"' in page
    assert _manual(writable_app, month) == before


def test_a_bad_cell_is_refused_in_english_for_an_english_user(writer, writable_app):
    month = "2025-08"
    staff = writer("urban_staff")
    staff.set_cookie("lang", "en")
    first = sorted(_cells(staff, month))[0]
    response = staff.post("/ranking/manual", data=_form(staff, month, **{first: "7"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Must be from 0 to 5." in page
    assert "Not saved: 1 invalid cells (marked red). No cell was saved." in page
    assert "Phải từ 0 đến" not in page and "Không ô nào được lưu" not in page


def test_scores_are_saved_and_counted(writer, writable_app):
    month = "2025-10"
    staff = writer("urban_staff")
    cells = _cells(staff, month)
    kp_id = int(sorted(cells)[0].split("-")[1])
    data = _form(staff, month, **{f"s-{kp_id}-campaign_turnout": "2,5",
                                  f"s-{kp_id}-report_on_time": "5"})
    response = staff.post("/ranking/manual", data=data)
    assert response.status_code == 302
    assert "Đã lưu điểm thủ công tháng 10/2025" in staff.get(response.location).get_data(
        as_text=True)
    assert _manual(writable_app, month) == {(kp_id, "campaign_turnout"): 2.5,
                                            (kp_id, "report_on_time"): 5}
    rows = staff.get(f"/api/v1/ranking?month={month}").get_json()["features"]
    code = next(f["properties"]["code"] for f in rows if f["id"] == kp_id)
    detail = staff.get(f"/ranking/{code}?month={month}").get_data(as_text=True)
    assert "<strong>2,50</strong> / 5" in detail and "Cán bộ chấm" in detail
    assert _cells(staff, month)[f"s-{kp_id}-campaign_turnout"] == "2.5"
    # Emptying a cell removes the score.
    data = _form(staff, month, **{f"s-{kp_id}-campaign_turnout": ""})
    assert staff.post("/ranking/manual", data=data).status_code == 302
    assert _manual(writable_app, month) == {(kp_id, "report_on_time"): 5}
    with writable_app.app_context():
        details = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "enter_manual_scores")).scalars().all()
    assert any(d.get("month") == month for d in details)


def test_a_published_month_is_locked(writer, writable_app):
    month = "2025-09"
    staff = writer("urban_staff")
    assert staff.post("/ranking/publish", data={"month": month, "csrf_token": staff.csrf}
                      ).status_code == 302
    page = staff.get(f"/ranking/manual?month={month}").get_data(as_text=True)
    assert "đã được công bố nên không sửa điểm" in page and " disabled" in page
    cells = _cells(staff, month)
    response = staff.post("/ranking/manual", data=_form(staff, month,
                                                        **{sorted(cells)[0]: "4"}))
    assert response.status_code == 409
    assert "đã được công bố nên không sửa điểm" in response.get_data(as_text=True)
    assert _manual(writable_app, month) == {}


@pytest.mark.parametrize("role", ["leader", "police"])
def test_only_staff_and_admin_enter_scores(writer, writable_app, role):
    client = writer(role)
    response = client.post("/ranking/manual", data={"month": "2025-11", "csrf_token":
                                                    client.csrf, "s-1-campaign_turnout": "3"})
    assert response.status_code == 403
    assert _manual(writable_app, "2025-11") == {}


# --- rubric (a private database: a new rubric applies to every later computation) ------------

def _rubric_form(client) -> dict:
    page = client.get("/admin/rubric").get_data(as_text=True)
    found = re.findall(r'name="([ct]-\d+-\w+|name|base_version)" value="([^"]*)"', page)
    return {**{k: html.unescape(v) for k, v in found}, "csrf_token": client.csrf}


def _versions(app) -> list[str]:
    with app.app_context():
        return [v.version for v in rubrics.rubric_versions(db.conn, _ward_id(app))]


@pytest.mark.parametrize("field, value, message", [
    ("c-0-points", "abc", "Điểm tối đa của tiêu chí 1: phải là một số."),
    ("c-2-points", "150", "phải từ 0 đến 100"),
    ("c-3-label", "  ", "Tiêu chí 4: không được để trống."),
    ("t-3-min", "10", "Các mức xếp loại phải có một mức bắt đầu từ 0 điểm."),
    ("t-1-min", "90", "Các mức xếp loại phải có điểm tối thiểu khác nhau."),
])
def test_rubric_validation_saves_nothing(private, private_app, field, value, message):
    admin = private("admin")
    before = _versions(private_app)
    form = _rubric_form(admin)
    assert field in form
    response = admin.post("/admin/rubric", data={**form, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _versions(private_app) == before


def test_rubric_edit_makes_a_new_version(private, private_app):
    admin = private("admin")
    form = _rubric_form(admin)
    old_version = form["base_version"]
    form.update({"c-0-points": "25", "c-0-label": "Tiến độ tuyến kiểu mẫu (sửa)",
                 "t-0-label": "Xuất sắc", "t-1-min": "70"})
    response = admin.post("/admin/rubric", data=form)
    assert response.status_code == 302
    page = admin.get("/admin/rubric").get_data(as_text=True)
    newest = _versions(private_app)[0]
    assert re.fullmatch(r"phuong-\d{8}-\d{4}(-\d+)?", newest)
    assert f"Đã lưu bộ tiêu chí phiên bản {newest}" in page
    assert 'value="Tiến độ tuyến kiểu mẫu (sửa)"' in page and 'value="25"' in page
    assert newest in page and "đang áp dụng" in page
    with private_app.app_context():
        body = rubrics.current_rubric(db.conn, _ward_id(private_app))
        audit = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "edit_rubric")).scalars().all()
    assert body["criteria"][0]["points"] == 25 and body["version"] == newest
    assert {t["code"]: t["min"] for t in body["tiers"]}["good"] == 70
    assert any(d.get("version") == newest and d.get("previous") == old_version for d in audit)
    # A form made from the old version is refused rather than silently overwriting.
    stale = admin.post("/admin/rubric", data={**form, "base_version": old_version})
    assert stale.status_code == 400 and "vừa được lưu thành phiên bản" in stale.get_data(
        as_text=True)
    # Saved twice in the same minute: the version still is new.
    again = admin.post("/admin/rubric", data=_rubric_form(admin))
    assert again.status_code == 302
    assert len(set(_versions(private_app))) == len(_versions(private_app))


@pytest.mark.parametrize("role", ["urban_staff", "police", "leader"])
def test_only_admin_edits_the_rubric(private, private_app, role):
    client = private(role)
    before = _versions(private_app)
    assert client.get("/admin/rubric").status_code == 403
    response = client.post("/admin/rubric", data={"csrf_token": client.csrf,
                                                  "c-0-points": "1"})
    assert response.status_code == 403
    assert _versions(private_app) == before
