"""Field pages on both backends: who may open which form, what each shows, the edit page's
audit trail, and the public service worker."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from sqlalchemy import func, select

from models.tables import AuditLog, BoardingHouse
from tests.helpers import ROLE_USERS, sign_in
from webapp.auth.permissions import RECORDABLE_CATEGORIES
from webapp.extensions import db

HOME, INCIDENT, HOUSE = "/field/", "/field/incidents/new", "/field/boarding-houses/new"
INSPECT = "/field/inspect"


def a_house(app, with_owner: bool = True):
    """A demo boarding house (with owner data when asked): (id, client uuid, owner name)."""
    with app.app_context():
        stmt = select(BoardingHouse.id, BoardingHouse.client_uuid, BoardingHouse.owner_name,
                      BoardingHouse.name).order_by(BoardingHouse.id).limit(1)
        if with_owner:
            stmt = stmt.where(BoardingHouse.owner_name.is_not(None))
        return db.conn.execute(stmt).one()


def house_pages(app) -> list[str]:
    house = a_house(app)
    return [f"/field/boarding-houses/{house.client_uuid}/edit",
            f"{INSPECT}?house={house.client_uuid}&id={house.id}"]


def page_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="field-config">(.*?)</script>', html,
                      re.S)
    assert match, "no page config"
    return json.loads(match.group(1))


def audit_views(app, house_id: int) -> list:
    with app.app_context():
        return db.conn.execute(select(AuditLog.user_id, AuditLog.detail).where(
            AuditLog.action == "view_personal_data", AuditLog.entity == "boarding_house",
            AuditLog.entity_id == house_id).order_by(AuditLog.id)).all()


@pytest.mark.parametrize("role", ["police", "admin"])
def test_police_and_admin_open_every_field_page(client_as, demo_app, role):
    client = client_as(role)
    expected = {HOME: "Ghi nhận vụ vi phạm", INCIDENT: "Loại vi phạm",
                HOUSE: "Ghi nhận cơ sở cho thuê trọ"}
    edit, inspect = house_pages(demo_app)
    expected.update({edit: "Sửa cơ sở cho thuê trọ", inspect: "Kiểm tra cơ sở cho thuê trọ"})
    for path, text in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert text in html, path
        assert 'name="csrf-token"' in html
    home = client.get(HOME).get_data(as_text=True)
    assert "Ghi nhận cơ sở cho thuê trọ" in home and "Gửi ngay" in home


def test_urban_staff_records_incidents_but_not_boarding_houses(client_as, demo_app):
    client = client_as("urban_staff")
    assert client.get(HOME).status_code == 200
    assert client.get(INCIDENT).status_code == 200
    home = client.get(HOME).get_data(as_text=True)
    assert 'id="go-house"' not in home and 'id="nearby"' not in home
    for path in (HOUSE, *house_pages(demo_app)):
        assert client.get(path).status_code == 403, path


def test_leader_opens_no_field_page(client_as, demo_app):
    client = client_as("leader")
    for path in (HOME, INCIDENT, HOUSE, *house_pages(demo_app)):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Không có quyền" in response.get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(anonymous, demo_app):
    for path in (HOME, INCIDENT, HOUSE, *house_pages(demo_app)):
        response = anonymous.get(path)
        assert response.status_code == 302, path
        assert "/auth/login" in response.headers["Location"], path


@pytest.mark.parametrize("role", ["police", "urban_staff", "admin"])
def test_category_tiles_are_the_roles_own(client_as, role):
    html = client_as(role).get(INCIDENT).get_data(as_text=True)
    offered = re.findall(r'name="category" value="([a-z_]+)"', html)
    assert offered == list(RECORDABLE_CATEGORIES[role])
    assert set(page_config(html)["categories"]) == set(RECORDABLE_CATEGORIES[role])
    assert 'capture="environment"' in html and 'accept="image/*"' in html


def test_unknown_house_is_404(client_as):
    client = client_as("police")
    missing = uuid.uuid4()
    assert client.get(f"/field/boarding-houses/{missing}/edit").status_code == 404
    assert client.get(f"/field/boarding-houses/{missing}/inspect").status_code == 404
    # The offline inspection page is one page for every house: it finds the house itself.
    assert client.get(f"{INSPECT}?house={missing}").status_code == 200
    assert client.get("/field/boarding-houses/not-a-uuid/edit").status_code == 404


def test_old_inspection_links_lead_to_the_offline_page(client_as, demo_app):
    house = a_house(demo_app)
    response = client_as("police").get(f"/field/boarding-houses/{house.client_uuid}/inspect")
    assert response.status_code == 302
    assert response.headers["Location"] == \
        f"{INSPECT}?house={house.client_uuid}&id={house.id}"


def test_field_pages_have_the_compact_field_header_not_the_desk_menu(client_as):
    for role in ("police", "urban_staff"):
        html = client_as(role).get(HOME).get_data(as_text=True)
        assert 'class="topbar field-topbar"' in html
        assert 'class="topnav"' not in html
        assert "Đổi người dùng" in html and 'id="session-ended"' in html
        assert "/auth/logout?next=/field/" in html


def test_edit_page_shows_owner_data_and_audits_every_view(writable_app):
    client = writable_app.test_client()
    sign_in(client, ROLE_USERS["police"])
    house = a_house(writable_app)
    path = f"/field/boarding-houses/{house.client_uuid}/edit"
    before = len(audit_views(writable_app, house.id))
    html = client.get(path).get_data(as_text=True)
    config = page_config(html)
    assert config["values"]["owner_name"] == house.owner_name
    assert {"owner_phone", "owner_id_number", "name", "rooms"} <= set(config["values"])
    assert config["location"]["lon"] and config["location"]["lat"]
    assert config["submitUrl"] == f"/api/v1/field/boarding-houses/{house.client_uuid}"
    assert "thông tin cá nhân của chủ cơ sở" in html
    views = audit_views(writable_app, house.id)
    assert len(views) == before + 1
    detail = views[-1].detail
    assert detail["page"] == "field_edit"
    assert detail["fields"] == ["owner_name", "owner_phone", "owner_id_number"]
    client.get(path)
    assert len(audit_views(writable_app, house.id)) == before + 2


def test_inspection_page_carries_no_house_data_and_is_not_audited(writable_app):
    """The page is the same for every house (cached for offline use): the house comes from the
    phone's working set or the public layer API, never from the page itself."""
    client = writable_app.test_client()
    sign_in(client, ROLE_USERS["police"])
    house = a_house(writable_app)
    with writable_app.app_context():
        audits = db.conn.execute(select(func.count()).select_from(AuditLog)).scalar()
    html = client.get(f"{INSPECT}?house={house.client_uuid}&id={house.id}").get_data(
        as_text=True)
    assert house.name not in html and house.owner_name not in html
    config = page_config(html)
    assert config["page"] == "inspection" and "values" not in config
    assert config["api"]["workingSet"] == "/api/v1/field/working-set"
    assert 'id="house-card"' in html and 'id="record-form"' in html
    with writable_app.app_context():
        assert db.conn.execute(select(func.count()).select_from(AuditLog)).scalar() == audits


