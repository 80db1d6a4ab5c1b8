"""Many writers on SpatiaLite: WAL and BEGIN IMMEDIATE instead of "database is locked"."""

from __future__ import annotations

import threading

from sqlalchemy import text

from models.engine import IMMEDIATE, READ_EACH_STATEMENT, make_engine

WRITERS, EACH = 24, 10


def _writer(engine, errors: list, barrier) -> None:
    barrier.wait()
    for _ in range(EACH):
        try:
            # Read, then write, as every submission does (the repeat check, then insert):
            # the pattern that deadlocks deferred transactions.
            with engine.connect().execution_options(**{IMMEDIATE: True}) as conn, \
                    conn.begin():
                n = conn.execute(text("SELECT count(*) FROM tally")).scalar_one()
                conn.execute(text("INSERT INTO tally (n) VALUES (:n)"), {"n": n})
        except Exception as exc:  # noqa: BLE001 - any failure is what this test counts
            errors.append(repr(exc))


def test_writers_wait_their_turn_instead_of_failing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pool_size=WRITERS)
    with engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        conn.execute(text("CREATE TABLE tally (id INTEGER PRIMARY KEY, n INTEGER)"))
    errors: list[str] = []
    barrier = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=_writer, args=(engine, errors, barrier))
               for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT n FROM tally ORDER BY id")).scalars().all()
    engine.dispose()
    assert errors == []
    # Serialised: every writer saw all the rows written before it.
    assert rows == list(range(WRITERS * EACH))


def test_a_reader_is_not_blocked_by_an_open_write(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect().execution_options(**{IMMEDIATE: True}) as writer, writer.begin():
        writer.execute(text("INSERT INTO t VALUES (2)"))
        with engine.connect() as reader:  # WAL: sees the last commit, does not wait
            assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
    engine.dispose()


def test_a_read_connection_sees_each_new_commit(tmp_path):
    """The request's read connection must see the request's own write transaction."""
    engine = make_engine(f"sqlite:///{tmp_path / 'e.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    with engine.connect().execution_options(**{READ_EACH_STATEMENT: True}) as reader:
        assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
        with engine.connect().execution_options(**{IMMEDIATE: True}) as writer, \
                writer.begin():
            writer.execute(text("INSERT INTO t VALUES (1)"))
        assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
    engine.dispose()
