"""The mail server is down for the whole run: citizens still file, the outbox keeps every message and delivers it later, once."""
from __future__ import annotations

from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow
from app.models.notify import PENDING, SENT
from app.services import notify
from tests.functional.test_intake import _post
from tests.functional.test_scheduler_processes import Collector, free_port

FILINGS = 6


def test_smtp_down_keeps_every_message_and_delivers_each_once_when_it_returns(app, client):
    port = free_port()  # nothing listens here: connection refused on every attempt
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, SMTP_TIMEOUT=5, INTAKE_RATE_LIMIT="100 per minute")
    for n in range(FILINGS):
        response = _post(client, "/complaint", {"subject": f"ไฟดับ {n}", "details": "ไฟถนนดับทั้งซอย",
                                                "email": f"citizen{n}@example.org"})
        assert response.status_code == 303
    now = utcnow()
    # The scheduler keeps trying through the outage: each attempt fails and is put off with backoff.
    for attempt, later in enumerate((0, 2, 10, 45), start=1):
        sent, failed = notify.deliver_pending(now + timedelta(minutes=later))
        assert (sent, failed) == (0, FILINGS)
        db.session.expire_all()
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert len(messages) == FILINGS
        assert all(m.status == PENDING and m.attempts == attempt and m.body_enc for m in messages)
        assert all("ConnectionRefusedError" in m.last_error for m in messages)

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert notify.deliver_pending(now + timedelta(hours=3)) == (FILINGS, 0)
        assert notify.deliver_pending(now + timedelta(hours=4)) == (0, 0)  # nothing goes twice
    finally:
        controller.stop()
    assert sorted(rcpt for rcpt, _ in handler.received) == sorted(f"citizen{n}@example.org" for n in range(FILINGS))
    db.session.expire_all()
    assert all(m.status == SENT for m in db.session.scalars(select(OutboxMessage)))
