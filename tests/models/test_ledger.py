"""The audit log and published rankings are append-only and hash-chained (both backends).

Each attack of issue 10 is a test: the database refuses it, or — when the attacker first
removes the triggers — the chain check names the broken row.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from geo.ranking import content_hash
from models import ledger, ledger_verify, migrate
from models import wards as ward_records
from models.engine import make_engine
from models.tables import AuditLog, RankingSnapshot, TargetSnapshot
from tests.conftest import BACKENDS
from tests.helpers import as_attacker

SQUARE = MultiPolygon([Polygon([(106.9, 10.8), (106.91, 10.8), (106.91, 10.81),
                                (106.9, 10.81)])])
ROWS = [{"neighbourhood_id": 1, "code": "KP01", "name": "Khu phố 1", "rank": 1, "total": 81.5},
        {"neighbourhood_id": 2, "code": "KP02", "name": "Khu phố 2", "rank": 2, "total": 64.0}]
FORGED = [{**ROWS[0], "rank": 2, "total": 10.0}, {**ROWS[1], "rank": 1, "total": 99.0}]


def _publish(conn, ward_id: int, month: str, rows=ROWS, supersedes=None) -> int:
    digest = content_hash(month, "v1", rows)
    snapshot_id = ledger.publish_snapshot(conn, ward_id, month, "v1", rows, digest, None,
                                          datetime(2026, 2, 1, 8, 30), supersedes=supersedes)
    ledger.audit(conn, ward_id, None, "publish_ranking", "ranking_snapshot", snapshot_id,
                 month=month, content_hash=digest)
    return snapshot_id


def _world(engine) -> dict:
    with engine.begin() as conn:
        a = ward_records.insert_ward(conn, "ward-a", "Phường A", SQUARE, 5899, True)
        b = ward_records.insert_ward(conn, "ward-b", "Phường B", SQUARE, 5899, True)
        ledger.audit(conn, None, None, "ward_created", "ward", a, code="ward-a")
        for ward in (a, b):
            ledger.audit(conn, ward, None, "login", "user", 1, ratio=0.5, big=1e20, note="ổn")
        january = _publish(conn, a, "2026-01")
        _publish(conn, b, "2026-01")
    return {"a": a, "b": b, "january": january}


def _engine(url: str):
    engine = make_engine(url)
    migrate.upgrade(engine)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    """A database shared by the refused attacks (each rolls back): two wards, their audit
    rows and a published January."""
    if request.param == "spatialite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'l.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    engine = _engine(url)
    ids = _world(engine)
    yield engine, ids
    engine.dispose()


def _refused(engine, sql: str, **params) -> str:
    with pytest.raises(DBAPIError) as refused, engine.begin() as conn:
        conn.execute(text(sql), params)
    return str(refused.value)


def _intact(engine, *ward_ids) -> bool:
    with engine.connect() as conn:
        return all(r.intact for w in ward_ids for r in ledger_verify.check_ward(conn, w))


def test_rows_are_chained_per_ward_and_one_chain_for_the_installation(world):
    engine, ids = world
    with engine.connect() as conn:
        for ward_id in (ids["a"], ids["b"], None):
            rows = conn.execute(select(AuditLog.prev_hash, AuditLog.row_hash).where(
                ledger.same_chain(AuditLog.__table__, ward_id)).order_by(AuditLog.id)).all()
            assert rows[0].prev_hash == ledger.GENESIS
            assert all(later.prev_hash == earlier.row_hash
                       for earlier, later in zip(rows, rows[1:], strict=False))
        snap = ledger.snapshot(conn, ids["a"], "2026-01")
        assert snap.prev_hash == ledger.GENESIS and snap.revision == 1
        assert ledger_verify.check_snapshot(conn, snap) is None
    assert _intact(engine, ids["a"], ids["b"], None)


def test_attack_update_of_an_audit_row_is_refused(world):
    engine, _ = world
    message = _refused(engine, "UPDATE audit_log SET action = 'nothing_happened'")
    assert "append-only" in message


def test_attack_delete_of_audit_rows_is_refused(world):
    engine, ids = world
    _refused(engine, "DELETE FROM audit_log WHERE ward_id = :w", w=ids["a"])
    _refused(engine, "DELETE FROM audit_log WHERE ward_id IS NULL")
    _refused(engine, "DELETE FROM audit_log")  # SQLite's truncate optimisation included


def test_attack_update_of_published_ranks_is_refused(world):
    engine, ids = world
    _refused(engine, "UPDATE ranking_snapshot SET rows = :rows WHERE ward_id = :w",
             rows='[{"rank": 1}]', w=ids["a"])


def test_attack_update_of_a_snapshot_hash_is_refused(world):
    engine, _ = world
    _refused(engine, "UPDATE ranking_snapshot SET content_hash = 'forged', row_hash = 'x'")


def test_attack_delete_then_insert_of_a_snapshot_is_refused(world):
    engine, ids = world
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM ranking_snapshot WHERE id = :id"), {"id": ids["january"]})
        conn.execute(text("INSERT INTO ranking_snapshot SELECT * FROM ranking_snapshot"))
    with engine.connect() as conn:
        assert ledger.snapshot(conn, ids["a"], "2026-01").id == ids["january"]


def test_attack_insert_or_replace_of_a_snapshot_is_refused(world):
    """SQLite's REPLACE deletes the row it collides with without firing DELETE triggers;
    PostgreSQL's equivalent is an upsert, whose UPDATE is refused."""
    engine, ids = world
    others = ", ".join(c.name for c in RankingSnapshot.__table__.c
                       if c.name not in ("id", "rows"))
    columns = f"id, {others}"
    forged = f"SELECT id, {others}, :rows FROM ranking_snapshot WHERE id = :id"
    params = {"rows": '[{"rank": 1, "name": "forged"}]', "id": ids["january"]}
    if engine.dialect.name == "sqlite":
        message = _refused(engine, f"INSERT OR REPLACE INTO ranking_snapshot ({columns}, rows) "
                                   f"{forged}", **params)
        assert "REPLACE refused" in message
        # Colliding on (ward, month, revision) or on the chain link only, with a new id:
        assert "REPLACE refused" in _refused(engine, f"REPLACE INTO ranking_snapshot ({columns}, "
                                                     "rows) "
            f"SELECT id + 100, {others}, :rows FROM ranking_snapshot WHERE id = :id", **params)
        assert "REPLACE refused" in _refused(
            engine, "INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log")
    else:
        _refused(engine, f"INSERT INTO ranking_snapshot ({columns}, rows) {forged} "
                         "ON CONFLICT (id) DO UPDATE SET rows = EXCLUDED.rows", **params)
    with engine.connect() as conn:
        snap = ledger.snapshot(conn, ids["a"], "2026-01")
        assert snap.rows == ROWS and ledger_verify.check_snapshot(conn, snap) is None


