"""One-time links with which an account's owner sets their own password: the administrator never sees it."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...extensions import db
from ...labels import lazy_text as _l
from ...models import CredentialLink, User
from ...security.passwords import hash_password
from .. import accounts, audit, links, mail_texts, notify
from ..accounts import AccountError

#: How long a link works.
LINK_TTL = timedelta(hours=24)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(user: User, *, now: datetime, lock: bool) -> str:
    """A new link for ``user`` (older unused ones stop working); returns the token, stored only as a hash.

    With ``lock`` the current password stops working and every session ends, so whoever knew it (the
    administrator who issued it) cannot sign in as the owner.
    """
    db.session.execute(update(CredentialLink).where(CredentialLink.user_id == user.id,
                                                    CredentialLink.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(CredentialLink(token_hash=_digest(token), user_id=user.id, created_at=now,
                                  expires_at=now + LINK_TTL))
    if lock:
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        user.must_change_password = False
        accounts.end_all_sessions(user, now)
    return token


def mail(user: User, token: str, *, now: datetime) -> None:
    """Send the link to the owner's own address."""
    subject, body = mail_texts.set_password_link(links.set_password(token), int(LINK_TTL.total_seconds() // 3600))
    notify.enqueue_email(user.email, subject, body, now=now)


def holder(token: str, now: datetime) -> User | None:
    """The account a link still works for, or None."""
    link = db.session.scalar(select(CredentialLink).where(CredentialLink.token_hash == _digest(token or "")))
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.active:
        return None
    return link.user


def redeem(token: str, *, new: str, confirm: str, now: datetime) -> User:
    """Set the owner's password through a link; the link is then spent.

    :raise AccountError: the link no longer works, the two entries differ, or the password is weak.
    """
    user = holder(token, now)
    if user is None:
        raise AccountError(_l("ลิงก์นี้ใช้ไม่ได้แล้ว (หมดอายุหรือใช้ไปแล้ว) กรุณาขอลิงก์ใหม่"))
    if new != confirm:
        raise AccountError(_l("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"))
    accounts.set_own_password(user, new, now=now)
    db.session.execute(update(CredentialLink).where(CredentialLink.token_hash == _digest(token)).values(used_at=now))
    audit.record("auth.password_set_by_link", actor=user, now=now, target_type="user", target_id=user.id)
    return user
