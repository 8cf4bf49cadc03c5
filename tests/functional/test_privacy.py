"""Reporter data never lands in plaintext: not in the database file (WAL included), not in the logs."""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import text

from app.extensions import db
from tests.conftest import csrf_from

NAME = "ศรีสมบัติพิทักษ์ธรรมวงศ์"
PHONE = "0897654321"
EMAIL = "whistle.zq7@example.org"


def _file_report(client):
    token = csrf_from(client.get("/report").get_data(as_text=True))
    return client.post("/report", data={
        "subject": "เรียกรับเงินใต้โต๊ะ", "details": "ขอให้จ่ายก่อนจึงจะอนุมัติ",
        "name": NAME, "phone": PHONE, "email": EMAIL, "csrf_token": token,
        "address": "บ้านเลขที่ 99/9",
    }, environ_base={"REMOTE_ADDR": "203.0.113.77"})


def _database_bytes() -> bytes:
    """Every byte SQLite has written for this database: main file, WAL and shared memory."""
    path = Path(db.engine.url.database)
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_reporter_identity_is_not_in_the_database_file_or_wal(client):
    assert _file_report(client).status_code == 303
    if db.engine.dialect.name == "sqlite":
        raw = _database_bytes()
        for secret in (NAME, PHONE, EMAIL):
            assert secret.encode("utf-8") not in raw, secret
        assert b"203.0.113.77" not in raw
    else:
        # PostgreSQL: search every text column of every table for the values.
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT row_to_json(c)::text FROM cases c")).scalars().all()
            audit = conn.execute(text("SELECT row_to_json(a)::text FROM audit_log a")).scalars().all()
        dump = " ".join(rows + audit)
        for secret in (NAME, PHONE, EMAIL, "203.0.113.77"):
            assert secret not in dump
    # The report content is encrypted too.
    assert "ใต้โต๊ะ" not in db.session.execute(text("SELECT content_enc FROM cases")).scalar_one()


def test_nothing_identifying_reaches_the_logs(app, client):
    """A handler installed like the server's (before init_logging runs) receives only redacted lines."""
    import io

    from app.logging_setup import init_logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    try:
        init_logging(app)  # what create_app does: filters every handler present
        root.setLevel(logging.DEBUG)
        _file_report(client)
        code = client.get("/receipt").get_data(as_text=True).split('data-testid="tracking-code">')[1].split("<")[0]
        client.get(f"/track/{code}")
        client.get(f"/api/v1/track/{code}")
        # What werkzeug's development server writes for each request.
        logging.getLogger("werkzeug").info('203.0.113.77 - - "GET /track/%s HTTP/1.1" 200 -', code)
        logging.getLogger("app").warning("mail to %s failed", EMAIL)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    written = stream.getvalue()
    assert "GET /track/[code]" in written and "[email]" in written  # the lines were written, redacted
    for secret in (NAME, PHONE, EMAIL, "203.0.113.77", code):
        assert secret not in written


def test_the_tracking_code_never_sits_in_a_cookie_and_the_receipt_is_gone_after_its_window(app, client):
    """The browser holds a random receipt id only; the server holds the code (encrypted) for two hours."""
    from datetime import timedelta

    from app.models import ReceiptHold
    from app.models.base import utcnow
    from app.services.cases import receipt_holds
    from tests.functional.test_offline_entry import decoded_session

    assert _file_report(client).status_code == 303
    page = client.get("/receipt").get_data(as_text=True)
    code = page.split('data-testid="tracking-code">')[1].split("<")[0].strip()
    cookie = client.get_cookie("sujarit_session").value
    payload = decoded_session(cookie)
    for form in (code, code.replace("-", "")):
        assert form not in cookie and form not in payload
    stored = db.session.execute(text("SELECT code_enc FROM receipt_holds")).scalar_one()
    assert code not in stored and code.replace("-", "") not in stored

    # Two hours later the receipt is gone, and housekeeping deletes the row.
    later = utcnow() + receipt_holds.RECEIPT_TTL + timedelta(minutes=1)
    db.session.execute(ReceiptHold.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/receipt").status_code == 404
    assert receipt_holds.purge(later) == 1
    db.session.commit()
    assert db.session.execute(text("SELECT count(*) FROM receipt_holds")).scalar_one() == 0
