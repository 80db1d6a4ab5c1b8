"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.i18n import N_, Message

_hasher = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@functools.cache
def dummy_hash() -> str:
    """A hash no password matches, checked for unknown accounts so that signing in as one
    takes as long as signing in as a real account (no account discovery by timing)."""
    return _hasher.hash(secrets.token_urlsafe(32))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> Message | None:
    """Why ``password`` is not acceptable, or ``None``: a ``geo.i18n.Message``, said in the
    language of whoever set it (the page's reader, the command-line user)."""
    if len(password) < MIN_LENGTH:
        return Message(N_("Mật khẩu phải có ít nhất %(count)s ký tự."), count=MIN_LENGTH)
    if password.isdigit() or password.isalpha():
        return Message(N_("Mật khẩu phải có cả chữ và số (hoặc ký tự khác)."))
    return None


def generate_password() -> str:
    """A random password to print once (for demo users and resets) that passes our rules."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password) is None:
            return password
