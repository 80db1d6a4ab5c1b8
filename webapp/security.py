"""Sign-in gate, security headers (with a per-request CSP nonce), CSRF and rate-limit errors."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

# Endpoints reachable without signing in: the sign-in page and static assets.
PUBLIC_ENDPOINTS = {"auth.login", "static", "vendor.asset", "field.service_worker",
                    "setup.first_run"}


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def register(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def _require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            from webapp.errors import ApiError

            raise ApiError(401, "Phiên đăng nhập đã hết hạn hoặc bạn chưa đăng nhập.",
                           "Not signed in or session expired.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.after_request
    def _headers(response):
        tiles = app.config.get("TILE_URL") or ""
        tile_origin = ""
        parts = urlsplit(tiles.replace("{s}", "a"))
        if parts.netloc:  # tiles from another server (ours under /basemap/ are 'self')
            tile_origin = f" {parts.scheme}://{parts.netloc}"
            if "{s}" in tiles:
                tile_origin += f" {parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
        response.headers.setdefault("Content-Security-Policy", (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{csp_nonce()}'; "
            "style-src 'self' 'unsafe-inline'; "  # Leaflet positions elements with inline styles
            f"img-src 'self' data: blob:{tile_origin}; "
            "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        ))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy",
                                    "geolocation=(self), camera=(self), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if current_user.is_authenticated and "Cache-Control" not in response.headers:
            # Pages may hold personal data: never keep them in shared caches.
            response.headers["Cache-Control"] = "private, no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(err):
        message = ("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (CSRF). "
                   "Hãy tải lại trang rồi thử lại.")
        if request.path.startswith("/api/"):
            return jsonify({"error": {"status": 400, "message": message,
                                      "message_en": f"CSRF check failed: {err.description}",
                                      "field": "csrf_token"}}), 400
        return render_template("error.html", title="Biểu mẫu hết hạn", message=message), 400

    @app.errorhandler(429)
    def _too_many(err):
        message = str(err.description)
        if request.path.startswith("/api/"):
            return jsonify({"error": {"status": 429, "message": message,
                                      "message_en": "Too many requests."}}), 429
        return render_template("error.html", title="Quá nhiều yêu cầu", message=message), 429

    @app.errorhandler(404)
    def _not_found(err):
        if request.path.startswith("/api/"):
            return jsonify({"error": {"status": 404, "message": "Không tìm thấy.",
                                      "message_en": "Not found."}}), 404
        return render_template("error.html", title="Không tìm thấy",
                               message="Trang hoặc bản ghi này không có (hoặc không thuộc "
                                       "phường của bạn)."), 404

    @app.errorhandler(403)
    def _forbidden(_err):
        if request.path.startswith("/api/"):
            return jsonify({"error": {"status": 403, "message": "Bạn không có quyền truy cập.",
                                      "message_en": "Forbidden."}}), 403
        return render_template("error.html", title="Không có quyền",
                               message="Tài khoản của bạn không có quyền xem trang này."), 403
