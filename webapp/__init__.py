"""Flask application: map, API and command line for one or more wards."""

from __future__ import annotations

from flask import Flask

from webapp import config as settings
from webapp.extensions import csrf, db, limiter


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings read from the environment."""
    app = Flask(
        __name__,
        static_folder=str(settings.ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.config["INSTANCE_DIR"])
    app.json.sort_keys = False
    app.json.ensure_ascii = False  # Vietnamese stays readable in responses and logs
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from webapp import auth, errors, photos, security, vendor
    from webapp.api import bp as api_bp
    from webapp.auth.permissions import ROLE_LABELS, can
    from webapp.field import bp as field_bp
    from webapp.map import bp as map_bp

    auth.init_app(app)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(map_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(field_bp)
    app.register_blueprint(photos.bp)
    errors.register(app)
    security.register(app)
    from webapp.navigation import nav_links

    app.jinja_env.globals.update(can=can, role_labels=ROLE_LABELS, nav_links=nav_links)
    return app
