"""What every template can use: the filters of ``geo.formatting`` and a listing's paging.

Registered once by ``create_app``. The filters are ``geo.formatting``'s functions under their
own names, so a template writes ``{{ r.total | number(2, missing="—") }}``,
``{{ month | month }}`` or ``{{ inspection.inspected_at | moment }}``; ``system_moment`` shows a
system timestamp (``created_at``, stored in UTC) in the ward's time.
"""

from __future__ import annotations

import inspect
from datetime import datetime

from flask import Flask, request, url_for

from geo import formatting, wardzone
from webapp.i18n import current_language

FILTERS = ("number", "integer", "percent", "amount", "currency", "coordinate", "day", "day_month",
           "moment", "time_of_day", "long_date", "month")


def system_moment(value, *, locale: str = formatting.LOCALE, missing: str = "") -> str:
    """A system timestamp (UTC: ``created_at``, ``updated_at``) as the ward's local time."""
    if isinstance(value, datetime):
        value = wardzone.from_utc(value)
    return formatting.moment(value, locale=locale, missing=missing)


def page_url(number: int) -> str:
    """This page's URL with the same query, on page ``number``."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=number)


def parse_page(value: str | None) -> int:
    """The page number a listing's ``?page=`` asks for (1 when absent or not a number)."""
    try:
        return max(1, min(int(value or 1), 100_000))
    except ValueError:
        return 1


def photo_url(photo_id: int) -> str:
    """Where a stored photo is served (``GET /photos/<id>``, the field blueprint's route)."""
    return f"{request.script_root}/photos/{int(photo_id)}"


def _in_request_language(function):
    """``function`` (a ``geo.formatting`` one) in the request's language unless the template
    names a ``locale``: an English page shows "Nov 5, 2026" and "1,234.5". A function with
    no ``locale`` (coordinates keep a decimal point everywhere) is returned as it is."""
    if "locale" not in inspect.signature(function).parameters:
        return function
    def filter_(value, *args, **kwargs):
        kwargs.setdefault("locale", current_language())
        return function(value, *args, **kwargs)

    filter_.__name__ = function.__name__
    return filter_


def register(app: Flask) -> None:
    for name in FILTERS:
        app.add_template_filter(_in_request_language(getattr(formatting, name)), name)
    app.add_template_filter(_in_request_language(system_moment), "system_moment")
    app.add_template_global(page_url, "page_url")
    app.add_template_global(photo_url, "photo_url")
