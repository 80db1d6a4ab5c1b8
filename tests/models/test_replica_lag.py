"""How stale a replica may be, from samples of the primary's WAL position (no server here:
tests/webapp/test_replicas.py runs a real primary and hot standby)."""

from __future__ import annotations

import math
import time

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import ArgumentError

from models.engine import make_engine
from models.replicas import Replica, Replicas, lsn_value, parse_urls


def test_wal_positions_compare_as_numbers():
    assert lsn_value("0/16B3748") == 0x16B3748
    assert lsn_value("1/0") == 1 << 32
    assert lsn_value("1/0") > lsn_value("0/FFFFFFFF")
    assert lsn_value(None) is None


def _replicas(samples) -> tuple[Replicas, Replica]:
    engine = create_engine("postgresql+psycopg://u@127.0.0.1:1/x")  # never connected
    replica = Replica(engine)
    replicas = Replicas(engine, [replica], max_lag_s=5, check_every_s=1)
    replicas._samples.extend(samples)
    return replicas, replica


def test_the_lag_bound_is_the_age_of_the_newest_primary_position_replayed():
    now = time.time()
    replicas, replica = _replicas([(now - 8, 100), (now - 4, 200), (now - 1, 300)])
    replicas.note_replayed(replica, 250)  # has all of 4 s ago, not all of 1 s ago
    assert replica.lag_bound(now) == pytest.approx(4)
    replicas.note_replayed(replica, 300)
    assert replica.lag_bound(now) == pytest.approx(1)
    assert replica.lag_bound(now + 10) == pytest.approx(11)  # no check since: it ages


def test_a_replica_behind_every_sample_or_down_is_unusable():
    now = time.time()
    replicas, replica = _replicas([(now - 1, 300)])
    replicas.note_replayed(replica, 299)
    assert math.isinf(replica.lag_bound(now))
    replicas.note_replayed(replica, None)  # not in recovery: promoted, not a replica
    assert replica.down and math.isinf(replica.lag_bound(now))


def test_replica_urls_setting(tmp_path):
    assert parse_urls(None) == [] and parse_urls(" , ") == []
    assert parse_urls("postgresql+psycopg://a@h1/db, postgresql+psycopg://a@h2/db") == [
        "postgresql+psycopg://a@h1/db", "postgresql+psycopg://a@h2/db"]
    with pytest.raises(ArgumentError):
        parse_urls("not a url")
    spatialite = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert Replicas.connect(spatialite, ["postgresql+psycopg://a@h1/db"], 5) is None
