"""A phone's backlog in one request (``POST /api/v1/field/batch``), on both backends: each
record stored, refused or replayed exactly as if sent alone."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from geo.schema import BATCH_MAX_RECORDS
from models.tables import BoardingHouse, FieldSubmission, Incident
from tests.webapp.field.conftest import house_payload, incident_payload
from tests.webapp.field.test_json_body import post_json
from webapp.extensions import db

BATCH = "/api/v1/field/batch"
HOUSES = "/api/v1/field/boarding-houses"
INCIDENTS = "/api/v1/field/incidents"


def send(client, records, headers=None, raw=None):
    body = raw if raw is not None else json.dumps({"records": records}, ensure_ascii=False)
    return client.post(BATCH, data=body, content_type="application/json",
                       headers=client.csrf_headers if headers is None else headers)


def stored(app, model, uuids) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(model).where(
            model.client_uuid.in_([uuid.UUID(u) for u in uuids]))).scalar()


def test_each_record_is_answered_as_if_sent_alone(field_client, writable_app):
    police = field_client("police")
    earlier = incident_payload()
    alone = post_json(police, earlier)
    assert alone.status_code == 201
    good, house = incident_payload(), house_payload()
    bad = incident_payload(category="not-a-category", location={"lon": 1, "lat": 2})
    records = [{"url": INCIDENTS, "payload": good}, {"url": HOUSES, "payload": house},
               {"url": INCIDENTS, "payload": bad}, {"url": INCIDENTS, "payload": earlier},
               {"url": INCIDENTS, "payload": incident_payload(), "user": 999_999},
               {"url": "/api/v1/field/nowhere", "payload": incident_payload()}]
    answer = send(police, records)
    assert answer.status_code == 200, answer.get_json()
    results = answer.get_json()["results"]
    assert [r["status"] for r in results] == [201, 201, 400, 200, 401, 404]
    assert results[0]["uuid"] == good["uuid"] and results[0]["entity"] == "incident"
    assert results[0]["derived"]["neighbourhood"]["code"].startswith("KP")
    assert results[1]["entity"] == "boarding_house" and results[1]["derived"]["street"]
    refused = results[2]["error"]
    assert refused["code"] == "invalid" and {e["field"] for e in refused["errors"]} >= {
        "category", "location"}
    assert results[3]["replayed"] is True and results[3]["id"] == alone.get_json()["id"]
    assert results[4]["error"]["code"] == "other_user"
    assert results[5]["error"]["field"] == "url"
    assert stored(writable_app, Incident, [good["uuid"], bad["uuid"]]) == 1
    assert stored(writable_app, BoardingHouse, [house["uuid"]]) == 1
    # Sent again (the answer was lost): replays, nothing new; a record sent alone after its
    # batch replays too, since the content hash does not depend on how it travelled.
    again = send(police, records[:2]).get_json()["results"]
    assert [(r["status"], r.get("replayed")) for r in again] == [(200, True), (200, True)]
    assert post_json(police, good).status_code == 200
    assert stored(writable_app, FieldSubmission, [good["uuid"], house["uuid"]]) == 2
    changed = send(police, [{"url": INCIDENTS, "payload": {**good, "description": "khác"}}])
    assert changed.get_json()["results"][0]["status"] == 409


def test_permissions_are_the_single_endpoints(field_client, writable_app):
    staff = field_client("urban_staff")  # records violations, not boarding houses
    house, incident = house_payload(), incident_payload()
    results = send(staff, [{"url": HOUSES, "payload": house},
                           {"url": INCIDENTS, "payload": incident}]).get_json()["results"]
    assert [r["status"] for r in results] == [403, 201]
    assert stored(writable_app, BoardingHouse, [house["uuid"]]) == 0
    leader = field_client("leader")
    answer = send(leader, [{"url": INCIDENTS, "payload": incident_payload()}])
    assert answer.get_json()["results"][0]["status"] == 403


def test_a_bad_batch_is_refused_whole_and_stores_nothing(field_client, writable_app):
    police = field_client("police")
    payloads = [incident_payload() for _ in range(BATCH_MAX_RECORDS + 1)]
    too_many = send(police, [{"url": INCIDENTS, "payload": p} for p in payloads])
    assert too_many.status_code == 413
    assert str(BATCH_MAX_RECORDS) in too_many.get_json()["error"]["message"]
    empty = send(police, [])
    assert empty.status_code == 400 and empty.get_json()["error"]["field"] == "records"
    nan = json.dumps({"records": [{"url": INCIDENTS, "payload": payloads[0]}]}).replace(
        '"accuracy_m": 8.0', '"accuracy_m": NaN')
    assert send(police, None, raw=nan).status_code == 400
    assert send(police, None, raw="[1, 2]").status_code == 400
    not_object = send(police, [{"url": INCIDENTS, "payload": [1]}, "nhà trọ"])
    assert [r["status"] for r in not_object.get_json()["results"]] == [400, 400]
    no_token = send(police, [{"url": INCIDENTS, "payload": payloads[1]}], headers={})
    assert no_token.status_code == 400
    other = send(police, [{"url": INCIDENTS, "payload": payloads[2]}],
                 headers={**police.csrf_headers, "X-Urbanorder-User": "999999"})
    assert other.status_code == 401 and other.get_json()["error"]["code"] == "other_user"
    assert stored(writable_app, Incident, [p["uuid"] for p in payloads]) == 0


def test_a_record_stored_after_the_batchs_look_up_is_still_stored_once(
        field_client, writable_app, monkeypatch):
    """A batch looks its records' receipts up in one statement and then stores the unseen
    ones without looking again. A copy that raced in after the look-up (another phone's
    resend, another batch) is refused by the receipt's unique key and answered as the
    replay it is; a record whose resend would now be refused (its incident has moved on) is
    looked up again and replayed, never answered as refused."""
    from webapp.services import submissions

    staff = field_client("urban_staff")
    first = incident_payload()
    created = post_json(staff, first).get_json()
    step = {"uuid": str(uuid.uuid4()), "to": "verified"}
    transition = f"/api/v1/incidents/{created['id']}/transition"
    assert send(staff, [{"url": transition, "payload": step}]).get_json()["results"][0][
        "status"] == 201
    monkeypatch.setattr(submissions, "receipted", lambda ward, uuids: set())  # a late look-up
    fresh = incident_payload()
    records = [{"url": INCIDENTS, "payload": first}, {"url": transition, "payload": step},
               {"url": INCIDENTS, "payload": fresh},
               {"url": INCIDENTS, "payload": {**first, "description": "khác"}}]
    results = send(staff, records).get_json()["results"]
    assert [(r["status"], r.get("replayed")) for r in results] == [
        (200, True), (200, True), (201, None), (409, None)]
    assert results[0]["id"] == created["id"]
    assert stored(writable_app, Incident, [first["uuid"], fresh["uuid"]]) == 2
    assert stored(writable_app, FieldSubmission, [step["uuid"]]) == 1


def _checkouts(engine, send_it):
    """(pool check-outs, answer) of ``send_it()``."""
    from sqlalchemy import event

    checkouts = []
    listener = lambda *_: checkouts.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        answer = send_it()
    finally:
        event.remove(engine, "checkout", listener)
    return len(checkouts), answer


def test_a_batch_checks_out_its_connections_once_whatever_its_size(field_client, writable_app):
    """The pool's check-out and ping are paid per request, not per record: on PostgreSQL
    the request's read connection carries its records' transactions too (one check-out);
    SQLite's writes take a second connection, which locks at BEGIN (two)."""
    police = field_client("police")
    engine = writable_app.extensions["urbanorder_engine"]
    count, answer = _checkouts(engine, lambda: send(
        police, [{"url": INCIDENTS, "payload": incident_payload()} for _ in range(6)]))
    assert [r["status"] for r in answer.get_json()["results"]] == [201] * 6
    assert count == (1 if engine.dialect.name == "postgresql" else 2)


def test_a_single_record_writes_on_the_requests_read_connection(field_client, writable_app):
    """One record, one request: on PostgreSQL its transaction runs on the connection that
    read the signed-in user, and its commit counts (the process's cached layer versions
    depend on it)."""
    police = field_client("police")
    engine = writable_app.extensions["urbanorder_engine"]
    with writable_app.app_context():
        before = db.commits
    count, answer = _checkouts(engine, lambda: post_json(police, incident_payload()))
    assert answer.status_code == 201, answer.get_json()
    assert count == (1 if engine.dialect.name == "postgresql" else 2)
    with writable_app.app_context():
        assert db.commits == before + 1
