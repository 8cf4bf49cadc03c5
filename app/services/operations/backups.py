"""Backups: a consistent database snapshot and the encrypted attachment files, with a manifest of checksums.

A snapshot never holds the keyring: whoever takes the backup media must not be able to read it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from ...database import private_dir, private_sqlite_file
from ...extensions import db
from .. import attachments as attachment_store

FORMAT = "sujarit-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
ATTACHMENTS = "attachments"
#: Names of the nightly snapshots in BACKUP_DIR; sorting them sorts them by time.
NIGHTLY_NAME = re.compile(r"^sujarit-\d{8}-\d{6}$")


class BackupError(Exception):
    """A snapshot that cannot be written, verified or restored; the message says why."""


@dataclass
class Summary:
    """What a snapshot holds."""

    path: Path
    database: str
    schema_revision: str
    cases: int
    attachments: int
    created_at: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_private(source: Path, target: Path) -> None:
    """Copy a file to a new 0600 file and fsync it."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def _keyring():
    return current_app.extensions["sujarit_keyring"]


def _index_fingerprint() -> str:
    """Names the index key (tracking codes are hashed with it) without revealing it."""
    return hashlib.sha256(b"sujarit-backup:" + _keyring().index_key).hexdigest()[:16]


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the newest Debian versioned binary, else the one on PATH."""
    versioned = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    found = str(versioned[-1]) if versioned else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client-15)")
    return found


def _pg_target() -> tuple[str, dict]:
    """The database URL for the PostgreSQL tools (password moved into the environment)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _facts(conn: Connection) -> tuple[str, int, list[str]]:
    """Schema revision, number of cases and the attachment files, as one snapshot sees them."""
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    cases = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
    names = list(conn.execute(text("SELECT storage_name FROM attachments ORDER BY storage_name")).scalars())
    return revision, cases, names


# ---------------------------------------------------------------- create


