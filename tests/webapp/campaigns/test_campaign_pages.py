"""Peak campaigns (đợt ra quân), on both backends: creating one over khu phố or a drawn area,
its pages and results counted from the incidents in its area and period, tagging incidents to
it from the field API and from the desk, validation, roles, and its line in the monthly report."""

from __future__ import annotations

import json
import re
import uuid
from calendar import monthrange
from datetime import timedelta

import pytest
import shapely
from sqlalchemy import func, select

from models import model_streets as store
from models import queries
from models.tables import AuditLog, Campaign, Incident
from tests.conftest import signed_in_as, writable_demo_app
from tests.helpers import csrf_token, scrape_form
from webapp.clock import local_now
from webapp.extensions import db

INCIDENTS = "/api/v1/field/incidents"


# --- fixtures and helpers ---------------------------------------------------------------------

@pytest.fixture
def app(_writable_copy):
    for app in writable_demo_app(_writable_copy):
        with app.app_context():
            kp = queries.read_layer(db.conn, queries.LAYERS["neighbourhoods"], app.ward.id,
                                    columns=["id", "code", "name"]).sort_values("code")
            app.kp = kp.reset_index(drop=True)
        yield app


@pytest.fixture
def as_role(app):
    return lambda role: signed_in_as(app, role)


def _kp(app, i: int) -> tuple[int, str, shapely.Geometry]:
    row = app.kp.iloc[i]
    return int(row["id"]), row["name"], row.geometry


def _inside(area) -> dict:
    point = area.representative_point()
    return {"lon": round(point.x, 7), "lat": round(point.y, 7), "accuracy_m": 8.0,
            "manual": False}


def _month(app):
    """(first day, last day, "yyyy-mm") of this month in the ward, and now (minutes)."""
    with app.app_context():
        now = local_now().replace(second=0, microsecond=0)
    first = now.date().replace(day=1)
    last = first.replace(day=monthrange(first.year, first.month)[1])
    return first, last, f"{first:%Y-%m}", now


def _name(what: str) -> str:
    return f"{what} {uuid.uuid4().hex[:6]}"


def _create(client, **fields):
    data = {"csrf_token": client.csrf, "units": "Công an phường, Đoàn Thanh niên phường",
            "note": "", "area_kind": "ward", **fields}
    for key in ("starts_on", "ends_on"):
        if hasattr(data.get(key), "isoformat"):
            data[key] = data[key].isoformat()
    if isinstance(data.get("geometry"), shapely.Geometry):
        data["geometry"] = json.dumps(shapely.geometry.mapping(data["geometry"]))
    return client.post("/campaigns/new", data=data)


def _created_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    return int(re.search(r"/campaigns/(\d+)$", response.location).group(1))


def _incident(client, app, location: dict, **fields):
    """An incident recorded from the field now (a minute ago), at ``location``."""
    first, _, _, now = _month(app)
    observed = max(now - timedelta(minutes=1), now.replace(day=1, hour=0, minute=0))
    payload = {"uuid": str(uuid.uuid4()), "category": "encroachment_sidewalk",
               "observed_at": observed.strftime("%Y-%m-%dT%H:%M"),
               "description": "Bày hàng lấn vỉa hè", "location": location, **fields}
    return client.post(INCIDENTS, data={"payload": json.dumps(payload, ensure_ascii=False)},
                       headers=client.csrf_headers, content_type="multipart/form-data")


def _tag(app, incident_id: int):
    with app.app_context():
        return db.conn.execute(select(Incident.campaign_id).where(
            Incident.id == incident_id)).scalar_one()


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _totals(app, campaign_id: int) -> dict:
    with app.app_context():
        rows = store.campaign_results(db.conn, app.ward.id, campaign_id)
    return {k: sum(getattr(r, k) for r in rows) for k in ("incidents", "tagged", "resolved")}


def _refused_field(response) -> set[str]:
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    return {e["field"] for e in error.get("errors", [])} | {error.get("field")}


def _scrape(client, path: str, form_id: str) -> dict:
    return scrape_form(client, path, form_id, lists=True)


# --- tests --------------------------------------------------------------------------------------

