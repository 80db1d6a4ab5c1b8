"""The interface language: Vietnamese (the source language and default) or English.

Flask-Babel's ``gettext`` family is the one way a user-facing string reaches people: in
templates ``{{ _("Bản đồ") }}``, in Python ``from flask_babel import gettext as _`` (or
``lazy_gettext`` for module-level text). The catalogues are data (``data/translations``,
found through ``geo.resources``) so that ``geo`` can translate the PDFs and messages it
writes too.

The language is chosen per request: the signed-in user's own choice, else the ``lang``
cookie (set by the language switch before sign-in), else (before sign-in) the browser's
``Accept-Language``, else Vietnamese.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache

from flask import Flask, has_request_context, request

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600  # a phone's browser keeps the choice through a year of shifts
# Each language named in itself: the switch must be readable by someone who cannot read the
# page's current language. Not translated, on purpose.
NAMES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale() -> str:
    """The language of this request (one of ``LANGUAGES``); Vietnamese outside a request
    (a command run in the app's context: ``urbanorder user add``)."""
    from flask_login import current_user

    if not has_request_context():
        return DEFAULT
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    # Signed in with no choice made: Vietnamese. Many ward offices' browsers are set to
    # English; staff get English only by choosing it. The browser's wish serves before
    # sign-in (the sign-in page, a ward's public page).
    if current_user and current_user.is_authenticated:
        return DEFAULT
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT)


def current_language() -> str:
    """The language of this request (``vi`` outside a request: CLI, a worker process)."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


class Labels(Mapping):
    """Codes to msgids (a vocabulary's labels), read in the request's language."""

    def __init__(self, msgids: Mapping[str, str]) -> None:
        self.msgids = msgids

    def __getitem__(self, code: str) -> str:
        from flask_babel import gettext

        return gettext(self.msgids[code])

    def __iter__(self):
        return iter(self.msgids)

    def __len__(self) -> int:
        return len(self.msgids)


def browser_labels(vocabulary: Mapping) -> dict:
    """A vocabulary (``geo.vocabulary``) for a page's browser code, its labels said in the
    request's language: ``{code: label}``, or ``{code: {**entry, "label": label}}`` for
    entries that carry more than their label (a colour)."""
    from flask_babel import gettext

    return {code: gettext(entry) if isinstance(entry, str)
            else {**entry, "label": gettext(entry["vi"])} for code, entry in vocabulary.items()}


def chosen(value: str | None) -> str | None:
    """``value`` if it names a language of the interface, else None (a form's "browser")."""
    return value if value in LANGUAGES else None


@cache
def js_catalogue(language: str) -> dict:
    """The messages of the browser code in ``language`` (``static/i18n/<language>.json``,
    written by ``make catalogue``; empty for Vietnamese, the msgids' language), which the base
    template embeds for ``static/js/i18n.js``."""
    from geo.resources import STATIC_DIR

    path = STATIC_DIR / "i18n" / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def init_app(app: Flask) -> None:
    from flask_babel import Babel

    from geo.resources import DATA_DIR

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(DATA_DIR / "translations"))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(current_language=current_language, language_names=NAMES,
                                 js_catalogue=js_catalogue)
    # A service's or geo's Message (a refusal, a row's problem) or Msgid (a label among
    # names) printed by a template is
    # said in the reader's language; every other value is printed as it is — also when
    # it fills another message's placeholder (``_("Lưu ý: %(note)s", note=note)``: Jinja
    # would fill it with the Message's Vietnamese text).
    app.jinja_env.finalize = _said
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        app.jinja_env.globals[name] = _saying_values(app.jinja_env.globals[name])


def say(message: str) -> str:
    """``message`` (a msgid, or a ``geo.i18n.Message`` with its values) in the request's
    language: for a message leaving the request as text, e.g. a flash."""
    from geo.i18n import translate

    return translate(message, current_language())


def _saying_values(gettext):
    """The template's ``gettext`` (Jinja's new style) with its Message values said first."""
    from jinja2 import pass_context

    @pass_context
    def with_values_said(context, *args, **variables):
        return context.call(gettext, *args, **{k: _said(v) for k, v in variables.items()})

    return with_values_said


def _said(value):
    from geo.i18n import Message, Msgid

    return say(value) if isinstance(value, Message | Msgid) else value
