"""Working a case: the legal transitions, assignment, explanations, follow-up questions, outcomes.

Every action is a recorded event with the actor, the time, an optional public message (shown on the
tracking page and e-mailed to the complainant) and an optional internal note. Messages of corruption
cases are encrypted with the event's identity as associated data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Case, CaseEvent, SurveyResponse, Unit, User
from ..models.case import (CLOSED_STATUSES, COMPLETED, CORRUPTION, FORWARDED, GENERAL, IN_PROGRESS, RECEIVED,
                           REJECTED)
from ..models.people import INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER
from ..security import crypto
from ..security.columns import case_outcome_aad, event_aad
from . import audit, case_access, intake, mail_texts, notify, numbering, reminders, sla, surveys
from .attachments import CleanFile

OPEN_STATUSES = (RECEIVED, IN_PROGRESS)

#: action -> (statuses it may start from, status it leads to or None to keep the status).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": ((RECEIVED,), IN_PROGRESS),
    "reject": ((RECEIVED, IN_PROGRESS), REJECTED),
    "forward": ((RECEIVED, IN_PROGRESS), FORWARDED),
    "complete": ((IN_PROGRESS,), COMPLETED),
    "reopen": (CLOSED_STATUSES, IN_PROGRESS),
    "assign": (OPEN_STATUSES, None),
    "progress": ((IN_PROGRESS,), None),
    "explain": ((RECEIVED, IN_PROGRESS, COMPLETED, REJECTED, FORWARDED), None),
    "note": ((RECEIVED, IN_PROGRESS, COMPLETED, REJECTED, FORWARDED), None),
    "ask": (OPEN_STATUSES, None),
}

REJECTION_REASONS = ("outside_authority", "insufficient_detail", "duplicate")
AGENCIES = ("nacc", "pacc", "damrongdham", "district", "province", "other")
OUTCOMES = ("substantiated", "unsubstantiated", "insufficient_evidence")

#: What a unit officer may do on their unit's general complaints (intake officers may do everything).
_UNIT_OFFICER_ACTIONS = {"accept", "progress", "complete", "explain", "note", "assign"}
#: What narrows oversight of a protected-channel report: an integrity officer asks, a second person approves
#: (services/cases/approvals.py); the oversight person, being the outside check, decides alone.
TWO_PERSON_ACTIONS = ("accused", "reject", "forward", "complete", "reveal")


class CaseworkError(ValueError):
    """An action that is not allowed or not complete; the message is for the officer (Thai)."""


@dataclass
class Action:
    """What the officer asked for, with the messages they wrote."""

    public_message: str = ""
    internal_note: str = ""


def _clean(text: str | None) -> str:
    return (text or "").strip()


def allowed_actions(user: User, case: Case, now: datetime | None = None) -> set[str]:
    """Actions this user may take on this case now (empty when they may not see it).

    With ``now``, an explanation is offered only once the case is late. Besides the transitions:
    "accused" and "outcome" on protected-channel reports, "move" on general complaints for intake officers.
    """
    if not case_access.can_view(user, case):
        return set()
    possible = {a for a, (starts, _to) in TRANSITIONS.items() if case.status in starts}
    if case.channel == CORRUPTION:
        if user.has_role(INTEGRITY, OVERSIGHT):
            possible |= {"accused", "outcome"} if "note" in possible else {"accused"}
        else:
            possible = set()
    elif not user.has_role(INTAKE):
        possible &= _UNIT_OFFICER_ACTIONS if user.has_role(UNIT_OFFICER) else set()
    else:
        possible.add("move")
    if case.channel == GENERAL:
        possible.discard("ask")  # follow-up through the tracking page is the protected channel's tool
    if now is not None and not sla.is_late(case, now):
        possible.discard("explain")
    return possible


def needs_second_person(user: User, case: Case, action: str) -> bool:
    """True when this action by this user waits for another person's approval before it takes effect."""
    return (case.channel == CORRUPTION and action in TWO_PERSON_ACTIONS
            and not case_access.acts_alone(user, case))


