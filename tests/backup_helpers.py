"""A second, empty instance (database + attachment folder) to restore into, on SQLite or PostgreSQL."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db


@contextmanager
def empty_database(database_url: str, tmp: Path):
    """The URL of a new, empty database beside the test one; dropped afterwards on PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp / f'restored-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    name = f"sujarit_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def instance_app(database_url: str, attachments: Path, keyring: str, migrate: bool = False):
    """An app on another database and attachment folder, with the given keyring."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "KEYRING_PATH": keyring,
                                 "ATTACHMENT_DIR": str(attachments)})
    if migrate:
        with app.app_context():
            upgrade()
            db.session.remove()
            db.engine.dispose()
    return app
