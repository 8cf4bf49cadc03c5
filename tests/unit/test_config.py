"""Production refuses to start without real keys; development makes its own."""
from __future__ import annotations

import pytest

from app import create_app
from app.security.keyring import KeyConfigError


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(KeyConfigError):
        create_app("production", {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_a_weak_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(KeyConfigError):
        create_app("production", {"SECRET_KEY": "changeme", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_to_start_without_keyring(tmp_path, monkeypatch):
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(KeyConfigError, match="keyring"):
        create_app("production", {"SECRET_KEY": "x" * 40, "KEYRING_PATH": str(tmp_path / "none.json"),
                                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_starts_with_real_keys(tmp_path, monkeypatch):
    from app.security.keyring import new_keyring

    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(tmp_path))
    new_keyring(tmp_path / "ring.json").save()
    app = create_app("production", {"SECRET_KEY": "x" * 40, "KEYRING_PATH": str(tmp_path / "ring.json"),
                                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_and_keeps_its_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SUJARIT_KEYRING", raising=False)
    first = create_app("development", {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": None})
    second = create_app("development", {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": None})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "keyring.json").exists() and (tmp_path / "secret_key").exists()
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/sujarit.sqlite3"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
