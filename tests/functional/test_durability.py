"""What a power cut or a nosy local user must not take: committed cases, renamed files, readable database files."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.services import attachments as attachment_store
from tests.factories import file_complaint

SQLITE_ONLY = pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                 reason="SQLite's own file and pragmas")


@SQLITE_ONLY
def test_sqlite_commits_are_synced_in_full(app):
    assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@SQLITE_ONLY
def test_database_and_instance_files_are_private_to_the_service_user(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("SUJARIT_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    old = os.umask(0o022)
    try:
        app = create_app("development", {"SQLALCHEMY_DATABASE_URI": None})
        with app.app_context():
            db.session.execute(text("CREATE TABLE t (x INTEGER)"))
            db.session.commit()
            db.engine.dispose()
    finally:
        os.umask(old)
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)  # noqa: E731
    assert mode(instance) == 0o700
    assert mode(instance / "sujarit.sqlite3") == 0o600
    assert mode(instance / "keyring.json") == 0o600 and mode(instance / "secret_key") == 0o600


def test_attachment_rename_is_followed_by_a_directory_fsync(app, monkeypatch):
    synced: list[bool] = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    case, _ = file_complaint()
    attachment_store.store(case, attachment_store.CleanFile("a.pdf", "application/pdf", b"%PDF-1.4 test"))
    assert synced == [False, True]  # the file's data, then the folder that now names it
