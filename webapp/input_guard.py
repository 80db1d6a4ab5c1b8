"""What no request may carry past the door: bad characters and out-of-range ids.

* Every query argument, form field and URL part is checked once, before any view runs:
  NUL, control and bidirectional characters (``geo.text.forbidden_character``; tab and
  line breaks are allowed, textareas hold them) answer 400 — JSON on the API, a Vietnamese
  page elsewhere. PostgreSQL refuses NUL in text, so without this one stray byte in a
  sign-in name or a search was a 500.
* ``<int:…>`` in every route is bounded to an Integer column (≤ 2³¹−1): a larger id is
  simply not a page (404), where PostgreSQL would fail on it.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from geo.i18n import N_
from geo.numbers import INT32_MAX
from geo.text import forbidden_character
from webapp.errors import ApiError


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's ``int`` converter, at most ``INT32_MAX`` unless a route says less."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)


def _first_problem() -> tuple[str, str] | None:
    """``(where, why)`` of the first forbidden character in the request, else ``None``."""
    sources = [("URL", (request.view_args or {}).items()), ("", request.args.items(multi=True))]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sources.append(("", request.form.items(multi=True)))
    for prefix, items in sources:
        for key, value in items:
            for text in (key, value):
                if isinstance(text, str):
                    problem = forbidden_character(text, multiline=True)
                    if problem:
                        return (prefix or key), problem
    return None


def register(app: Flask) -> None:
    """Bound ``<int:…>`` (before any blueprint is registered) and check every request."""
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def _refuse_bad_characters():
        found = _first_problem()
        if found is None:
            return None
        where, problem = found
        shown = "".join(c for c in where[:40] if not forbidden_character(c))  # not the bad byte
        refusal = ApiError(400, N_("Yêu cầu không hợp lệ: trường “%(field)s” %(problem)s Hãy "
                                   "xóa ký tự đó rồi gửi lại."), field=shown,
                           params={"field": shown, "problem": problem})
        if request.path.startswith("/api/"):
            raise refusal
        return render_template("error.html", title=_("Yêu cầu không hợp lệ"),
                               message=refusal.message), 400
