"""Issue 10 point 9: system times are stored in UTC and shown in the ward's time."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, update

from models.tables import BoardingHouse
from tests.helpers import sign_in
from webapp.extensions import db


def test_a_house_updated_after_midnight_locally_shows_the_local_day(writable_app):
    """20:30 UTC on 01/12 is 03:30 on 02/12 in Hồ Chí Minh time: the page says 02/12."""
    with writable_app.app_context():
        house_id = db.conn.execute(select(BoardingHouse.id).limit(1)).scalar_one()
        db.conn.execute(update(BoardingHouse).where(BoardingHouse.id == house_id)
                        .values(updated_at=datetime(2026, 12, 1, 20, 30)))
        db.conn.commit()
    client = writable_app.test_client()
    sign_in(client, "dothi")
    html = client.get(f"/boarding-houses/{house_id}").get_data(as_text=True)
    shown = re.search(r'id="updated-at">([^<]+)<', html).group(1)
    assert shown == "02/12/2026 03:30"
