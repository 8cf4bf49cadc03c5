"""Fixtures: one migrated database per test run (SQLite, or PostgreSQL when DATABASE_URL says so)."""
from __future__ import annotations

import os
import re
import uuid

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.database import write_intent
from app.extensions import db


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres:")) else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, migrated database for this test run; dropped afterwards on PostgreSQL."""
    base = _postgres_url()
    if base is None:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite:///{path}"
        _migrate(url, tmp_path_factory)
        yield url
        return
    base_url = make_url(base.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg")
    name = f"sujarit_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base_url.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url, tmp_path_factory)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str, tmp_path_factory) -> None:
    """Run the Alembic migrations from empty, as production does."""
    from flask_migrate import upgrade

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, **_paths(tmp_path_factory)})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


_SHARED_PATHS: dict = {}


def _paths(tmp_path_factory) -> dict:
    """One instance folder and keyring for the whole run, so encrypted rows stay readable."""
    if not _SHARED_PATHS:
        inst = tmp_path_factory.mktemp("instance")
        _SHARED_PATHS["KEYRING_PATH"] = str(inst / "keyring.json")
        _SHARED_PATHS["INSTANCE"] = str(inst)
    return {"KEYRING_PATH": _SHARED_PATHS["KEYRING_PATH"]}


@pytest.fixture
def app(database_url, tmp_path_factory, tmp_path, monkeypatch):
    """The application bound to the test database; every table is emptied after each test."""
    _paths(tmp_path_factory)
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", _SHARED_PATHS["INSTANCE"])
    application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, **_paths(tmp_path_factory),
                                         "ATTACHMENT_DIR": str(tmp_path / "attachments")})
    application.test_client_class = FreshGlobalsClient
    # The test body's own reads must not hold SQLite's write lock while a request runs.
    write_intent.set(False)
    with application.app_context():
        yield application
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    """Delete every row (children first) so the next test starts clean."""
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # units.head_id and users.unit_id point at each other: break the cycle first.
            conn.execute(text("UPDATE units SET head_id = NULL"))
            for table in tables:
                conn.execute(table.delete())


class FreshGlobalsClient(FlaskClient):
    """A test client whose requests start with an empty ``g``, as each production request does.

    Tests hold the app context open (for factories and queries), and Flask reuses it for
    requests, so without this ``g`` (and Flask-Login's cached user) would leak between requests.
    """

    def open(self, *args, **kwargs):
        for key in list(vars(g)):
            delattr(g, key)
        # Each production request starts and ends with no open transaction; so do these.
        db.session.rollback()
        try:
            return super().open(*args, **kwargs)
        finally:
            db.session.rollback()
            write_intent.set(False)


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The CLI runner."""
    return app.test_cli_runner()


_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = _CSRF_RE.search(html)
    assert match, "form has no CSRF token"
    return match.group(1)


class AuthActions:
    """Sign in and out through the real forms, CSRF included."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str, follow: bool = False):
        page = self._client.get("/auth/login")
        token = csrf_from(page.get_data(as_text=True))
        return self._client.post(
            "/auth/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=follow,
        )

    def logout(self):
        page = self._client.get("/staff/")
        token = csrf_from(page.get_data(as_text=True))
        return self._client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    """Sign-in helper bound to the test client."""
    return AuthActions(client)
