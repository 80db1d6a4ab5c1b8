"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).

Each new hash costs about 0.17 s of CPU, which is the point. A test suite that makes and
checks hundreds of them sets ``URBANORDER_TEST_CHEAP_HASHES=1`` (tests/conftest.py does):
then new hashes use argon2-cffi's cheapest parameters. A hash is checked with the
parameters written in it, so either kind verifies under either setting; a cheap one is
rehashed at the next sign-in without the variable. Production leaves it unset.
"""

from __future__ import annotations

import functools
import os
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from geo.i18n import N_, Message

CHEAP_FOR_TESTS = "URBANORDER_TEST_CHEAP_HASHES"
MIN_LENGTH = 10


@functools.cache
def _hasher_of(cheap: bool) -> PasswordHasher:
    return PasswordHasher.from_parameters(profiles.CHEAPEST) if cheap else PasswordHasher()


def hasher() -> PasswordHasher:
    """The hasher of new hashes: RFC 9106's low-memory profile unless a test suite asks."""
    return _hasher_of(os.environ.get(CHEAP_FOR_TESTS) == "1")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def dummy_hash() -> str:
    """A hash no password matches, checked for unknown accounts so that signing in as one
    takes as long as signing in as a real account (no account discovery by timing)."""
    return _dummy_hash_of(hasher())


@functools.cache
def _dummy_hash_of(made_by: PasswordHasher) -> str:
    return made_by.hash(secrets.token_urlsafe(32))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


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
