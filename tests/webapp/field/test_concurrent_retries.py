"""Issue 10 point 4: a phone retrying one record (or a batch) at once gets replays, never a
false 409."""

from __future__ import annotations

import threading
from uuid import UUID

from sqlalchemy import func, select

from models.tables import BoardingHouse, FieldSubmission, Incident
from tests.webapp.field.conftest import house_payload, incident_payload, post
from tests.webapp.field.test_batch import send as send_batch
from webapp.extensions import db

RETRIES = 8


def _at_once(clients, url: str, payload: dict) -> list[int]:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)

    def send(i: int) -> None:
        barrier.wait()
        statuses[i] = post(clients[i], url, payload).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _count(app, table, uuid: str) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(table).where(
            table.client_uuid == UUID(uuid))).scalar_one()


def test_one_house_sent_eight_times_at_once_is_stored_once(field_client, writable_app):
    clients = [field_client("police") for _ in range(RETRIES)]
    payload = house_payload()
    statuses = _at_once(clients, "/api/v1/field/boarding-houses", payload)
    assert sorted(statuses) == [200] * (RETRIES - 1) + [201], statuses
    assert _count(writable_app, BoardingHouse, payload["uuid"]) == 1
    assert _count(writable_app, FieldSubmission, payload["uuid"]) == 1


def test_one_incident_sent_eight_times_at_once_is_stored_once(field_client, writable_app):
    clients = [field_client("police") for _ in range(RETRIES)]
    payload = incident_payload()
    statuses = _at_once(clients, "/api/v1/field/incidents", payload)
    assert sorted(statuses) == [200] * (RETRIES - 1) + [201], statuses
    assert _count(writable_app, Incident, payload["uuid"]) == 1


def test_overlapping_batches_sent_at_once_store_each_record_once(field_client, writable_app):
    """A phone whose batch timed out resends it while the first is still being stored, and
    a second tab sends the tail of the same backlog: every record is stored once, each
    answer is a 201 or a 200 replay of the same record."""
    clients = [field_client("police") for _ in range(4)]
    payloads = [incident_payload() for _ in range(6)]
    batches = [payloads, payloads, payloads[3:], payloads[::-1]]
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(i: int) -> None:
        barrier.wait()
        answers[i] = send_batch(clients[i], [{"url": "/api/v1/field/incidents", "payload": p}
                                             for p in batches[i]]).get_json()["results"]

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids: dict[str, set] = {}
    for batch, results in zip(batches, answers, strict=True):
        assert {r["status"] for r in results} <= {200, 201}, results
        for payload, result in zip(batch, results, strict=True):
            ids.setdefault(payload["uuid"], set()).add(result["id"])
    created = sum(r["status"] == 201 for results in answers for r in results)
    assert created == len(payloads) and all(len(v) == 1 for v in ids.values())
    for payload in payloads:
        assert _count(writable_app, Incident, payload["uuid"]) == 1
        assert _count(writable_app, FieldSubmission, payload["uuid"]) == 1