def test_house_form_puts_required_fields_first_and_folds_the_rest(client_as):
    html = client_as("police").get(HOUSE).get_data(as_text=True)
    folded = html.index('id="more-fields"')
    for name in ("name", "address", "rooms", "residents", "owner_name", "owner_phone"):
        assert html.index(f'name="{name}"') < folded, name
    for name in ("owner_id_number", "classification", "extinguishers", "model_status"):
        assert html.index(f'name="{name}"') > folded, name
    assert re.search(r'name="house_type" value="rooming_house"[^>]*checked', html)
    assert 'id="duplicate-dialog"' in html


def test_violation_form_can_link_a_boarding_house(client_as):
    html = client_as("police").get(INCIDENT).get_data(as_text=True)
    assert 'data-show-when="category=residence|fire_safety"' in html
    assert 'name="boarding_house_uuid"' in html


def test_pages_follow_the_content_security_policy(client_as, demo_app):
    client = client_as("admin")
    for path in (HOME, INCIDENT, HOUSE, *house_pages(demo_app)):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "nonce=" in tag or "application/json" in tag, (path, tag)
        assert re.search(r'<script type="module" nonce="[^"]+" src="/static/js/field/', html)


def test_service_worker_is_public_with_its_headers(anonymous):
    response = anonymous.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "javascript" in response.headers["Content-Type"]
    script = response.get_data(as_text=True)
    for page in (HOME, INCIDENT, HOUSE, INSPECT):
        assert f'"{page}"' in script


def test_service_worker_precaches_assets_that_exist(anonymous):
    script = anonymous.get("/sw.js").get_data(as_text=True)
    assets = re.findall(r'"(/(?:static|vendor)/[^"]+\.[a-z]+)"', script)
    assert "/vendor/leaflet/leaflet.js" in assets
    for asset in assets:
        assert anonymous.get(asset).status_code == 200, asset
    from pathlib import Path

    # Every field module and every module it imports (../html.js, ../dates.js…), followed
    # through the imports: one missing file and the page's module graph fails offline.
    static = Path(__file__).resolve().parents[3] / "static"
    todo, seen = list((static / "js" / "field").glob("*.js")), set()
    while todo:
        module = todo.pop().resolve()
        if module in seen:
            continue
        seen.add(module)
        url = "/static/" + module.relative_to(static).as_posix()
        assert url in assets, f"{url} is not precached"
        for target in re.findall(r'^\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"',
                                 module.read_text(encoding="utf-8"), flags=re.M):
            todo.append(module.parent / target)
    assert len(seen) > len(list((static / "js" / "field").glob("*.js")))  # the shared ones
