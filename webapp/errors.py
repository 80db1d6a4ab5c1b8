"""Errors as users should see them: JSON with Vietnamese and English on the API, a
Vietnamese page elsewhere, never a server path or a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A client error on the API: status, message in Vietnamese and English, field."""

    def __init__(self, status: int, vi: str, en: str, field: str | None = None) -> None:
        super().__init__(en)
        self.status, self.vi, self.en, self.field = status, vi, en, field

    def to_dict(self) -> dict:
        body = {"error": {"status": self.status, "message": self.vi, "message_en": self.en}}
        if self.field:
            body["error"]["field"] = self.field
        return body


_GENERIC = {
    400: ("Yêu cầu không hợp lệ.", "Bad request."),
    404: ("Không tìm thấy.", "Not found."),
    405: ("Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("Dữ liệu gửi lên quá lớn (tối đa {limit}).", "Request too large (at most {limit})."),
    500: ("Lỗi máy chủ, vui lòng thử lại sau.", "Server error, please try again later."),
}
# Titles and explanations of the HTML error pages (404 and 403: webapp.security).
_PAGES = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu gửi lên không đọc được. Hãy tải lại trang rồi "
                                  "thử lại."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận thao tác vừa gửi (phương "
                                        "thức {method}). Hãy quay lại và dùng nút trên trang."),
    413: ("Tệp hoặc dữ liệu quá lớn", "Dữ liệu gửi lên vượt giới hạn {limit}. Hãy chia nhỏ "
                                      "tệp hoặc gửi ít ảnh hơn."),
}
_FALLBACK_PAGE = ("Có lỗi", "Không thực hiện được yêu cầu này. Hãy tải lại trang rồi thử lại.")


def _limit() -> str:
    size = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{size // (1024 * 1024)} MB" if size else "của máy chủ"


def _api_body(status: int) -> dict:
    vi, en = _GENERIC.get(status, _GENERIC[400] if status < 500 else _GENERIC[500])
    return ApiError(status, vi.format(limit=_limit()), en.format(limit=_limit())).to_dict()


def server_error_page() -> str:
    """The 500 page, rendered without context processors: it must not need the database
    (which may be what failed) nor the signed-in user."""
    return current_app.jinja_env.get_template("errors/500.html").render()


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return jsonify(err.to_dict()), err.status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        code = err.code or 500
        if request.path.startswith("/api/"):
            return jsonify(_api_body(code)), code
        if code < 400 or code in (401, 403, 404, 429):  # redirects; webapp.security's pages
            return err
        if code >= 500:
            return server_error_page(), code
        title, message = _PAGES.get(code, _FALLBACK_PAGE)
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
        return render_template("error.html", title=title, message=message.format(
            method=request.method, limit=_limit())), code, headers  # 405 keeps its Allow

    @app.errorhandler(InternalServerError)
    def _server_error(err: InternalServerError):
        log.error("unhandled error on %s %s", request.method, request.path,
                  exc_info=err.original_exception or err)
        if request.path.startswith("/api/"):
            return jsonify(_api_body(500)), 500
        return server_error_page(), 500