def _check(user: User, case: Case, action: str) -> None:
    if not case_access.can_view(user, case):
        raise CaseworkError(_l("ไม่พบเรื่องนี้"))
    starts, _to = TRANSITIONS[action]
    if case.status not in starts:
        raise CaseworkError(_l("ทำรายการนี้กับเรื่องในสถานะปัจจุบันไม่ได้"))
    if action not in allowed_actions(user, case):
        raise CaseworkError(_l("ท่านไม่มีสิทธิ์ทำรายการนี้"))


def _event(case: Case, *, actor: User | None, kind: str, now: datetime, action: Action,
           to_status: str | None = None) -> CaseEvent:
    event = CaseEvent(case=case, at=now, actor_id=actor.id if actor else None, kind=kind,
                      from_status=case.status if to_status else None, to_status=to_status,
                      encrypted=case.channel == CORRUPTION)
    db.session.add(event)
    db.session.flush()
    public, internal = _clean(action.public_message), _clean(action.internal_note)
    if event.encrypted:
        event.public_message = crypto.encrypt_text(public, event_aad(case, event, "public")) if public else None
        event.internal_note = crypto.encrypt_text(internal, event_aad(case, event, "internal")) if internal else None
    else:
        event.public_message, event.internal_note = public or None, internal or None
    return event


def _tell_complainant(case: Case, message: str, now: datetime, survey_token: str | None = None) -> None:
    """E-mail a public update to the complainant if they left an address (with the survey link, if given)."""
    if not message or case.reporter_enc is None:
        return
    email = intake.read_reporter(case).get("email")
    if email:
        subject, body = mail_texts.update(case, message,
                                          survey_url=surveys.survey_url(survey_token) if survey_token else None)
        notify.enqueue_email(email, subject, body, now=now, case=case)


def check_details(case: Case, action: str, message: Action, *, now: datetime, **details) -> None:
    """What an action needs besides permission: reasons, agencies, messages; checked before a request waits too.

    :raise CaseworkError: a required detail is missing or wrong.
    """
    public = _clean(message.public_message)
    if action == "reject":
        reason = details.get("reason")
        if reason not in REJECTION_REASONS:
            raise CaseworkError(_l("กรุณาเลือกเหตุผลที่ไม่รับพิจารณา"))
        if not public:
            raise CaseworkError(_l("กรุณาแจ้งเหตุผลให้ผู้ร้องเรียนทราบ"))
        if reason == "duplicate":
            original = db.session.get(Case, details.get("duplicate_of") or 0)
            if original is None or original.id == case.id or original.channel != case.channel:
                raise CaseworkError(_l("กรุณาระบุเรื่องเดิมที่ซ้ำ"))
    elif action == "forward":
        agency = details.get("agency")
        if agency not in AGENCIES:
            raise CaseworkError(_l("กรุณาเลือกหน่วยงานที่ส่งต่อ"))
        if agency == "other" and not _clean(details.get("agency_other")):
            raise CaseworkError(_l("กรุณาระบุชื่อหน่วยงานที่ส่งต่อ"))
    elif action in ("complete", "progress", "explain", "ask") and not public:
        raise CaseworkError(_l("กรุณากรอกข้อความถึงผู้ร้องเรียน"))
    elif action == "explain" and now <= case.due_at:
        raise CaseworkError(_l("คำชี้แจงใช้เมื่อเรื่องเกินกำหนดแล้ว ก่อนครบกำหนดให้แจ้งความคืบหน้าแทน"))
    elif action == "note" and not _clean(message.internal_note):
        raise CaseworkError(_l("กรุณากรอกบันทึกภายใน"))


