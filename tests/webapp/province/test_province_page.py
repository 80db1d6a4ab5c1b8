"""The province page on both backends: for province viewers only, every ward summarised,
the latest published ranking of each khu phố in the choropleth's data."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from models import ledger, queries
from models.tables import Incident
from tests.conftest import test_app
from tests.databases import signed_in_client
from webapp.extensions import db

pytestmark = pytest.mark.slow


@pytest.fixture
def app(province_url):
    for app in test_app(province_url):
        app.config["TILE_VERSION_MAX_AGE"] = 0
        yield app


def signed_in(app, username: str):
    return signed_in_client(app, username)


def page_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="province-config">(.*?)</script>',
                      html, re.S)
    return json.loads(match.group(1))


def test_province_viewers_see_every_ward_and_its_published_ranking(app):
    client = signed_in(app, "tinh")
    assert client.get("/").headers["Location"].endswith("/province")
    with app.app_context(), db.transaction() as conn:
        ward = queries.ward_by_code(conn, "synth-002")
        kps = queries.neighbourhood_names(conn, ward.id)
        month = f"2025-{len(ledger.snapshots(conn, ward.id)) + 1:02d}"  # a new month per run
        rows = [{"neighbourhood_id": kp.id, "code": kp.code, "name": kp.name,
                 "total": 95.0 - 10 * i, "rank": i + 1} for i, kp in enumerate(kps)]
        ledger.publish_snapshot(conn, ward.id, month, "v1", rows, "0" * 64, None,
                                datetime(2026, 1, 2, 8, 0))
        incidents = conn.execute(select(func.count()).where(
            Incident.ward_id == ward.id)).scalar_one()
    response = client.get("/province")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for code in ("synth-001", "synth-002"):
        assert f'data-ward="{code}"' in html
    assert f"{incidents:,}".replace(",", ".") in html
    config = page_config(html)
    assert config["tiles"].endswith("/tiles/{layer}/{z}/{x}/{y}.mvt?scope=province")
    first = config["rankings"][f"{ward.id}:{kps[0].code}"]
    assert first == {"total": 95.0, "rank": 1, "of": len(kps), "month": month,
                     "ward": ward.name}
    minx, miny, maxx, maxy = config["extent"]
    assert minx < maxx and miny < maxy


def test_ward_users_may_not_open_the_province_page(app):
    assert signed_in(app, "congan1").get("/province").status_code == 403


def test_the_province_map_labels_are_in_the_viewers_language(app):
    client = signed_in(app, "tinh")
    client.set_cookie("lang", "en")
    config = page_config(client.get("/province").get_data(as_text=True))
    assert config["incidentStatuses"]["resolved"] == "Handled"
    assert config["categories"]["encroachment_road"]["label"] == "Road encroachment"
    assert config["houseStatuses"]["recognised"]["label"] == \
        "Safe, civilised, self-managed boarding house"
