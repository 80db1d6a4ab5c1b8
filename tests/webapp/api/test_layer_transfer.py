"""Layers travel compressed, and an unchanged layer is a 304 that costs no query."""

from __future__ import annotations

import gzip
import json
import uuid

from sqlalchemy import func, select, update

from models import fingerprints, layer_json
from models.engine import make_engine
from models.tables import Incident
from tests.helpers import api_headers, sign_in
from tests.webapp.field.conftest import incident_payload, post

URL = "/api/v1/boarding-houses"


def test_layers_are_compressed_for_clients_that_accept_it(client):
    plain = client.get(URL, headers={"Accept-Encoding": "identity"})
    packed = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    assert len(packed.data) < 0.3 * len(plain.data)
    brotli = client.get(URL, headers={"Accept-Encoding": "br"})
    assert brotli.headers["Content-Encoding"] == "br"


def test_an_unchanged_layer_is_a_304_without_a_query(client, monkeypatch):
    first = client.get(URL, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    built = []
    real = layer_json.features_json
    monkeypatch.setattr(layer_json, "features_json",
                        lambda *a, **k: built.append(1) or real(*a, **k))
    again = client.get(URL, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert again.status_code == 304 and again.data == b"" and built == []
    assert again.headers["ETag"] == etag
    other_query = client.get(f"{URL}?limit=5", headers={"If-None-Match": etag})
    assert other_query.status_code == 200 and built == [1]


def test_a_new_record_changes_the_etag(writable_app):
    police = writable_app.test_client()
    sign_in(police, "congan")
    police.csrf_headers = api_headers(police)
    url = "/api/v1/incidents"
    etag = police.get(url).headers["ETag"]
    assert police.get(url, headers={"If-None-Match": etag}).status_code == 304
    created = post(police, "/api/v1/field/incidents", incident_payload(uuid=str(uuid.uuid4())))
    assert created.status_code == 201, created.get_json()
    changed = police.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_fingerprints_are_read_once_a_second_unless_this_process_commits(writable_app,
                                                                         monkeypatch):
    """The ETag's fingerprints are trusted for LAYER_VERSION_MAX_AGE; a commit in this
    process (here, the field API's) ends the trust at once, another process's write shows
    within that time."""
    writable_app.config["LAYER_VERSION_MAX_AGE"] = 3600
    police = writable_app.test_client()
    sign_in(police, "congan")
    police.csrf_headers = api_headers(police)
    reads = []
    real = fingerprints.layers_fingerprint
    monkeypatch.setattr(fingerprints, "layers_fingerprint",
                        lambda *a, **k: reads.append(1) or real(*a, **k))
    url = "/api/v1/incidents?limit=1"
    etag = police.get(url).headers["ETag"]
    for layer in ("incidents", "streets", "boarding-houses"):  # the map's first view
        police.get(f"/api/v1/{layer}?limit=1")
    assert len(reads) <= 1  # plain GETs commit nothing: one reading serves them all
    created = post(police, "/api/v1/field/incidents", incident_payload(uuid=str(uuid.uuid4())))
    assert created.status_code == 201, created.get_json()
    assert police.get(url, headers={"If-None-Match": etag}).status_code == 200
    etag = police.get(url).headers["ETag"]
    # Another process's write (its own engine: no commit counted here) waits for max age.
    with make_engine(writable_app.config["DATABASE_URL"]).begin() as conn:
        conn.execute(update(Incident).where(Incident.id == select(
            func.max(Incident.id)).scalar_subquery()).values(description="sửa ở máy khác"))
    assert police.get(url, headers={"If-None-Match": etag}).status_code == 304
    writable_app.config["LAYER_VERSION_MAX_AGE"] = 0
    assert police.get(url, headers={"If-None-Match": etag}).status_code == 200