def transition(user: User, case: Case, action: str, *, now: datetime, message: Action | None = None,
               approved_by: User | None = None, **details) -> CaseEvent:
    """Apply one action to a case.

    On a protected-channel report, rejecting, forwarding and completing by an integrity officer take
    effect only through an approved request (``approved_by`` is then the approver).
    :raise CaseworkError: illegal transition, missing permission, a missing second person or required detail.
    """
    if action == "assign":
        raise CaseworkError(_l("ใช้การมอบหมายผู้รับผิดชอบเพื่อมอบหมายเรื่อง"))  # assign() checks unit and officer
    _check(user, case, action)
    if approved_by is None and needs_second_person(user, case, action):
        raise CaseworkError(_l("รายการนี้ต้องได้รับอนุมัติจากบุคคลที่สองก่อน กรุณายื่นคำขออนุมัติ"))
    message = message or Action()
    check_details(case, action, message, now=now, **details)
    public = _clean(message.public_message)
    _starts, to_status = TRANSITIONS[action]
    if action == "reject":
        case.rejection_reason = details.get("reason")
        if details.get("reason") == "duplicate":
            case.duplicate_of_id = details.get("duplicate_of")
    elif action == "forward":
        case.forwarded_to, case.forwarded_to_other = details.get("agency"), _clean(details.get("agency_other")) or None
    event = _event(case, actor=user, kind=action, now=now, action=message, to_status=to_status)
    if to_status:
        case.status = to_status
        if to_status in CLOSED_STATUSES:
            case.closed_at = now
            reminders.cancel_for(case, now)
        elif action == "reopen":
            case.closed_at = None
            case.rejection_reason = case.forwarded_to = case.forwarded_to_other = None
            case.duplicate_of_id = None
            reminders.schedule_for(case, now)
    if action == "explain":
        case.explained_at = now
    case.updated_at = now
    survey_token = None
    if to_status == COMPLETED:
        # A reopened case completed again keeps its invitation; the link is sent while it can still be answered.
        token = surveys.ensure_invite(case, now=now)
        survey_token = token if surveys.can_answer(case) else None
    _tell_complainant(case, public, now, survey_token)
    audit.record_case(f"case.{action}", case, actor=user, now=now)
    return event


def assign(user: User, case: Case, *, unit: Unit | None, officer: User | None, now: datetime,
           message: Action | None = None) -> CaseEvent:
    """Name the responsible unit and officer; unit officers may only pick an officer of their own unit.

    :raise CaseworkError: not allowed, or the officer is not in that unit.
    """
    _check(user, case, "assign")
    if case.channel == GENERAL and not user.has_role(INTAKE):
        if unit is not None and unit.id != user.unit_id:
            raise CaseworkError(_l("มอบหมายได้เฉพาะภายในหน่วยงานของท่าน"))
        unit = db.session.get(Unit, user.unit_id)
    if case.channel == GENERAL and unit is None:
        raise CaseworkError(_l("กรุณาเลือกหน่วยงานผู้รับผิดชอบ"))
    if case.channel == GENERAL and not unit.active:
        raise CaseworkError(_l("หน่วยงานนี้ถูกปิดใช้งาน"))
    if officer is not None:
        if not officer.active:
            raise CaseworkError(_l("บัญชีเจ้าหน้าที่นี้ถูกปิดใช้งาน"))
        if case.channel == CORRUPTION and officer not in case_access.handlers(case):
            raise CaseworkError(_l("มอบหมายเรื่องทุจริตได้เฉพาะเจ้าหน้าที่งานนิติการที่ไม่ใช่ผู้ถูกร้องเรียน"))
        # The responsible officer must be able to open the case: an intake officer, or an officer
        # of the unit (another role that merely sits in the unit would get reminders for a case it cannot see).
        if case.channel == GENERAL and not (officer.has_role(INTAKE)
                                             or (officer.has_role(UNIT_OFFICER) and officer.unit_id == unit.id)):
            raise CaseworkError(_l("เจ้าหน้าที่ที่เลือกไม่ได้สังกัดหน่วยงานนี้"))
    case.unit = unit if case.channel == GENERAL else case.unit
    case.assignee = officer
    message = message or Action()
    # The timeline names who became responsible (plan rule: a named officer/unit for every case).
    who = " / ".join(x for x in (case.unit.name if case.unit else "", officer.full_name if officer else "") if x)
    note = f"มอบหมาย: {who}" + (f"\n{_clean(message.internal_note)}" if _clean(message.internal_note) else "")
    event = _event(case, actor=user, kind="assign", now=now,
                   action=Action(public_message=message.public_message, internal_note=note))
    if officer is not None and officer.id != user.id:
        subject, body = mail_texts.assigned(case)
        notify.notify_staff(officer, subject, now=now, case=case, email_subject=subject, email_body=body)
    audit.record_case("case.assign", case, actor=user, now=now,
                      detail=f"unit={unit.id if unit else ''} officer={officer.id if officer else ''}")
    return event


