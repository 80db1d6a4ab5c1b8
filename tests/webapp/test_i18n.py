"""The interface language of a request: Vietnamese unless the browser or a cookie asks for
English (per-user choice comes from the user's row)."""

import pytest
from flask import render_template_string
from flask_babel import get_locale

from webapp import i18n


@pytest.mark.parametrize(("headers", "cookie", "expected"), [
    ({}, None, "vi"),
    ({"Accept-Language": "en-US,en;q=0.9"}, None, "en"),
    ({"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}, None, "vi"),
    ({"Accept-Language": "fr-FR,fr;q=0.9"}, None, "vi"),
    ({"Accept-Language": "en"}, "vi", "vi"),
    ({}, "en", "en"),
    ({}, "xx", "vi"),
])
def test_locale_of_a_request(demo_app, headers, cookie, expected):
    if cookie:
        headers = {**headers, "Cookie": f"{i18n.COOKIE}={cookie}"}
    with demo_app.test_request_context("/", headers=headers):
        assert str(get_locale()) == expected
        # templates have gettext; a string with no translation stays itself
        assert render_template_string("{{ _('Bản đồ khu phố') }}") == "Bản đồ khu phố"


# --- the language switch, the user's own choice, and what follows the language ------------

import uuid  # noqa: E402

from sqlalchemy import select  # noqa: E402

from models.tables import User  # noqa: E402
from tests.helpers import csrf_token, sign_in  # noqa: E402
from webapp.extensions import db  # noqa: E402

PASSWORD = "ngon-ngu-2026"


def _throwaway(app, role="urban_staff") -> str:
    from webapp.users import create_user

    name = f"nn{uuid.uuid4().hex[:10]}"
    with app.app_context(), db.transaction() as conn:
        ward_id = conn.execute(select(User.ward_id).where(User.username == "admin")).scalar()
        create_user(conn, ward_id, name, role, PASSWORD, "Người Thử Ngôn Ngữ")
    return name


def _language(app, username):
    with app.app_context():
        return db.conn.execute(select(User.language).where(User.username == username)).scalar()


def _switch(client, lang, next_path="/", token_from="/auth/login"):
    return client.post("/auth/language", data={
        "lang": lang, "next": next_path, "csrf_token": csrf_token(client, token_from)})


def test_the_sign_in_page_switches_language_by_cookie(demo_app):
    client = demo_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page and 'lang="en"' in page
    answer = _switch(client, "en", "/auth/login")
    assert answer.status_code == 302 and answer.location.endswith("/auth/login")
    assert f"{i18n.COOKIE}=en" in answer.headers["Set-Cookie"]
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and ">Sign in</button>" in page
    assert "Tên đăng nhập" not in page and "Username" in page
    # a language the interface does not have is refused, and nothing changes
    assert _switch(client, "fr").status_code == 400
    assert '<html lang="en">' in client.get("/auth/login").get_data(as_text=True)


def test_signed_in_the_choice_is_the_users_and_follows_them(writable_app):
    name = _throwaway(writable_app)
    first = writable_app.test_client()
    sign_in(first, name, PASSWORD)
    assert _language(writable_app, name) is None
    assert '<html lang="vi">' in first.get("/incidents/").get_data(as_text=True)
    assert _switch(first, "en", "/incidents/", "/auth/account").status_code == 302
    assert _language(writable_app, name) == "en"
    # another device, no cookie, a Vietnamese browser: the user's own choice wins
    other = writable_app.test_client()
    sign_in(other, name, PASSWORD)
    page = other.get("/incidents/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign out" in page and "Đăng xuất" not in page
    # the account page puts it back to the browser's choice
    form = {"language": "", "csrf_token": csrf_token(other, "/auth/account")}
    assert other.post("/auth/account", data=form).status_code == 302
    assert _language(writable_app, name) is None
    page = other.get("/auth/account", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="vi">' in page and "Ngôn ngữ giao diện" in page


def test_the_admin_sets_a_users_language(writable_app):
    name = _throwaway(writable_app)
    admin = writable_app.test_client()
    sign_in(admin, "admin")
    with writable_app.app_context():
        user_id = db.conn.execute(select(User.id).where(User.username == name)).scalar()
    path = f"/admin/users/{user_id}"
    assert 'name="language"' in admin.get(path).get_data(as_text=True)
    answer = admin.post(path, data={"full_name": "Người Thử Ngôn Ngữ", "role": "urban_staff",
                                    "active": "y", "language": "en",
                                    "csrf_token": csrf_token(admin, path)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-1500:]
    assert _language(writable_app, name) == "en"
    assert "ngôn ngữ" in admin.get("/admin/users").get_data(as_text=True)


def test_an_english_page_has_english_numbers_dates_and_months(demo_app):
    from datetime import date

    with demo_app.test_request_context("/", headers={"Accept-Language": "en"}):
        out = render_template_string(
            "{{ 1234.5 | number(1) }}|{{ d | day }}|{{ '2026-11' | month }}|{{ _('Bản đồ') }}",
            d=date(2026, 11, 5))
    assert out == "1,234.5|Nov 5, 2026|November 2026|Map"
    with demo_app.test_request_context("/"):
        out = render_template_string("{{ 1234.5 | number(1) }}|{{ d | day }}",
                                     d=date(2026, 11, 5))
    assert out == "1.234,5|05/11/2026"


def test_the_api_envelope_speaks_the_requests_language(demo_app):
    client = demo_app.test_client()
    sign_in(client, "dothi")
    vi = client.get("/api/v1/no/such/route").get_json()["error"]
    client.set_cookie(i18n.COOKIE, "en")
    en = client.get("/api/v1/no/such/route").get_json()["error"]
    assert vi["message"] == "Không tìm thấy." and vi["message_en"] == "Not found."
    assert en["message"] == en["message_en"] == "Not found."


def test_an_error_page_in_english(demo_app):
    client = demo_app.test_client()
    sign_in(client, "dothi")
    client.set_cookie(i18n.COOKIE, "en")
    page = client.get("/incidents/999999999")
    text = page.get_data(as_text=True)
    assert page.status_code == 404 and '<html lang="en">' in text and "Not found" in text


def test_signed_in_staff_stay_in_vietnamese_whatever_the_browser_says(demo_app):
    # A ward office's browser set to English must not turn the staff's pages English: only
    # their own choice (or the switch's cookie) does. Before sign-in the browser decides.
    client = demo_app.test_client()
    english = {"Accept-Language": "en-US,en;q=0.9"}
    assert '<html lang="en">' in client.get("/auth/login", headers=english).get_data(as_text=True)
    sign_in(client, "dothi")
    assert '<html lang="vi">' in client.get("/", headers=english).get_data(as_text=True)
    client.set_cookie(i18n.COOKIE, "en")
    assert '<html lang="en">' in client.get("/", headers=english).get_data(as_text=True)


def test_an_english_page_embeds_the_browser_codes_english(demo_app):
    """static/js/i18n.js reads the page's catalogue: English pages carry the JS messages'
    English (escaped for a <script>), Vietnamese pages none (the msgids are Vietnamese)."""
    import json
    import re

    client = demo_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'id="catalogue"' not in page
    client.set_cookie(i18n.COOKIE, "en")
    page = client.get("/auth/login").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="catalogue">(.*?)</script>', page,
                      re.S)
    assert found, "no catalogue on an English page"
    assert "<" not in found.group(1)  # no markup can close the script early
    catalogue = json.loads(found.group(1))
    assert catalogue["Ranh giới khu phố"] == "Neighbourhood boundaries"
    assert catalogue["%(count)s bản ghi đang chờ gửi"] == [
        "%(count)s record waiting to be sent", "%(count)s records waiting to be sent"]
    assert catalogue == i18n.js_catalogue("en") and i18n.js_catalogue("vi") == {}


def test_a_message_filling_a_placeholder_is_said_in_the_readers_language(demo_app):
    """``_("Lưu ý: %(note)s", note=note)`` with a geo Message as the note: both parts in the
    reader's language, not the Message's Vietnamese text inside an English sentence."""
    from geo.i18n import N_, Message

    note = Message(N_("chưa đến hạn"))
    page = '{{ _("Lưu ý: %(note)s", note=note) }}'
    with demo_app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(page, note=note) == "Note: not due yet"
    with demo_app.test_request_context("/"):
        assert render_template_string(page, note=note) == "Lưu ý: chưa đến hạn"


def test_a_label_among_names_is_said_in_the_readers_language(demo_app):
    """A service's ``Msgid`` (an incident's category label where other rows give a street's
    name) is said in the reader's language, alone or filling a placeholder; a plain string
    is printed as it is, even one that happens to be a msgid."""
    from geo.i18n import Msgid

    page = '{{ label }} | {{ _("%(name)s (%(m)s m)", name=label, m=3) }} | {{ plain }}'
    with demo_app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(page, label=Msgid("Ma túy"), plain="Ma túy") == (
            "Drugs | Drugs (3 m) | Ma túy")