def test_attack_truncate_is_refused(world):
    engine, _ = world
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE: see the delete test)")
    for table in ("audit_log", "ranking_snapshot"):
        assert "TRUNCATE refused" in _refused(engine, f"TRUNCATE {table}")
    _refused(engine, "TRUNCATE ward CASCADE")


def test_attack_deleting_the_ward_row_cascades_into_refusal(world):
    engine, ids = world
    _refused(engine, "DELETE FROM ward WHERE id = :w", w=ids["b"])
    assert _intact(engine, ids["b"])


def test_a_second_revision_supersedes_and_both_stay(world):
    engine, ids = world
    with engine.begin() as conn:
        first = ledger.snapshot(conn, ids["b"], "2026-01")
        second = _publish(conn, ids["b"], "2026-01", FORGED, supersedes=first)
    with engine.connect() as conn:
        official = ledger.snapshot(conn, ids["b"], "2026-01")
        assert (official.id, official.revision, official.supersedes_id) == \
            (second, 2, first.id)
        assert [s.revision for s in ledger.snapshot_history(conn, ids["b"], "2026-01")] == [2, 1]
        assert [s.revision for s in ledger.snapshots(conn, ids["b"])] == [2]
    with pytest.raises(DBAPIError), engine.begin() as conn:  # the same revision twice
        _publish(conn, ids["b"], "2026-01", ROWS, supersedes=first)
    assert _intact(engine, ids["b"])


@pytest.fixture
def fresh_world(migrated_engine):
    return migrated_engine, _world(migrated_engine)


def _as_attacker(engine, *statements, **params) -> None:
    with engine.begin() as conn:
        as_attacker(conn, *statements, **params)


def test_forged_ranks_under_the_original_hash_are_detected(fresh_world):
    engine, ids = fresh_world
    _as_attacker(engine, "UPDATE ranking_snapshot SET rows = :rows WHERE id = :id",
                 rows=json.dumps(FORGED), id=ids["january"])
    with engine.connect() as conn:
        snap = ledger.snapshot(conn, ids["a"], "2026-01")
        assert ledger_verify.check_snapshot(conn, snap) == ledger_verify.ROWS_ALTERED
        report = ledger_verify.check_chain(conn, "ranking_snapshot", ids["a"])
    assert (report.intact, report.broken_id) == (False, ids["january"])


