"""Owners' rights (Law 91/2025/QH15, issue 10 point 8) on both backends.

Each test records its own owners (random ID numbers) in the shared writable demo: owner A
with two houses, an inspection with a photo and an incident; owner B with one house.
Attacks: staff and leaders asking anyway, an owner's ID number typed with spaces or
full-width digits, another owner's data leaking into an export, personal data written into
the audit log (also by a careless erasure reason), erasing without reason or confirmation.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
import uuid
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from models import photos as photo_store
from models import writes
from models.owners import ERASED_MARKER
from models.tables import AuditLog, BoardingHouse, Incident, Inspection
from tests.conftest import signed_in_as, writable_demo_app
from webapp.extensions import db

URL = "/boarding-houses/owner-rights"


@pytest.fixture
def app(_writable_copy):
    yield from writable_demo_app(_writable_copy)


def _house(conn, ward_id, where, owner, name):
    values = {"ward_id": ward_id, "client_uuid": uuid.uuid4(), "name": name,
              "address": f"số {random.randint(1, 999)}, Đường thử", "house_type": "rooming_house",
              "rooms": 8, "residents": 12, "owner_name": owner["name"],
              "owner_phone": owner["phone"], "owner_id_number": owner["id"]}
    return writes.insert_point_record(conn, BoardingHouse.__table__, values, *where)


@pytest.fixture
def owners(app):
    """Owner A (two houses, an inspection with a photo, an incident) and owner B."""
    tag = uuid.uuid4().hex[:6]
    a = {"name": f"Trần Thị Chủ {tag}", "phone": f"09{random.randint(10**7, 10**8 - 1)}",
         "id": f"0{random.randint(10**10, 10**11 - 1)}"}
    b = {"name": f"Lê Văn Khác {tag}", "phone": f"03{random.randint(10**7, 10**8 - 1)}",
         "id": f"0{random.randint(10**10, 10**11 - 1)}"}
    ward_id = app.ward.id
    with app.app_context(), db.transaction() as conn:
        where = conn.execute(select(func.ST_X(BoardingHouse.geom), func.ST_Y(BoardingHouse.geom))
                             .where(BoardingHouse.ward_id == ward_id).limit(1)).first()
        a["houses"] = [_house(conn, ward_id, where, a, f"Nhà trọ A1 {tag}"),
                       _house(conn, ward_id, where, a, f"Nhà trọ A2 {tag}")]
        b["houses"] = [_house(conn, ward_id, where, b, f"Nhà trọ B {tag}")]
        inspection = conn.execute(insert(Inspection).returning(Inspection.id), [{
            "ward_id": ward_id, "client_uuid": uuid.uuid4(), "boarding_house_id": a["houses"][0],
            "inspected_at": datetime(2026, 11, 3, 9, 0), "officer": "Cán bộ thử",
            "findings": "Thiếu bình chữa cháy", "fire_safety_pass": False}]).scalar_one()
        photo_store.add_photo(conn, ward_id, "inspection", inspection, data=b"\xff\xd8 photo",
                          content_type="image/jpeg", width=1, height=1, sha256="0" * 64,
                          user_id=None)
        incident = writes.insert_point_record(conn, Incident.__table__, {
            "ward_id": ward_id, "client_uuid": uuid.uuid4(), "category": "residence",
            "observed_at": datetime(2026, 11, 4, 20, 0), "status": "reported",
            "description": "Không khai báo tạm trú", "boarding_house_id": a["houses"][1]}, *where)
    a["inspection"], a["incident"] = inspection, incident
    return a, b


def _post(client, **form):
    return client.post(URL, data={"csrf_token": client.csrf, **form})


def _audit_rows(app, house_ids) -> list:
    with app.app_context():
        return db.conn.execute(select(AuditLog.action, AuditLog.entity_id, AuditLog.detail).where(
            AuditLog.entity == "boarding_house", AuditLog.entity_id.in_(house_ids))
            .order_by(AuditLog.id)).all()


def _house_row(app, house_id):
    with app.app_context():
        return db.conn.execute(select(BoardingHouse).where(BoardingHouse.id == house_id)).first()


@pytest.mark.parametrize("role", ["urban_staff", "leader"])
def test_staff_without_the_right_get_403_and_no_audit_row(app, owners, role):
    a, _ = owners
    client = signed_in_as(app, role)
    with app.app_context():
        before = db.conn.execute(select(func.count()).select_from(AuditLog)).scalar()
    assert client.get(URL).status_code == 403
    for action in ("search", "export", "erase"):
        response = _post(client, action=action, kind="id_number", value=a["id"],
                         reason="thử", legal_basis="thử", confirm="1")
        assert response.status_code == 403
        assert a["id"] not in response.get_data(as_text=True)
    with app.app_context():
        assert db.conn.execute(select(func.count()).select_from(AuditLog)).scalar() == before
    assert _house_row(app, a["houses"][0]).owner_id_number == a["id"]


def test_police_preview_and_export_hold_exactly_that_owner(app, owners):
    a, b = owners
    police = signed_in_as(app, "police")
    # Typed as people type it: spaces, full-width digits; the phone with +84.
    typed = " ".join(a["id"][i:i + 4] for i in range(0, 12, 4)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))
    preview = _post(police, action="search", kind="id_number", value=typed)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[:400]
    assert a["name"] in html and b["name"] not in html and "2 cơ sở" in html
    by_phone = _post(police, action="search", kind="phone", value="+84 " + a["phone"][1:])
    assert by_phone.status_code == 200 and a["id"] in by_phone.get_data(as_text=True)

    response = _post(police, action="export", kind="id_number", value=a["id"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert a["id"] not in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    body = json.loads(text)
    assert sorted(h["id"] for h in body["boarding_houses"]) == sorted(a["houses"])
    assert body["owner"] == {"names": [a["name"]], "phones": [a["phone"]], "id_numbers": [a["id"]]}
    assert [i["id"] for i in body["inspections"]] == [a["inspection"]]
    assert body["inspections"][0]["photos"] == 1 and body["photos"]["inspection"] == 1
    assert [i["id"] for i in body["incidents"]] == [a["incident"]]
    assert {e["action"] for e in body["access_log"]} >= {"view_personal_data"}
    for other in (b["name"], b["phone"], b["id"], *map(str, b["houses"])):
        assert f'"{other}"' not in text

    rows = _audit_rows(app, a["houses"])
    exports = [r for r in rows if r.action == "export_owner_data"]
    assert sorted(r.entity_id for r in exports) == sorted(a["houses"])
    key = hmac.new(app.config["SECRET_KEY"].encode(), a["id"].encode(),
                   hashlib.sha256).hexdigest()
    assert all(r.detail["owner_key"] == key for r in exports)
    _assert_no_personal_data(rows, a)
    assert not _audit_rows(app, b["houses"])  # B was never shown


def test_unknown_and_malformed_numbers(app):
    police = signed_in_as(app, "police")
    missing = _post(police, action="export", kind="id_number", value="099999999999")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.get_data(as_text=True)
    bad = _post(police, action="search", kind="id_number", value="12ab")
    assert bad.status_code == 400 and "12 chữ số" in bad.get_data(as_text=True)
    assert _post(police, action="search", kind="email", value="0912345678").status_code == 400


def test_a_refusal_is_said_in_the_users_language(app):
    police = signed_in_as(app, "police")
    police.set_cookie("lang", "en")
    bad = _post(police, action="search", kind="phone", value="12")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "The phone number is not valid (10 digits, starting with 0 or +84)." in text
    assert "Số điện thoại không hợp lệ" not in text
    assert "ID card number" in text  # the kinds of search of the form, translated too


def _assert_no_personal_data(rows, owner) -> None:
    dumped = json.dumps([r.detail for r in rows], ensure_ascii=False)
    for value in (owner["name"], owner["phone"], owner["id"]):
        assert value not in dumped


def test_erase_keeps_the_house_and_audits_without_personal_data(app, owners):
    a, b = owners
    admin = signed_in_as(app, "admin")
    form = {"action": "erase", "kind": "id_number", "value": a["id"],
            "legal_basis": "Luật 91/2025/QH15, yêu cầu của chủ thể dữ liệu"}
    refusals = {
        "Ghi lý do": {**form, "reason": "", "confirm": "1"},
        "ô xác nhận": {**form, "reason": "chủ cơ sở yêu cầu"},
        "không được chứa": {**form, "reason": f"bà {a['name']} gọi {a['phone']}", "confirm": "1"},
    }
    for message, data in refusals.items():
        response = _post(admin, **data)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert _house_row(app, a["houses"][0]).owner_id_number == a["id"]
    assert not [r for r in _audit_rows(app, a["houses"]) if r.action == "erase_personal_data"]

    before = _house_row(app, a["houses"][0])
    done = _post(admin, **form, reason="chủ cơ sở yêu cầu xoá, đơn ngày 01/12", confirm="1")
    assert done.status_code == 302
    assert "Đã xoá dữ liệu cá nhân" in admin.get(URL).get_data(as_text=True)
    for house_id in a["houses"]:
        house = _house_row(app, house_id)
        assert house is not None
        assert (house.owner_name, house.owner_phone, house.owner_id_number) == (
            ERASED_MARKER, None, None)
    after = _house_row(app, a["houses"][0])
    assert (after.name, after.address, after.rooms, after.residents) == (
        before.name, before.address, before.rooms, before.residents)
    assert _house_row(app, b["houses"][0]).owner_id_number == b["id"]
    with app.app_context():
        assert db.conn.execute(select(func.count()).where(
            Inspection.boarding_house_id == a["houses"][0])).scalar() == 1

    rows = _audit_rows(app, a["houses"])
    erased = [r for r in rows if r.action == "erase_personal_data"]
    assert sorted(r.entity_id for r in erased) == sorted(a["houses"])
    assert erased[0].detail["legal_basis"] == form["legal_basis"]
    assert len(erased[0].detail["owner_key"]) == 64
    _assert_no_personal_data(rows, a)
    # Nothing left to find: the same request again finds no owner.
    assert _post(admin, action="search", kind="id_number", value=a["id"]).status_code == 404


def test_exports_show_the_erased_marker(app, owners):
    a, b = owners
    police = signed_in_as(app, "police")
    assert _post(police, action="erase", kind="phone", value=a["phone"], reason="ngừng kinh doanh",
                 legal_basis="Luật 91/2025/QH15", confirm="1").status_code == 302
    names = {str(house_id): None for house_id in a["houses"] + b["houses"]}
    rows = list(csv.DictReader(io.StringIO(
        police.get("/boarding-houses/export.csv").data.decode("utf-8-sig"))))
    for row in rows:
        if row["Mã"] in names:
            names[row["Mã"]] = (row["Chủ cơ sở"], row["Điện thoại chủ cơ sở"],
                                row["Số CCCD/CMND chủ cơ sở"])
    assert [names[str(h)] for h in a["houses"]] == [(ERASED_MARKER, "", "")] * 2
    assert names[str(b["houses"][0])][0] == b["name"]

    sheet = load_workbook(io.BytesIO(
        police.get("/exports/boarding-houses.xlsx?personal=1").data)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    cells = {row[header.index("id")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for house_id in a["houses"]:
        row = cells[house_id]
        assert row[header.index("owner_name")] == ERASED_MARKER
        assert not row[header.index("owner_phone")] and not row[header.index("owner_id_number")]


def test_no_audit_row_anywhere_holds_an_owner_phone_or_id_number(app):
    """The audit log is append-only: personal data written into it could never be erased."""
    with app.app_context():
        conn = db.conn
        secrets = {v for row in conn.execute(select(BoardingHouse.owner_phone,
                                                    BoardingHouse.owner_id_number))
                   for v in row if v}
        details = [json.dumps(d, ensure_ascii=False) for d in
                   conn.execute(select(AuditLog.detail)).scalars()]
    assert secrets and details
    leaked = [d for d in details if any(s in d for s in secrets)]
    assert leaked == []
