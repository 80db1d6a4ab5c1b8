"""Helpers for web tests: sign in through the real form, CSRF headers for API posts."""

from __future__ import annotations

import re

DEMO_PASSWORDS = {
    "admin": "admin-pass-2026",
    "congan": "police-pass-2026",
    "dothi": "staff-pass-2026",
    "lanhdao": "leader-pass-2026",
}
ROLE_USERS = {"admin": "admin", "police": "congan", "urban_staff": "dothi", "leader": "lanhdao"}


def csrf_token(client, path: str = "/auth/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, username: str, password: str | None = None):
    token = csrf_token(client)
    response = client.post("/auth/login", data={
        "username": username, "password": password or DEMO_PASSWORDS[username],
        "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def api_headers(client) -> dict[str, str]:
    return {"X-CSRFToken": csrf_token(client, "/")}
