"""Flask application: map, API and command line for one or more wards."""

from __future__ import annotations

from flask import Flask

from webapp import config as settings
from webapp.extensions import db


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

    from webapp import errors, vendor
    from webapp.api import bp as api_bp
    from webapp.map import bp as map_bp

    app.register_blueprint(vendor.bp)
    app.register_blueprint(map_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    errors.register(app)
    return app
