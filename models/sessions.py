"""Sign-in sessions known to the server (``user_session``): started at sign-in, ended at
sign-out, checked on every request. The cookie carries a random token; only its SHA-256 is
stored, so the table alone cannot be used to sign in."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from models.queries import WARD_COLUMNS, WardRow
from models.records import USER_COLUMNS
from models.tables import User, UserSession, Ward

KEEP_ENDED = timedelta(days=7)  # ended or expired rows are kept this long, then dropped


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(conn: Connection, user_id: int, token: str, now: datetime,
          expires_at: datetime) -> None:
    """Record a new session of ``user_id``; the user's long-finished sessions are dropped."""
    conn.execute(delete(UserSession).where(
        UserSession.user_id == user_id, UserSession.expires_at < now - KEEP_ENDED))
    ward_id = select(User.ward_id).where(User.id == user_id).scalar_subquery()
    conn.execute(insert(UserSession).values(token_hash=_hash(token), user_id=user_id,
                                            ward_id=ward_id, expires_at=expires_at))


def active_user(conn: Connection, user_id: int, token: str, now: datetime):
    """``(user, ward)`` if this session of the user exists, has not been ended and has not
    expired, else None: the user with ``records.user_by_id``'s columns, and their own ward
    as ``queries.wards`` gives it (None for a user of no ward). One query — every request
    asks, for the user and the ward it is about; its answer is never kept, only the
    statement is built once."""
    row = conn.execute(_active_user_statement(), {
        "token_hash": _hash(token), "user_id": user_id, "now": now}).first()
    if row is None:
        return None
    ward = WardRow(*row[len(USER_COLUMNS):])
    return row, (ward if ward.id is not None else None)


@functools.cache
def _active_user_statement():
    return select(*USER_COLUMNS, *WARD_COLUMNS).join(
        UserSession, UserSession.user_id == User.id).outerjoin(
        Ward, Ward.id == User.ward_id).where(
        UserSession.token_hash == bindparam("token_hash"), User.id == bindparam("user_id"),
        UserSession.ended_at.is_(None), UserSession.expires_at > bindparam("now"))


def end(conn: Connection, token: str, now: datetime) -> None:
    conn.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                           UserSession.ended_at.is_(None))
                 .values(ended_at=now))
