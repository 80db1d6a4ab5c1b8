"""Helpers for web tests: sign in through the real form, CSRF headers for API posts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

DEMO_PASSWORDS = {
    "quantri": "superadmin-pass-2026",
    "admin": "admin-pass-2026",
    "congan": "police-pass-2026",
    "dothi": "staff-pass-2026",
    "lanhdao": "leader-pass-2026",
}
ROLE_USERS = {"superadmin": "quantri", "admin": "admin", "police": "congan",
              "urban_staff": "dothi", "leader": "lanhdao"}


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


def shown(page: str) -> str:
    """An English page without the browser's catalogue it embeds (whose keys are the
    Vietnamese msgids): what a check for Vietnamese left on the page should read."""
    return re.sub(r'<script type="application/json" id="catalogue">.*?</script>', "", page,
                  flags=re.S)


def api_headers(client) -> dict[str, str]:
    return {"X-CSRFToken": csrf_token(client, "/")}


class _FormScraper(HTMLParser):
    """The fields a browser submits from the form with ``id``: ``{name: [values]}`` — text,
    hidden, date and number inputs, ticked boxes, textareas, each select's chosen (else
    first) option."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._select = self._textarea = None
        self._chosen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        name = a.get("name")
        if not self.inside:
            return
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select, self._chosen = name, False
        elif tag == "option" and self._select and (
                self._select not in self.fields or ("selected" in a and not self._chosen)):
            self.fields[self._select] = [a.get("value", "")]
            self._chosen = "selected" in a

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data


def scrape_form(client, path: str, form_id: str, lists: bool = False) -> dict:
    """What a browser would send back from the form ``form_id`` on ``path``: one value per
    name (a list where the form repeats a name), or always lists with ``lists``."""
    page = client.get(path)
    assert page.status_code == 200, path
    scraper = _FormScraper(form_id)
    scraper.feed(page.get_data(as_text=True))
    assert scraper.fields, f"no form {form_id} on {path}"
    if lists:
        return scraper.fields
    return {k: v[0] if len(v) == 1 else v for k, v in scraper.fields.items()}


def as_attacker(conn, *statements, **params) -> None:
    """Play someone with full access to the database: the ledger's triggers go, the
    ``statements`` run, the triggers return (on ``conn``, in its transaction)."""
    from sqlalchemy import text

    from models.dialects import ledger_guard_ddl, ledger_unguard_ddl

    for ddl in ledger_unguard_ddl(conn.dialect.name):
        conn.execute(text(ddl))
    for statement in statements:
        conn.execute(text(statement), params)
    for ddl in ledger_guard_ddl(conn.dialect.name):
        conn.execute(text(ddl))
