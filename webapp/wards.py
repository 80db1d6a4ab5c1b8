"""Which ward a request is about: the signed-in user's own ward (roles are ward-scoped)."""

from __future__ import annotations

from flask_login import current_user

from models import queries
from webapp.extensions import db


class NoWard(LookupError):
    """No ward matches, or the user may not see it."""


def resolve(code: str | None = None):
    """The user's ward; ``code`` (from ``?ward=``) must name that same ward if given."""
    ward = current()
    if ward is None or (code and code != ward.code):
        raise NoWard(code or "")
    return ward


def current():
    """The ward the signed-in user works in (``None``: not signed in, or no ward yet), as
    read with the user on this request (``webapp.auth``)."""
    if not current_user.is_authenticated:
        return None
    if current_user.ward is None and current_user.ward_id is not None:  # just signed in
        current_user.ward = next((w for w in queries.wards(db.conn)
                                  if w.id == current_user.ward_id), None)
    return current_user.ward


def neighbourhood_keys(ward_id: int) -> dict[str, int]:
    """Both ``code`` and numeric id (as text) of each khu phố, mapped to its id."""
    keys: dict[str, int] = {}
    for row in queries.neighbourhood_names(db.conn, ward_id):
        keys[row.code] = row.id
        keys[str(row.id)] = row.id
    return keys