def answer_question(case: Case, text: str, files: list[CleanFile], *, now: datetime) -> CaseEvent:
    """The anonymous reporter answers on the tracking page; the answer is encrypted like the report.

    :raise CaseworkError: empty answer, or no open question to answer.
    """
    from . import attachments as attachment_store

    text = _clean(text)
    if not text and not files:
        raise CaseworkError(_l("กรุณาพิมพ์คำตอบหรือแนบไฟล์"))
    if len(text) > 5000:
        raise CaseworkError(_l("คำตอบยาวเกิน 5,000 ตัวอักษร"))
    if not has_open_question(case):
        raise CaseworkError(_l("ไม่มีคำถามที่รอคำตอบ"))
    event = _event(case, actor=None, kind="answer", now=now, action=Action(internal_note=text))
    for clean_file in files:
        attachment_store.store(case, clean_file, source="citizen", event_id=event.id)
    for officer in case_access.handlers(case) if case.channel == CORRUPTION else []:
        notify.notify_staff(officer, f"ผู้แจ้งตอบคำถามในเรื่อง {case.case_number}", now=now, case=case)
    case.updated_at = now
    return event


def has_open_question(case: Case) -> bool:
    """True when the case is open and its latest question has no answer after it."""
    if case.is_closed:
        return False
    for event in reversed(case.events):
        if event.kind == "answer":
            return False
        if event.kind == "ask":
            return True
    return False


def apply_accused(user: User, case: Case, accused: list[User], *, now: datetime,
                  approved_by: User | None = None) -> None:
    """Record which staff members a protected-channel report names (two people decided); they lose all access.

    The list replaces the likely matches found at intake. An integrity officer's choice takes effect only
    through an approved request; the oversight person decides alone.
    :raise CaseworkError: not someone who works on this report, or no second person.
    """
    from .cases import exclusions

    if case.channel != CORRUPTION or "accused" not in allowed_actions(user, case):
        raise CaseworkError(_l("ไม่พบเรื่องนี้"))
    if approved_by is None and needs_second_person(user, case, "accused"):
        raise CaseworkError(_l("รายการนี้ต้องได้รับอนุมัติจากบุคคลที่สองก่อน กรุณายื่นคำขออนุมัติ"))
    if any(not person.active for person in accused):
        raise CaseworkError(_l("บัญชีเจ้าหน้าที่นี้ถูกปิดใช้งาน"))
    exclusions.replace(case, accused, now=now)
    if case.assignee is not None and case.assignee in accused:
        case.assignee = None
    case.updated_at = now
    _event(case, actor=user, kind="accused_set", now=now, action=Action())
    # Who was named is in the encrypted exclusions; the log says only that it happened and who approved.
    audit.record_case("case.set_accused", case, actor=user, now=now,
                      detail=f"approved_by={approved_by.id}" if approved_by else "")


