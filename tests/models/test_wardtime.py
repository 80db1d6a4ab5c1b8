"""Event times are stored in UTC and read, filtered and grouped in the ward's time (issue 10).

The ward is UTC+7: an incident seen at 06:30 on 2 December is 23:30 on 1 December in UTC,
and one seen at 00:30 on 1 December belongs to December although UTC still says November.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import insert, select, text

from geo import wardzone
from models import dialects, layer_json, listings, migrate, model_streets, queries, writes
from models import wards as ward_records
from models.tables import Campaign, Incident

SQUARE = MultiPolygon([Polygon([(106.9, 10.8), (106.91, 10.8), (106.91, 10.81),
                                (106.9, 10.81)])])
EARLY_MORNING = datetime(2026, 12, 2, 6, 30)  # 2026-12-01 23:30 UTC
FIRST_MINUTES = datetime(2026, 12, 1, 0, 30)  # 2026-11-30 17:30 UTC


def _raw(conn, sql: str, **params) -> datetime:
    """A stored value as the database holds it, without ``WardTime``."""
    value = conn.execute(text(sql), params).scalar_one()
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _ward_with_incidents(engine, *moments) -> tuple[int, list[int]]:
    with engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "utc", "Phường Giờ", SQUARE, 5899, True)
        ids = [writes.insert_point_record(conn, Incident.__table__, {
            "ward_id": ward, "category": "encroachment", "observed_at": moment,
            "status": "reported"}, 106.905, 10.805) for moment in moments]
    return ward, ids


def test_event_times_are_stored_utc_and_read_as_ward_time(migrated_engine):
    ward, (incident,) = _ward_with_incidents(migrated_engine, EARLY_MORNING)
    with migrated_engine.connect() as conn:
        stored = _raw(conn, "SELECT observed_at FROM incident WHERE id = :i", i=incident)
        read = conn.execute(select(Incident.observed_at).where(Incident.id == incident)).scalar()
        first, last = queries.incident_date_range(conn, ward)
    assert stored == datetime(2026, 12, 1, 23, 30)
    assert read == EARLY_MORNING
    assert first == last == EARLY_MORNING


def test_aware_times_are_stored_as_the_same_instant(migrated_engine):
    from zoneinfo import ZoneInfo

    paris = datetime(2026, 12, 1, 17, 30, tzinfo=ZoneInfo("Europe/Paris"))  # 16:30 UTC
    ward, (incident,) = _ward_with_incidents(migrated_engine, paris)
    with migrated_engine.connect() as conn:
        stored = _raw(conn, "SELECT observed_at FROM incident WHERE id = :i", i=incident)
        read = conn.execute(select(Incident.observed_at).where(Incident.id == incident)).scalar()
    assert stored == datetime(2026, 12, 1, 16, 30)
    assert read == datetime(2026, 12, 1, 23, 30)


def test_month_and_day_windows_are_the_wards(migrated_engine):
    ward, (december, november) = _ward_with_incidents(
        migrated_engine, FIRST_MINUTES, datetime(2026, 11, 30, 23, 59))
    with migrated_engine.connect() as conn:
        in_december = listings.incident_page(conn, ward, listings.IncidentFilter(
            month_from=date(2026, 12, 1), month_to=date(2026, 12, 1)))
        in_november = listings.incident_page(conn, ward, listings.IncidentFilter(
            month_from=date(2026, 11, 1), month_to=date(2026, 11, 1)))
        features = json.loads(layer_json.features_json(
            conn, queries.LAYERS["incidents"], ward,
            queries.LayerFilter(date_from=date(2026, 12, 1), date_to=date(2026, 12, 1)), 100)[0])
        days = conn.execute(select(dialects.ward_date(conn.dialect.name, Incident.observed_at))
                            .order_by(Incident.id)).scalars().all()
    assert [r.id for r in in_december.rows] == [december]
    assert [r.id for r in in_november.rows] == [november]
    assert [f["id"] for f in features] == [december]
    assert [str(day) for day in days] == ["2026-12-01", "2026-11-30"]


def test_a_campaign_counts_the_incidents_of_its_ward_days(migrated_engine):
    ward, _ = _ward_with_incidents(migrated_engine, FIRST_MINUTES, datetime(2026, 11, 30, 23, 0),
                                   datetime(2026, 12, 7, 23, 59), datetime(2026, 12, 8, 0, 1))
    with migrated_engine.begin() as conn:
        campaign = conn.execute(insert(Campaign).returning(Campaign.id), [{
            "ward_id": ward, "name": "Ra quân tuần đầu", "starts_on": date(2026, 12, 1),
            "ends_on": date(2026, 12, 7), "neighbourhood_ids": []}]).scalar_one()
    with migrated_engine.connect() as conn:
        (row,) = model_streets.campaign_results(conn, ward, campaign)
    assert row.incidents == 2


def test_bulk_copy_converts_like_single_inserts(migrated_engine):
    """PostgreSQL's COPY (the demo and imports) bypasses bind processing; it converts too."""
    ward, _ = _ward_with_incidents(migrated_engine)
    record = {"ward_id": ward, "category": "encroachment", "observed_at": EARLY_MORNING,
              "status": "reported", "geom": "SRID=4326;POINT(106.905 10.805)"}
    with migrated_engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            dialects.copy_rows(conn, Incident.__table__, [record])
        else:
            conn.execute(insert(Incident), [record])
        stored = _raw(conn, "SELECT observed_at FROM incident")
    assert stored == datetime(2026, 12, 1, 23, 30)


def test_migration_moves_existing_ward_times_to_utc_and_back(migrated_engine):
    migrate.downgrade(migrated_engine, "0007")
    with migrated_engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "old", "Phường Cũ", SQUARE, 5899, True)
        conn.execute(text(
            "INSERT INTO incident (ward_id, client_uuid, category, observed_at, resolved_at, "
            "status, is_repeat, location_manual, geom) VALUES (:w, :u, 'encroachment', :o, "
            ":r, 'resolved', false, false, :g)"),
            {"w": ward, "u": "0" * 32, "o": "2026-12-02 06:30:00.000000", "r": None,
             "g": _point_sql(conn)})
    migrate.upgrade(migrated_engine)
    with migrated_engine.connect() as conn:
        assert _raw(conn, "SELECT observed_at FROM incident") == datetime(2026, 12, 1, 23, 30)
        assert conn.execute(select(Incident.observed_at)).scalar() == EARLY_MORNING
        assert conn.execute(select(Incident.resolved_at)).scalar() is None
        if conn.dialect.name == "sqlite":  # one text format, so text comparisons hold
            assert conn.execute(text("SELECT observed_at FROM incident")).scalar() == \
                "2026-12-01 23:30:00.000000"
    migrate.downgrade(migrated_engine, "0007")
    with migrated_engine.connect() as conn:
        assert _raw(conn, "SELECT observed_at FROM incident") == EARLY_MORNING
    migrate.upgrade(migrated_engine)


def _point_sql(conn):
    if conn.dialect.name == "sqlite":
        return conn.execute(text("SELECT GeomFromText('POINT(106.905 10.805)', 4326)")).scalar()
    return "SRID=4326;POINT(106.905 10.805)"


def test_the_zone_is_a_setting():
    try:
        wardzone.set_zone("Asia/Tokyo")
        assert wardzone.to_utc(datetime(2026, 12, 2, 9, 0)) == datetime(2026, 12, 2, 0, 0)
        assert wardzone.from_utc(datetime(2026, 12, 2, 0, 0)) == datetime(2026, 12, 2, 9, 0)
    finally:
        wardzone.set_zone(wardzone.DEFAULT_ZONE)
