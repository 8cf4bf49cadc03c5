"""Configuration classes, read from environment variables with safe defaults."""
from __future__ import annotations

import os
from datetime import timedelta


def _bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    #: None means "a SQLite file in the instance folder", resolved in create_app().
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    #: hide_parameters: a database error (logged, or in a traceback) never quotes the submitted values.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    #: Comma-separated "kid:base64key" pairs; the first is used for new values.
    ENCRYPTION_KEYS = os.environ.get("SUJARIT_ENCRYPTION_KEYS")
    #: Generate and keep SECRET_KEY / encryption keys in the instance folder when unset.
    GENERATE_MISSING_KEYS = False

    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")

    WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 25) * 1024 * 1024

    SESSION_COOKIE_NAME = "sujarit_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    #: A staff session ends after this long without a request ...
    SESSION_IDLE_TIMEOUT = timedelta(minutes=_int("SESSION_IDLE_MINUTES", 30))
    #: ... and after this long in any case.
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 12))
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_TIMEOUT

    #: Failed sign-ins allowed per account / per address within the window.
    LOGIN_MAX_FAILURES_ACCOUNT = _int("LOGIN_MAX_FAILURES_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_ADDRESS = _int("LOGIN_MAX_FAILURES_ADDRESS", 20)
    LOGIN_FAILURE_WINDOW = timedelta(minutes=_int("LOGIN_FAILURE_WINDOW_MINUTES", 15))
    LOGIN_LOCKOUT = timedelta(minutes=_int("LOGIN_LOCKOUT_MINUTES", 15))

    #: Counters of the rate limits. memory:// is per process: production with several workers needs
    #: redis:// (see shared_limit_storage_problem and gunicorn.conf.py).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    #: A Redis outage must not turn every request into a 500: count in memory until it is back.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    MAIL_SERVER = os.environ.get("SMTP_HOST", "localhost")
    MAIL_PORT = _int("SMTP_PORT", 25)
    MAIL_USERNAME = os.environ.get("SMTP_USERNAME")
    MAIL_PASSWORD = os.environ.get("SMTP_PASSWORD")
    MAIL_USE_TLS = _bool("SMTP_STARTTLS", False)
    MAIL_USE_SSL = _bool("SMTP_SSL", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "sujarit@localhost")

    #: Public address of the service, used in e-mails, QR codes and receipts.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    #: The browser that prints PDFs (app/documents/engine.py); unset = `chromium` on PATH or /usr/bin/chromium.
    CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or None
    #: Seconds one PDF may take before the request gets a clear 503.
    PDF_TIMEOUT_SECONDS = float(os.environ.get("PDF_TIMEOUT_SECONDS", "30"))

    #: Organisation profile defaults, used when the database holds none yet.
    ORG_NAME = os.environ.get("ORG_NAME", "องค์การบริหารส่วนตำบลตัวอย่าง")
    ORG_SHORT_NAME = os.environ.get("ORG_SHORT_NAME", "อบต.ตัวอย่าง")
    ORG_TYPE = os.environ.get("ORG_TYPE", "sao")

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    #: Encrypted attachment store, outside the web root (default: <instance>/attachments).
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR") or None
    ATTACHMENT_MAX_MB = _int("ATTACHMENT_MAX_MB", 10)
    ATTACHMENT_MAX_FILES = _int("ATTACHMENT_MAX_FILES", 5)
    #: Per-address limits (Flask-Limiter syntax); counters are kept in RATELIMIT_STORAGE_URI only.
    INTAKE_RATE_LIMIT = os.environ.get("INTAKE_RATE_LIMIT", "5 per minute; 30 per hour")
    TRACKING_RATE_LIMIT = os.environ.get("TRACKING_RATE_LIMIT", "20 per minute; 300 per day")
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "30 per minute; 500 per day")
    #: How often the scheduler process looks for due reminders and queued e-mails.
    SCHEDULER_INTERVAL_SECONDS = _int("SCHEDULER_INTERVAL_SECONDS", 60)
    #: Nightly snapshots (`flask scheduler`): the folder (unset = no nightly job), how many to keep,
    #: and the hour (Asia/Bangkok) they are taken.
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or None
    BACKUP_KEEP = _int("BACKUP_KEEP", 7)
    BACKUP_HOUR = _int("BACKUP_HOUR", 2)


class DevelopmentConfig(Config):
    """Local development on SQLite with generated keys."""

    ENV_NAME = "development"
    DEBUG = False  # the debugger page would print stack traces to citizens
    GENERATE_MISSING_KEYS = True


class TestingConfig(Config):
    """The test suite: CSRF on (tests prove it), throttles tuned by each test."""

    ENV_NAME = "testing"
    TESTING = True
    GENERATE_MISSING_KEYS = True
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None


class ProductionConfig(Config):
    """Production: refuses to start without real keys; secure cookies."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"


def shared_limit_storage_problem(env_name: str, workers: int, storage_uri: str) -> str | None:
    """Why this combination would multiply every rate limit, or None when it is sound.

    memory:// keeps one set of counters per process, so with N workers every limit is N times
    looser than configured. Production with more than one worker needs a shared store.
    """
    if env_name != "production" or workers <= 1 or not storage_uri.startswith("memory://"):
        return None
    return (f"Sujarit refuses to start: {workers} gunicorn workers with RATELIMIT_STORAGE_URI={storage_uri} "
            f"would give each worker its own rate-limit counters, so every limit would be {workers} times "
            "looser. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (Debian package redis-server), "
            "or run one worker (GUNICORN_WORKERS=1).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
