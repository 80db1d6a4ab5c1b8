"""Errors as users should see them: JSON on the API (the message in the request's language,
and in English beside it), a page in the request's language elsewhere, never a server path
or a traceback. The messages are the catalogue's (Vietnamese msgids)."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from geo import i18n
from geo.i18n import N_
from geo.schema import FieldError
from webapp.i18n import current_language

log = logging.getLogger(__name__)


# The ``code`` of an error when nothing more precise is said: stable, for programs (the field
# phone's queue, scripts) to branch on; the messages are for people. docs/field-api.md.
CODES = {400: "bad_request", 401: "not_signed_in", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         429: "too_many_requests", 500: "server_error"}


class ApiError(Exception):
    """A request refused: on the API it is answered with the JSON envelope (``envelope``);
    a page may show ``message`` instead. Nothing of the request was stored.

    ``message`` is given in Vietnamese, the catalogue's msgid, with ``%(name)s`` placeholders
    filled from ``params``; the envelope says it in the request's language and in English
    from the catalogue (``message_en`` is only a fallback for a message the catalogue does
    not hold yet). ``errors`` are (field, Vietnamese message) pairs, one per bad field
    (``geo.schema.FieldError`` adds its code); ``field`` is the first bad field when not given."""

    def __init__(self, status: int, message: str, message_en: str | None = None,
                 field: str | None = None, *, code: str | None = None,
                 errors: list[tuple[str, str]] | None = None,
                 params: dict | None = None) -> None:
        self.status, self.msgid, self.params = status, message, dict(params or {})
        self.fallback_en = message_en
        self.code = code or default_code(status)
        self.errors = list(errors or ())
        self.field = field or (self.errors[0][0] if self.errors else None)
        super().__init__(self.in_language("en"))

    def in_language(self, locale: str) -> str:
        """The message in ``locale``: the catalogue's, else the English given, else Vietnamese."""
        if locale != "vi" and not i18n.has(self.msgid, locale) and self.fallback_en:
            return self.fallback_en
        params = {k: i18n.translate(v, locale) if isinstance(v, i18n.Msgid | i18n.Message)
                  else v
                  for k, v in self.params.items()}
        return i18n.translate(self.msgid, locale, **params)

    @property
    def message_vi(self) -> str:
        return self.in_language("vi")

    @property
    def message_en(self) -> str:
        return self.in_language("en")

    @property
    def message(self) -> str:
        """In the language of the request (Vietnamese outside one)."""
        return self.in_language(current_language())

    def to_dict(self) -> dict:
        locale = current_language()
        # Translated, each keeping its validator's code (geo.schema.FieldError).
        errors = [FieldError(f, i18n.translate(m, locale), e.code) if isinstance(e, FieldError)
                  else (f, i18n.translate(m, locale)) for e in self.errors for f, m in (e,)]
        return envelope(self.status, self.message, self.message_en, code=self.code,
                        field=self.field, errors=errors)


def default_code(status: int) -> str:
    return CODES.get(status, CODES[500] if status >= 500 else CODES[400])


def envelope(status: int, message: str, message_en: str, *, code: str | None = None,
             field: str | None = None, errors: list[tuple[str, str]] = ()) -> dict:
    """The one JSON shape of an API error (docs/field-api.md):
    ``{"error": {"status", "code", "message", "message_en", "field"?, "errors"?}}``."""
    body = {"status": status, "code": code or default_code(status), "message": message,
            "message_en": message_en}
    if field:
        body["field"] = field
    if errors:
        body["errors"] = [_field_error(error) for error in errors]
    return {"error": body}


def _field_error(error) -> dict:
    """One bad field for the envelope; its stable ``code`` too when the validator gave one
    (``geo.schema.FieldError``: ``required``, ``too_long``, ``out_of_range``…)."""
    field, message = error
    item = {"field": field, "message": message}
    code = getattr(error, "code", None)
    if code:
        item["code"] = code
    return item


def api_response(err: ApiError):
    return jsonify(err.to_dict()), err.status


