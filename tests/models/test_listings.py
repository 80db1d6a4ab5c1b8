"""Desk listings on hand-built data in two wards, on SpatiaLite and PostGIS."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert

from geo.text import strip_accents
from models import ledger, listings
from models.tables import BoardingHouse, Incident, Inspection, Neighbourhood, Ward

TODAY = date(2026, 6, 15)
SQUARE = "SRID=4326;MULTIPOLYGON(((106.9 10.85,106.91 10.85,106.91 10.86,106.9 10.86,106.9 10.85)))"
POINT = "SRID=4326;POINT(106.905 10.855)"


def _insert(conn, table, **values):
    return conn.execute(insert(table).returning(table.id), [values]).scalar_one()


def _house(conn, ward, name, address=None, **values):
    return _insert(conn, BoardingHouse, ward_id=ward, name=name, address=address,
                   house_type="rooming_house", geom=POINT, owner_name=f"Chủ {name}",
                   owner_phone="0912345678", owner_id_number="075123456789", **values)


def _inspection(conn, ward, house, at, follow_up=None, done=None, passed=False):
    return _insert(conn, Inspection, ward_id=ward, boarding_house_id=house,
                   inspected_at=datetime.combine(at, datetime.min.time()) + timedelta(hours=9),
                   officer="Cán bộ", fire_safety_pass=passed, follow_up_on=follow_up,
                   follow_up_done_on=done)


def _incident(conn, ward, observed, status="reported", category="encroachment_sidewalk",
              kp=None, repeat=False):
    return _insert(conn, Incident, ward_id=ward, category=category, status=status,
                   observed_at=datetime.combine(observed, datetime.min.time()),
                   neighbourhood_id=kp, is_repeat=repeat, geom=POINT)


@pytest.fixture
def world(migrated_engine):
    """Ward A with houses, inspections and incidents; ward B with look-alikes to leak."""
    ids = {}
    with migrated_engine.begin() as conn:
        for key in ("a", "b"):
            ids[key] = _insert(conn, Ward, code=f"ward-{key}", name=f"Phường {key.upper()}",
                               metric_epsg=5899, boundary=SQUARE)
        a, b = ids["a"], ids["b"]
        ids["kp1"] = _insert(conn, Neighbourhood, ward_id=a, code="KP01", name="Khu phố 1",
                             boundary=SQUARE)
        ids["kp2"] = _insert(conn, Neighbourhood, ward_id=a, code="KP02", name="Khu phố 2",
                             boundary=SQUARE)
        h = ids["houses"] = {
            "duc_hanh": _house(conn, a, "Nhà trọ Đức Hạnh", "12 Đường Số 5",
                               neighbourhood_id=ids["kp1"], classification="good",
                               antt_commitment_on=date(2025, 3, 1), fire_safety_pass=False),
            "ktx": _house(conn, a, "Ký túc xá 100% công nhân", "Hẻm 3 Quốc lộ 51",
                          neighbourhood_id=ids["kp2"], model_status="recognised",
                          fire_safety_pass=True),
            "done": _house(conn, a, "Nhà nghỉ Bình An", "5 Hẻm 9", classification="poor"),
            "cleared": _house(conn, a, "Nhà trọ Phúc Lộc", "8 Hẻm 9"),
            "far": _house(conn, a, "Nhà trọ Tương Lai", "9 Hẻm 9"),
            "other_ward": _house(conn, b, "Nhà trọ Đức Hạnh 2", "12 Đường Số 5"),
        }
        ids["inspections"] = {
            "superseded": _inspection(conn, a, h["duc_hanh"], date(2026, 3, 1), date(2026, 3, 20)),
            "overdue": _inspection(conn, a, h["duc_hanh"], date(2026, 4, 1), date(2026, 5, 1)),
            "upcoming": _inspection(conn, a, h["ktx"], date(2026, 5, 1), date(2026, 6, 20)),
            "done": _inspection(conn, a, h["done"], date(2026, 5, 1), date(2026, 6, 1),
                                done=date(2026, 6, 2)),
            "cleared": _inspection(conn, a, h["cleared"], date(2026, 1, 1), date(2026, 2, 1)),
            "clearing": _inspection(conn, a, h["cleared"], date(2026, 2, 5), passed=True),
            "far": _inspection(conn, a, h["far"], date(2026, 6, 1), date(2026, 8, 1)),
            "other_ward": _inspection(conn, b, h["other_ward"], date(2026, 1, 1),
                                      date(2026, 1, 10)),
        }
        ids["incidents"] = {
            "reported": _incident(conn, a, date(2026, 1, 10), kp=ids["kp1"]),
            "verified": _incident(conn, a, date(2025, 12, 1), "verified", repeat=True),
            "resolved": _incident(conn, a, date(2025, 11, 1), "resolved"),
            "minutes": _incident(conn, a, date(2026, 2, 1), "minutes_issued", "drugs",
                                 kp=ids["kp2"]),
            "other_ward": _incident(conn, b, date(2025, 1, 1)),
        }
        # Audit rows are written only through the ledger (hash-chained).
        ledger.audit(conn, a, None, "login", "user")
        ledger.audit(conn, b, None, "only_in_b", "user")
    with migrated_engine.connect() as conn:
        yield conn, ids


def test_follow_ups_are_pending_past_and_not_superseded(world):
    conn, ids = world
    inspections = ids["inspections"]
    overdue = listings.follow_ups(conn, ids["a"], TODAY)
    assert [r.id for r in overdue.rows] == [inspections["overdue"]]
    row = overdue.rows[0]
    assert row.house_id == ids["houses"]["duc_hanh"] and row.kp_code == "KP01"
    assert row.follow_up_on == date(2026, 5, 1) and row.name == "Nhà trọ Đức Hạnh"
    with_upcoming = listings.follow_ups(conn, ids["a"], TODAY + timedelta(days=14))
    assert [r.id for r in with_upcoming.rows] == [inspections["overdue"],
                                                  inspections["upcoming"]]
    assert listings.overdue_count(conn, ids["a"], TODAY) == 1
    # A year later the far one is overdue too; the done and superseded ones never are.
    later = listings.follow_ups(conn, ids["a"], date(2027, 6, 1))
    assert {r.id for r in later.rows} == {inspections[k] for k in ("overdue", "upcoming", "far")}
    assert [r.id for r in listings.follow_ups(conn, ids["b"], TODAY).rows] == \
        [inspections["other_ward"]]


def test_house_inspections_newest_first(world):
    conn, ids = world
    rows = listings.house_inspections(conn, ids["a"], ids["houses"]["duc_hanh"])
    assert [r.id for r in rows] == [ids["inspections"]["overdue"],
                                    ids["inspections"]["superseded"]]
    assert listings.house_inspections(conn, ids["b"], ids["houses"]["duc_hanh"]) == []


def test_incidents_in_work_through_order(world):
    conn, ids = world
    inc = ids["incidents"]
    page = listings.incident_page(conn, ids["a"], listings.IncidentFilter())
    assert [r.id for r in page.rows] == [inc["verified"], inc["reported"], inc["minutes"]]
    assert page.total == 3 and page.pages == 1
    everything = listings.incident_page(conn, ids["a"], listings.IncidentFilter(statuses=()))
    # Closed ones come after every open one, however old they are.
    assert [r.id for r in everything.rows][-1] == inc["resolved"] and everything.total == 4
    first = listings.incident_page(conn, ids["a"], listings.IncidentFilter(), 1, 2)
    second = listings.incident_page(conn, ids["a"], listings.IncidentFilter(), 2, 2)
    assert [r.id for r in first.rows + second.rows] == [r.id for r in page.rows]
    assert (first.pages, second.first_index, second.last_index) == (2, 3, 3)


@pytest.mark.parametrize("flt, expected", [
    ({"month_from": date(2026, 1, 1), "month_to": date(2026, 1, 31)}, ["reported"]),
    ({"month_from": date(2026, 1, 1)}, ["reported", "minutes"]),
    ({"month_to": date(2025, 12, 1), "statuses": ()}, ["verified", "resolved"]),
    ({"repeat_only": True}, ["verified"]),
    ({"category": "drugs", "neighbourhood_id": "kp2"}, ["minutes"]),
    ({"category": "drugs", "neighbourhood_id": "kp1"}, []),
    ({"statuses": ("resolved",)}, ["resolved"]),
])
def test_incident_filters(world, flt, expected):
    conn, ids = world
    if "neighbourhood_id" in flt:
        flt = {**flt, "neighbourhood_id": ids[flt["neighbourhood_id"]]}
    rows = listings.incident_page(conn, ids["a"], listings.IncidentFilter(**flt)).rows
    assert [r.id for r in rows] == [ids["incidents"][k] for k in expected]


def test_incident_record_is_ward_scoped(world):
    conn, ids = world
    record = listings.incident_record(conn, ids["a"], ids["incidents"]["reported"])
    assert record.kp_name == "Khu phố 1"
    assert record.lon == pytest.approx(106.905) and record.lat == pytest.approx(10.855)
    assert listings.incident_record(conn, ids["a"], ids["incidents"]["other_ward"]) is None


@pytest.mark.parametrize("text, expected", [
    ("duc hanh", ["duc_hanh"]),
    ("ĐỨC HẠNH", ["duc_hanh"]),
    ("đường số 5", ["duc_hanh"]),
    ("quoc lo", ["ktx"]),
    ("100%", ["ktx"]),
    ("%", ["ktx"]),
    ("_", []),
    ("hẻm 9", ["done", "cleared", "far"]),
])
def test_house_search_ignores_case_and_diacritics(world, text, expected):
    conn, ids = world
    rows = listings.house_page(conn, ids["a"], listings.HouseFilter(text=text)).rows
    assert sorted(r.id for r in rows) == sorted(ids["houses"][k] for k in expected)


@pytest.mark.parametrize("flt, expected", [
    ({"classification": "good"}, ["duc_hanh"]),
    ({"classification": "unclassified"}, ["ktx", "cleared", "far"]),
    ({"model_status": "recognised"}, ["ktx"]),
    ({"no_commitment": True}, ["ktx", "done", "cleared", "far"]),
    ({"fire_fail": True}, ["duc_hanh"]),
    ({"neighbourhood_id": "kp2"}, ["ktx"]),
])
def test_house_filters(world, flt, expected):
    conn, ids = world
    if "neighbourhood_id" in flt:
        flt = {**flt, "neighbourhood_id": ids[flt["neighbourhood_id"]]}
    rows = listings.house_page(conn, ids["a"], listings.HouseFilter(**flt)).rows
    assert sorted(r.id for r in rows) == sorted(ids["houses"][k] for k in expected)


def test_personal_data_only_when_asked(world):
    conn, ids = world
    house = ids["houses"]["duc_hanh"]
    for row in (listings.house_page(conn, ids["a"], listings.HouseFilter()).rows[0],
                listings.house_record(conn, ids["a"], house),
                listings.houses_for_export(conn, ids["a"], listings.HouseFilter())[0]):
        assert not set(listings.PERSONAL_COLUMNS) & set(row._mapping)
    record = listings.house_record(conn, ids["a"], house, with_personal_data=True)
    assert record.owner_name == "Chủ Nhà trọ Đức Hạnh"
    exported = listings.houses_for_export(conn, ids["a"], listings.HouseFilter(),
                                          with_personal_data=True)
    assert len(exported) == 5 and all(r.owner_phone == "0912345678" for r in exported)
    assert listings.house_record(conn, ids["a"], ids["houses"]["other_ward"], True) is None


def test_audit_actions_of_the_ward(world):
    conn, ids = world
    assert listings.audit_actions(conn, ids["a"]) == ["login"]


def test_fold():
    assert strip_accents("Đường Nguyễn Hữu Cảnh") == "duong nguyen huu canh"
    assert strip_accents("PHƯỜNG") == "phuong"
