"""Engine tuning: SQLite pragmas, BEGIN IMMEDIATE for writers, and purging the WAL of overwritten text."""
from __future__ import annotations

import os
import stat
from contextvars import ContextVar
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

#: How long a statement waits for a lock held by another writer before the request gets a friendly 503.
LOCK_WAIT_MS = 15000

#: False while serving a read-only request (GET/HEAD): its transactions may begin DEFERRED.
write_intent: ContextVar[bool] = ContextVar("sujarit_write_intent", default=True)


def postgres_connect_args() -> dict:
    """PostgreSQL waits for a lock as long as SQLite's busy timeout, not until gunicorn kills the worker."""
    return {"options": f"-c lock_timeout={LOCK_WAIT_MS}"}


def sqlite_uri_for(instance_path: str) -> str:
    """The default database: a SQLite file in the instance folder."""
    return f"sqlite:///{instance_path}/sujarit.sqlite3"


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and make writers take the lock up front.

    pysqlite's own BEGIN is deferred: a transaction that reads and then writes can fail with
    "database is locked" when another writer got in between. BEGIN IMMEDIATE takes the write
    lock at the start, so concurrent writers queue on the busy timeout instead.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
        # FULL: a commit is on disk (WAL fsynced) before the citizen is shown a tracking code; NORMAL can
        # lose the last transactions on a power cut (bench/README.md measures what it costs).
        cur.execute("PRAGMA synchronous=FULL")
        # Overwritten or deleted content is zeroed, so text moved into the protected channel
        # (or a reporter's deleted data) does not linger in free pages of the file.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        writer = write_intent.get()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
        conn.info["sujarit_deferred"] = not writer

    @event.listens_for(engine, "savepoint")
    def on_savepoint(conn, _name):
        # A savepoint is taken to write under it; upgrade now, since a COMMIT inside it would end it.
        _upgrade_to_writer(conn)


def _upgrade_to_writer(conn) -> None:
    if conn.dialect.name != "sqlite" or not conn.info.get("sujarit_deferred"):
        return
    conn.exec_driver_sql("COMMIT")  # nothing written yet: this only ends the read snapshot
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.info["sujarit_deferred"] = False


def _become_writer(session: Session) -> None:
    """Turn a SQLite read transaction into a write transaction before its first write.

    A read-only request (a GET) begins DEFERRED. SQLite cannot upgrade such a transaction once
    another connection has committed since its first read (SQLITE_BUSY_SNAPSHOT, returned at once,
    no busy wait): a GET that writes (the audit row of a view, a session touch) then failed with
    "database is locked". Ending the read and beginning IMMEDIATE queues the write on the busy
    timeout like any other. What was read before stays as read; the writes made on GETs append
    rows or set a time, so none depends on a row that another writer may have changed meanwhile.
    """
    _upgrade_to_writer(session.connection())


@event.listens_for(Session, "before_flush")
def _before_flush(session, _flush_context, _instances):
    if session.new or session.dirty or session.deleted:
        _become_writer(session)


@event.listens_for(Session, "do_orm_execute")
def _before_bulk_write(state):
    if state.is_insert or state.is_update or state.is_delete:
        _become_writer(state.session)


def purge_after_commit(session: Session) -> None:
    """After this session's next commit, checkpoint SQLite's WAL so overwritten plaintext leaves it.

    secure_delete zeroes freed space in the database file, but the WAL still holds the old page
    images until a checkpoint copies them back and the log is truncated.
    """
    session.info["sujarit_purge_wal"] = True


@event.listens_for(Session, "after_commit")
def _purge_wal(session):
    if not session.info.pop("sujarit_purge_wal", False):
        return
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it the service user's alone (0700): it holds keys and the database."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o700)
    return path


def private_sqlite_file(database: str | None) -> None:
    """Create the SQLite file readable by the service user only, before SQLite creates it with the umask.

    SQLite gives its -wal and -shm files the database file's permissions, so they follow.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)


def init_database(app: Flask, db) -> None:
    """Attach engine hooks once the extension is bound to the app."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            private_sqlite_file(engine.url.database)
            configure_sqlite(engine)

    @app.before_request
    def mark_read_only_requests():
        from flask import request

        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))


#: Rows ANALYZE samples per index on SQLite: approximate statistics in milliseconds, enough for the planner.
ANALYSIS_LIMIT = 1000


def refresh_planner_statistics(db) -> bool:
    """Refresh SQLite's planner statistics (PostgreSQL's autovacuum does this itself); True if it ran.

    SQLite keeps no statistics until ANALYZE runs, and without them it can pick a poor index for the
    statistics queries (bench/README.md: 3 s instead of 0.25 s at 1M cases).
    """
    if db.engine.dialect.name != "sqlite":
        return False
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
    return True
