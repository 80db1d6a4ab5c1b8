"""Every XLSX and CSV download is injection-safe and never fails on stored text (issue 10).

Attacks: staff text ``=cmd|' /C calc'!A0`` (and ``+ - @`` formulas) must not become a live
formula; a ``\\u0007`` or ``\\u001b`` in an address made ``/exports/boarding-houses.xlsx``
answer 500 (openpyxl IllegalCharacterError). The rows are written straight to the database,
past today's input checks: old rows may hold anything.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import queries
from models.engine import make_engine
from models.tables import BoardingHouse, Incident, ModelStreet, Neighbourhood, Street
from tests.conftest import BACKENDS, demo_database_factory, test_app
from tests.helpers import ROLE_USERS, sign_in
from webapp.demo import DEMO_WARD

DDE = "=cmd|' /C calc'!A0"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SVG = '"><svg onload="window.__pwned=1">'
BELL_ADDRESS = "12 Lê\u0007 Lợi\u001b, khu phố 1"
HOSTILE_ROWS = {
    Neighbourhood: {"name": HOSTILE_IMG, "head_name": "@SUM(1+1)*cmd|' /C calc'!A0"},
    Street: {"name": HOSTILE_SVG},
    ModelStreet: {"name": HOSTILE_IMG + " tuyến"},
    BoardingHouse: {"name": HOSTILE_SVG, "address": BELL_ADDRESS, "owner_name": DDE,
                    "owner_phone": "0912345678", "owner_id_number": "+1+1"},
    Incident: {"description": "-2+3+cmd|' /C calc'!A0\u0007", "reporter": HOSTILE_IMG},
}


def poison(engine, ward_code: str = DEMO_WARD) -> dict[str, int]:
    """Give the first row of each layer of the ward hostile text: {table name: row id}."""
    ids = {}
    with engine.begin() as conn:
        ward = queries.ward_by_code(conn, ward_code)
        for model, values in HOSTILE_ROWS.items():
            table = model.__table__
            row_id = conn.execute(select(table.c.id).where(table.c.ward_id == ward.id)
                                  .order_by(table.c.id).limit(1)).scalar_one()
            conn.execute(table.update().where(table.c.id == row_id).values(**values))
            ids[model.__tablename__] = row_id
    return ids


@pytest.fixture(scope="module", params=BACKENDS)
def hostile_app(request, tmp_path_factory):
    url = demo_database_factory(request, tmp_path_factory, "hostile", boarding_houses=40,
                                incidents=60)(request.param)
    engine = make_engine(url)
    poison(engine)
    engine.dispose()
    yield from test_app(url)


@pytest.fixture(scope="module")
def clients(hostile_app):
    made = {}

    def get(role: str):
        if role not in made:
            made[role] = hostile_app.test_client()
            sign_in(made[role], ROLE_USERS[role])
        return made[role]

    return get


def _formulas(body: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return [m for n in archive.namelist() if n.startswith("xl/worksheets/")
                for m in re.findall(r"<f[ >].*?</f>", archive.read(n).decode())]


def _xlsx_texts(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for v in row if isinstance(v, str)]


def _csv_cells(body: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]


@pytest.mark.parametrize("url, role", [
    ("/exports/boarding-houses.xlsx", "leader"),
    ("/exports/boarding-houses.xlsx?personal=1", "police"),
    ("/exports/incidents.xlsx", "leader"),
    ("/exports/neighbourhoods.xlsx?crs=ward", "leader"),
    ("/exports/model-streets.xlsx", "leader"),
])
def test_xlsx_export_with_control_characters_and_formulas(clients, url, role):
    response = clients(role).get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert _formulas(response.data) == []
    texts = _xlsx_texts(response.data)
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t) for t in texts)
    if url.startswith("/exports/boarding-houses"):
        assert "12 Lê Lợi, khu phố 1" in texts and HOSTILE_SVG in texts
    if "personal" in url:
        assert DDE in texts and "+1+1" in texts  # kept as typed, in a string cell
        assert "0912345678" in texts  # the leading zero stays
    if url.startswith("/exports/incidents"):
        assert "-2+3+cmd|' /C calc'!A0" in texts


@pytest.mark.parametrize("url, role", [
    ("/exports/boarding-houses.csv?personal=1", "police"),
    ("/boarding-houses/export.csv", "police"),
    ("/boarding-houses/export-public.csv", "leader"),
    ("/exports/incidents.csv", "leader"),
    ("/exports/neighbourhoods.csv", "leader"),
])
def test_csv_export_prefixes_formulas(clients, url, role):
    response = clients(role).get(url)
    assert response.status_code == 200
    cells = _csv_cells(response.data)
    dangerous = [c for c in cells if c and c[0] in "=+-@\t\r" and not c.startswith('="')
                 and not re.fullmatch(r"[+-]?[\d.]+", c)]
    assert dangerous == []
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", c) for c in cells)
    if "boarding-houses" in url:
        assert "12 Lê Lợi, khu phố 1" in cells
    if "personal" in url or url.endswith("/export.csv"):
        assert "'" + DDE in cells and '="0912345678"' in cells and "'+1+1" in cells
    if url.startswith("/exports/incidents"):
        assert "'-2+3+cmd|' /C calc'!A0" in cells
    if url.startswith("/exports/neighbourhoods"):
        assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
