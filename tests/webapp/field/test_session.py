"""Sessions that last a shift on a shared phone, and records sent by their owner only
(both backends)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import records
from models.tables import FieldSubmission, Incident
from tests.helpers import api_headers, csrf_token, sign_in
from tests.webapp.field.conftest import house_payload, incident_payload
from webapp import config as settings
from webapp.auth import SIGNED_IN_AT
from webapp.cli import cli
from webapp.demo import DEMO_WARD
from webapp.extensions import db

SESSION = "/api/v1/field/session"
INCIDENTS = "/api/v1/field/incidents"
HOUSES = "/api/v1/field/boarding-houses"


def user_id(app, username: str) -> int:
    with app.app_context():
        return records.user_by_username(db.conn, username).id


def new_officer(app, role: str = "police") -> tuple[str, str]:
    """A fresh account (username, password) made with the command line."""
    username = f"canbo.{uuid.uuid4().hex[:8]}"
    added = app.test_cli_runner().invoke(cli, ["user", "add", username, "--role", role,
                                               "--name", "Lê Văn Hai", "--ward", DEMO_WARD])
    assert added.exit_code == 0, added.output
    return username, re.search(r"Mật khẩu: (\S+)", added.output).group(1)


def send(client, url: str, payload: dict, sender: int | str | None = None):
    headers = dict(client.csrf_headers)
    if sender is not None:
        headers["X-Urbanorder-User"] = str(sender)
    return client.post(url, data={"payload": json.dumps(payload, ensure_ascii=False)},
                       headers=headers, content_type="multipart/form-data")


def stored(app, client_uuid: str) -> tuple[int, int]:
    """(incidents, field submissions) stored under this device UUID."""
    key = uuid.UUID(client_uuid)
    with app.app_context():
        conn = db.conn
        return (conn.execute(select(func.count()).select_from(Incident).where(
                    Incident.client_uuid == key)).scalar(),
                conn.execute(select(func.count()).select_from(FieldSubmission).where(
                    FieldSubmission.client_uuid == key)).scalar())


def test_session_endpoint_says_who_and_until_when(field_client, writable_app):
    police = writable_app.test_client()
    sign_in(police, "congan")  # now: field_client's session began when the template was made
    response = police.get(SESSION)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["user"] == {"id": user_id(writable_app, "congan"), "username": "congan",
                            "full_name": body["user"]["full_name"], "role": "police"}
    assert body["user"]["full_name"]
    assert body["ward"]["code"] and body["ward"]["name"]
    signed_in = datetime.fromisoformat(body["signed_in_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert signed_in.tzinfo is not None and body["expires_at"].endswith("Z")
    assert abs(datetime.now(UTC) - signed_in) < timedelta(minutes=5)
    assert expires - signed_in == timedelta(hours=12)
    staff = field_client("urban_staff")
    assert staff.get(SESSION).get_json()["user"]["role"] == "urban_staff"
    anonymous = writable_app.test_client().get(SESSION)
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["status"] == 401


def test_a_changing_address_keeps_the_session(field_client):
    police = field_client("police")
    for address in ("10.0.0.7", "192.168.1.20", "10.0.0.7"):
        assert police.get("/field/", environ_base={"REMOTE_ADDR": address}).status_code == 200
        response = police.get(SESSION, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200, address
    with police.session_transaction() as session:
        # Not even downgraded: Flask-Login's address check ("basic"/"strong") is off.
        assert session["_fresh"] is True


def test_the_cookie_outlives_a_browser_restart(writable_app):
    client = writable_app.test_client()
    signed = sign_in(client, "congan")
    (cookie,) = [c for c in signed.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Expires=" in cookie or "Max-Age=" in cookie
    assert "HttpOnly" in cookie


def test_the_shift_length_is_a_setting(monkeypatch):
    monkeypatch.setenv("URBANORDER_SESSION_HOURS", "8")
    assert settings.from_environment()["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    monkeypatch.delenv("URBANORDER_SESSION_HOURS")
    assert settings.from_environment()["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_a_session_older_than_the_shift_is_refused(field_client):
    police = field_client("police")
    assert police.get(SESSION).status_code == 200
    with police.session_transaction() as session:
        session[SIGNED_IN_AT] -= 11 * 3600  # still inside the 12-hour shift
    assert police.get(SESSION).status_code == 200
    with police.session_transaction() as session:
        session[SIGNED_IN_AT] -= 2 * 3600  # 13 hours ago: however busy, it is over
    api = police.get(SESSION)
    assert api.status_code == 401 and "đăng nhập" in api.get_json()["error"]["message"]
    page = police.get("/field/")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    sign_in(police, "congan")  # signing in again starts a new shift
    assert police.get(SESSION).status_code == 200


def test_a_session_without_a_sign_in_time_is_refused(field_client):
    police = field_client("police")
    with police.session_transaction() as session:
        del session[SIGNED_IN_AT]
    assert police.get(SESSION).status_code == 401


def test_signing_out_ends_the_session_even_if_its_cookie_comes_back(writable_app):
    """A request in flight at sign-out (the service worker caching pages, a slow send) may
    bring the old session cookie back: the server no longer knows that session."""
    client = writable_app.test_client()
    sign_in(client, "congan")
    before = client.get_cookie("session").value
    assert client.get(SESSION).status_code == 200
    token = csrf_token(client, "/field/")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    client.set_cookie("session", before)  # the late answer's Set-Cookie
    assert client.get(SESSION).status_code == 401
    assert client.get("/field/").status_code == 302
    other = writable_app.test_client()  # the same account elsewhere is not signed out
    sign_in(other, "congan")
    client.set_cookie("session", before)
    assert other.get(SESSION).status_code == 200 and client.get(SESSION).status_code == 401


def test_a_password_change_still_ends_the_session(writable_app):
    username, password = new_officer(writable_app)
    client = writable_app.test_client()
    sign_in(client, username, password)
    assert client.get(SESSION).status_code == 200
    changed = writable_app.test_cli_runner().invoke(
        cli, ["user", "passwd", username, "--password", "mat-khau-moi-2"])
    assert changed.exit_code == 0, changed.output
    assert client.get(SESSION).status_code == 401
    assert client.get("/field/").status_code == 302


def test_a_record_waits_for_the_officer_who_made_it(field_client, writable_app):
    officer_a = field_client("police")
    a_id = user_id(writable_app, "congan")
    username_b, password_b = new_officer(writable_app)
    officer_b = writable_app.test_client()
    sign_in(officer_b, username_b, password_b)
    officer_b.csrf_headers = api_headers(officer_b)
    payload = incident_payload(category="fire_safety")
    refused = send(officer_b, INCIDENTS, payload, sender=a_id)
    assert refused.status_code == 401
    error = refused.get_json()["error"]
    assert error["code"] == "other_user" and error["status"] == 401
    assert error["message"] == ("Bản ghi này của một tài khoản khác: chờ người ghi nhận đăng "
                                "nhập để gửi.")
    assert error["message_en"]
    assert stored(writable_app, payload["uuid"]) == (0, 0)
    # The same record, later, from its officer's own session.
    sent = send(officer_a, INCIDENTS, payload, sender=a_id)
    assert sent.status_code == 201, sent.get_json()
    assert stored(writable_app, payload["uuid"]) == (1, 1)
    # A replay from the other account is still refused, not answered as a replay.
    assert send(officer_b, INCIDENTS, payload, sender=a_id).status_code == 401


def test_every_submission_checks_the_sender(field_client, writable_app):
    police = field_client("police")
    a_id = user_id(writable_app, "congan")
    other = a_id + 1000
    house = house_payload()
    assert send(police, HOUSES, house, sender=other).status_code == 401
    created = send(police, HOUSES, house, sender=a_id)
    assert created.status_code == 201
    edit = house_payload(uuid=str(uuid.uuid4()))
    assert send(police, f"{HOUSES}/{house['uuid']}", edit, sender=other).status_code == 401
    inspection = {"uuid": str(uuid.uuid4()), "inspected_at": "2026-10-01T09:00",
                  "fire_safety_pass": True}
    url = f"{HOUSES}/{house['uuid']}/inspections"
    assert send(police, url, inspection, sender=other).status_code == 401
    assert send(police, url, inspection, sender=a_id).status_code == 201
    incident = send(police, INCIDENTS, incident_payload()).get_json()
    step = {"uuid": str(uuid.uuid4()), "to": "verified"}
    transition = f"/api/v1/incidents/{incident['id']}/transition"
    assert send(police, transition, step, sender=other).status_code == 401
    assert send(police, transition, step, sender=a_id).status_code == 201


def test_without_the_header_nothing_changes_and_a_bad_one_is_a_400(field_client,
                                                                   writable_app):
    police = field_client("police")
    payload = incident_payload()
    assert send(police, INCIDENTS, payload).status_code == 201
    assert send(police, INCIDENTS, payload).get_json()["replayed"] is True
    bad = incident_payload()
    response = send(police, INCIDENTS, bad, sender="congan")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "X-Urbanorder-User"
    assert stored(writable_app, bad["uuid"]) == (0, 0)


def test_the_check_comes_after_sign_in_and_csrf(field_client, writable_app):
    anonymous = writable_app.test_client()
    response = anonymous.post(INCIDENTS, data={"payload": "{}"},
                              headers={"X-Urbanorder-User": "1"})
    assert response.status_code == 401
    assert response.get_json()["error"].get("code") != "other_user"
    police = field_client("police")
    no_csrf = police.post(INCIDENTS, data={"payload": "{}"},
                          headers={"X-Urbanorder-User": "999999"})
    assert no_csrf.status_code == 400
