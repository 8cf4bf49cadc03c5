"""Separation of duties: who may hold which roles, and changes to approvers' accounts that need a second person.

An administrator never holds integrity or oversight (and oversight, the outside check, is never also an
integrity officer). An administrator cannot alone grant a role whose holders approve such grants
(integrity, oversight, executive), nor redirect such an account's e-mail: the change waits for an existing
integrity officer, oversight person or executive other than the requester and the account itself. An
approved grant gives the account a fresh credential that only its owner receives (a one-time link to the
address the approver confirmed, or handed over in person), so a password the administrator issued earlier
stops working. Every such change is announced in-app and by e-mail to every approver and the owner.
Until anyone holds an approver role (a fresh installation) the administrator sets the first ones alone.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...labels import lazy_text as _l
from ...models import AccountRequest, User
from ...models.people import ADMIN, APPROVER_ROLES, INTEGRITY, OVERSIGHT, PROTECTED_ROLES, ROLES
from ...security import crypto
from ...security.columns import account_request_aad
from .. import audit, case_access, links, mail_texts, notify
from . import credentials

REQUEST_TTL = timedelta(days=7)
PENDING = "pending"


class RoleError(ValueError):
    """A role change that is not allowed; the message is for the screen (lazy Thai)."""


def conflicts(roles: set[str] | list[str]) -> str | None:
    """Why this set of roles may not be held together, or None."""
    roles = set(roles)
    if ADMIN in roles and roles & set(PROTECTED_ROLES):
        return _l("ผู้ดูแลระบบถือบทบาทเจ้าหน้าที่งานนิติการหรือผู้กำกับดูแลไม่ได้ (แยกหน้าที่เพื่อคุ้มครองผู้แจ้ง)")
    if OVERSIGHT in roles and INTEGRITY in roles:
        return _l("ผู้กำกับดูแลต้องเป็นบุคคลภายนอกสายงานปกติ จึงเป็นเจ้าหน้าที่งานนิติการในบัญชีเดียวกันไม่ได้")
    return None


def is_approver(user: User) -> bool:
    """True when the account holds a role whose changes are guarded and announced."""
    return user.has_role(*APPROVER_ROLES)


def bootstrapping() -> bool:
    """True while no active account holds any approver role: the first ones are set without approval."""
    return not case_access.holders(*APPROVER_ROLES)


def account_approvers(target: User, requester: User | None) -> list[User]:
    """Who may decide a request about ``target``: any active approver but the account and the requester."""
    exclude = {target.id, requester.id if requester else None}
    return [user for user in case_access.holders(*APPROVER_ROLES) if user.id not in exclude]


#: Role names for announcements: plain words, since a notification or subject never names the protected channel.
_ROLE_WORDS = {"integrity": "งานนิติการ", "oversight": "ผู้กำกับดูแล", "executive": "ผู้บริหาร", "admin": "ผู้ดูแลระบบ",
               "intake": "รับเรื่องร้องเรียน", "unit_officer": "เจ้าหน้าที่กอง/สำนัก"}


def _role_names(roles) -> str:
    return ", ".join(_ROLE_WORDS[r] for r in ROLES if r in roles)


def announce(text: str, *, now: datetime, concerning: User | None = None) -> None:
    """Tell every approver, and the account's owner, in-app and by e-mail."""
    people = {user.id: user for user in case_access.holders(*APPROVER_ROLES)}
    if concerning is not None:
        people[concerning.id] = concerning
    subject, body = mail_texts.account_change(text)
    for person in people.values():
        notify.notify_staff(person, text, now=now, email_subject=subject, email_body=body)


def _ask(kind: str, target: User, payload: dict, *, actor: User, now: datetime) -> AccountRequest:
    existing = db.session.scalars(select(AccountRequest).where(
        AccountRequest.user_id == target.id, AccountRequest.kind == kind, AccountRequest.status == PENDING,
        AccountRequest.expires_at > now)).all()
    for old in existing:  # the newest request replaces an older one of the same kind
        old.status = "cancelled"
    request = AccountRequest(kind=kind, user_id=target.id, requested_by_id=actor.id, requested_at=now,
                             expires_at=now + REQUEST_TTL, status=PENDING, payload_enc="")
    db.session.add(request)
    db.session.flush()
    request.payload_enc = crypto.encrypt_json(payload, account_request_aad(request))
    audit.record(f"user.request_{kind}", actor=actor, now=now, target_type="user", target_id=target.id)
    subject, body = mail_texts.approval_waiting(None)
    for person in account_approvers(target, actor):
        notify.notify_staff(person, subject, now=now, email_subject=subject, email_body=body)
    return request


def apply_roles(user: User, wanted: list[str], *, actor: User, now: datetime) -> set[str]:
    """Set an account's roles as an administrator asked; returns the approver roles left waiting for approval.

    Removing any role takes effect at once; adding integrity, oversight or executive waits for approval
    (except while nobody holds one). Changes to approver roles are announced.
    :raise RoleError: the roles conflict.
    """
    problem = conflicts(wanted)
    if problem:
        raise RoleError(problem)
    before = set(user.roles)
    waiting = (set(wanted) - before) & set(APPROVER_ROLES)
    if waiting and not bootstrapping():
        user.set_roles(set(wanted) - waiting)
        _ask("grant", user, {"roles": sorted(waiting)}, actor=actor, now=now)
        announce(f"{actor.full_name} ขออนุมัติให้ {user.full_name} มีบทบาท {_role_names(waiting)} (รออนุมัติ)",
                 now=now, concerning=user)
    else:
        user.set_roles(wanted)
        waiting = set()
    changed = (before ^ set(user.roles)) & set(APPROVER_ROLES)
    if changed:
        db.session.flush()
        added, removed = set(user.roles) - before, before - set(user.roles)
        parts = ([f"ให้บทบาท {_role_names(added)}"] if added else []) + \
                ([f"ถอนบทบาท {_role_names(removed)}"] if removed else [])
        announce(f"{actor.full_name} {' และ '.join(parts)} ของ {user.full_name}", now=now, concerning=user)
    return waiting


