"""Issue 10 point 4: one form of a username everywhere, and sign-in that tells nothing."""

from __future__ import annotations

import statistics
import time

import pytest

from tests.helpers import DEMO_PASSWORDS, csrf_token
from webapp import create_app
from webapp.users import normalise_username

VARIANTS = (" congan", "congan ", "congan\u00a0", "\u00a0congan", "CongAn", "CONGAN",
            "congan\u200b", "co\u0301ngan")


def _attempt(client, username: str, password: str = "wrong-password-9") -> int:
    token = csrf_token(client)
    return client.post("/auth/login", data={"username": username, "password": password,
                                            "csrf_token": token}).status_code


@pytest.mark.parametrize("raw, expected", [
    ("  Admin ", "admin"), ("admin\u00a0", "admin"), ("ad\u200bmin", "admin"),
    ("\u202eadmin", "admin"), ("ĐỖ.Hùng", "đỗ.hùng"), ("Stra\u00dfe", "strasse"),
])
def test_usernames_have_one_form(raw, expected):
    assert normalise_username(raw) == expected


@pytest.mark.parametrize("variant", VARIANTS[:-1])
def test_a_spaced_or_cased_name_is_the_same_account(writable_app, variant):
    client = writable_app.test_client()
    assert _attempt(client, variant, DEMO_PASSWORDS["congan"]) == 302


def test_a_bidi_control_in_the_name_is_refused_not_looked_up(writable_app):
    assert _attempt(writable_app.test_client(), "\u202econgan",
                    DEMO_PASSWORDS["congan"]) == 400


def test_the_per_account_limit_counts_every_spelling(writable_url):
    """Five wrong passwords lock the account for every spelling of its name — spaces, NBSP,
    case, zero-width and bidi characters are not new accounts to the limiter."""
    app = create_app({"DATABASE_URL": writable_url, "TILE_URL": "", "SECRET_KEY": "t",
                      "RATELIMIT_ENABLED": True})
    statuses = []
    for attempt in range(5):
        # A new client per try: the per-address limit (10/min) must not be what stops it.
        statuses.append(_attempt(app.test_client(), VARIANTS[attempt % 3]))
    assert statuses == [401] * 5
    locked = [_attempt(app.test_client(), v) for v in VARIANTS[:-1]]
    assert set(locked) == {429}, dict(zip(VARIANTS, locked, strict=False))
    app.extensions["urbanorder_engine"].dispose()


def test_new_hashes_have_rfc_9106s_low_memory_cost(monkeypatch):
    """Production's hashes: Argon2id, 64 MiB, 3 passes, 4 lanes (the suite's are cheap)."""
    from webapp.auth import passwords

    monkeypatch.delenv(passwords.CHEAP_FOR_TESTS, raising=False)
    made = passwords.hash_password("mat-khau-thu-1")
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), made
    assert passwords.verify_password(made, "mat-khau-thu-1")
    assert passwords.dummy_hash().startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    cheap = passwords._hasher_of(True).hash("mat-khau-thu-1")
    assert passwords.verify_password(cheap, "mat-khau-thu-1")
    assert passwords.needs_rehash(cheap) and not passwords.needs_rehash(made)


def test_an_unknown_account_takes_as_long_as_a_real_one(writable_app, monkeypatch):
    """Timing must not reveal which usernames exist (it was 205 ms against 11 ms). At the
    production cost: the account's hash and the unknown accounts' dummy one."""
    from webapp.auth import passwords
    from webapp.extensions import db
    from webapp.users import set_password

    monkeypatch.delenv(passwords.CHEAP_FOR_TESTS, raising=False)
    with writable_app.app_context(), db.transaction() as conn:
        set_password(conn, "congan", DEMO_PASSWORDS["congan"])
    client = writable_app.test_client()

    def timed(username: str) -> float:
        token = csrf_token(client)
        start = time.perf_counter()
        status = client.post("/auth/login", data={
            "username": username, "password": "wrong-password-9", "csrf_token": token},
        ).status_code
        elapsed = time.perf_counter() - start
        assert status == 401
        return elapsed

    timed("congan"), timed("khong.co.ai")  # warm both paths
    real = statistics.median(timed("congan") for _ in range(5))
    unknown = statistics.median(timed("khong.co.ai.ca") for _ in range(5))
    assert 0.5 < unknown / real < 2, (real, unknown)


def test_the_password_check_holds_no_write_lock(writable_app, monkeypatch):
    """Argon2 runs before the sign-in's write transaction: on SQLite that transaction holds
    the file's write lock, and officers signing in together queued behind each other's
    Argon2 until the busy timeout answered 500 (issue 11 load test)."""
    from webapp.auth import views

    if writable_app.extensions["urbanorder_engine"].dialect.name != "sqlite":
        pytest.skip("PostgreSQL's writers do not share one lock")
    real, writers = views.verify_password, []

    def verify_while_another_writes(hashed: str, password: str) -> bool:
        other = writable_app.extensions["urbanorder_engine"].raw_connection()
        try:
            other.execute("PRAGMA busy_timeout = 0")
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if the lock is held
            other.execute("ROLLBACK")
            writers.append(True)
        finally:
            other.close()
        return real(hashed, password)

    monkeypatch.setattr(views, "verify_password", verify_while_another_writes)
    assert _attempt(writable_app.test_client(), "congan", DEMO_PASSWORDS["congan"]) == 302
    assert writers == [True]
