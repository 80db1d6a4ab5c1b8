"""A record without photos sent as the JSON body itself (docs/field-api.md)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from models.tables import Incident
from tests.webapp.field.conftest import incident_payload, post
from webapp.extensions import db

INCIDENTS = "/api/v1/field/incidents"


def post_json(client, payload, headers=None):
    return client.post(INCIDENTS, data=json.dumps(payload, ensure_ascii=False),
                       content_type="application/json",
                       headers=client.csrf_headers if headers is None else headers)


def stored(app, record_uuid) -> int:
    with app.app_context():
        return db.conn.execute(select(func.count()).select_from(Incident).where(
            Incident.client_uuid == uuid.UUID(record_uuid))).scalar()


def test_json_body_creates_and_either_wire_replays(field_client, writable_app):
    police = field_client("police")
    payload = incident_payload()
    created = post_json(police, payload)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    # The names answered from the per-process layer caches are the database's names:
    # a replay (multipart, as older phones send) answers them from a join.
    replay = post(police, INCIDENTS, payload)
    assert replay.status_code == 200 and replay.get_json()["replayed"] is True
    assert replay.get_json()["derived"] == body["derived"]
    assert body["derived"]["neighbourhood"]["code"].startswith("KP")
    assert body["derived"]["street"] and body["derived"]["is_repeat"] is False
    again = post_json(police, payload)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert stored(writable_app, payload["uuid"]) == 1


def test_bad_json_body_is_refused_in_vietnamese(field_client, writable_app):
    police = field_client("police")
    payload = incident_payload()
    raw = json.dumps(payload).replace('"accuracy_m": 8.0', '"accuracy_m": NaN')
    refused = police.post(INCIDENTS, data=raw, content_type="application/json",
                          headers=police.csrf_headers)
    assert refused.status_code == 400
    assert "số" in refused.get_json()["error"]["message"]  # "numbers must be finite", in Vietnamese
    assert post_json(police, [payload]).status_code == 400  # not an object
    assert stored(writable_app, payload["uuid"]) == 0


def test_json_body_still_needs_the_csrf_token(field_client, writable_app):
    police = field_client("police")
    payload = incident_payload()
    assert post_json(police, payload, headers={}).status_code == 400
    assert stored(writable_app, payload["uuid"]) == 0


def test_the_one_statement_write_keeps_cells_events_and_receipt(field_client, writable_app):
    # On PostgreSQL the incident, its event and its receipt are one statement
    # (models.records.add_incident): the tile_cell trigger still counts the new point.
    from models.tables import FieldSubmission, IncidentEvent
    from models.tile_cells import tile_cell

    def counts():
        with writable_app.app_context():
            conn = db.conn
            cells = conn.execute(select(func.coalesce(func.sum(tile_cell.c.count), 0)).where(
                tile_cell.c.layer == "incidents")).scalar()
            return cells, conn.execute(select(func.count()).select_from(Incident)).scalar()

    police = field_client("police")
    before = counts()
    payload = incident_payload()
    created = post_json(police, payload)
    assert created.status_code == 201
    assert counts() == (before[0] + 1, before[1] + 1) and before[0] == before[1]
    with writable_app.app_context():
        conn = db.conn
        event = conn.execute(select(IncidentEvent.to_status, IncidentEvent.created_at,
                                    IncidentEvent.note).where(
            IncidentEvent.incident_id == created.get_json()["id"])).one()
        receipt = conn.execute(select(FieldSubmission.entity, FieldSubmission.entity_id,
                                      FieldSubmission.kind).where(
            FieldSubmission.client_uuid == uuid.UUID(payload["uuid"]))).one()
    assert event.to_status == "reported" and event.created_at is not None
    assert event.note == payload["description"]
    assert tuple(receipt) == ("incident", created.get_json()["id"], "incident.create")
