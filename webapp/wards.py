"""Which ward a request is about: ``?ward=code``, else the configured default, else the first."""

from __future__ import annotations

from flask import current_app

from models import queries
from webapp.extensions import db


class NoWard(LookupError):
    """No ward matches (or the database holds none yet)."""


def resolve(code: str | None = None):
    conn = db.conn
    code = code or current_app.config.get("DEFAULT_WARD") or None
    if code:
        ward = queries.ward_by_code(conn, code)
        if ward is None:
            raise NoWard(code)
        return ward
    all_wards = queries.wards(conn)
    if not all_wards:
        raise NoWard("")
    return all_wards[0]


def neighbourhood_keys(ward_id: int) -> dict[str, int]:
    """Both ``code`` and numeric id (as text) of each khu phố, mapped to its id."""
    keys: dict[str, int] = {}
    for row in queries.neighbourhood_names(db.conn, ward_id):
        keys[row.code] = row.id
        keys[str(row.id)] = row.id
    return keys
