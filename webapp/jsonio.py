"""JSON in and out of the app: one strict parser, and responses that are always valid JSON.

In: ``loads`` is the one parser of JSON sent by a client (field submissions, the API and
Flask's ``request.get_json``). It refuses the non-standard constants ``NaN``/``Infinity``
and numbers that overflow to infinity (``1e400``), nesting deeper than ``MAX_DEPTH`` and
documents larger than ``MAX_BYTES``, NUL and broken (surrogate) characters in any string —
always as ``JsonRefused`` with a message from the catalogue, never a ``RecursionError``.

Out: the app's JSON provider writes with ``allow_nan=False``: a non-finite number reaching
a response is a bug to see in the log, not invalid JSON that breaks the ward's map.
"""

from __future__ import annotations

import json
import math
import re

from flask import Flask, Request, Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider

from geo.i18n import N_, Message, translate
from webapp.errors import ApiError

MAX_DEPTH = 32
MAX_BYTES = 2 * 1024 * 1024  # a field record is a few KB; photos travel as files


class JsonRefused(ValueError):
    """Client JSON that is not accepted; ``message`` (a ``geo.i18n.Message``) says why, in
    the reader's language where answered (``vi`` is it too, ``en`` its English, the
    exception's own text for the log)."""

    def __init__(self, message: Message) -> None:
        self.message = self.vi = message
        self.en = translate(message, "en")
        super().__init__(self.en)


def _no_constant(name: str):
    raise JsonRefused(Message(N_("Nội dung JSON có giá trị %(name)s: chỉ nhận số hữu hạn."),
                              name=name))


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(Message(N_("Số %(number)s quá lớn: chỉ nhận số hữu hạn."),
                                  number=text[:20]))
    return value


def _check_tree(document) -> None:
    """Depth and strings of a parsed document, without recursion."""
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            children = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in children:
                if isinstance(key, str):
                    _check_string(key)
                stack.append((child, depth + 1))
        elif isinstance(node, str):
            _check_string(node)


# One scan in C per string (a character-by-character loop in Python was a tenth of a
# field record's server time).
_REFUSED_CHARACTER = re.compile("[\0\ud800-\udfff]")


def _check_string(text: str) -> None:
    found = _REFUSED_CHARACTER.search(text)
    if found is None:
        return
    if found.group() == "\0" or "\0" in text:
        raise JsonRefused(Message(N_("Nội dung JSON có ký tự rỗng (NUL, U+0000).")))
    raise JsonRefused(Message(N_("Nội dung JSON có ký tự hỏng (nửa cặp UTF-16).")))


def _too_deep() -> JsonRefused:
    return JsonRefused(Message(N_("Nội dung JSON lồng quá sâu (tối đa %(count)s cấp)."),
                               count=MAX_DEPTH))


def loads(raw: str | bytes, max_bytes: int = MAX_BYTES):
    """Parse client JSON strictly (see the module docstring); raises ``JsonRefused``.

    >>> loads('{"rooms": 12, "accuracy_m": 8.5}')
    {'rooms': 12, 'accuracy_m': 8.5}
    >>> loads('{"accuracy_m": NaN}')
    Traceback (most recent call last):
    ...
    webapp.jsonio.JsonRefused: JSON constant NaN is not accepted: numbers must be finite.
    """
    if len(raw) > max_bytes:
        raise JsonRefused(Message(N_("Nội dung JSON quá lớn (tối đa %(size)s KB)."),
                                  size=max_bytes // 1024))
    if isinstance(raw, bytes | bytearray):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonRefused(Message(N_("Nội dung JSON không phải UTF-8."))) from None
    try:
        document = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise _too_deep() from None
    except JsonRefused:
        raise
    except ValueError:  # JSONDecodeError, and integers longer than Python reads (4300 digits)
        raise JsonRefused(Message(N_("Nội dung không phải JSON hợp lệ."))) from None
    _check_tree(document)
    return document


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON with our parser in and ``allow_nan=False`` out."""

    def dumps(self, obj, **kwargs) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        return loads(s)


class StrictRequest(Request):
    """``request.get_json()`` failures answer 400 with the parser's message."""

    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, JsonRefused):
            raise ApiError(400, e.message, field="json")
        raise ApiError(400, N_("Yêu cầu cần nội dung JSON (Content-Type: application/json)."),
                       field="json")


def register(app: Flask) -> None:
    """Install the strict provider and request class (call before setting ``app.json``'s
    options)."""
    app.json_provider_class = StrictJSONProvider
    app.json = StrictJSONProvider(app)
    app.request_class = StrictRequest


def geojson_response(body: dict):
    """``body`` as a JSON response of type ``application/geo+json`` (RFC 7946)."""
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def geojson_text_response(text: str):
    """JSON text written elsewhere (by the database: ``models.layer_json``) as a response of
    type ``application/geo+json``."""
    return Response(text, mimetype="application/geo+json")


def envelope_members(members: dict) -> str:
    """``members`` encoded as the tail of a JSON object (``"a":1,…}``), to follow members
    already written as text."""
    return current_app.json.dumps(members)[1:]