# The messages are the catalogue's msgids (Vietnamese, N_ marks them for extraction); each
# is said in the request's language where it is answered.
_GENERIC = {
    400: N_("Yêu cầu không hợp lệ."),
    401: N_("Phiên đăng nhập đã hết hạn hoặc bạn chưa đăng nhập."),
    403: N_("Bạn không có quyền truy cập."),
    404: N_("Không tìm thấy."),
    405: N_("Phương thức không được hỗ trợ."),
    413: N_("Dữ liệu gửi lên quá lớn (tối đa %(limit)s)."),
    429: N_("Quá nhiều yêu cầu, hãy thử lại sau ít phút."),
    500: N_("Lỗi máy chủ, vui lòng thử lại sau."),
}
# Titles and explanations of the HTML error pages.
_PAGES = {
    400: (N_("Yêu cầu không hợp lệ"),
          N_("Yêu cầu gửi lên không đọc được. Hãy tải lại trang rồi thử lại.")),
    403: (N_("Không có quyền"), N_("Tài khoản của bạn không có quyền xem trang này.")),
    404: (N_("Không tìm thấy"),
          N_("Trang hoặc bản ghi này không có (hoặc không thuộc phường của bạn).")),
    405: (N_("Thao tác không được hỗ trợ"),
          N_("Trang này không nhận thao tác vừa gửi (phương thức %(method)s). Hãy quay lại "
             "và dùng nút trên trang.")),
    413: (N_("Tệp hoặc dữ liệu quá lớn"),
          N_("Dữ liệu gửi lên vượt giới hạn %(limit)s. Hãy chia nhỏ tệp hoặc gửi ít ảnh hơn.")),
}
_FALLBACK_PAGE = (N_("Có lỗi"),
                  N_("Không thực hiện được yêu cầu này. Hãy tải lại trang rồi thử lại."))


def _limit() -> str:
    size = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{size // (1024 * 1024)} MB" if size else "—"


CSRF_MESSAGE = N_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (CSRF). Hãy tải lại "
                  "trang rồi thử lại.")


def _refusal(err: HTTPException) -> tuple[ApiError, str, str]:
    """What an HTTP error says: the API's error, and the title and text of its HTML page (in
    the request's language)."""
    status = err.code or 500
    locale = current_language()
    if isinstance(err, CSRFError):
        return ApiError(400, CSRF_MESSAGE, field="csrf_token", code="csrf"), \
            i18n.translate(N_("Biểu mẫu hết hạn"), locale), i18n.translate(CSRF_MESSAGE, locale)
    message = _GENERIC.get(status, _GENERIC[400] if status < 500 else _GENERIC[500])
    title, page = _PAGES.get(status, _FALLBACK_PAGE)
    params = {"limit": _limit()} if "%(limit)s" in message else {}
    if status == 429:  # the limiter's description (a msgid too) says how long to wait
        # The limiter's text may be one the catalogue lacks: English then says it generally.
        refusal = ApiError(status, str(err.description), i18n.translate(message, "en"))
        return refusal, i18n.translate(N_("Quá nhiều yêu cầu"), locale), refusal.message
    page_params = {"method": request.method, "limit": _limit()}
    page_params = {k: v for k, v in page_params.items() if f"%({k})s" in page}
    return ApiError(status, message, params=params), i18n.translate(title, locale), \
        i18n.translate(page, locale, **page_params)


def server_error_page() -> str:
    """The 500 page, rendered without context processors: it must not need the database
    (which may be what failed) nor the signed-in user."""
    return current_app.jinja_env.get_template("errors/500.html").render()


def register(app: Flask) -> None:
    """One handler for every error: the envelope on ``/api/``, a Vietnamese page elsewhere."""
    app.register_error_handler(ApiError, api_response)

    @app.errorhandler(InternalServerError)
    def _server_error(err: HTTPException):
        log.error("unhandled error on %s %s", request.method, request.path,
                  exc_info=getattr(err, "original_exception", None) or err)
        if request.path.startswith("/api/"):
            return api_response(ApiError(500, _GENERIC[500]))
        return server_error_page(), 500

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        if status < 400 or (status == 401 and not request.path.startswith("/api/")):
            return err  # redirects; pages sign in through the gate's redirect, not a 401
        refusal, title, message = _refusal(err)
        if request.path.startswith("/api/"):
            return api_response(refusal)
        if status >= 500:
            return server_error_page(), status
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
        return render_template("error.html", title=title, message=message), status, \
            headers  # 405 keeps its Allow