def test_forged_snapshot_with_recomputed_hashes_is_detected(fresh_world):
    """A forger who recomputes both hashes still lacks the audit record of publishing it."""
    engine, ids = fresh_world
    with engine.connect() as conn:
        original = ledger.snapshot(conn, ids["a"], "2026-01")
    values = {**original._mapping, "rows": FORGED,
              "content_hash": content_hash("2026-01", "v1", FORGED)}
    values["row_hash"] = ledger.row_hash(ledger.SNAPSHOT_FIELDS, values, original.prev_hash)
    _as_attacker(engine, "UPDATE ranking_snapshot SET rows = :rows, content_hash = :c, "
                 "row_hash = :r WHERE id = :id", rows=json.dumps(FORGED),
                 c=values["content_hash"], r=values["row_hash"], id=original.id)
    with engine.connect() as conn:
        snap = ledger.snapshot(conn, ids["a"], "2026-01")
        assert snap.rows == FORGED
        assert ledger_verify.check_snapshot(conn, snap) == ledger_verify.NOT_AUDITED
    assert not _intact(engine, ids["a"])


def test_edited_and_deleted_audit_rows_are_detected(fresh_world):
    engine, ids = fresh_world
    with engine.connect() as conn:
        first = conn.execute(select(func.min(AuditLog.id)).where(
            AuditLog.ward_id == ids["b"])).scalar()
    _as_attacker(engine, "UPDATE audit_log SET action = 'nothing' WHERE id = :id", id=first)
    with engine.connect() as conn:
        report = ledger_verify.check_chain(conn, "audit_log", ids["b"])
    assert (report.broken_id, report.problem) == (first, ledger_verify.ALTERED)
    _as_attacker(engine, "DELETE FROM audit_log WHERE id = :id", id=first)
    with engine.connect() as conn:
        report = ledger_verify.check_chain(conn, "audit_log", ids["b"])
    assert report.problem == ledger_verify.UNLINKED and report.broken_id > first
    assert "BỊ PHÁ VỠ" in report.describe()


def test_ward_removal_purges_through_a_permit_and_is_audited(fresh_world):
    engine, ids = fresh_world
    with engine.connect() as conn:
        heads = {t.name: ledger.chain_head(conn, t, ids["a"])
                 for t in (AuditLog.__table__, RankingSnapshot.__table__,
                           TargetSnapshot.__table__)}
    with engine.begin() as conn:
        ward_records.delete_ward(conn, ids["a"], None)
    with engine.connect() as conn:
        left = conn.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.ward_id == ids["a"])).scalar()
        purge = conn.execute(select(AuditLog.detail).where(
            AuditLog.action == "ledger_purged", AuditLog.ward_id.is_(None))).scalar_one()
        assert left == 0 and ledger.leftover_permits(conn) == []
    assert purge["chain_heads"] == heads
    assert _intact(engine, ids["b"], None)
    # Without the permit, the other ward's history still cannot go.
    _refused(engine, "DELETE FROM ranking_snapshot WHERE ward_id = :w", w=ids["b"])


def test_concurrent_writers_do_not_fork_a_chain(fresh_world):
    engine, ids = fresh_world
    errors = []

    def write(n: int) -> None:
        for i in range(15):
            try:
                with engine.begin() as conn:
                    ledger.audit(conn, ids["a"], None, "view_personal_data", "house", n * 100 + i)
            except DBAPIError as err:  # SQLite: a busy writer gives up; never a fork
                errors.append(err)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if engine.dialect.name == "postgresql":
        assert errors == []
    with engine.connect() as conn:
        written = conn.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "view_personal_data")).scalar()
    assert written == 60 - len(errors) and written > 0
    assert _intact(engine, ids["a"])


def test_migration_chains_the_rows_already_there(migrated_engine):
    migrate.downgrade(migrated_engine, "0006")
    with migrated_engine.begin() as conn:
        ward = ward_records.insert_ward(conn, "old", "Phường Cũ", SQUARE, 5899, True)
        for action in ("login", "import", "publish_ranking"):
            conn.execute(text("INSERT INTO audit_log (ward_id, action, entity, entity_id, detail)"
                              " VALUES (:w, :a, 'ranking_snapshot', 1, :d)"),
                         {"w": ward, "a": action, "d": json.dumps(
                             {"month": "2025-12", "content_hash": content_hash(
                                 "2025-12", "v1", ROWS)})})
        conn.execute(text("INSERT INTO ranking_snapshot (id, ward_id, month, rubric_version, "
                          "rows, published_at, content_hash) VALUES (1, :w, '2025-12', 'v1', "
                          ":rows, '2026-01-01 08:00:00', :c)"),
                     {"w": ward, "rows": json.dumps(ROWS),
                      "c": content_hash("2025-12", "v1", ROWS)})
    migrate.upgrade(migrated_engine)
    assert _intact(migrated_engine, ward)
    with migrated_engine.connect() as conn:
        snap = ledger.snapshot(conn, ward, "2025-12")
        assert snap.revision == 1 and ledger_verify.check_snapshot(conn, snap) is None
    _refused(migrated_engine, "UPDATE audit_log SET action = 'x'")
