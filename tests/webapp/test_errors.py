"""One error type, one JSON envelope (docs/field-api.md "Errors"), one set of error pages.

The app here has no database: errors must be answered without one (the 500 page even when
the database is what failed), and nothing below signs in.
"""

from __future__ import annotations

import pytest
from flask import abort
from flask_wtf.csrf import CSRFError

from webapp import create_app, errors, security
from webapp.errors import ApiError

KEYS = ("status", "code", "message", "message_en")


@pytest.fixture
def app(tmp_path, monkeypatch):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}", "SECRET_KEY": "t",
                      "INSTANCE_DIR": str(tmp_path), "WTF_CSRF_ENABLED": True})

    def refuse(kind: str):
        if kind == "fields":
            raise ApiError(400, "Chưa lưu được: số phòng", "Invalid submission: rooms",
                           code="invalid", errors=[("rooms", "Số phòng phải từ 1 đến 500."),
                                                   ("name", "Chưa nhập tên.")])
        if kind == "csrf":
            raise CSRFError("The CSRF token is missing.")
        abort(429, description="Quá nhiều lần thử: chờ 5 phút.")

    for prefix in ("/api/v1/test-errors", "/test-errors"):
        app.add_url_rule(f"{prefix}/<kind>", f"refuse{prefix.replace('/', '_')}", refuse,
                         methods=["GET"])
    monkeypatch.setattr(security, "PUBLIC_ENDPOINTS",
                        security.PUBLIC_ENDPOINTS | {"refuse_api_v1_test-errors",
                                                     "refuse_test-errors"})
    return app


def _error(response) -> dict:
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["error"]
    error = body["error"]
    assert tuple(error)[:4] == KEYS and error["status"] == response.status_code
    assert error["message"] and error["message_en"] and error["message"] != error["message_en"]
    return error


def test_api_not_found_is_the_envelope_not_the_page(app):
    error = _error(app.test_client().get("/api/no/such/thing"))
    assert error == {"status": 404, "code": "not_found", "message": "Không tìm thấy.",
                     "message_en": "Not found."}


def test_a_page_not_found_is_the_vietnamese_page(app):
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Không tìm thấy" in page and "không thuộc phường của bạn" in page


def test_signed_out_on_the_api_is_401_not_signed_in(app):
    error = _error(app.test_client().get("/api/v1/incidents"))
    assert (error["status"], error["code"]) == (401, "not_signed_in")


def test_per_field_errors_carry_the_first_field_and_every_message(app):
    error = _error(app.test_client().get("/api/v1/test-errors/fields"))
    assert error["code"] == "invalid" and error["field"] == "rooms"
    assert error["errors"] == [{"field": "rooms", "message": "Số phòng phải từ 1 đến 500."},
                               {"field": "name", "message": "Chưa nhập tên."}]


def test_csrf_is_code_csrf_on_field_csrf_token(app):
    """The phone's queue fetches a fresh token when field is csrf_token (sender.js)."""
    error = _error(app.test_client().get("/api/v1/test-errors/csrf"))
    assert (error["status"], error["code"], error["field"]) == (400, "csrf", "csrf_token")
    page = app.test_client().get("/test-errors/csrf")
    assert page.status_code == 400 and "Biểu mẫu hết hạn" in page.get_data(as_text=True)


def test_a_form_posted_without_its_token_gets_the_page(app):
    response = app.test_client().post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "Biểu mẫu hết hạn" in response.get_data(as_text=True)


def test_too_many_requests_says_how_long_to_wait(app):
    error = _error(app.test_client().get("/api/v1/test-errors/slow"))
    assert error["code"] == "too_many_requests"
    assert error["message"] == "Quá nhiều lần thử: chờ 5 phút."
    page = app.test_client().get("/test-errors/slow")
    assert page.status_code == 429 and "Quá nhiều lần thử" in page.get_data(as_text=True)


def test_wrong_method_keeps_allow_on_the_page(app):
    error = _error(app.test_client().post("/api/v1/test-errors/fields"))
    assert error["code"] == "method_not_allowed"
    page = app.test_client().post("/test-errors/fields")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_codes_default_by_status():
    assert [ApiError(s, "a", "b").code for s in (400, 401, 403, 404, 409, 413, 418, 503)] == \
        ["bad_request", "not_signed_in", "forbidden", "not_found", "conflict", "too_large",
         "bad_request", "server_error"]
    assert ApiError(401, "a", "b", code="other_user").to_dict()["error"]["code"] == "other_user"


def test_every_http_error_is_answered_by_webapp_errors(app):
    """A status-specific handler elsewhere (security.py's 404 once) would shadow the one."""
    from werkzeug.exceptions import HTTPException

    codes = {code for spec in app.error_handler_spec.values() for code in spec}
    assert codes <= {None, 500}  # 500: errors.py's own (it logs); no other status has one
    http = [handler for spec in app.error_handler_spec.values() for by_class in spec.values()
            for cls, handler in by_class.items()
            if issubclass(cls, HTTPException | ApiError)]
    assert len(http) == 3 and {h.__module__ for h in http} == {errors.__name__}
