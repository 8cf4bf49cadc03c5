"""Scheduled jobs: each runs in an app context, one transaction at a time, and is safe to run twice."""
from __future__ import annotations

import logging

from flask import Flask

from ..database import refresh_planner_statistics
from ..extensions import db
from ..models.base import utcnow
from ..services import accounts, notify, reminders
from ..services.cases import approvals, receipt_holds

log = logging.getLogger(__name__)


def send_reminders(app: Flask) -> int:
    """Send due SLA reminders (claimed, so parallel schedulers never double-send)."""
    with app.app_context():
        try:
            return reminders.run_due(utcnow())
        finally:
            db.session.remove()


def deliver_outbox(app: Flask) -> tuple[int, int]:
    """Send queued e-mails with retries and backoff."""
    with app.app_context():
        try:
            return notify.deliver_pending(utcnow())
        finally:
            db.session.remove()


def housekeeping(app: Flask) -> int:
    """Drop stale sign-in throttles and receipts whose window ended; close requests whose time ran out."""
    with app.app_context():
        try:
            now = utcnow()
            gone = accounts.purge_old_throttles(now)
            receipt_holds.purge(now)
            approvals.expire(now)
            db.session.commit()
            return gone
        finally:
            db.session.remove()


def planner_statistics(app: Flask) -> bool:
    """Refresh the database's planner statistics (SQLite only; a no-op on PostgreSQL)."""
    with app.app_context():
        try:
            return refresh_planner_statistics(db)
        finally:
            db.session.remove()


def run_once(app: Flask) -> dict[str, int]:
    """Every job once, for cron-style operation (`flask sla run-once`)."""
    sent_reminders = send_reminders(app)
    sent_mail, failed_mail = deliver_outbox(app)
    return {"reminders": sent_reminders, "emails_sent": sent_mail, "emails_failed": failed_mail,
            "throttles_removed": housekeeping(app)}
