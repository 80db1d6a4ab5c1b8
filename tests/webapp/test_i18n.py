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
