"""Flask application: map, API and command line for one or more wards."""

from __future__ import annotations

from flask import Flask

from webapp import config as settings


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings read from the environment.

    The features are imported here, not at the top: importing ``webapp`` (or any module in
    it, like the command line) does not load the whole application.
    """
    from geo import wardzone
    from geo.resources import STATIC_DIR
    from webapp import (
        auth,
        basemap,
        errors,
        i18n,
        input_guard,
        jsonio,
        photos,
        security,
        templating,
        vendor,
        wards,
    )
    from webapp.admin import bp as admin_bp
    from webapp.analysis import bp as analysis_bp
    from webapp.api import bp as api_bp
    from webapp.auth.permissions import ROLE_LABELS, can
    from webapp.campaigns import bp as campaigns_bp
    from webapp.exchange import bp as exchange_bp
    from webapp.extensions import compress, csrf, db, limiter
    from webapp.field import bp as field_bp
    from webapp.houses import bp as houses_bp
    from webapp.incidents import bp as incidents_bp
    from webapp.map import bp as map_bp
    from webapp.model_streets import bp as model_streets_bp
    from webapp.navigation import nav_links
    from webapp.plan import bp as plan_bp
    from webapp.province import bp as province_bp
    from webapp.public import bp as public_bp
    from webapp.registers import bp as registers_bp
    from webapp.reports import bp as reports_bp
    from webapp.setup import bp as setup_bp
    from webapp.tiles import bp as tiles_bp
    from webapp.work import bp as work_bp

    app = Flask(
        __name__,
        static_folder=str(STATIC_DIR),
        static_url_path="/static",
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.update(config)
    wardzone.set_zone(app.config["TIMEZONE"])  # event times: UTC stored, ward time used
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.config["INSTANCE_DIR"])
    jsonio.register(app)  # strict JSON in, never NaN out
    app.json.sort_keys = False
    app.json.ensure_ascii = False  # Vietnamese stays readable in responses and logs
    db.init_app(app)
    # The sign-in gate runs before the CSRF check: a request from an expired session gets
    # 401 ("sign in again"), which an offline queue retries, not 400 ("fix the record").
    security.register(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)  # the language of each request; _() in templates and code
    errors.register(app)
    templating.register(app)  # geo.formatting's filters, page and photo URLs
    input_guard.register(app)  # before the blueprints: it bounds their <int:…> ids
    basemap.init_app(app)  # the offline basemap file (if set) and the pages' TILE_URL
    for blueprint, prefix in (
        (vendor.bp, None), (auth.bp, "/auth"), (map_bp, None), (api_bp, "/api/v1"),
        (incidents_bp, "/incidents"), (houses_bp, "/boarding-houses"), (admin_bp, "/admin"),
        (field_bp, None), (photos.bp, None), (analysis_bp, None), (reports_bp, None),
        (exchange_bp, None), (setup_bp, None), (plan_bp, None), (model_streets_bp, None),
        (campaigns_bp, None), (tiles_bp, None), (province_bp, None), (public_bp, None),
        (work_bp, None),
        (registers_bp, None),
    ):
        app.register_blueprint(blueprint, url_prefix=prefix)
    app.jinja_env.globals.update(can=can, role_labels=ROLE_LABELS, nav_links=nav_links)
    app.context_processor(lambda: {"current_ward": wards.current()})
    return app
