"""Signed-in clients for the report pages: on the read-only demo and on the writable one."""

from __future__ import annotations

import pytest

from tests.helpers import ROLE_USERS, csrf_token, sign_in


def _make_client(app, role: str):
    client = app.test_client()
    sign_in(client, ROLE_USERS[role])
    client.csrf = csrf_token(client, "/reports/monthly")
    return client


@pytest.fixture
def report_writer(writable_app):
    """``report_writer("urban_staff")``: a signed-in client on the shared writable demo.

    Every test that saves uses its own month, so the tests do not see each other's entries.
    """
    return lambda role: _make_client(writable_app, role)
