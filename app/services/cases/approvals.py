"""The second person: requests to narrow oversight of a protected-channel report, and their approval.

Naming (or clearing) the accused, rejecting, forwarding, completing and revealing the reporter: an
integrity officer asks; another person who may see the report and is not named in the request decides
(another integrity officer, or the oversight person when the channel needs one). Nothing changes until
then. A request waits visibly on the report and in the approvers' list, expires after
:data:`REQUEST_TTL`, and every request, decision and expiry is in the protected access log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...labels import lazy_text as _l
from ...models import Case, CaseRequest, User
from ...models.case import CORRUPTION
from ...models.people import EXECUTIVE, INTEGRITY
from ...security import crypto
from ...security.columns import case_request_aad
from .. import audit, case_access, mail_texts, notify
from ..casework import Action, CaseworkError, allowed_actions, apply_accused, check_details, transition

#: How long a request waits for a decision.
REQUEST_TTL = timedelta(days=3)
#: How long an approved reveal lets the requester see the reporter's identity.
REVEAL_WINDOW = timedelta(hours=24)

PENDING, APPROVED, REFUSED, CANCELLED, EXPIRED = "pending", "approved", "refused", "cancelled", "expired"


@dataclass
class Pending:
    """A request as a screen shows it: who asked what, until when, and the details for those who decide."""

    request: CaseRequest
    payload: dict
    named: list[User]

    @property
    def kind(self) -> str:
        """The action asked for."""
        return self.request.kind


def read_payload(request: CaseRequest) -> dict:
    """The request's details, decrypted (callers checked access)."""
    return crypto.decrypt_json(request.payload_enc, case_request_aad(request))


def _named(payload: dict) -> list[User]:
    return [user for user in (db.session.get(User, i) for i in payload.get("accused", [])) if user is not None]


def _is_open(request: CaseRequest, now: datetime) -> bool:
    return request.status == PENDING and request.expires_at > now


def approvers(request: CaseRequest) -> list[User]:
    """Who may decide: those who may work on the report, except the requester and anyone the request names."""
    named = {user.id for user in _named(read_payload(request))}
    return [user for user in case_access.handlers(request.case)
            if user.id != request.requested_by_id and user.id not in named]


def ask(user: User, case: Case, kind: str, *, now: datetime, message: Action | None = None,
        accused: list[User] | None = None, reveal_reason: str = "", **details) -> CaseRequest:
    """File a request; nothing about the report changes until a second person approves it.

    :raise CaseworkError: the action is not the user's to ask for now, a detail is missing, or the same
        kind of request already waits.
    """
    if case.channel != CORRUPTION or not user.has_role(INTEGRITY) or not case_access.can_view(user, case):
        raise CaseworkError(_l("ไม่พบเรื่องนี้"))
    if kind != "reveal" and kind not in allowed_actions(user, case, now):
        raise CaseworkError(_l("ทำรายการนี้กับเรื่องในสถานะปัจจุบันไม่ได้"))
    message = message or Action()
    payload: dict = {"public_message": message.public_message.strip(), "internal_note": message.internal_note.strip()}
    if kind == "accused":
        people = accused or []
        if any(not person.active for person in people):
            raise CaseworkError(_l("บัญชีเจ้าหน้าที่นี้ถูกปิดใช้งาน"))
        payload["accused"] = [person.id for person in people]
    elif kind == "reveal":
        if case.reporter_enc is None:
            raise CaseworkError(_l("ผู้แจ้งไม่ได้ให้ข้อมูลตัวตนไว้"))
        if len(reveal_reason.strip()) < 5:
            raise CaseworkError(_l("กรุณาระบุเหตุผลที่ต้องเปิดดูข้อมูลผู้แจ้ง (อย่างน้อย 5 ตัวอักษร)"))
        payload["reason"] = reveal_reason.strip()[:300]
    else:
        check_details(case, kind, message, now=now, **details)
        payload["details"] = details
    if any(_is_open(r, now) and r.kind == kind for r in waiting_on(case, now)):
        raise CaseworkError(_l("มีคำขอประเภทนี้รออนุมัติอยู่แล้ว"))
    request = CaseRequest(case=case, kind=kind, requested_by_id=user.id, requested_at=now,
                          expires_at=now + REQUEST_TTL, status=PENDING, payload_enc="")
    db.session.add(request)
    db.session.flush()
    request.payload_enc = crypto.encrypt_json(payload, case_request_aad(request))
    audit.record_case(f"case.request_{kind}", case, actor=user, now=now, detail=payload.get("reason", ""))
    deciders = approvers(request)
    subject, body = mail_texts.approval_waiting(case)
    for person in deciders:
        notify.notify_staff(person, subject, now=now, case=case, email_subject=subject, email_body=body)
    if not deciders:
        _tell_executive_nobody_can_approve(case, now)
    return request