def change_email(user: User, email: str | None, *, actor: User, now: datetime) -> bool:
    """Change an account's address; an approver's new address waits for approval. True when it waits."""
    if (email or None) == user.email:
        return False
    if is_approver(user) and not bootstrapping():
        _ask("email", user, {"email": email}, actor=actor, now=now)
        announce(f"{actor.full_name} ขอเปลี่ยนอีเมลของ {user.full_name} (รออนุมัติ)", now=now, concerning=user)
        return True
    user.email = email
    return False


def reset(user: User, *, actor: User, now: datetime) -> str:
    """An administrator's reset of an approver's account: the credential reaches only the owner.

    With an e-mail on file the owner gets a one-time link and the old password keeps working until it is
    used (so a reset cannot lock an officer out). Without one, an approver must hand a link over in person.
    Returns "mailed" or "waiting" (for an approver).
    """
    if user.email:
        credentials.mail(user, credentials.issue(user, now=now, lock=False), now=now)
        audit.record("user.password_link_sent", actor=actor, now=now, target_type="user", target_id=user.id)
        announce(f"{actor.full_name} ส่งลิงก์ตั้งรหัสผ่านใหม่ไปยังอีเมลของ {user.full_name}", now=now, concerning=user)
        return "mailed"
    _ask("handover", user, {}, actor=actor, now=now)
    announce(f"{actor.full_name} ขอตั้งรหัสผ่านใหม่ให้ {user.full_name} ซึ่งไม่มีอีเมล "
             "ผู้อนุมัติต้องมอบลิงก์ให้เจ้าของบัญชีด้วยตนเอง (รออนุมัติ)", now=now, concerning=user)
    return "waiting"


def waiting_for(user: User, now: datetime) -> list[tuple[AccountRequest, dict]]:
    """Account requests this person may decide, oldest first, with their decrypted details."""
    rows = db.session.scalars(select(AccountRequest).where(AccountRequest.status == PENDING,
                                                           AccountRequest.expires_at > now)
                              .order_by(AccountRequest.requested_at, AccountRequest.id))
    return [(r, crypto.decrypt_json(r.payload_enc, account_request_aad(r))) for r in rows
            if user in account_approvers(r.user, r.requested_by)]


def decide(request: AccountRequest, decider: User, *, approve: bool, now: datetime) -> str | None:
    """Approve or refuse; returns a one-time link the approver must hand to the owner in person, if any.

    :raise RoleError: not this person's to decide, or no longer waiting.
    """
    target = request.user
    if decider not in account_approvers(target, request.requested_by):
        raise RoleError(_l("ท่านไม่สามารถพิจารณาคำขอนี้ได้"))
    if request.status != PENDING or request.expires_at <= now:
        raise RoleError(_l("คำขอนี้ไม่อยู่ในสถานะรออนุมัติแล้ว"))
    request.status = "approved" if approve else "refused"
    request.decided_by_id, request.decided_at = decider.id, now
    audit.record(f"user.request_{'approved' if approve else 'refused'}", actor=decider, now=now,
                 target_type="user", target_id=target.id, detail=request.kind)
    verdict = "อนุมัติ" if approve else "ไม่อนุมัติ"
    if not approve:
        announce(f"{decider.full_name} {verdict}คำขอเกี่ยวกับบัญชีของ {target.full_name}", now=now, concerning=target)
        return None
    payload = crypto.decrypt_json(request.payload_enc, account_request_aad(request))
    handover = None
    if request.kind == "grant":
        problem = conflicts(set(target.roles) | set(payload["roles"]))
        if problem:
            raise RoleError(problem)
        target.set_roles(set(target.roles) | set(payload["roles"]))
        # A fresh credential only the owner gets: whatever password the administrator knew stops working.
        handover = _fresh_credential(target, now)
        what = f"ให้บทบาท {_role_names(payload['roles'])}"
    elif request.kind == "email":
        target.email = payload.get("email")
        what = "เปลี่ยนอีเมล"
    else:
        handover = links.set_password(credentials.issue(target, now=now, lock=True))
        what = "ตั้งรหัสผ่านใหม่ (มอบลิงก์ด้วยตนเอง)"
    announce(f"{decider.full_name} {verdict}{what} ของ {target.full_name}", now=now, concerning=target)
    return handover


def _fresh_credential(user: User, now: datetime) -> str | None:
    token = credentials.issue(user, now=now, lock=True)
    if user.email:
        credentials.mail(user, token, now=now)
        return None
    return links.set_password(token)


def announce_status(user: User, active: bool, *, actor: User, now: datetime) -> None:
    """Deactivating or reactivating an approver's account is announced."""
    if is_approver(user):
        state = "เปิดใช้งาน" if active else "ปิดการใช้งาน"
        announce(f"{actor.full_name} {state}บัญชีของ {user.full_name}", now=now, concerning=user)