def create(target: Path, now: datetime) -> Summary:
    """Write a snapshot into ``target`` (a new or empty folder) while the service keeps running.

    :raise BackupError: the folder is not empty, holds the keyring, or the database could not be read.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a snapshot goes into a new folder")
    ring_path = _keyring().path
    if ring_path is not None and Path(ring_path).resolve().parent == target.resolve():
        raise BackupError(f"{target} holds the keyring: keep snapshots and the keyring apart")
    private_dir(target)
    engine = db.engine
    if engine.dialect.name == "sqlite":
        database = SQLITE_FILE
        source = sqlite3.connect(engine.url.database)
        dest = sqlite3.connect(target / database)
        try:
            # SQLite's online backup API: a consistent copy while writers keep committing (WAL).
            source.backup(dest)
        finally:
            source.close()
            dest.close()
        os.chmod(target / database, 0o600)
        snapshot = create_engine(f"sqlite:///{target / database}")
        try:
            with snapshot.connect() as conn:
                revision, cases, names = _facts(conn)
        finally:
            snapshot.dispose()
    else:
        database = PG_FILE
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            # pg_dump reads the very snapshot whose attachment list we take here.
            snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            revision, cases, names = _facts(conn)
            url, env = _pg_target()
            done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                   f"--snapshot={snapshot_id}", f"--file={target / database}", f"--dbname={url}"],
                                  env=env, capture_output=True, text=True)
            conn.rollback()
        if done.returncode != 0:
            raise BackupError("pg_dump failed: " + done.stderr.strip()[-500:])
        os.chmod(target / database, 0o600)
    files = {database: target / database}
    store = attachment_store.storage_dir()
    folder = private_dir(target / ATTACHMENTS)
    for name in names:
        source_file = store / name
        if not source_file.exists():
            raise BackupError(f"attachment file {name} is missing from {store}")
        _copy_private(source_file, folder / name)
        files[f"{ATTACHMENTS}/{name}"] = folder / name
    attachment_store.fsync_dir(folder)
    manifest = {
        "format": FORMAT, "version": VERSION, "created_at": now.isoformat(), "database": engine.dialect.name,
        "schema_revision": revision, "cases": cases, "attachments": len(names),
        "keyring": {"key_ids": sorted(_keyring().keys), "index_key": _index_fingerprint()},
        "files": {rel: {"sha256": _sha256(path), "size": path.stat().st_size} for rel, path in files.items()},
    }
    # Written last, atomically: a folder without a manifest is a snapshot that did not finish.
    part = target / (MANIFEST + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, target / MANIFEST)
    attachment_store.fsync_dir(target)
    return _summary(target, manifest)


def _summary(path: Path, manifest: dict) -> Summary:
    return Summary(path=path, database=manifest["database"], schema_revision=manifest["schema_revision"],
                   cases=manifest["cases"], attachments=manifest["attachments"], created_at=manifest["created_at"])


# ---------------------------------------------------------------- verify


def verify(source: Path) -> Summary:
    """Check a snapshot without restoring it: a Sujarit manifest, every file present with its checksum.

    :raise BackupError: no manifest (unfinished or foreign), a missing or altered file.
    """
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source} has no {MANIFEST}: not a finished Sujarit snapshot") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{source}/{MANIFEST} is not a Sujarit manifest") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a Sujarit snapshot")
    if manifest.get("version") != VERSION:
        raise BackupError(f"snapshot format version {manifest.get('version')} is not supported")
    files = manifest.get("files") or {}
    database = SQLITE_FILE if manifest.get("database") == "sqlite" else PG_FILE
    if database not in files or len(files) != 1 + int(manifest.get("attachments", -1)):
        raise BackupError("the manifest does not list the database and every attachment: partial snapshot")
    for rel, expected in files.items():
        path = (source / rel).resolve()
        if source.resolve() not in path.parents:
            raise BackupError(f"the manifest names a file outside the snapshot: {rel}")
        if not path.is_file():
            raise BackupError(f"{rel} is missing: partial snapshot")
        if path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            raise BackupError(f"{rel} does not match its checksum: the snapshot is damaged or altered")
    return _summary(source, manifest)


# ---------------------------------------------------------------- restore


def _database_is_empty() -> bool:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            count = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                      "AND name NOT LIKE 'sqlite_%'")).scalar_one()
        else:
            count = conn.execute(text("SELECT count(*) FROM information_schema.tables "
                                      "WHERE table_schema = current_schema()")).scalar_one()
    return count == 0


def restore(source: Path) -> Summary:
    """Restore a verified snapshot into the empty database and attachment folder this environment names.

    :raise BackupError: the snapshot fails verification, comes from the other kind of database, needs
        keys the configured keyring lacks, or the database or attachment folder is not empty.
    """
    source = Path(source)
    summary = verify(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    engine = db.engine
    if manifest["database"] != engine.dialect.name:
        raise BackupError(f"a {manifest['database']} snapshot cannot be restored into {engine.dialect.name}")
    missing = set(manifest["keyring"]["key_ids"]) - set(_keyring().keys)
    if missing or manifest["keyring"]["index_key"] != _index_fingerprint():
        raise BackupError("the configured keyring is not the one this snapshot was taken with "
                          f"(missing keys: {', '.join(sorted(missing)) or 'none'}; index key "
                          f"{'differs' if manifest['keyring']['index_key'] != _index_fingerprint() else 'matches'}): "
                          "set SUJARIT_KEYRING to the keyring kept apart from the backups")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    store = attachment_store.storage_dir()
    if any(store.iterdir()):
        raise BackupError(f"the attachment folder {store} is not empty")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        private_sqlite_file(engine.url.database)
        snapshot = sqlite3.connect(source / SQLITE_FILE)
        dest = sqlite3.connect(engine.url.database)
        try:
            snapshot.backup(dest)
        finally:
            snapshot.close()
            dest.close()
    else:
        url, env = _pg_target()
        done = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                               "--single-transaction", f"--dbname={url}", str(source / PG_FILE)],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError("pg_restore failed: " + done.stderr.strip()[-500:])
    for rel in manifest["files"]:
        if rel.startswith(ATTACHMENTS + "/"):
            _copy_private(source / rel, store / Path(rel).name)
    attachment_store.fsync_dir(store)
    return summary


# ---------------------------------------------------------------- nightly


def nightly(base: Path, keep: int, now: datetime) -> Summary:
    """A snapshot in ``base``/sujarit-YYYYMMDD-HHMMSS, then only the newest ``keep`` finished ones are kept.

    Folders of runs that did not finish (no manifest) are removed as well.
    """
    base = private_dir(Path(base))
    summary = create(base / now.strftime("sujarit-%Y%m%d-%H%M%S"), now)
    snapshots = sorted(p for p in base.iterdir() if p.is_dir() and NIGHTLY_NAME.match(p.name))
    finished = [p for p in snapshots if (p / MANIFEST).exists()]
    for old in [p for p in snapshots if p not in finished] + finished[:-max(keep, 1)]:
        shutil.rmtree(old)
    return summary
