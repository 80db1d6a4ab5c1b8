"""Signed-in clients for the report pages: on the read-only demo and on the writable one."""

from __future__ import annotations

import pytest

from tests.databases import signed_in_client
from tests.helpers import ROLE_USERS, csrf_token


def _make_client(app, role: str):
    client = signed_in_client(app, ROLE_USERS[role])
    client.csrf = csrf_token(client, "/reports/monthly")
    return client


@pytest.fixture
def report_writer(writable_app):
    """``report_writer("urban_staff")``: a signed-in client on this test's copy of the
    writable demo."""
    return lambda role: _make_client(writable_app, role)
