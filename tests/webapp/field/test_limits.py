"""The field pages take their limits from geo/schema.py: the inputs' maxlength/min/max and
the #limits JSON their scripts read are the Python definition, not copies."""

from __future__ import annotations

import json
import re

from geo import schema
from tests.webapp.field.conftest import house_payload, post

HOUSE, INSPECT, INCIDENT = "/field/boarding-houses/new", "/field/inspect", "/field/incidents/new"


def embedded_limits(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="limits">(.*?)</script>', html, re.S)
    assert match, "the page embeds no #limits"
    return json.loads(match.group(1))


def input_attrs(html: str, name: str) -> dict[str, str]:
    match = re.search(rf'<input id="f-{name}" name="{name}"[^>]*>', html)
    assert match, name
    return dict(re.findall(r'\b(maxlength|min|max)="([^"]*)"', match.group(0)))


def test_every_field_page_embeds_the_schema_limits(client_as):
    client = client_as("police")
    expected = json.loads(json.dumps(schema.client_limits()))
    # /field/registers: another blueprint's page on the field layout gets them as well.
    for path in (HOUSE, INSPECT, INCIDENT, "/field/", "/field/registers"):
        assert embedded_limits(client.get(path).get_data(as_text=True)) == expected, path


def test_form_attributes_are_the_schema_numbers(client_as):
    client = client_as("police")
    pages = {HOUSE: schema.BOARDING_HOUSE, INSPECT: schema.INSPECTION}
    checked = 0
    for path, limits in pages.items():
        html = client.get(path).get_data(as_text=True)
        for name, limit in limits.items():
            if f'name="{name}"' not in html or f'<input id="f-{name}"' not in html:
                continue  # a field the form leaves to the server (textarea, hidden)
            attrs = input_attrs(html, name)
            want = {"maxlength": limit.get("max_len"), "min": limit.get("min"),
                    "max": limit.get("max")}
            assert attrs == {k: str(v) for k, v in want.items() if v is not None}, (path, name)
            checked += 1
    assert checked >= 9  # name, address, owner ×3, rooms, residents, extinguishers ×2…


def test_the_api_answers_each_bad_field_with_its_code(field_client):
    """Clients branch on the code of a field's error, never on its Vietnamese text."""
    police = field_client("police")
    top = schema.BOARDING_HOUSE["rooms"]["max"]
    response = post(police, "/api/v1/field/boarding-houses",
                    house_payload(rooms=top + 1, owner_phone="123", name=""))
    assert response.status_code == 400
    errors = {e["field"]: e["code"] for e in response.get_json()["error"]["errors"]}
    assert errors == {"rooms": "out_of_range", "owner_phone": "bad_phone", "name": "required"}
