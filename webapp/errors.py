"""Errors as users should see them: JSON with Vietnamese and English on the API."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException


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
    404: ("Không tìm thấy.", "Not found."),
    405: ("Phương thức không được hỗ trợ.", "Method not allowed."),
    500: ("Lỗi máy chủ, vui lòng thử lại sau.", "Server error, please try again later."),
}


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return jsonify(err.to_dict()), err.status

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if not request.path.startswith("/api/"):
            return err
        vi, en = _GENERIC.get(err.code, (err.name, err.name))
        return jsonify(ApiError(err.code, vi, en).to_dict()), err.code
