"""Which ward a request is about: the signed-in user's own ward (roles are ward-scoped)."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from models import queries
from webapp.extensions import db


class NoWard(LookupError):
    """No ward matches, or the user may not see it."""


def resolve(code: str | None = None):
    """The user's ward; ``code`` (from ``?ward=``) must name that same ward if given."""
    conn = db.conn
    for ward in queries.wards(conn):
        if ward.id == current_user.ward_id:
            if code and code != ward.code:
                raise NoWard(code)
            return ward
    raise NoWard(code or "")


def current():
    """The ward the signed-in user works in (``None``: not signed in, or no ward yet)."""
    if "current_ward" not in g:
        ward_id = getattr(current_user, "ward_id", None) if current_user.is_authenticated \
            else None
        g.current_ward = next((w for w in queries.wards(db.conn) if w.id == ward_id), None) \
            if ward_id is not None else None
    return g.current_ward


def neighbourhood_keys(ward_id: int) -> dict[str, int]:
    """Both ``code`` and numeric id (as text) of each khu phố, mapped to its id."""
    keys: dict[str, int] = {}
    for row in queries.neighbourhood_names(db.conn, ward_id):
        keys[row.code] = row.id
        keys[str(row.id)] = row.id
    return keys
