"""Errors as users should see them: JSON with Vietnamese and English on the API, a
Vietnamese page elsewhere, never a server path or a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


# The ``code`` of an error when nothing more precise is said: stable, for programs (the field
# phone's queue, scripts) to branch on; the messages are for people. docs/field-api.md.
CODES = {400: "bad_request", 401: "not_signed_in", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         429: "too_many_requests", 500: "server_error"}


class ApiError(Exception):
    """A request refused: on the API it is answered with the JSON envelope (``envelope``);
    a page may show ``message`` instead. Nothing of the request was stored.

    ``errors`` are (field, Vietnamese message) pairs, one per bad field (``geo.schema.FieldError``
    adds its code); ``field`` is the first bad field when not given."""

    def __init__(self, status: int, message: str, message_en: str, field: str | None = None,
                 *, code: str | None = None, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message_en)
        self.status, self.message, self.message_en = status, message, message_en
        self.code = code or default_code(status)
        self.errors = list(errors or ())
        self.field = field or (self.errors[0][0] if self.errors else None)

    def to_dict(self) -> dict:
        return envelope(self.status, self.message, self.message_en, code=self.code,
                        field=self.field, errors=self.errors)


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


_GENERIC = {
    400: ("Yêu cầu không hợp lệ.", "Bad request."),
    401: ("Phiên đăng nhập đã hết hạn hoặc bạn chưa đăng nhập.",
          "Not signed in or session expired."),
    403: ("Bạn không có quyền truy cập.", "Forbidden."),
    404: ("Không tìm thấy.", "Not found."),
    405: ("Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("Dữ liệu gửi lên quá lớn (tối đa {limit}).", "Request too large (at most {limit})."),
    429: ("Quá nhiều yêu cầu, hãy thử lại sau ít phút.", "Too many requests."),
    500: ("Lỗi máy chủ, vui lòng thử lại sau.", "Server error, please try again later."),
}
# Titles and explanations of the HTML error pages.
_PAGES = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu gửi lên không đọc được. Hãy tải lại trang rồi "
                                  "thử lại."),
    403: ("Không có quyền", "Tài khoản của bạn không có quyền xem trang này."),
    404: ("Không tìm thấy", "Trang hoặc bản ghi này không có (hoặc không thuộc phường của "
                            "bạn)."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận thao tác vừa gửi (phương "
                                        "thức {method}). Hãy quay lại và dùng nút trên trang."),
    413: ("Tệp hoặc dữ liệu quá lớn", "Dữ liệu gửi lên vượt giới hạn {limit}. Hãy chia nhỏ "
                                      "tệp hoặc gửi ít ảnh hơn."),
}
_FALLBACK_PAGE = ("Có lỗi", "Không thực hiện được yêu cầu này. Hãy tải lại trang rồi thử lại.")


def _limit() -> str:
    size = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{size // (1024 * 1024)} MB" if size else "của máy chủ"


CSRF_MESSAGE = ("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (CSRF). Hãy tải lại "
                "trang rồi thử lại.")


def _refusal(err: HTTPException) -> tuple[ApiError, str, str]:
    """What an HTTP error says: the API's error, and the title and text of its HTML page."""
    status = err.code or 500
    if isinstance(err, CSRFError):
        return ApiError(400, CSRF_MESSAGE, f"CSRF check failed: {err.description}",
                        "csrf_token", code="csrf"), "Biểu mẫu hết hạn", CSRF_MESSAGE
    vi, en = _GENERIC.get(status, _GENERIC[400] if status < 500 else _GENERIC[500])
    title, page = _PAGES.get(status, _FALLBACK_PAGE)
    if status == 429:  # the limiter's description says how long to wait
        vi = page = str(err.description)
        title = "Quá nhiều yêu cầu"
    else:
        vi, page = vi.format(limit=_limit()), page.format(method=request.method,
                                                          limit=_limit())
    return ApiError(status, vi, en.format(limit=_limit())), title, page


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
            return api_response(ApiError(500, *_GENERIC[500]))
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