def record_outcome(user: User, case: Case, *, outcome: str, findings: str, referral: str,
                   now: datetime) -> None:
    """Record the investigation outcome of a corruption report and, if substantiated, the disciplinary referral.

    The outcome is encrypted with the findings: a copy of the database does not say whether it was found true.
    :raise CaseworkError: unknown outcome, or a substantiated outcome without a referral.
    """
    _check(user, case, "note")
    if case.channel != CORRUPTION:
        raise CaseworkError(_l("บันทึกผลการสอบสวนได้เฉพาะเรื่องร้องเรียนการทุจริต"))
    if outcome not in OUTCOMES:
        raise CaseworkError(_l("กรุณาเลือกผลการตรวจสอบ"))
    if outcome == "substantiated" and not _clean(referral):
        raise CaseworkError(_l("เรื่องที่มีมูลต้องระบุการส่งดำเนินการทางวินัย/อาญา"))
    case.outcome_enc = crypto.encrypt_json(
        {"outcome": outcome, "findings": _clean(findings), "referral": _clean(referral)}, outcome_aad(case))
    _event(case, actor=user, kind="outcome", now=now, action=Action())
    audit.record_case("case.outcome", case, actor=user, now=now)


outcome_aad = case_outcome_aad


def read_outcome(case: Case) -> dict:
    """Decrypted outcome code, findings and referral; {} when none is recorded (callers checked access)."""
    return crypto.decrypt_json(case.outcome_enc, outcome_aad(case))


def move_to_corruption(user: User, case: Case, *, reason: str, now: datetime) -> None:
    """Move a general complaint that is really a corruption report into the protected channel.

    Its text and messages are encrypted, it gets a number of the protected channel, general staff
    lose access, and the complainant's tracking code keeps working.
    :raise CaseworkError: not an intake officer, not a general complaint, or no reason given.
    """
    if case.channel != GENERAL or not user.has_role(INTAKE) or not case_access.can_view(user, case):
        raise CaseworkError(_l("ย้ายได้เฉพาะเรื่องร้องเรียนทั่วไป โดยเจ้าหน้าที่รับเรื่องร้องเรียน"))
    if len(_clean(reason)) < 5:
        raise CaseworkError(_l("กรุณาระบุเหตุผลที่ย้ายเรื่อง"))
    content = {"subject": case.subject or "", "details": case.details or "", "location": case.location or "",
               "evidence": "", "witnesses": "", "incident_date": "", "accused": {"name": "", "position": "", "unit": ""}}
    old_number = case.case_number
    reporter = intake.read_reporter(case)
    # The number first: its query would flush a half-moved case whose (channel, year, sequence) collides.
    sequence = numbering.next_sequence(CORRUPTION, case.fiscal_year)
    case.channel = CORRUPTION
    case.sequence = sequence
    case.case_number = numbering.format_number(CORRUPTION, case.sequence, case.fiscal_year)
    case.content_enc = crypto.encrypt_json(content, intake.content_aad(case))
    case.subject = case.details = case.location = None
    case.unit_id = case.assignee_id = None
    case.category_id = None  # general categories do not apply to the protected channel
    # Plaintext analysis notes feed the general summary report; a protected case keeps none.
    case.root_cause = case.prevention = None
    db.session.execute(update(SurveyResponse).where(SurveyResponse.case_id == case.id).values(channel=CORRUPTION))
    case.reporter_enc = crypto.encrypt_json(reporter, intake.reporter_aad(case)) if reporter else None
    for event in case.events:
        if not event.encrypted:
            public, internal = event.public_message, event.internal_note
            event.encrypted = True
            event.public_message = crypto.encrypt_text(public, event_aad(case, event, "public")) if public else None
            event.internal_note = crypto.encrypt_text(internal, event_aad(case, event, "internal")) if internal else None
    case.moved_from_general_at = now
    case.updated_at = now
    _event(case, actor=user, kind="moved", now=now, action=Action(internal_note=f"ย้ายจาก {old_number}: {reason}"))
    audit.protect_case_entries(case)
    audit.record_case("case.move_to_corruption", case, actor=user, now=now, detail=_clean(reason)[:300])
    for officer in case_access.handlers(case):
        notify.notify_staff(officer, f"มีเรื่องย้ายเข้าช่องทางที่ต้องปกปิด {case.case_number}", now=now, case=case)