def test_campaign_over_two_khu_pho_counts_its_incidents(as_role, app):
    staff, police = as_role("urban_staff"), as_role("police")
    first, last, month, _ = _month(app)
    (a_id, a_name, a_area), (b_id, b_name, b_area) = _kp(app, 0), _kp(app, 1)
    _, _, c_area = _kp(app, 2)
    name = _name("Đợt ra quân lấn chiếm vỉa hè")
    assert staff.get("/campaigns/new").status_code == 200
    campaign = _created_id(_create(staff, name=name, starts_on=first, ends_on=last,
                                   area_kind="neighbourhoods",
                                   neighbourhood_ids=[str(a_id), str(b_id)]))
    with app.app_context():
        row = store.campaign(db.conn, app.ward.id, campaign)
    assert (row.name, row.starts_on, row.ends_on) == (name, first, last)
    assert sorted(row.neighbourhood_ids) == sorted([a_id, b_id])
    area = shapely.geometry.shape(json.loads(row.geojson))
    assert area.geom_type == "MultiPolygon"
    assert abs(area.area - a_area.union(b_area).area) < 1e-9
    assert _count(app, AuditLog, AuditLog.action == "campaign_saved",
                  AuditLog.entity_id == campaign) == 1

    detail = staff.get(f"/campaigns/{campaign}").get_data(as_text=True)
    assert name in detail and f"{a_name}, {b_name}" in detail and "đang diễn ra" in detail
    listing = staff.get("/campaigns").get_data(as_text=True)
    row_html = listing.split(f"/campaigns/{campaign}\"")[1].split("</tr>")[0]
    assert "2 khu phố" in row_html and "đang diễn ra" in row_html
    assert f"{first:%d/%m/%Y} – {last:%d/%m/%Y}" in row_html

    before = _totals(app, campaign)
    tagged = _incident(police, app, _inside(a_area), campaign_id=campaign)
    assert tagged.status_code == 201, tagged.get_json()
    assert _tag(app, tagged.get_json()["id"]) == campaign
    auto = _incident(police, app, _inside(b_area))  # no choice: the campaign running there
    assert auto.status_code == 201
    with app.app_context():
        point = _inside(b_area)
        running = [c.id for c in store.running_campaigns(db.conn, app.ward.id, first,
                                                          point["lon"], point["lat"])]
    assert campaign in running and _tag(app, auto.get_json()["id"]) == min(running)
    untagged = _incident(police, app, _inside(a_area), campaign_id="none")
    assert untagged.status_code == 201 and _tag(app, untagged.get_json()["id"]) is None
    outside = _incident(police, app, _inside(c_area))
    assert outside.status_code == 201
    after = _totals(app, campaign)
    assert after["incidents"] == before["incidents"] + 3  # the one outside is not counted
    assert after["tagged"] == before["tagged"] + 1 + (min(running) == campaign)

    # a campaign not covering the point, not running today, or no campaign at all: refused
    stored = _count(app, Incident)
    assert _refused_field(_incident(police, app, _inside(c_area), campaign_id=campaign)) \
        >= {"campaign_id"}
    past = _created_id(_create(staff, name=_name("Đợt ra quân năm trước"),
                               starts_on=first.replace(year=first.year - 1),
                               ends_on=first.replace(year=first.year - 1) + timedelta(days=10),
                               area_kind="neighbourhoods", neighbourhood_ids=[str(a_id)]))
    assert "campaign_id" in _refused_field(_incident(police, app, _inside(a_area),
                                                     campaign_id=past))
    for bad in ("abc", 999999, str(past)):
        assert "campaign_id" in _refused_field(_incident(police, app, _inside(a_area),
                                                         campaign_id=bad))
    assert _count(app, Incident) == stored

    totals = _totals(app, campaign)
    detail = staff.get(f"/campaigns/{campaign}").get_data(as_text=True)
    assert f'<span class="kpi-figure">{totals["incidents"]}</span> vụ ghi nhận' in detail
    assert f'<span class="kpi-figure">{totals["tagged"]}</span> ghi gắn với đợt' in detail
    assert "Lấn chiếm vỉa hè" in detail

    # the month's report names the campaign with its counts in the campaigns row
    report = staff.get(f"/reports/monthly?month={month}").get_data(as_text=True)
    row_html = report.split('data-code="campaigns_per_year"')[1].split("</tr>")[0]
    assert (f"{name}: ghi nhận {totals['incidents']} vụ, xử lý xong {totals['resolved']} vụ"
            in row_html)