def _tell_executive_nobody_can_approve(case: Case, now: datetime) -> None:
    """No second person exists: the executive (unless the report names them) is asked to appoint oversight."""
    subject, text = mail_texts.nobody_can_approve(case)
    for person in case_access.holders(EXECUTIVE):
        if not case_access.is_excluded(person, case):
            notify.notify_staff(person, text, now=now, email_subject=subject, email_body=text)


def decide(request: CaseRequest, decider: User, *, approve: bool, now: datetime) -> None:
    """Approve (the action takes effect, done by the requester) or refuse a request.

    :raise CaseworkError: not this person's to decide, no longer pending, expired, or the action no longer applies.
    """
    if decider not in approvers(request):
        raise CaseworkError(_l("ท่านไม่สามารถพิจารณาคำขอนี้ได้"))
    if not _is_open(request, now):
        raise CaseworkError(_l("คำขอนี้ไม่อยู่ในสถานะรออนุมัติแล้ว"))
    case, requester = request.case, request.requested_by
    if approve:
        payload = read_payload(request)
        message = Action(payload.get("public_message", ""), payload.get("internal_note", ""))
        if request.kind == "accused":
            apply_accused(requester, case, _named(payload), now=now, approved_by=decider)
        elif request.kind != "reveal":
            transition(requester, case, request.kind, now=now, message=message, approved_by=decider,
                       **payload.get("details", {}))
    request.status = APPROVED if approve else REFUSED
    request.decided_by_id, request.decided_at = decider.id, now
    audit.record_case(f"case.request_{'approved' if approve else 'refused'}", case, actor=decider, now=now,
                      detail=request.kind)
    subject, body = mail_texts.approval_decided(case, approve)
    notify.notify_staff(requester, subject, now=now, case=case, email_subject=subject, email_body=body)


def cancel(request: CaseRequest, user: User, *, now: datetime) -> None:
    """The requester withdraws a request that still waits.

    :raise CaseworkError: not theirs, or no longer pending.
    """
    if request.requested_by_id != user.id or not _is_open(request, now):
        raise CaseworkError(_l("ยกเลิกคำขอนี้ไม่ได้"))
    request.status = CANCELLED
    request.decided_by_id, request.decided_at = user.id, now
    audit.record_case("case.request_cancelled", request.case, actor=user, now=now, detail=request.kind)


def waiting_on(case: Case, now: datetime) -> list[CaseRequest]:
    """The requests of a report that still wait for a decision."""
    return [r for r in db.session.scalars(select(CaseRequest).where(CaseRequest.case_id == case.id,
                                                                    CaseRequest.status == PENDING))
            if r.expires_at > now]


def shown_on(case: Case, viewer: User, now: datetime) -> list[Pending]:
    """The waiting requests a viewer of the report sees: all but those that name the viewer."""
    shown = []
    for request in waiting_on(case, now):
        payload = read_payload(request)
        named = _named(payload)
        if viewer not in named:
            shown.append(Pending(request, payload, named))
    return shown


def for_approver(user: User, now: datetime) -> list[Pending]:
    """Every waiting request this person may decide, oldest first."""
    rows = db.session.scalars(select(CaseRequest).where(CaseRequest.status == PENDING, CaseRequest.expires_at > now)
                              .order_by(CaseRequest.requested_at, CaseRequest.id))
    return [Pending(r, read_payload(r), _named(read_payload(r))) for r in rows if user in approvers(r)]


def by_uid(uid: str) -> CaseRequest | None:
    """A request by its random identifier."""
    return db.session.scalar(select(CaseRequest).where(CaseRequest.uid == uid)) if uid else None


def reveal_granted(user: User, case: Case, now: datetime) -> CaseRequest | None:
    """The approved reveal that lets this user see the reporter's identity now, if any."""
    rows = db.session.scalars(select(CaseRequest).where(
        CaseRequest.case_id == case.id, CaseRequest.kind == "reveal", CaseRequest.status == APPROVED,
        CaseRequest.requested_by_id == user.id, CaseRequest.decided_at > now - REVEAL_WINDOW))
    return next(iter(rows), None)


def expire(now: datetime) -> int:
    """Close the requests whose time ran out, on the record (housekeeping); returns how many."""
    rows = db.session.scalars(select(CaseRequest).where(CaseRequest.status == PENDING,
                                                        CaseRequest.expires_at <= now)).all()
    for request in rows:
        request.status = EXPIRED
        audit.record_case("case.request_expired", request.case, actor=None, now=now, detail=request.kind)
    return len(rows)
