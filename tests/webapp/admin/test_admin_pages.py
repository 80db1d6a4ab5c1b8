"""Ward administration: accounts (create, edit, disable, self-protection) and the audit log."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from sqlalchemy import insert, select

from models.tables import BoardingHouse, Incident, User, Ward
from tests.conftest import database_copy, shared_app
from tests.databases import signed_in_client
from tests.helpers import DEMO_PASSWORDS, csrf_token, sign_in
from webapp.extensions import db

ROLES = ("admin", "police", "urban_staff", "leader")
SQUARE = "SRID=4326;MULTIPOLYGON(((107.1 10.9,107.11 10.9,107.11 10.91,107.1 10.91,107.1 10.9)))"


_OTHER_WARD: dict[str, dict] = {}  # per backend: the second ward's user, house, incident


def _fill(backend: str):
    def fill(engine):
        from webapp.demo import load_demo
        from webapp.users import create_user

        load_demo(engine, passwords=DEMO_PASSWORDS, boarding_houses=200, incidents=400)
        with engine.begin() as conn:
            other = conn.execute(insert(Ward).returning(Ward.id), [{
                "code": "khac", "name": "Phường Khác", "metric_epsg": 5899,
                "boundary": SQUARE}]).scalar_one()
            other_user, _ = create_user(conn, other, "quantri2", "admin", "other-admin-2026")
            point = "SRID=4326;POINT(107.105 10.905)"
            house = conn.execute(insert(BoardingHouse).returning(BoardingHouse.id), [{
                "ward_id": other, "name": "Nhà trọ phường khác", "house_type": "rooming_house",
                "owner_name": "Chủ Phường Khác", "geom": point}]).scalar_one()
            incident = conn.execute(insert(Incident).returning(Incident.id), [{
                "ward_id": other, "category": "drugs", "observed_at": datetime(2026, 1, 1, 8),
                "geom": point}]).scalar_one()
        _OTHER_WARD[backend] = {"user": other_user, "house": house, "incident": incident}

    return fill


@pytest.fixture
def admin_app(backend, templates):
    """This test's copy of the small demo plus a second ward with its own admin, house and
    incident."""
    template = templates.get("admin", backend, _fill(backend))
    for _copy in database_copy(template):
        for app in shared_app(template):
            app.other_ward = _OTHER_WARD[backend]
            yield app


def _signed_in(app, username, password=None):
    if password is None:  # a demo account: signed in once, when the template was made
        return signed_in_client(app, username)
    client = app.test_client()
    sign_in(client, username, password)
    return client


def _user(app, username):
    with app.app_context():
        return db.conn.execute(select(User).where(User.username == username)).one()


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def test_anonymous_is_sent_to_sign_in(anonymous):
    for path in ("/admin/users", "/admin/users/1", "/admin/audit"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_get_in(client_as, demo_app, role):
    client = client_as(role)
    with demo_app.app_context():
        some_id = db.conn.execute(select(User.id).where(User.username == "dothi")).scalar_one()
    for path in ("/admin/users", f"/admin/users/{some_id}", "/admin/audit"):
        assert client.get(path).status_code == (200 if role == "admin" else 403), (path, role)
    if role != "admin":  # (the demo database is shared: admins do not write here)
        assert _post(client, "/admin/users", username="x-" + role, role="leader") \
            .status_code == 403


def _throwaway(app, role: str, password: str = "throwaway-2026") -> tuple[str, int]:
    """A new account in the shared writable demo, so other tests' accounts stay untouched."""
    from webapp.users import create_user

    username = f"t-{role}-{uuid.uuid4().hex[:8]}"
    with app.app_context(), db.transaction() as conn:
        ward_id = conn.execute(select(User.ward_id).where(User.username == "admin")).scalar_one()
        user_id, _ = create_user(conn, ward_id, username, role, password, "Người Thử")
    return username, user_id


def test_create_shows_the_generated_password_once(writable_app):
    admin = _signed_in(writable_app, "admin")
    html = admin.get("/admin/users").get_data(as_text=True)
    assert '<option selected value="urban_staff">' in html  # not admin by default
    name = f"Tran.Van.{uuid.uuid4().hex[:6]}"
    response = _post(admin, "/admin/users", username=name, full_name="Trần Văn A",
                     role="police", password="")
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    password = re.search(r"Mật khẩu: <strong class=\"secret\">(\S+)</strong>", page).group(1)
    assert password not in str(admin.get_cookie("session").value)
    assert name.lower() in page and "Trần Văn A" in page
    assert "Mật khẩu:" not in admin.get("/admin/users").get_data(as_text=True)
    newcomer = _signed_in(writable_app, name.lower(), password)
    assert newcomer.get("/boarding-houses/follow-ups").status_code == 200  # police
    again = _post(admin, "/admin/users", username=name.lower(), role="leader")
    assert again.status_code == 400 and "đã có người dùng" in again.get_data(as_text=True)
    weak = _post(admin, "/admin/users", username=name.lower() + "x", role="leader",
                 password="123")
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.get_data(as_text=True)