def test_a_drawn_area_campaign(as_role, app):
    staff, police = as_role("urban_staff"), as_role("police")
    first, last, _, _ = _month(app)
    _, _, area = _kp(app, 3)
    blob = area.representative_point().buffer(0.0006, quad_segs=4).intersection(area)
    elsewhere = area.difference(blob.buffer(0.0003))
    assert not elsewhere.is_empty
    name = _name("Ra quân khu chợ")
    campaign = _created_id(_create(staff, name=name, starts_on=first, ends_on=last,
                                   area_kind="drawn", geometry=blob))
    with app.app_context():
        row = store.campaign(db.conn, app.ward.id, campaign)
    assert row.neighbourhood_ids == []
    stored = shapely.geometry.shape(json.loads(row.geojson))
    assert stored.geom_type == "MultiPolygon" and abs(stored.area - blob.area) < 1e-9
    detail = staff.get(f"/campaigns/{campaign}").get_data(as_text=True)
    assert name in detail and "vùng vẽ trên bản đồ" in detail
    assert "Vùng vẽ trên bản đồ" in staff.get("/campaigns").get_data(as_text=True)

    before = _totals(app, campaign)
    inside = _incident(police, app, _inside(blob), campaign_id=campaign)
    assert inside.status_code == 201 and _tag(app, inside.get_json()["id"]) == campaign
    assert "campaign_id" in _refused_field(_incident(police, app, _inside(elsewhere),
                                                     campaign_id=campaign))
    assert _incident(police, app, _inside(elsewhere)).status_code == 201
    after = _totals(app, campaign)
    assert (after["incidents"], after["tagged"]) == (before["incidents"] + 1,
                                                     before["tagged"] + 1)


def test_desk_tagging(as_role, app):
    staff, police, leader = as_role("urban_staff"), as_role("police"), as_role("leader")
    first, last, _, _ = _month(app)
    (e_id, _, e_area), (_, _, f_area) = _kp(app, 4), _kp(app, 5)
    name = _name("Đợt ra quân quảng cáo rao vặt")
    campaign = _created_id(_create(staff, name=name, starts_on=first, ends_on=last,
                                   area_kind="neighbourhoods", neighbourhood_ids=[str(e_id)]))
    inside = _incident(police, app, _inside(e_area), campaign_id="none").get_json()["id"]
    outside = _incident(police, app, _inside(f_area), campaign_id="none").get_json()["id"]
    page = staff.get(f"/incidents/{inside}").get_data(as_text=True)
    form = page.split('id="campaign-form"')[1].split("</form>")[0]
    assert f'<option value="{campaign}">{name}</option>' in form
    token = csrf_token(staff, f"/incidents/{inside}")
    response = staff.post(f"/incidents/{inside}/campaign", data={
        "csrf_token": token, "campaign_id": str(campaign)})
    assert response.status_code == 302
    assert "Đã cập nhật đợt ra quân" in staff.get(response.location).get_data(as_text=True)
    assert _tag(app, inside) == campaign
    assert _count(app, AuditLog, AuditLog.action == "incident_campaign",
                  AuditLog.entity_id == inside) == 1
    # a campaign that does not cover the incident's place is refused; none stays none
    assert name not in staff.get(f"/incidents/{outside}").get_data(as_text=True)
    response = staff.post(f"/incidents/{outside}/campaign", data={
        "csrf_token": token, "campaign_id": str(campaign)})
    assert response.status_code == 302
    assert "Đợt ra quân này không diễn ra vào ngày, tại nơi ghi nhận vụ việc." in staff.get(
        response.location).get_data(as_text=True)
    assert _tag(app, outside) is None
    # the leader reads but does not tag; untagging works
    assert leader.post(f"/incidents/{inside}/campaign", data={
        "csrf_token": leader.csrf, "campaign_id": ""}).status_code == 403
    assert _tag(app, inside) == campaign
    assert staff.post(f"/incidents/{inside}/campaign", data={
        "csrf_token": token, "campaign_id": ""}).status_code == 302
    assert _tag(app, inside) is None


