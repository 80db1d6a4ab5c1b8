"""Fixtures for the analysis pages: signed-in clients on this test's copy of the writable
demo, and on a copy of a smaller private demo for tests that change ward-wide settings (the
rubric)."""

from __future__ import annotations

import pytest

from tests.conftest import database_copy, demo_fill, shared_app
from tests.databases import signed_in_client
from tests.helpers import ROLE_USERS, csrf_token

BACKENDS = ("spatialite", "postgis")  # as tests/conftest.py


def pytest_generate_tests(metafunc):
    if "_private_copy" in metafunc.fixturenames:
        metafunc.parametrize("_private_copy", BACKENDS, indirect=True)


def _make_client(app, role: str):
    client = signed_in_client(app, ROLE_USERS[role])
    client.csrf = csrf_token(client, "/")
    client.csrf_headers = {"X-CSRFToken": client.csrf}
    return client


@pytest.fixture
def writer(writable_app):
    """``writer("urban_staff")``: a signed-in client on this test's copy of the writable
    demo."""
    return lambda role: _make_client(writable_app, role)


@pytest.fixture
def _private_copy(request, templates):
    """This test's own copy of a small demo (the rubric tests change ward-wide settings)."""
    template = templates.get("analysis", request.param,
                             demo_fill(boarding_houses=200, incidents=500))
    yield from database_copy(template)


@pytest.fixture
def private_url(_private_copy):
    _private_copy["written"] = True  # the test may hand it to a child process
    return _private_copy["url"]


@pytest.fixture
def private_app(_private_copy):
    yield from shared_app(_private_copy["template"])


@pytest.fixture
def private(private_app):
    """``private("admin")``: a signed-in client on the private demo."""
    return lambda role: _make_client(private_app, role)