def test_edit_disable_and_password_end_sessions(writable_app):
    admin = _signed_in(writable_app, "admin")
    username, user_id = _throwaway(writable_app, "urban_staff")
    staff = _signed_in(writable_app, username, "throwaway-2026")
    assert staff.get("/incidents/").status_code == 200
    path = f"/admin/users/{user_id}"
    assert 'value="Người Thử"' in admin.get(path).get_data(as_text=True)
    response = _post(admin, path, full_name="Nguyễn Thị Đô Thị", role="urban_staff", active="y")
    assert response.status_code == 302
    assert "họ tên" in admin.get("/admin/users").get_data(as_text=True)
    assert staff.get("/incidents/").status_code == 200  # a name change keeps the session
    assert _post(admin, path, full_name="Nguyễn Thị Đô Thị", role="urban_staff") \
        .status_code == 302  # unchecked box: disabled
    assert _user(writable_app, username).active is False
    gone = staff.get("/incidents/")
    assert gone.status_code == 302 and "/auth/login" in gone.location
    refused = staff.post("/auth/login", data={"username": username, "password": "throwaway-2026",
                                              "csrf_token": csrf_token(staff)})
    assert refused.status_code == 401
    assert "Đã khóa" in admin.get("/admin/users").get_data(as_text=True)
    _post(admin, path, full_name="", role="leader", active="y", password="mat-khau-moi-2026")
    row = _user(writable_app, username)
    assert (row.active, row.role, row.full_name) == (True, "leader", None)
    again = _signed_in(writable_app, username, "mat-khau-moi-2026")
    assert again.get("/incidents/").status_code == 200
    _post(admin, path, role="police", active="y")  # a new role ends the sessions too
    assert again.get("/incidents/").status_code == 302
    weak = _post(admin, path, role="leader", active="y", password="ngan")
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.get_data(as_text=True)
    admin.set_cookie("lang", "en")
    weak = _post(admin, path, role="leader", active="y", password="ngan")
    assert "The password must have at least 10 characters." in weak.get_data(as_text=True)


def test_an_admin_cannot_lock_themselves_out(writable_app):
    username, user_id = _throwaway(writable_app, "admin")
    admin = _signed_in(writable_app, username, "throwaway-2026")
    path = f"/admin/users/{user_id}"
    for data in ({"role": "admin"}, {"role": "leader", "active": "y"}):
        response = _post(admin, path, **data)
        assert response.status_code == 400
        assert "không thể tự khóa hoặc tự hạ quyền" in response.get_data(as_text=True)
    row = _user(writable_app, username)
    assert (row.active, row.role) == (True, "admin")
    # Their own password they may change, and they stay signed in.
    assert _post(admin, path, role="admin", active="y", password="admin-moi-2026-x") \
        .status_code == 302
    assert admin.get("/admin/users").status_code == 200
    _signed_in(writable_app, username, "admin-moi-2026-x")


def test_other_wards_are_invisible(admin_app):
    admin = _signed_in(admin_app, "admin")
    other = admin_app.other_ward
    assert admin.get(f"/admin/users/{other['user']}").status_code == 404
    assert _post(admin, f"/admin/users/{other['user']}", role="leader").status_code == 404
    assert _user(admin_app, "quantri2").role == "admin"
    assert "quantri2" not in admin.get("/admin/users").get_data(as_text=True)
    assert admin.get(f"/boarding-houses/{other['house']}").status_code == 404
    assert admin.get(f"/incidents/{other['incident']}").status_code == 404
    assert "Chủ Phường Khác" not in admin.get("/boarding-houses/export.csv") \
        .data.decode("utf-8-sig")
    # ... and the other ward's admin sees nothing of ours.
    theirs = _signed_in(admin_app, "quantri2", "other-admin-2026")
    assert "dothi" not in theirs.get("/admin/users").get_data(as_text=True)
    assert "Vụ việc vi phạm" in theirs.get("/incidents/").get_data(as_text=True)
    assert "Không có vụ việc nào" not in theirs.get("/incidents/").get_data(as_text=True)


def test_audit_page_lists_the_views_of_personal_data(client_as, demo_app):
    with demo_app.app_context():
        house_id = db.conn.execute(select(BoardingHouse.id).order_by(BoardingHouse.id.desc())
                                   ).scalars().first()
    client_as("police").get(f"/boarding-houses/{house_id}")
    admin = client_as("admin")
    html = admin.get("/admin/audit?action=view_personal_data").get_data(as_text=True)
    first_row = html.split('<tr class="action-view_personal_data">', 1)[1].split("</tr>")[0]
    assert "Xem thông tin cá nhân" in first_row and "congan" in first_row
    assert f'href="/boarding-houses/{house_id}">#{house_id}</a>' in first_row
    assert "họ tên chủ, điện thoại, CCCD/CMND" in first_row and "hồ sơ cơ sở" in first_row
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", first_row)
    assert '<tr class="action-login">' not in html  # the filter holds
    everything = admin.get("/admin/audit").get_data(as_text=True)
    assert '<tr class="action-login">' in everything and "Đăng nhập" in everything