@pytest.mark.parametrize("fields, message", [
    ({"ends_on": "2026-01-01", "starts_on": "2026-01-10"},
     "Ngày kết thúc không được trước ngày bắt đầu."),
    ({"starts_on": "2026-01-01", "ends_on": "2027-06-01"}, "Một đợt ra quân dài tối đa một năm."),
    ({"name": " "}, "Chưa nhập tên đợt ra quân."),
    ({"starts_on": "31/02/2026"}, "Ngày bắt đầu không đúng dạng ngày (dd/mm/yyyy)."),
    ({"area_kind": "neighbourhoods"}, "Chọn ít nhất một khu phố."),
    ({"area_kind": "neighbourhoods", "neighbourhood_ids": ["999999"]},
     "Khu phố đã chọn không thuộc phường."),
    ({"area_kind": "drawn"}, "Vẽ vùng ra quân (polygon) trên bản đồ."),
    ({"area_kind": "drawn", "geometry": '{"type": "LineString", "coordinates": '
                                        '[[106.91, 10.86], [106.92, 10.86]]}'},
     "Vẽ vùng ra quân (polygon) trên bản đồ."),
    ({"area_kind": "drawn", "geometry": "{không phải json"},
     "Hình vẽ trên bản đồ không đọc được: vẽ lại."),
])
def test_bad_campaigns_store_nothing(as_role, app, fields, message):
    staff = as_role("urban_staff")
    before = _count(app, Campaign)
    data = {"name": _name("Đợt lỗi"), "starts_on": "2026-03-01", "ends_on": "2026-03-31",
            **fields}
    response = _create(staff, **data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="form-errors"' in page and message in page
    assert _count(app, Campaign) == before


def test_editing_a_campaign(as_role, app):
    staff = as_role("urban_staff")
    first, last, _, _ = _month(app)
    (a_id, _, _), (g_id, g_name, _) = _kp(app, 0), _kp(app, 6)
    campaign = _created_id(_create(staff, name=_name("Đợt sửa"), starts_on=first, ends_on=last,
                                   area_kind="neighbourhoods", neighbourhood_ids=[str(a_id)]))
    form = _scrape(staff, f"/campaigns/{campaign}/edit", "campaign-form")
    assert form["area_kind"] == ["neighbourhoods"] and form["neighbourhood_ids"] == [str(a_id)]
    assert form["starts_on"] == [first.isoformat()]
    renamed = _name("Đợt đã sửa")
    form.update(name=[renamed], neighbourhood_ids=[str(g_id)], ends_on=[first.isoformat()])
    response = staff.post(f"/campaigns/{campaign}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    with app.app_context():
        row = store.campaign(db.conn, app.ward.id, campaign)
    assert (row.name, row.ends_on, row.neighbourhood_ids) == (renamed, first, [g_id])
    assert g_name in staff.get(f"/campaigns/{campaign}").get_data(as_text=True)
    bad = staff.post(f"/campaigns/{campaign}/edit", data={
        **form, "ends_on": [(first - timedelta(days=1)).isoformat()]})
    assert bad.status_code == 400
    with app.app_context():
        assert store.campaign(db.conn, app.ward.id, campaign).ends_on == first
    assert staff.get("/campaigns/999999").status_code == 404
    assert staff.get("/campaigns/999999/edit").status_code == 404


def test_editing_a_drawn_campaign_keeps_its_area(as_role, app):
    staff = as_role("urban_staff")
    first, last, _, _ = _month(app)
    _, _, area = _kp(app, 7)
    blob = area.representative_point().buffer(0.0005, quad_segs=4).intersection(area)
    campaign = _created_id(_create(staff, name=_name("Đợt vùng vẽ"), starts_on=first,
                                   ends_on=last, area_kind="drawn", geometry=blob))
    form = _scrape(staff, f"/campaigns/{campaign}/edit", "campaign-form")
    response = staff.post(f"/campaigns/{campaign}/edit", data={**form, "units": ["Đoàn TN"]})
    assert response.status_code == 302


def test_leader_reads_but_cannot_manage(as_role, app):
    leader = as_role("leader")
    first, last, _, _ = _month(app)
    before = _count(app, Campaign)
    page = leader.get("/campaigns")
    assert page.status_code == 200 and 'id="new-campaign"' not in page.get_data(as_text=True)
    with app.app_context():
        some = db.conn.execute(select(func.min(Campaign.id)).where(
            Campaign.ward_id == app.ward.id)).scalar()
    detail = leader.get(f"/campaigns/{some}")
    assert detail.status_code == 200 and f"/campaigns/{some}/edit" not in detail.get_data(
        as_text=True)
    assert leader.get("/campaigns/new").status_code == 403
    assert _create(leader, name=_name("Không được"), starts_on=first,
                   ends_on=last).status_code == 403
    assert leader.post(f"/campaigns/{some}/edit", data={
        "csrf_token": leader.csrf, "name": "x", "starts_on": first.isoformat(),
        "ends_on": last.isoformat()}).status_code == 403
    assert as_role("police").post("/campaigns/new", data={
        "csrf_token": as_role("police").csrf, "name": "x"}).status_code == 403
    assert _count(app, Campaign) == before
