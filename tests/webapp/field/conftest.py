"""Fixtures for the field API: signed-in clients on a writable demo, payload builders."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from PIL import Image

from tests.databases import signed_in_client
from tests.helpers import ROLE_USERS, api_headers

INSIDE = {"lon": 106.925, "lat": 10.853, "accuracy_m": 8.0, "manual": False}


@pytest.fixture
def field_client(writable_app):
    def make(role: str):
        client = signed_in_client(writable_app, ROLE_USERS[role])
        client.csrf_headers = api_headers(client)
        return client

    return make


def house_payload(**overrides) -> dict:
    payload = {
        "uuid": str(uuid.uuid4()), "name": "Nhà trọ Thử Nghiệm", "address": "số 1, Đường 51",
        "owner_name": "Nguyễn Văn Chủ", "owner_phone": "0912 345 678",
        "owner_id_number": "075123456789", "house_type": "rooming_house", "rooms": 12,
        "residents": 20, "classification": "good", "antt_commitment_on": "2026-03-01",
        "extinguishers": 2, "has_alarm": True, "has_escape_route": True,
        "model_status": "none", "location": dict(INSIDE),
    }
    payload.update(overrides)
    return payload


def incident_payload(**overrides) -> dict:
    payload = {"uuid": str(uuid.uuid4()), "category": "encroachment_sidewalk",
               "observed_at": "2026-11-01T09:30", "description": "Bày hàng lấn vỉa hè",
               "location": dict(INSIDE)}
    payload.update(overrides)
    return payload


def jpeg_with_gps() -> bytes:
    """A JPEG carrying EXIF with a GPS position and a camera model, as phones write them."""
    image = Image.new("RGB", (2400, 1200), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "Phone Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 51.0, 10.8)
    gps[3], gps[4] = "E", (106.0, 55.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def post(client, url: str, payload: dict, photos: list[tuple[str, bytes]] = ()):
    data = {"payload": json.dumps(payload, ensure_ascii=False)}
    if photos:
        data["photos"] = [(io.BytesIO(raw), name) for name, raw in photos]
    return client.post(url, data=data, headers=client.csrf_headers,
                       content_type="multipart/form-data")
