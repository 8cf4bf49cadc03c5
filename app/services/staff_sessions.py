"""Server-side staff sessions: a signed cookie alone would outlive sign-out."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import StaffSession, User

#: last_seen_at is written at most this often, to keep requests read-only most of the time.
_TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start(user: User, now: datetime) -> tuple[str, StaffSession]:
    """Open a session for a user; return the token for the cookie and the row."""
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    db.session.add(row)
    db.session.flush()
    return token, row


def resolve(token: str | None, user_id: int, *, now: datetime, idle: timedelta,
            absolute: timedelta) -> StaffSession | None:
    """Return the live session for this token and user, ending it if it has timed out."""
    if not token:
        return None
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _digest(token)))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        row.ended_at = now
        db.session.commit()
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return row


def end(token: str | None, now: datetime) -> None:
    """End the session with this token (sign-out)."""
    if not token:
        return
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _digest(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = now
