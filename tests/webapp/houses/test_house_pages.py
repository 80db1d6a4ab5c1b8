"""Boarding-house desk pages: roles, owner personal data never leaking, audit rows, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from models.tables import AuditLog, BoardingHouse, Incident, Inspection, Street, User
from webapp.extensions import db

ROLES = ("admin", "police", "urban_staff", "leader")
PERSONAL_ROLES = {"admin", "police"}
ROLE_USERS = {"admin": "admin", "police": "congan", "urban_staff": "dothi", "leader": "lanhdao"}
# Who gets what (200 or 403) on each page; anonymous visitors are sent to sign in.
MATRIX = {
    "/boarding-houses/": set(ROLES),
    "/boarding-houses/{id}": set(ROLES),
    "/boarding-houses/export-public.csv": set(ROLES),
    "/boarding-houses/follow-ups": PERSONAL_ROLES,
    "/boarding-houses/export.csv": PERSONAL_ROLES,
}


def _a_house(app, *where) -> int:
    with app.app_context():
        return db.conn.execute(select(func.min(BoardingHouse.id)).where(*where)).scalar_one()


def _owners(app) -> list:
    with app.app_context():
        return db.conn.execute(select(BoardingHouse.id, BoardingHouse.owner_name,
                                      BoardingHouse.owner_phone,
                                      BoardingHouse.owner_id_number)).all()


def _public_words(app) -> str:
    """Every non-personal text of the ward that a page may show (to rule out name clashes)."""
    with app.app_context():
        conn = db.conn
        texts = [*conn.execute(select(Street.name)).scalars(),
                 *conn.execute(select(Inspection.officer)).scalars(),
                 *conn.execute(select(Incident.reporter)).scalars(),
                 *conn.execute(select(User.full_name)).scalars(),
                 *conn.execute(select(BoardingHouse.name)).scalars(),
                 *conn.execute(select(BoardingHouse.address)).scalars()]
    return "\n".join(t for t in texts if t)


def _secrets(app) -> set[str]:
    public = _public_words(app)
    values = set()
    for row in _owners(app):
        values |= {v for v in (row.owner_phone, row.owner_id_number) if v}
        if row.owner_name and row.owner_name not in public:
            values.add(row.owner_name)
    return values


def _audit_count(app, action: str, username: str, entity_id=None) -> int:
    with app.app_context():
        user_id = db.conn.execute(select(User.id).where(User.username == username)).scalar_one()
        where = [AuditLog.action == action, AuditLog.user_id == user_id]
        if entity_id is not None:
            where.append(AuditLog.entity_id == entity_id)
        return db.conn.execute(select(func.count()).select_from(AuditLog).where(*where)
                               ).scalar_one()


def test_anonymous_is_sent_to_sign_in(anonymous):
    for path in MATRIX:
        response = anonymous.get(path.format(id=1))
        assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client_as, demo_app, role):
    client = client_as(role)
    house_id = _a_house(demo_app)
    for path, allowed in MATRIX.items():
        response = client.get(path.format(id=house_id))
        assert response.status_code == (200 if role in allowed else 403), (path, role)
    assert client.get("/boarding-houses/99999999").status_code == 404


@pytest.mark.parametrize("role", ["urban_staff", "leader"])
def test_no_personal_data_for_staff_and_leaders(client_as, demo_app, role):
    client = client_as(role)
    secrets = _secrets(demo_app)
    assert len(secrets) > 1000  # phones, ID numbers and most names of the 800 demo owners
    pages = [client.get("/boarding-houses/").get_data(as_text=True),
             client.get("/boarding-houses/?page=3&fire_fail=1").get_data(as_text=True),
             client.get("/boarding-houses/export-public.csv").get_data(as_text=True)]
    listed = [int(i) for i in re.findall(r'href="/boarding-houses/(\d+)"', pages[0])][:15]
    for house_id in [*listed, _a_house(demo_app, BoardingHouse.owner_id_number.is_not(None))]:
        html = client.get(f"/boarding-houses/{house_id}").get_data(as_text=True)
        assert "Chủ cơ sở" not in html and "CCCD" not in html
        pages.append(html)
    for page in pages:
        leaked = [s for s in secrets if s in page]
        assert leaked == []
    assert _audit_count(demo_app, "view_personal_data", ROLE_USERS[role]) == 0


@pytest.mark.parametrize("role", sorted(PERSONAL_ROLES))
def test_police_and_admin_see_the_owner_and_each_view_is_audited(client_as, demo_app, role):
    client = client_as(role)
    house_id = _a_house(demo_app, BoardingHouse.owner_id_number.is_not(None),
                        BoardingHouse.owner_phone.is_not(None))
    owner = next(r for r in _owners(demo_app) if r.id == house_id)
    before = _audit_count(demo_app, "view_personal_data", ROLE_USERS[role], house_id)
    for _ in range(2):
        html = client.get(f"/boarding-houses/{house_id}").get_data(as_text=True)
        for value in (owner.owner_name, owner.owner_phone, owner.owner_id_number):
            assert value in html
    assert _audit_count(demo_app, "view_personal_data", ROLE_USERS[role], house_id) == before + 2
    with demo_app.app_context():
        detail = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.entity_id == house_id, AuditLog.action == "view_personal_data")
            .order_by(AuditLog.id.desc())).scalars().first()
    assert detail == {"fields": ["owner_name", "owner_phone", "owner_id_number"],
                      "page": "house_record"}
    # The list never carries personal data, for anyone.
    listing = client.get("/boarding-houses/").get_data(as_text=True)
    assert owner.owner_id_number not in listing and owner.owner_phone not in listing
    assert _audit_count(demo_app, "view_personal_data", ROLE_USERS[role], house_id) == before + 2


def _csv(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_full_export_has_owners_and_one_audit_row(client_as, demo_app):
    client = client_as("police")
    before = _audit_count(demo_app, "export_personal_data", "congan")
    rows = _csv(client.get("/boarding-houses/export.csv"))
    assert _audit_count(demo_app, "export_personal_data", "congan") == before + 1
    header, body = rows[0], rows[1:]
    assert {"Chủ cơ sở", "Điện thoại chủ cơ sở", "Số CCCD/CMND chủ cơ sở"} <= set(header)
    owners = _owners(demo_app)
    assert len(body) == len(owners)
    text = "\n".join(",".join(r) for r in body)
    for owner in owners[:50]:
        assert owner.owner_name in text
        if owner.owner_id_number:  # kept as text: a CCCD's leading 0 must survive Excel
            assert f'="{owner.owner_id_number}"' in text
    with demo_app.app_context():
        detail = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "export_personal_data").order_by(AuditLog.id.desc())
        ).scalars().first()
    assert detail["rows"] == len(body) and detail["filters"] == {}


def test_filtered_exports_match_the_list(client_as):
    client = client_as("admin")
    query = "kp=KP02&no_commitment=1"
    html = client.get(f"/boarding-houses/?{query}").get_data(as_text=True)
    total = int(re.search(r"/ ([\d.]+) cơ sở", html).group(1).replace(".", ""))
    public = _csv(client.get(f"/boarding-houses/export-public.csv?{query}"))
    full = _csv(client.get(f"/boarding-houses/export.csv?{query}"))
    assert len(public) - 1 == len(full) - 1 == total > 0
    assert "Chủ cơ sở" not in public[0] and "Chủ cơ sở" in full[0]
    kp = public[0].index("Mã khu phố")
    commitment = public[0].index("Ngày ký cam kết ANTT")
    assert {r[kp] for r in public[1:]} == {"KP02"}
    assert {r[commitment] for r in public[1:]} == {"Chưa ký"}


def test_an_english_user_gets_english_titles_and_words(client_as):
    client = client_as("admin")
    client.set_cookie("lang", "en")
    public = _csv(client.get("/boarding-houses/export-public.csv?kp=KP02&no_commitment=1"))
    assert "Neighbourhood code" in public[0] and "Mã khu phố" not in public[0]
    commitment = public[0].index("Security pledge signed on")
    assert {r[commitment] for r in public[1:]} == {"Not signed"}


def test_search_ignores_case_and_diacritics(client):
    html = client.get("/boarding-houses/?q=NHA+NGHI").get_data(as_text=True)
    names = re.findall(r'href="/boarding-houses/\d+">([^<]+)</a>', html)
    assert names and all("nhà nghỉ" in n.lower() for n in names)


def test_follow_ups_page_lists_overdue_first(client_as):
    html = client_as("police").get("/boarding-houses/follow-ups").get_data(as_text=True)
    assert "Hẹn kiểm tra lại" in html
    days = [int(d) for d in re.findall(r'<strong class="overdue">(\d+) ngày</strong>', html)]
    assert days and days == sorted(days, reverse=True)
    assert re.search(r'href="/field/boarding-houses/[0-9a-f-]{36}/inspect"', html)


@pytest.fixture
def follow_up_app(migrated_engine, fresh_url):
    """A ward built by hand: houses whose follow-ups are overdue, due soon, done, superseded."""
    from datetime import datetime, timedelta

    from sqlalchemy import insert

    from models.tables import Ward
    from webapp import create_app
    from webapp.clock import local_today
    from webapp.users import create_user

    app = create_app({"DATABASE_URL": fresh_url, "TILE_URL": "", "TESTING": True,
                      "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})
    with app.app_context():
        today = local_today()
    square = ("SRID=4326;MULTIPOLYGON(((106.9 10.85,106.91 10.85,106.91 10.86,"
              "106.9 10.86,106.9 10.85)))")

    def add(conn, table, **values):
        return conn.execute(insert(table).returning(table.id), [values]).scalar_one()

    def day(offset):
        return today + timedelta(days=offset)

    with migrated_engine.begin() as conn:
        ward = add(conn, Ward, code="thu", name="Phường Thử", metric_epsg=5899, boundary=square)
        create_user(conn, ward, "canbo", "police", "canbo-pass-2026", "Cán bộ thử")
        houses = {}
        for key in ("overdue", "soon", "done", "superseded", "later"):
            houses[key] = add(conn, BoardingHouse, ward_id=ward, name=f"Nhà trọ {key}",
                              address=f"số 1 {key}", house_type="rooming_house",
                              geom="SRID=4326;POINT(106.905 10.855)")

        def inspect(house, at, follow_up=None, done=None):
            add(conn, Inspection, ward_id=ward, boarding_house_id=houses[house],
                inspected_at=datetime.combine(day(at), datetime.min.time()), officer="Cán bộ",
                fire_safety_pass=follow_up is None, follow_up_on=follow_up and day(follow_up),
                follow_up_done_on=done and day(done))

        inspect("overdue", -40, follow_up=-10)
        inspect("soon", -20, follow_up=5)
        inspect("done", -40, follow_up=-20, done=-19)
        inspect("superseded", -60, follow_up=-30)
        inspect("superseded", -25)  # a later inspection: the old follow-up is no longer due
        inspect("later", -5, follow_up=60)
    yield app
    app.extensions["urbanorder_engine"].dispose()


def test_follow_ups_on_hand_built_data(follow_up_app):
    from tests.helpers import sign_in

    client = follow_up_app.test_client()
    sign_in(client, "canbo", "canbo-pass-2026")
    html = client.get("/boarding-houses/follow-ups").get_data(as_text=True)
    listed = re.findall(r'href="/boarding-houses/\d+">Nhà trọ (\w+)</a>', html)
    assert listed == ["overdue", "soon"]
    assert '<strong class="overdue">10 ngày</strong>' in html and "còn 5 ngày" in html
    assert "<strong>1</strong> cơ sở đang quá hạn" in html
    record = client.get("/boarding-houses/1").get_data(as_text=True)
    assert "quá hạn 10 ngày" in record and 'class="overdue-row"' in record
    superseded = client.get("/boarding-houses/4").get_data(as_text=True)
    assert "quá hạn" not in superseded and "đã có lần kiểm tra sau" in superseded
