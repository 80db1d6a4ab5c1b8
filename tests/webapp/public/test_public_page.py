"""A ward's public page: off until the ward's plan turns it on; then, signed in or not, the
published ranking, the published target figures and the model streets — never personal
data, never an unpublished month, never a live figure."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.conftest import BACKENDS, database_factory, test_app
from tests.helpers import DEMO_PASSWORDS

PUBLISHED, UNPUBLISHED = "2026-03", "2026-04"
# A unit's report row may name a person; the public page shows the report's figures only.
REPORT_TEXT = "Đã nhắc hộ ông Trần Văn Riêng Tư"


def _fill(engine, public: bool):
    from sqlalchemy import update

    from models import ledger, queries, records
    from models.tables import BoardingHouse
    from webapp.demo import DEMO_WARD, load_demo
    from webapp.services import plans, publishing

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
        from models import work_queries

        unit = work_queries.units(tx, ward.id)[0]
        work_queries.save_unit_report(tx, ward.id, unit.id, PUBLISHED, [
            {"task_id": 1, "stt": "1", "percent": 100.0, "result_text": REPORT_TEXT},
            {"task_id": 2, "stt": "2", "percent": 50.0, "result_text": REPORT_TEXT}],
            datetime(2026, 3, 20, 9, 0), None)
        # Half the houses reviewed when March's targets are published…
        houses = BoardingHouse.__table__
        tx.execute(update(houses).where(houses.c.ward_id == ward.id,
                                        houses.c.id % 2 == 0).values(classification=None))
        tx.execute(update(houses).where(houses.c.ward_id == ward.id,
                                        houses.c.id % 2 == 1).values(classification="good"))
        publishing.publish_targets(tx, ward, records.user_by_username(tx, "admin"), PUBLISHED)
        # …and all of them afterwards: the live figure moves, the published one does not.
        tx.execute(update(houses).where(houses.c.ward_id == ward.id).values(
            classification="good"))


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
    # published_at is ward time already (models.wardtime): shown as stored, not shifted.
    assert "Công bố ngày 02/04/2026 08:00" in html
    ranking = html[html.index('id="public-ranking"'):html.index("</table>",
                                                                 html.index('id="public-ranking"'))]
    assert ranking.count("<tr>") == 1 + len(re.findall(r'data-label="Khu phố"', ranking)) > 10
    with public_app.app_context():
        names = db.conn.execute(select(ModelStreet.name).where(
            ModelStreet.ward_id == ward.id)).scalars().all()
    assert names and all(name in html for name in names)
    units = html[html.index('id="public-units"'):]
    units = units[:units.index("</table>")]
    assert units.count("<tr>") == 2 and "75%" in units  # one unit: 2 tasks, 1 done, 75 %
    assert page.headers["Cache-Control"].startswith("public")
    # the map's data travels in the page, drawn with our own shapes (no tiles needed)
    config = re.search(r'id="public-config">(.*?)</script>', html, re.S).group(1)
    assert '"neighbourhoods"' in config and '"modelStreets"' in config


def _targets_table(html: str) -> str:
    start = html.index('id="public-targets"')
    return html[start:html.index("</table>", start)]


def test_the_target_progress_is_the_published_figures_not_the_live_ones(public_app):
    from geo import formatting as fmt
    from models import ledger
    from webapp.extensions import db
    from webapp.services import analysis

    ward = _ward(public_app)
    with public_app.app_context():
        frozen = {r["code"]: r for r in ledger.target_snapshot(db.conn, ward.id, PUBLISHED).rows}
        live = {r["code"]: r for r in analysis.targets_view(db.conn, ward)}
    reviewed = next(code for code, r in live.items() if r["metric"] == "houses_reviewed_share")
    assert live[reviewed]["value"] == 1.0 and 0.3 < frozen[reviewed]["value"] < 0.7
    html = public_app.test_client().get(f"/public/{ward.code}").get_data(as_text=True)
    assert "Tiến độ thực hiện chỉ tiêu — 03/2026" in html
    table = _targets_table(html)
    assert table.count("<tr") == 1 + len(frozen)
    row = table[table.index(frozen[reviewed]["label"]):]
    row = row[:row.index("</tr>")]
    assert fmt.percent(frozen[reviewed]["value"]) in row and "100%" not in row.split("</td>")[1]
    # The same figures for the month chosen; none for a month before any publication.
    chosen = public_app.test_client().get(f"/public/{ward.code}?month={PUBLISHED}")
    assert _targets_table(chosen.get_data(as_text=True)) == table


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
    assert all('id="public-targets"' in a.get_data(as_text=True) for a in answers)
    with public_app.app_context():
        owners = db.conn.execute(select(BoardingHouse.owner_name, BoardingHouse.owner_phone,
                                        BoardingHouse.owner_id_number)
                                 .where(BoardingHouse.ward_id == ward.id)).all()
        heads = db.conn.execute(select(Neighbourhood.head_name).where(
            Neighbourhood.ward_id == ward.id)).scalars().all()
        staff = db.conn.execute(select(User.full_name, User.username)).all()
    secrets = {REPORT_TEXT} | {v for row in owners for v in row if v} | {h for h in heads if h} | {
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


def test_an_english_visitor_gets_the_labels_in_english_and_caches_keep_the_languages_apart(
        public_app):
    import json

    ward = _ward(public_app)
    response = public_app.test_client().get(f"/public/{ward.code}",
                                            headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    config = json.loads(re.search(r'id="public-config">(.*?)</script>', html, re.S).group(1))
    assert config["levels"]["neighbourhood"] == "Neighbourhood level"
    assert config["statuses"]["in_progress"]["label"] == "In progress"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
