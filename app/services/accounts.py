"""Staff accounts: creation, sign-in with throttling, password changes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..labels import lazy_join, lazy_text as _l
from ..models import AuthThrottle, StaffSession, Unit, User
from ..models.people import ROLES, UNIT_OFFICER
from ..security.hashing import keyed_hash
from ..security.passwords import hash_password, needs_rehash, policy_problems, verify_password
from . import audit


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for the user.

    The message (``args[0]``) is a lazy string: Thai, translated when shown with ``str(exc)`` in a request.
    """


@dataclass
class SignInResult:
    """Outcome of a sign-in attempt."""

    user: User | None
    #: "ok", "invalid" (wrong name or password) or "locked" (too many failures).
    outcome: str


def normalise_username(username: str) -> str:
    """Usernames compare case-insensitively and without surrounding spaces."""
    return (username or "").strip().lower()


def create_user(*, username: str, full_name: str, password: str, roles: list[str] | set[str],
                now: datetime, actor: User | None = None, unit: Unit | None = None,
                email: str | None = None, position: str = "", must_change_password: bool = False,
                roles_may_wait: bool = False) -> User:
    """Create a staff account (``roles_may_wait``: with no role yet, while a grant waits for approval).

    :raise AccountError: when the name is taken, the password is weak, or a unit officer has no unit.
    """
    name = normalise_username(username)
    if not name:
        raise AccountError(_l("กรุณาระบุชื่อผู้ใช้"))
    if db.session.scalar(select(User.id).where(User.username == name)) is not None:
        raise AccountError(_l("ชื่อผู้ใช้นี้มีอยู่แล้ว"))
    problems = policy_problems(password, name)
    if problems:
        raise AccountError(lazy_join(" ", problems))
    if UNIT_OFFICER in roles and unit is None:
        raise AccountError(_l("เจ้าหน้าที่กอง/สำนักต้องสังกัดหน่วยงาน"))
    if not set(roles) <= set(ROLES) or not (roles or roles_may_wait):
        raise AccountError(_l("กรุณาเลือกบทบาทที่ถูกต้องอย่างน้อยหนึ่งบทบาท"))
    user = User(
        username=name,
        full_name=full_name.strip() or name,
        position=position.strip(),
        email=(email or "").strip() or None,
        password_hash=hash_password(password),
        unit=unit,
        must_change_password=must_change_password,
        created_at=now,
        password_changed_at=now,
    )
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor=actor, now=now, target_type="user", target_id=user.id,
                 detail="roles=" + ",".join(sorted(roles)))
    return user


def _throttle(key: str, now: datetime) -> AuthThrottle:
    row = db.session.get(AuthThrottle, key)
    if row is None:
        row = AuthThrottle(key=key, failures=0, window_started_at=now)
        db.session.add(row)
    return row


def _locked(row: AuthThrottle | None, now: datetime) -> bool:
    return row is not None and row.locked_until is not None and row.locked_until > now


def _note_failure(row: AuthThrottle, limit: int, now: datetime) -> None:
    cfg = current_app.config
    if now - row.window_started_at > cfg["LOGIN_FAILURE_WINDOW"]:
        row.failures = 0
        row.window_started_at = now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + cfg["LOGIN_LOCKOUT"]
        row.failures = 0
        row.window_started_at = now


def authenticate(username: str, password: str, *, address: str, now: datetime) -> SignInResult:
    """Check credentials, counting failures per account and per address (both keyed-hashed).

    A locked account or address is refused before the password is even checked,
    so guessing cannot continue during the lockout.
    """
    cfg = current_app.config
    name = normalise_username(username)
    acct_key = "acct:" + keyed_hash("login-account", name)[:60]
    addr_key = "addr:" + keyed_hash("login-address", address or "-")[:60]
    acct_row = db.session.get(AuthThrottle, acct_key)
    addr_row = db.session.get(AuthThrottle, addr_key)
    if _locked(acct_row, now) or _locked(addr_row, now):
        return SignInResult(None, "locked")

    user = db.session.scalar(select(User).where(User.username == name)) if name else None
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        _note_failure(_throttle(acct_key, now), cfg["LOGIN_MAX_FAILURES_ACCOUNT"], now)
        _note_failure(_throttle(addr_key, now), cfg["LOGIN_MAX_FAILURES_ADDRESS"], now)
        audit.record("auth.login_failed", actor=user if user and user.active else None, now=now)
        return SignInResult(None, "invalid")

    if acct_row is not None:
        db.session.delete(acct_row)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    audit.record("auth.login", actor=user, now=now, target_type="user", target_id=user.id)
    return SignInResult(user, "ok")


def end_all_sessions(user: User, now: datetime, except_id: int | None = None) -> int:
    """End every open session of a user (except one); return how many ended."""
    rows = db.session.scalars(
        select(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    ).all()
    count = 0
    for row in rows:
        if row.id != except_id:
            row.ended_at = now
            count += 1
    return count


def change_password(user: User, *, current: str, new: str, confirm: str, now: datetime,
                    keep_session_id: int | None = None) -> None:
    """Change a user's own password and end their other sessions.

    :raise AccountError: wrong current password, mismatch, or a weak new password.
    """
    if not verify_password(user.password_hash, current or ""):
        raise AccountError(_l("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
    if new != confirm:
        raise AccountError(_l("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"))
    if new == current:
        raise AccountError(_l("รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม"))
    set_own_password(user, new, now=now, keep_session_id=keep_session_id)
    audit.record("auth.password_change", actor=user, now=now, target_type="user", target_id=user.id)


def set_own_password(user: User, new: str, *, now: datetime, keep_session_id: int | None = None) -> None:
    """The owner's chosen password replaces the old one; their other sessions end.

    :raise AccountError: a weak password.
    """
    problems = policy_problems(new, user.username)
    if problems:
        raise AccountError(lazy_join(" ", problems))
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    user.must_change_password = False
    end_all_sessions(user, now, except_id=keep_session_id)


def set_password_by_admin(user: User, new: str, *, actor: User, now: datetime) -> None:
    """Issue a new password for a user, who must change it at next sign-in; ends their sessions."""
    problems = policy_problems(new, user.username)
    if problems:
        raise AccountError(lazy_join(" ", problems))
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    user.must_change_password = True
    end_all_sessions(user, now)
    audit.record("user.password_reset", actor=actor, now=now, target_type="user", target_id=user.id)


def purge_old_throttles(now: datetime) -> int:
    """Delete throttle rows that no longer lock anything (housekeeping)."""
    cutoff = now - current_app.config["LOGIN_FAILURE_WINDOW"] - timedelta(minutes=1)
    rows = db.session.scalars(select(AuthThrottle).where(AuthThrottle.window_started_at < cutoff)).all()
    gone = 0
    for row in rows:
        if not _locked(row, now):
            db.session.delete(row)
            gone += 1
    return gone
