"""Sujarit: complaint and tip-off service for Thai local government."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import CONFIGS
from .database import init_database, postgres_connect_args, private_dir, sqlite_uri_for
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import init_template_helpers, select_locale
from .logging_setup import init_logging
from .security.headers import init_security_headers
from .security.keyring import load_keyring, load_secret_key

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application for ``config_name`` (development, testing, production)."""
    config_name = config_name or os.environ.get("SUJARIT_ENV", "development")
    app = Flask(
        __name__,
        instance_path=os.environ.get("SUJARIT_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=False,
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(CONFIGS[config_name])
    if overrides:
        app.config.update(overrides)
    _configure_paths_and_keys(app)
    init_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    init_security_headers(app)
    init_template_helpers(app)
    _register_context(app)
    trusted_proxies = int(os.environ.get("TRUSTED_PROXIES", "0"))
    if trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies)
    return app


def _configure_paths_and_keys(app: Flask) -> None:
    """Resolve the database URL, SECRET_KEY and keyring; production refuses to run without real ones."""
    instance = Path(app.instance_path)
    generate = app.config["GENERATE_MISSING_KEYS"]
    if generate:
        private_dir(instance)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        private_dir(instance)
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_uri_for(str(instance))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):  # the form some hosts hand out
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgresql+psycopg://"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**postgres_connect_args(), **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["SECRET_KEY"] = load_secret_key(app.config.get("SECRET_KEY"), instance, generate)
    keyring_path = Path(app.config.get("KEYRING_PATH") or os.environ.get("SUJARIT_KEYRING")
                        or instance / "keyring.json")
    app.extensions["sujarit_keyring"] = load_keyring(keyring_path, generate)


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    db.init_app(app)
    init_database(app, db)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per audience."""
    from .blueprints.admin import bp as admin_bp
    from .blueprints.api import bp as api_bp
    from .blueprints.auth import bp as auth_bp
    from .blueprints.errors import bp as errors_bp
    from .blueprints.executive import bp as executive_bp
    from .blueprints.public import bp as public_bp
    from .blueprints.staff import bp as staff_bp
    from .blueprints.tracking import bp as tracking_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(tracking_bp, url_prefix="/track")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(executive_bp, url_prefix="/executive")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(errors_bp)
    csrf.exempt(api_bp)  # the JSON API uses no cookies, so there is no session to forge


def _register_context(app: Flask) -> None:
    """Make the organisation profile available to every template."""
    from .services.organisation import get_profile

    @app.context_processor
    def inject_org():
        try:
            return {"org": get_profile()}
        except Exception:  # the error page must render even when the database is down
            db.session.rollback()
            return {"org": None}


def register_cli(app: Flask) -> None:
    """Add the operations commands (create-admin, seed-demo, keys, ...)."""
    from .cli import register

    register(app)
