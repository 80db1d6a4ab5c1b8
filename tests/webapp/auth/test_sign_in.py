"""Sign-in, sessions, rate limits, headers and the CLI for accounts (both backends)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models.tables import AuditLog, User
from tests.helpers import DEMO_PASSWORDS, csrf_token, sign_in
from webapp import create_app
from webapp.cli import cli
from webapp.demo import DEMO_WARD
from webapp.extensions import db


def test_strangers_are_sent_to_sign_in_and_api_says_401(anonymous):
    page = anonymous.get("/")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    api = anonymous.get("/api/v1/incidents")
    assert api.status_code == 401
    assert "đăng nhập" in api.get_json()["error"]["message"]
    assert anonymous.get("/auth/login").status_code == 200
    assert anonymous.get("/vendor/leaflet/leaflet.js").status_code == 200


def test_wrong_password_is_refused_in_vietnamese_and_audited(anonymous, demo_app):
    token = csrf_token(anonymous)
    response = anonymous.post("/auth/login", data={
        "username": "lanhdao", "password": "sai-mat-khau-1", "csrf_token": token})
    assert response.status_code == 401
    assert "không đúng" in response.get_data(as_text=True)
    with demo_app.app_context():
        failed = db.conn.execute(select(AuditLog.action).where(
            AuditLog.action == "login_failed")).all()
    assert failed


def test_login_form_needs_its_csrf_token(anonymous):
    response = anonymous.post("/auth/login", data={"username": "lanhdao",
                                                   "password": DEMO_PASSWORDS["lanhdao"]})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/",
                                    "/%5Cevil.example/"])  # browsers read "\\" as "/"
def test_next_only_redirects_inside_the_app(writable_app, target):
    client = writable_app.test_client()
    token = csrf_token(client)
    response = client.post(f"/auth/login?next={target}", data={
        "username": "lanhdao", "password": DEMO_PASSWORDS["lanhdao"], "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_switching_user_on_a_field_page_signs_in_back_to_the_field(writable_app):
    client = writable_app.test_client()
    sign_in(client, "congan")
    token = csrf_token(client, "/field/")
    response = client.post("/auth/logout?next=/field/", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/field/"
    assert client.get("/field/").status_code == 302  # signed out
    sign_in(client, "congan")
    evil = client.post("/auth/logout?next=//evil.example/",
                       data={"csrf_token": csrf_token(client, "/field/")})
    assert evil.headers["Location"] == "/auth/login?next=/"


def test_security_headers_and_cookie_flags(anonymous):
    response = anonymous.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split(";")[1]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    token = csrf_token(anonymous)
    signed = anonymous.post("/auth/login", data={
        "username": "lanhdao", "password": DEMO_PASSWORDS["lanhdao"], "csrf_token": token})
    (cookie,) = [c for c in signed.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_with_data_are_not_cached(client):
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


def test_sign_in_is_rate_limited(writable_url):
    app = create_app({"DATABASE_URL": writable_url, "TILE_URL": "", "SECRET_KEY": "t",
                      "RATELIMIT_ENABLED": True})
    client = app.test_client()
    statuses = []
    for _ in range(7):
        token = csrf_token(client)
        statuses.append(client.post("/auth/login", data={
            "username": "congan", "password": "wrong-password-9", "csrf_token": token},
        ).status_code)
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429
    app.extensions["urbanorder_engine"].dispose()


def test_password_change_and_disable_end_sessions(writable_app):
    runner = writable_app.test_cli_runner()
    added = runner.invoke(cli, ["user", "add", "canbo.moi", "--role", "urban_staff",
                                "--name", "Trần Thị Mới", "--ward", DEMO_WARD])
    assert added.exit_code == 0, added.output
    password = re.search(r"Mật khẩu: (\S+)", added.output).group(1)
    session = writable_app.test_client()
    sign_in(session, "canbo.moi", password)
    assert session.get("/").status_code == 200
    changed = runner.invoke(cli, ["user", "passwd", "canbo.moi", "--password", "mat-khau-moi-1"])
    assert changed.exit_code == 0
    assert session.get("/").status_code == 302  # the old session is over
    sign_in(session, "canbo.moi", "mat-khau-moi-1")
    assert runner.invoke(cli, ["user", "disable", "canbo.moi"]).exit_code == 0
    assert session.get("/").status_code == 302
    token = csrf_token(session)
    refused = session.post("/auth/login", data={"username": "canbo.moi",
                                                "password": "mat-khau-moi-1",
                                                "csrf_token": token})
    assert refused.status_code == 401
    duplicate = runner.invoke(cli, ["user", "add", "canbo.moi", "--role", "police",
                                    "--ward", DEMO_WARD])
    assert duplicate.exit_code != 0 and "đã có" in duplicate.output
    weak = runner.invoke(cli, ["user", "add", "yeu", "--role", "police", "--password", "123",
                               "--ward", DEMO_WARD])
    assert weak.exit_code != 0 and "ít nhất" in weak.output
    with writable_app.app_context():
        stored = db.conn.execute(select(User.password_hash).where(
            User.username == "canbo.moi")).scalar()
    assert stored.startswith("$argon2id$")


def test_every_role_reads_the_map_api_but_never_owner_data(client_as):
    for role in ("admin", "police", "urban_staff", "leader"):
        client = client_as(role)
        body = client.get("/api/v1/boarding-houses?limit=5").get_data(as_text=True)
        assert '"owner_' not in body
        assert client.get("/").status_code == 200


def test_another_wards_code_is_refused(client):
    assert client.get("/api/v1/incidents?ward=binh-phuoc").status_code == 404
