"""A ward's public page: off until the ward's plan turns it on; then, signed in or not, the
published ranking and the model streets — never personal data, never an unpublished month."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.conftest import BACKENDS, database_factory, test_app
from tests.helpers import DEMO_PASSWORDS

PUBLISHED, UNPUBLISHED = "2026-03", "2026-04"


def _fill(engine, public: bool):
    from models import ledger, queries
    from webapp.demo import DEMO_WARD, load_demo
    from webapp.services import plans

    load_demo(engine, passwords=DEMO_PASSWORDS, boarding_houses=60, incidents=120)
    with engine.begin() as tx:
        ward = queries.ward_by_code(tx, DEMO_WARD)
        plan = plans.plan_for(tx, ward)
        body = {**plan.as_mapping(), "public_page": public}
        plans.save(tx, ward, type(plan).from_mapping(body), None)
        rows = [{"neighbourhood_id": kp.id, "code": kp.code, "name": kp.name,
                 "total": 91.5 - 3 * i, "rank": i + 1}
                for i, kp in enumerate(queries.neighbourhood_names(tx, ward.id))]
        ledger.publish_snapshot(tx, ward.id, PUBLISHED, "v1", rows, "0" * 64, None,
                                datetime(2026, 4, 2, 8, 0))


@pytest.fixture(scope="module")
def _public_databases(request, tmp_path_factory):
    return {public: database_factory(request, tmp_path_factory, f"public{int(public)}",
                                     lambda engine, p=public: _fill(engine, p))
            for public in (True, False)}


@pytest.fixture(scope="module", params=BACKENDS)
def public_app(request, _public_databases):
    yield from test_app(_public_databases[True](request.param))


def _ward(app):
    from models import queries
    from webapp.demo import DEMO_WARD
    from webapp.extensions import db

    with app.app_context():
        return queries.ward_by_code(db.conn, DEMO_WARD)


def test_the_page_is_a_404_until_the_plan_turns_it_on(request, _public_databases):
    for backend in BACKENDS:
        for app in test_app(_public_databases[False](backend)):
            code = _ward(app).code
            anonymous = app.test_client()
            assert anonymous.get(f"/public/{code}").status_code == 404
            assert anonymous.get("/public/no-such-ward").status_code == 404
            assert anonymous.get("/").status_code == 302  # the rest still needs sign-in


def test_anyone_reads_the_published_ranking_and_the_model_streets(public_app):
    from models.tables import ModelStreet
    from webapp.extensions import db

    ward = _ward(public_app)
    page = public_app.test_client().get(f"/public/{ward.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "91,5" in html and "Xếp hạng khu phố — 03/2026" in html
    ranking = html[html.index('id="public-ranking"'):html.index("</table>",
                                                                 html.index('id="public-ranking"'))]
    assert ranking.count("<tr>") == 1 + len(re.findall(r'data-label="Khu phố"', ranking)) > 10
    with public_app.app_context():
        names = db.conn.execute(select(ModelStreet.name).where(
            ModelStreet.ward_id == ward.id)).scalars().all()
    assert names and all(name in html for name in names)
    assert page.headers["Cache-Control"].startswith("public")
    # the map's data travels in the page, drawn with our own shapes (no tiles needed)
    config = re.search(r'id="public-config">(.*?)</script>', html, re.S).group(1)
    assert '"neighbourhoods"' in config and '"modelStreets"' in config


def test_no_personal_data_and_no_unpublished_month_in_any_public_answer(public_app):
    from models.tables import BoardingHouse, Neighbourhood, User
    from webapp.extensions import db

    ward = _ward(public_app)
    client = public_app.test_client()
    assert client.get(f"/public/{ward.code}?month={UNPUBLISHED}").status_code == 404
    assert client.get(f"/public/{ward.code}?month=not-a-month").status_code == 404
    answers = [client.get(f"/public/{ward.code}"),
               client.get(f"/public/{ward.code}?month={PUBLISHED}")]
    assert all(a.status_code == 200 for a in answers)
    with public_app.app_context():
        owners = db.conn.execute(select(BoardingHouse.owner_name, BoardingHouse.owner_phone,
                                        BoardingHouse.owner_id_number)
                                 .where(BoardingHouse.ward_id == ward.id)).all()
        heads = db.conn.execute(select(Neighbourhood.head_name).where(
            Neighbourhood.ward_id == ward.id)).scalars().all()
        staff = db.conn.execute(select(User.full_name, User.username)).all()
    secrets = {v for row in owners for v in row if v} | {h for h in heads if h} | {
        v for row in staff for v in row if v and len(v) > 4}
    assert len(secrets) > 20
    for answer in answers:
        text = answer.get_data(as_text=True)
        leaked = {s for s in secrets if s in text}
        assert not leaked, leaked
        # the unpublished month is neither offered nor shown (its publication day may be)
        assert UNPUBLISHED not in text and ">04/2026<" not in text and "— 04/2026" not in text


def test_a_signed_in_user_sees_the_same_page(public_app):
    from tests.helpers import sign_in

    ward = _ward(public_app)
    client = public_app.test_client()
    sign_in(client, "congan")
    html = client.get(f"/public/{ward.code}").get_data(as_text=True)
    assert 'id="public-ranking"' in html and "Đăng xuất" not in html
