"""Notifications: e-mails go to an outbox (sent after commit, retried with backoff); staff also get in-app notes."""
from __future__ import annotations

import logging
import re
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..models import Case, Notification, OutboxMessage, User
from ..models.notify import FAILED, PENDING, SENT
from ..security import columns, crypto

log = logging.getLogger(__name__)

#: Delay before attempt n+1 (after n failures); then the message is marked failed for the admin.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=6)]
#: A claim older than this is considered abandoned (the sender died) and may be taken again.
CLAIM_TIMEOUT = timedelta(minutes=10)


outbox_aad = columns.outbox_aad


def enqueue_email(to: str, subject: str, body: str, *, now: datetime, case: Case | None = None) -> OutboxMessage:
    """Queue an e-mail; it leaves only after the surrounding transaction commits."""
    message = OutboxMessage(to_enc="", subject=subject[:300], case_id=case.id if case else None,
                            status=PENDING, next_attempt_at=now, created_at=now)
    db.session.add(message)
    db.session.flush()  # the id binds the encrypted values to this row
    message.to_enc = crypto.encrypt_text(to, outbox_aad(message, "to"))
    message.body_enc = crypto.encrypt_text(body, outbox_aad(message, "body"))
    return message


def notify_staff(user: User, text: str, *, now: datetime, case: Case | None = None,
                 email_subject: str | None = None, email_body: str | None = None) -> Notification:
    """An in-app notification, plus an e-mail when the staff member has an address."""
    note = Notification(user_id=user.id, case_id=case.id if case else None, text=text[:500], created_at=now)
    db.session.add(note)
    if user.email and email_subject:
        enqueue_email(user.email, email_subject, email_body or text, now=now, case=case)
    return note


def unread_count(user: User) -> int:
    """Unread in-app notifications of a staff member (one indexed COUNT)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user: User, limit: int = 100) -> list[Notification]:
    """A staff member's notifications, newest first."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_all_read(user: User, now: datetime) -> None:
    """Mark every notification of a staff member as read."""
    db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None)).values(read_at=now))


def recipient_of(message: OutboxMessage) -> str:
    """The decrypted recipient address (for sending, and masked display to admins)."""
    return crypto.decrypt_text(message.to_enc, outbox_aad(message, "to"))


def masked_recipient(message: OutboxMessage) -> str:
    """``so***@example.org``: enough for an admin to recognise, not to harvest."""
    address = recipient_of(message)
    local, _, domain = address.partition("@")
    return f"{local[:2]}***@{domain}"


def _claim(message_id: int, now: datetime) -> bool:
    """Take a message for sending with a conditional UPDATE; False if another sender has it."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING,
               or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT))
        .values(claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def _build_email(message: OutboxMessage) -> EmailMessage:
    """The message as it will go out (decrypted here, in memory only)."""
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_FROM"]
    email["To"] = recipient_of(message)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=cfg["MAIL_FROM"].partition("@")[2] or "sujarit.local")
    email.set_content(crypto.decrypt_text(message.body_enc, outbox_aad(message, "body")))
    return email


def _smtp_send(email: EmailMessage) -> None:
    cfg = current_app.config
    timeout = cfg.get("SMTP_TIMEOUT", 20)
    if cfg.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout)
    with smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


_ADDRESS_RE = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


def describe_error(exc: BaseException) -> str:
    """The error for the admins' failure view: type, SMTP code and reply, with any address masked.

    Servers echo the recipient in their replies (``550 5.1.1 <somchai@example.org>: unknown``) and
    ``SMTPRecipientsRefused`` is keyed by address, so nothing is stored before it is scrubbed.
    """
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(msg)}" for code, msg in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    elif isinstance(exc, (OSError, smtplib.SMTPException)):
        detail = str(exc)
    else:  # e.g. a value that no longer decrypts: the type says enough, the text may carry data
        detail = ""
    detail = _ADDRESS_RE.sub("***", detail)[:200]
    return f"{name}: {detail}" if detail else name


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def deliver_pending(now: datetime, limit: int = 100) -> tuple[int, int]:
    """Send what is due; return (sent, failed attempts). Safe to run in several processes at once."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    ).all()
    db.session.commit()
    sent = failed = 0
    for message_id in ids:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            email = _build_email(message)
            # End the read transaction before talking to the mail server: on SQLite a writer's
            # transaction holds the database lock, and an SMTP timeout must not hold it with it.
            db.session.commit()
            _smtp_send(email)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried with backoff
            db.session.rollback()
            message = db.session.get(OutboxMessage, message_id)
            failed += 1
            message.attempts += 1
            message.claimed_at = None
            message.last_error = describe_error(exc)
            if message.attempts > len(BACKOFF):
                message.status = FAILED
            else:
                message.next_attempt_at = now + BACKOFF[message.attempts - 1]
            # Ids and the error type only: never the address, the subject or the server's reply.
            log.warning("outbox message %s failed (attempt %s): %s", message.id, message.attempts,
                        type(exc).__name__)
        else:
            message = db.session.get(OutboxMessage, message_id)
            sent += 1
            message.status = SENT
            message.sent_at = now
            message.attempts += 1
            message.last_error = None
            message.body_enc = None  # nothing to keep once delivered
        db.session.commit()
    return sent, failed


def retry(message: OutboxMessage, now: datetime) -> None:
    """An admin sends a failed message again (the caller commits).

    :raise ValueError: the message is not failed (a sent one no longer has its body).
    """
    if message.status != FAILED:
        raise ValueError("only a failed message can be sent again")
    message.status = PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.claimed_at = None
