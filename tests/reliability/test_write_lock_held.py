"""Another process holds the database's write lock for 20 s: the citizen gets a friendly error, nothing half-written stays."""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import Case
from app.services import attachments as attachment_store
from tests.functional.test_intake import _post

HOLD_SECONDS = 20

_LOCKERS = {
    # BEGIN IMMEDIATE takes SQLite's write lock; every other writer waits on it.
    "sqlite": """
        import sqlite3, sys, time
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
        conn.execute("ROLLBACK")
    """,
    # The case-number counter is the first row every submission writes.
    "postgresql": """
        import psycopg, sys, time
        with psycopg.connect(sys.argv[1]) as conn:
            conn.execute("LOCK TABLE case_counters IN EXCLUSIVE MODE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            conn.rollback()
    """,
}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (90, 20, 20)).save(out, "PNG")
    return out.getvalue()


def test_a_write_lock_held_for_20_seconds_gives_a_friendly_error_and_no_partial_record(app, client, database_url):
    url = make_url(database_url)
    backend = url.get_backend_name()
    target = url.database if backend == "sqlite" else url.set(drivername="postgresql").render_as_string(False)
    locker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_LOCKERS[backend]), target, str(HOLD_SECONDS)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        response = _post(client, "/report", {"subject": "เรียกรับเงิน", "details": "ขอเงินแลกใบอนุญาต"},
                         files=[(io.BytesIO(_photo()), "evidence.png")])

        assert response.status_code == 503
        assert "Retry-After" in response.headers
        page = response.get_data(as_text=True)
        assert "ระบบไม่ว่างชั่วคราว" in page and "ยังไม่ถูกบันทึก" in page and "Traceback" not in page
        assert locker.poll() is None, "the lock was released before the request gave up"
    finally:
        locker.wait(timeout=HOLD_SECONDS + 10)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert list(attachment_store.storage_dir().iterdir()) == []

    again = _post(client, "/report", {"subject": "เรียกรับเงิน", "details": "ขอเงินแลกใบอนุญาต"},
                  files=[(io.BytesIO(_photo()), "evidence.png")])
    assert again.status_code == 303
    assert db.session.scalar(select(func.count(Case.id))) == 1
