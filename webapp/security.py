"""Sign-in gate and security headers (with a per-request CSP nonce); errors: webapp.errors."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user

from geo.i18n import N_
from webapp.errors import ApiError

# Endpoints reachable without signing in: the sign-in page (and its language switch), static
# assets and a ward's public page (which answers 404 unless the ward's plan turns it on).
PUBLIC_ENDPOINTS = {"auth.login", "auth.language", "static", "vendor.asset",
                    "field.service_worker", "setup.first_run", "public.ward"}


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
            raise ApiError(401, N_("Phiên đăng nhập đã hết hạn hoặc bạn chưa đăng nhập."))
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
