"""The outbox of e-mails and the staff's in-app notifications."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class OutboxMessage(db.Model):
    """An e-mail waiting to be sent after the transaction that created it committed."""

    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    #: Recipient address, encrypted (a complainant's address is personal data).
    to_enc = db.Column(db.Text, nullable=False)
    #: Subject line: no personal data, no report content (shown to admins in the failure view).
    subject = db.Column(db.String(300), nullable=False)
    #: Encrypted plain-text body (it may carry a tracking code); wiped once sent.
    body_enc = db.Column(db.Text, nullable=True)
    #: Case it is about, for the admin's failure view (no cascade: history outlives nothing).
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="SET NULL"), nullable=True)
    #: pending, sent or failed (gave up after the last retry).
    status = db.Column(db.String(20), nullable=False, default=PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    #: Earliest time of the next attempt (retries back off).
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Claim marker so two senders never deliver the same message.
    claimed_at = db.Column(UTCDateTime, nullable=True)
    #: Last SMTP error (type and server reply), shown to admins.
    last_error = db.Column(db.String(500), nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = db.Column(UTCDateTime, nullable=True)

    __table_args__ = (db.Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class Notification(db.Model):
    """An in-app message to one staff member."""

    __tablename__ = "notifications"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=True)
    #: Short Thai text; never a reporter's identity.
    text = db.Column(db.String(500), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    read_at = db.Column(UTCDateTime, nullable=True)

    case = db.relationship("Case")

    __table_args__ = (db.Index("ix_notifications_user_unread", "user_id", "read_at"),)
