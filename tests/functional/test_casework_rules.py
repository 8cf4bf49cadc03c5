"""Casework rules at the service level: legal transitions, required details, roles, the protected channel."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent, OutboxMessage, Reminder, Unit
from app.models.case import COMPLETED, CORRUPTION, FORWARDED, GENERAL, IN_PROGRESS, RECEIVED, REJECTED, STATUSES
from app.models.people import ADMIN, EXECUTIVE, INTAKE, INTEGRITY, UNIT_OFFICER
from app.services import case_access, casework, intake, tracking
from app.services.casework import Action, CaseworkError
from app.services.intake import IntakeError
from tests.factories import approval, make_unit, make_user

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
#: Every action is tried after the due date, so that time never decides what is legal here.
LATE = T0 + timedelta(days=16)
ALL = set(STATUSES)

#: The lifecycle of PRODUCT.md, written out by hand: action -> statuses it may start from.
LEGAL_FROM = {
    "accept": {RECEIVED},
    "reject": {RECEIVED, IN_PROGRESS},
    "forward": {RECEIVED, IN_PROGRESS},
    "complete": {IN_PROGRESS},
    "reopen": {COMPLETED, REJECTED, FORWARDED},
    "assign": {RECEIVED, IN_PROGRESS},
    "progress": {IN_PROGRESS},
    "explain": ALL,
    "note": ALL,
    "ask": {RECEIVED, IN_PROGRESS},  # the protected channel only
}
#: Where a status-changing action leads.
LEADS_TO = {"accept": IN_PROGRESS, "reject": REJECTED, "forward": FORWARDED, "complete": COMPLETED,
            "reopen": IN_PROGRESS}


def complaint(now=T0, email: str = "", **kwargs) -> tuple[Case, str]:
    reporter = intake.Reporter(email=email)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ท่อระบายน้ำอุดตัน", details="น้ำท่วมขังหน้าบ้านเลขที่ 9",
                                                        location="หมู่ 4", reporter=reporter), now=now, **kwargs)
    db.session.commit()
    return sub.case, sub.tracking_code


def report(now=T0) -> tuple[Case, str]:
    sub = intake.submit_report(intake.ReportInput(subject="เรียกรับเงินใต้โต๊ะ", details="ขอเงิน 3,000 บาทแลกใบอนุญาต"),
                               now=now)
    db.session.commit()
    return sub.case, sub.tracking_code


def drive(case: Case, status: str, actor) -> Case:
    """Bring a new case to ``status`` through the service, as staff would."""
    path = {RECEIVED: [], IN_PROGRESS: ["accept"], COMPLETED: ["accept", "complete"],
            REJECTED: ["reject"], FORWARDED: ["forward"]}[status]
    for action in path:
        casework.transition(actor, case, action, now=T0 + timedelta(hours=1), **_valid(action, case),
                            **approval(case, action, actor))
    db.session.commit()
    assert case.status == status
    return case


def _valid(action: str, case: Case) -> dict:
    """Arguments that make ``action`` complete, so only legality decides the outcome."""
    return {
        "accept": {},
        "reject": {"reason": "outside_authority", "message": Action(public_message="ไม่อยู่ในอำนาจหน้าที่")},
        "forward": {"agency": "nacc", "message": Action(public_message="ส่งต่อ ป.ป.ช. แล้ว")},
        "complete": {"message": Action(public_message="แก้ไขเรียบร้อยแล้ว")},
        "reopen": {},
        "progress": {"message": Action(public_message="อยู่ระหว่างตรวจสอบพื้นที่")},
        "explain": {"message": Action(public_message="ล่าช้าเพราะรองบประมาณ")},
        "note": {"message": Action(internal_note="โทรประสานแล้ว")},
        "ask": {"message": Action(public_message="เหตุการณ์เกิดวันใด")},
    }[action]


def attempt(user, case: Case, action: str, unit: Unit | None = None):
    if action == "assign":
        officer = None if case.channel == GENERAL else user
        return casework.assign(user, case, unit=unit if case.channel == GENERAL else None, officer=officer, now=LATE)
    return casework.transition(user, case, action, now=LATE, **_valid(action, case), **approval(case, action, user))


def snapshot(case: Case) -> tuple:
    db.session.flush()
    columns = ("status", "closed_at", "explained_at", "rejection_reason", "forwarded_to", "unit_id",
               "assignee_id", "updated_at", "duplicate_of_id")
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in
              (CaseEvent, Reminder, OutboxMessage, AuditEntry)]
    return tuple(getattr(case, c) for c in columns), tuple(counts)


def test_the_transition_table_covers_exactly_the_documented_actions():
    assert set(casework.TRANSITIONS) == set(LEGAL_FROM)
    for action, (starts, to_status) in casework.TRANSITIONS.items():
        assert set(starts) == LEGAL_FROM[action], action
        assert to_status == LEADS_TO.get(action), action


@pytest.mark.parametrize("channel", [GENERAL, CORRUPTION])
@pytest.mark.parametrize("status", STATUSES)
def test_every_action_from_every_status_is_allowed_or_refused_as_the_lifecycle_says(app, channel, status):
    officer = make_user(INTAKE if channel == GENERAL else INTEGRITY)
    make_user(INTEGRITY, INTAKE)  # the second person of the protected channel
    unit = make_unit()
    wrong = []
    for action in LEGAL_FROM:
        case = drive((complaint if channel == GENERAL else report)()[0], status, officer)
        legal = status in LEGAL_FROM[action] and not (action == "ask" and channel == GENERAL)
        assert (action in casework.allowed_actions(officer, case)) is legal, (action, status)
        events_before = len(case.events)
        before = snapshot(case)
        try:
            attempt(officer, case, action, unit)
        except CaseworkError:
            if legal:
                wrong.append(f"{action} from {status} was refused")
            elif snapshot(case) != before or db.session.new:
                wrong.append(f"refused {action} from {status} still changed the case")
            db.session.rollback()
            continue
        db.session.commit()
        if not legal:
            wrong.append(f"{action} from {status} was allowed")
            continue
        assert case.status == LEADS_TO.get(action, status), action
        assert len(case.events) == events_before + 1 and case.events[-1].kind == action
        assert case.events[-1].actor_id == officer.id and case.events[-1].at == LATE
    assert wrong == []


# --- required details ------------------------------------------------------------------------


@pytest.fixture
def desk(app):
    """An intake officer, a unit with its officer and a received complaint."""
    unit = make_unit()
    staff = {"intake": make_user(INTAKE), "officer": make_user(UNIT_OFFICER, unit=unit), "unit": unit}
    staff["case"] = complaint()[0]
    return staff


def refused(user, case, action, **details) -> str:
    before = snapshot(case)
    with pytest.raises(CaseworkError) as info:
        casework.transition(user, case, action, now=LATE, **details)
    assert snapshot(case) == before
    db.session.rollback()
    return str(info.value)


def test_rejecting_needs_a_known_reason_and_a_message_to_the_complainant(desk):
    user, case = desk["intake"], desk["case"]
    refused(user, case, "reject", message=Action(public_message="ไม่รับ"))
    refused(user, case, "reject", reason="because", message=Action(public_message="ไม่รับ"))
    refused(user, case, "reject", reason="insufficient_detail")
    casework.transition(user, case, "reject", now=LATE, reason="insufficient_detail",
                        message=Action(public_message="ข้อมูลไม่เพียงพอ กรุณาแจ้งสถานที่"))
    db.session.commit()
    assert (case.status, case.rejection_reason, case.closed_at) == (REJECTED, "insufficient_detail", LATE)


def test_rejecting_as_a_duplicate_needs_an_existing_original_of_the_same_channel(desk):
    user, case = desk["intake"], desk["case"]
    original, _ = complaint()
    other_channel, _ = report()
    why = Action(public_message="ซ้ำกับเรื่องเดิม")
    refused(user, case, "reject", reason="duplicate", message=why)
    refused(user, case, "reject", reason="duplicate", duplicate_of=999999, message=why)
    refused(user, case, "reject", reason="duplicate", duplicate_of=case.id, message=why)
    refused(user, case, "reject", reason="duplicate", duplicate_of=other_channel.id, message=why)
    casework.transition(user, case, "reject", now=LATE, reason="duplicate", duplicate_of=original.id, message=why)
    db.session.commit()
    assert case.duplicate_of_id == original.id and case.rejection_reason == "duplicate"


def test_forwarding_needs_an_agency_and_a_name_for_other(desk):
    user, case = desk["intake"], desk["case"]
    refused(user, case, "forward")
    refused(user, case, "forward", agency="fbi")
    refused(user, case, "forward", agency="other", agency_other="   ")
    casework.transition(user, case, "forward", now=LATE, agency="other", agency_other="สำนักงานที่ดินจังหวัด")
    db.session.commit()
    assert (case.status, case.forwarded_to, case.forwarded_to_other) == (FORWARDED, "other", "สำนักงานที่ดินจังหวัด")


def test_messages_are_required_where_the_complainant_must_be_told(desk):
    user, case = desk["intake"], desk["case"]
    casework.transition(user, case, "accept", now=T0)
    db.session.commit()
    for action in ("progress", "complete", "explain"):
        refused(user, case, action, message=Action(public_message="  ", internal_note="ภายในเท่านั้น"))
    refused(user, case, "note", message=Action(public_message="สาธารณะ"))


def test_an_explanation_is_refused_before_the_due_date_and_recorded_after_it(desk):
    user, case = desk["intake"], desk["case"]
    message = Action(public_message="ล่าช้าเพราะรอผู้รับจ้าง")
    with pytest.raises(CaseworkError):
        casework.transition(user, case, "explain", now=case.due_at, message=message)
    db.session.rollback()
    assert case.explained_at is None
    after = case.due_at + timedelta(minutes=1)
    casework.transition(user, case, "explain", now=after, message=message)
    db.session.commit()
    assert case.explained_at == after
    view = tracking.public_view(case, after)
    assert view.updates[-1].message == "ล่าช้าเพราะรอผู้รับจ้าง"


def test_reopening_clears_the_closure_and_schedules_reminders_again(desk):
    user, case = desk["intake"], desk["case"]
    original, _ = complaint()
    closed = T0 + timedelta(days=1)
    casework.transition(user, case, "reject", now=closed, reason="duplicate", duplicate_of=original.id,
                        message=Action(public_message="ซ้ำ"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.case_id == case.id, Reminder.sent_at.is_(None), Reminder.cancelled_at.is_(None))) == 0

    reopened = T0 + timedelta(days=2)
    casework.transition(user, case, "reopen", now=reopened)
    db.session.commit()
    assert (case.status, case.closed_at, case.rejection_reason, case.duplicate_of_id) == (IN_PROGRESS, None, None, None)
    assert case.due_at == T0 + timedelta(days=15)  # the clock is not restarted
    live = db.session.scalars(select(Reminder).where(Reminder.case_id == case.id, Reminder.sent_at.is_(None),
                                                     Reminder.cancelled_at.is_(None))).all()
    assert sorted(r.kind for r in live) == ["before", "before", "due", "overdue"]
    assert all(r.due_at > reopened for r in live)


# --- who may do what ----------------------------------------------------------------------


def test_unit_officers_work_their_units_cases_within_their_limited_actions(desk):
    officer, case, unit = desk["officer"], desk["case"], desk["unit"]
    stranger = make_user(UNIT_OFFICER)
    assert casework.allowed_actions(officer, case) == set()  # not yet assigned to the unit
    casework.assign(desk["intake"], case, unit=unit, officer=None, now=T0)
    db.session.commit()

    assert casework.allowed_actions(officer, case) == {"accept", "assign", "explain", "note"}
    assert casework.allowed_actions(stranger, case) == set()
    for action in ("reject", "forward"):
        message = refused(officer, case, action, **_valid(action, case))
        assert "สิทธิ์" in message
    assert "ไม่พบ" in refused(stranger, case, "accept")

    casework.transition(officer, case, "accept", now=T0)
    casework.assign(officer, case, unit=None, officer=officer, now=T0)  # takes it within the unit
    casework.transition(officer, case, "complete", now=T0, message=Action(public_message="เสร็จแล้ว"))
    db.session.commit()
    assert case.status == COMPLETED and case.assignee_id == officer.id
    assert "reopen" not in casework.allowed_actions(officer, case)
    assert "reopen" in casework.allowed_actions(desk["intake"], case)


def test_a_unit_officer_cannot_hand_a_case_to_another_unit(desk):
    officer, case, unit = desk["officer"], desk["case"], desk["unit"]
    casework.assign(desk["intake"], case, unit=unit, officer=None, now=T0)
    db.session.commit()
    elsewhere = make_user(UNIT_OFFICER)
    with pytest.raises(CaseworkError):
        casework.assign(officer, case, unit=elsewhere.unit, officer=None, now=T0)
    with pytest.raises(CaseworkError):
        casework.assign(officer, case, unit=None, officer=elsewhere, now=T0)
    db.session.rollback()
    assert case.unit_id == unit.id


def test_the_responsible_officer_must_be_able_to_open_the_case(desk):
    case, unit = desk["case"], desk["unit"]
    executive_in_unit = make_user(EXECUTIVE, unit=unit)
    with pytest.raises(CaseworkError):
        casework.assign(desk["intake"], case, unit=unit, officer=executive_in_unit, now=T0)
    db.session.rollback()
    casework.assign(desk["intake"], case, unit=unit, officer=desk["officer"], now=T0)
    db.session.commit()
    assert case_access.can_view(case.assignee, case)


@pytest.mark.parametrize("roles", [(INTAKE,), (UNIT_OFFICER,), (EXECUTIVE,), (ADMIN,), (ADMIN, EXECUTIVE, INTAKE)])
def test_only_integrity_officers_may_act_on_corruption_reports(app, roles):
    user = make_user(*roles)
    case, _ = report()
    assert not case_access.can_view(user, case)
    assert casework.allowed_actions(user, case) == set()
    for action in ("accept", "note", "reject"):
        with pytest.raises(CaseworkError):
            casework.transition(user, case, action, now=LATE, **_valid(action, case))
    with pytest.raises(CaseworkError):
        casework.record_outcome(user, case, outcome="unsubstantiated", findings="-", referral="", now=LATE)
    db.session.rollback()
    assert case.status == RECEIVED and len(case.events) == 1


def test_follow_up_questions_are_a_protected_channel_tool(app):
    intake_officer, integrity = make_user(INTAKE), make_user(INTEGRITY)
    general, _ = complaint()
    corruption, _ = report()
    assert "ask" not in casework.allowed_actions(intake_officer, general)
    with pytest.raises(CaseworkError):
        casework.transition(intake_officer, general, "ask", now=LATE, message=Action(public_message="ถาม"))
    db.session.rollback()
    casework.transition(integrity, corruption, "ask", now=LATE, message=Action(public_message="เกิดเหตุวันใด"))
    db.session.commit()
    assert casework.has_open_question(corruption)


# --- the accused officer --------------------------------------------------------------------


def visible_ids(user, channel=CORRUPTION) -> list[int]:
    return list(db.session.scalars(case_access.visible_cases(user, channel).with_only_columns(Case.id)))


def name_accused(requester, approver, case: Case, accused: list) -> None:
    """Two integrity officers name the accused: one asks, the other approves."""
    from app.services.cases import approvals

    request = approvals.ask(requester, case, "accused", now=T0, accused=accused)
    approvals.decide(request, approver, approve=True, now=T0)
    db.session.commit()


def test_the_accused_can_never_see_the_report_even_as_admin_and_integrity_officer(app):
    integrity, second = make_user(INTEGRITY), make_user(INTEGRITY)
    accused = make_user(INTEGRITY, EXECUTIVE)
    case, _ = report()
    casework.assign(integrity, case, unit=None, officer=accused, now=T0)
    db.session.commit()
    assert case_access.can_view(accused, case) and case.id in visible_ids(accused)

    name_accused(integrity, second, case, [accused])
    assert not case_access.can_view(accused, case)
    assert case.id not in visible_ids(accused)
    assert casework.allowed_actions(accused, case) == set()
    assert case.assignee_id is None  # it was theirs: it no longer is
    assert case_access.needs_oversight(case)  # it names the executive
    with pytest.raises(CaseworkError):
        casework.transition(accused, case, "note", now=LATE, message=Action(internal_note="x"))
    with pytest.raises(CaseworkError):
        casework.apply_accused(accused, case, [], now=LATE, approved_by=integrity)  # nor can they undo it
    with pytest.raises(CaseworkError):
        casework.assign(integrity, case, unit=None, officer=accused, now=LATE)
    db.session.rollback()
    assert case.id in visible_ids(integrity)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.set_accused"))
    assert entry.actor_id == integrity.id and entry.target_id == case.id and entry.protected


def test_an_administrator_can_never_hold_the_integrity_role(app):
    from app.services.people import roles

    assert roles.conflicts({ADMIN, INTEGRITY}) and roles.conflicts({ADMIN, "oversight"})
    assert roles.conflicts({"oversight", INTEGRITY}) and not roles.conflicts({ADMIN, EXECUTIVE})
    with pytest.raises(roles.RoleError):
        roles.apply_roles(make_user(ADMIN), [ADMIN, INTEGRITY], actor=make_user(ADMIN), now=T0)


def test_who_handles_a_report_follows_the_integrity_officers_the_admin_changes(app):
    """Named: one of two officers. The other leaves: oversight must step in; a newcomer is approved: not any more."""
    from app.services import admin as admin_service
    from app.services.people import roles

    admin, executive = make_user(ADMIN), make_user(EXECUTIVE)
    accused, other, third = make_user(INTEGRITY), make_user(INTEGRITY), make_user(INTEGRITY)
    case, _ = report()
    name_accused(other, third, case, [accused])
    assert not case_access.needs_oversight(case)

    admin_service.set_user_active(third, False, actor=admin, now=LATE)  # one of the two others leaves
    db.session.commit()
    assert case_access.needs_oversight(case)

    newcomer = admin_service.create_staff_user(username="nitikorn", full_name="นิติกรใหม่", position="นิติกร",
                                               email="new@example.org", unit_id=None, roles=[INTEGRITY],
                                               actor=admin, now=LATE).user
    db.session.commit()
    assert INTEGRITY not in newcomer.roles and case_access.needs_oversight(case)  # the grant waits
    request, _payload = roles.waiting_for(executive, LATE)[0]
    roles.decide(request, executive, approve=True, now=LATE)
    db.session.commit()
    assert INTEGRITY in newcomer.roles and not case_access.needs_oversight(case)


def test_naming_an_accused_is_for_integrity_officers_on_corruption_reports(app):
    from app.services.cases import approvals

    intake_officer, integrity = make_user(INTAKE), make_user(INTEGRITY)
    general, _ = complaint()
    corruption, _ = report()
    with pytest.raises(CaseworkError):
        approvals.ask(intake_officer, corruption, "accused", now=T0, accused=[integrity])
    with pytest.raises(CaseworkError):
        approvals.ask(integrity, general, "accused", now=T0, accused=[intake_officer])
    with pytest.raises(CaseworkError):
        casework.apply_accused(integrity, corruption, [intake_officer], now=T0)  # no second person
    db.session.rollback()
    assert corruption.exclusions == [] and general.exclusions == []


# --- investigation outcome --------------------------------------------------------------------


def test_a_substantiated_outcome_needs_a_disciplinary_referral_and_is_stored_encrypted(app):
    integrity = make_user(INTEGRITY)
    case, _ = report()
    with pytest.raises(CaseworkError):
        casework.record_outcome(integrity, case, outcome="substantiated", findings="มีมูล", referral=" ", now=LATE)
    with pytest.raises(CaseworkError):
        casework.record_outcome(integrity, case, outcome="guilty", findings="มีมูล", referral="x", now=LATE)
    db.session.rollback()
    assert case.outcome_enc is None

    findings, referral = "พบการเรียกรับเงินจริงสามครั้ง", "ส่งคณะกรรมการสอบสวนวินัยร้ายแรง"
    casework.record_outcome(integrity, case, outcome="substantiated", findings=findings, referral=referral, now=LATE)
    db.session.commit()
    assert casework.read_outcome(case) == {"outcome": "substantiated", "findings": findings, "referral": referral}
    raw = db.session.execute(text("SELECT outcome_enc FROM cases WHERE id = :id"), {"id": case.id}).scalar_one()
    assert findings not in raw and referral not in raw and "substantiated" not in raw
    assert case.events[-1].kind == "outcome"
    assert "substantiated" not in db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "case.outcome"))


def test_an_unsubstantiated_outcome_needs_no_referral_and_general_complaints_have_none(app):
    integrity = make_user(INTEGRITY, INTAKE)
    case, _ = report()
    casework.record_outcome(integrity, case, outcome="unsubstantiated", findings="ไม่พบหลักฐาน", referral="", now=LATE)
    db.session.commit()
    assert casework.read_outcome(case)["outcome"] == "unsubstantiated"
    general, _ = complaint()
    with pytest.raises(CaseworkError):
        casework.record_outcome(integrity, general, outcome="unsubstantiated", findings="-", referral="", now=LATE)


# --- moving a complaint into the protected channel ----------------------------------------------


def test_moving_a_complaint_to_the_corruption_channel_protects_it_and_keeps_the_tracking_code(app):
    unit = make_unit()
    intake_officer, officer = make_user(INTAKE), make_user(UNIT_OFFICER, unit=unit)
    integrity = make_user(INTEGRITY)
    case, code = complaint(email="somchai@example.org")
    casework.assign(intake_officer, case, unit=unit, officer=officer, now=T0)
    casework.transition(officer, case, "accept", now=T0, message=Action(public_message="รับเรื่องแล้ว",
                                                                         internal_note="ผู้ร้องระบุชื่อนายช่าง"))
    case.root_cause = "ท่อระบายน้ำอุดตันเพราะนายช่างไม่ลอกท่อ"  # a plaintext analysis note must not stay behind
    db.session.commit()
    old_number = case.case_number
    assert old_number.startswith("ร.")

    with pytest.raises(CaseworkError):
        casework.move_to_corruption(intake_officer, case, reason="", now=T0)
    with pytest.raises(CaseworkError):
        casework.move_to_corruption(officer, case, reason="เป็นเรื่องทุจริต", now=T0)
    db.session.rollback()

    moved_at = T0 + timedelta(hours=2)
    casework.move_to_corruption(intake_officer, case, reason="ผู้ร้องกล่าวหาว่านายช่างเรียกเงิน", now=moved_at)
    db.session.commit()
    db.session.expire_all()

    assert case.channel == CORRUPTION and case.case_number.startswith("ท.") and case.case_number != old_number
    assert (case.subject, case.details, case.location, case.unit_id, case.assignee_id) == (None,) * 5
    assert intake.read_content(case)["details"] == "น้ำท่วมขังหน้าบ้านเลขที่ 9"
    assert intake.read_reporter(case) == {"email": "somchai@example.org"}
    assert case.moved_from_general_at == moved_at
    # Nothing readable is left in the row or its timeline.
    row = db.session.execute(text("SELECT * FROM cases WHERE id = :id"), {"id": case.id}).mappings().one()
    flat = " ".join(str(v) for v in row.values())
    for secret in ("ท่อระบายน้ำอุดตัน", "น้ำท่วมขัง", "หมู่ 4", "somchai"):
        assert secret not in flat
    events = db.session.execute(text("SELECT public_message, internal_note, encrypted FROM case_events "
                                     "WHERE case_id = :id"), {"id": case.id}).all()
    assert all(encrypted for _p, _i, encrypted in events)
    stored = " ".join(str(p) + str(i) for p, i, _e in events)
    for secret in ("รับเรื่องแล้ว", "นายช่าง", "ผู้ร้องกล่าวหา"):
        assert secret not in stored
    # The complainant still follows it; general staff no longer see it; integrity officers do.
    assert tracking.find_case(code).id == case.id
    view = tracking.public_view(case, moved_at)
    assert view.case_number is None and "รับเรื่องแล้ว" in [u.message for u in view.updates]
    for person in (intake_officer, officer):
        assert not case_access.can_view(person, case)
        assert case.id not in list(db.session.scalars(case_access.visible_cases(person, GENERAL)
                                                      .with_only_columns(Case.id)))
    assert case_access.can_view(integrity, case) and case.id in visible_ids(integrity)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.move_to_corruption"))
    assert (entry.actor_id, entry.target_id, entry.at) == (intake_officer.id, case.id, moved_at)
    assert case.events[-1].kind == "moved"


def test_only_general_complaints_can_be_moved(app):
    intake_officer = make_user(INTAKE, INTEGRITY)
    case, _ = report()
    with pytest.raises(CaseworkError):
        casework.move_to_corruption(intake_officer, case, reason="ย้ายซ้ำอีกครั้ง", now=T0)


# --- offline entry and encryption of messages -------------------------------------------------


def test_an_offline_complaint_is_due_from_the_day_it_was_actually_received(app):
    officer = make_user(INTAKE)
    now = T0 + timedelta(days=3)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="โทรแจ้งไฟดับ", details="ไฟดับหน้าวัด"), now=now,
                                  source="phone", received_at=T0, actor_id=officer.id)
    db.session.commit()
    case = sub.case
    assert (case.source, case.received_at, case.due_at, case.created_at) == ("phone", T0, T0 + timedelta(days=15), now)
    assert case.events[0].actor_id == officer.id
    assert tracking.find_case(sub.tracking_code).id == case.id


def test_an_offline_complaint_dated_in_the_future_is_refused(app):
    now = T0
    with pytest.raises(IntakeError) as info:
        intake.submit_complaint(intake.ComplaintInput(subject="จดหมาย", details="ร้องเรียน"), now=now,
                                source="letter", received_at=now + timedelta(days=1))
    assert "received_at" in info.value.fields
    with pytest.raises(IntakeError):
        intake.submit_complaint(intake.ComplaintInput(subject="จดหมาย", details="ร้องเรียน"), now=now,
                                source="carrier_pigeon", received_at=now)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_messages_of_corruption_reports_are_encrypted_in_the_database(app):
    integrity = make_user(INTEGRITY)
    case, code = report()
    casework.transition(integrity, case, "accept", now=T0, message=Action(public_message="รับเรื่องไว้ตรวจสอบ",
                                                                           internal_note="สงสัยนายสมปอง"))
    db.session.commit()
    rows = db.session.execute(text("SELECT public_message, internal_note FROM case_events WHERE case_id = :id"),
                              {"id": case.id}).all()
    stored = " ".join(f"{p} {i}" for p, i in rows)
    assert "รับเรื่องไว้ตรวจสอบ" not in stored and "สมปอง" not in stored
    assert "รับเรื่องไว้ตรวจสอบ" in [u.message for u in tracking.public_view(tracking.find_case(code), T0).updates]


def test_messages_of_general_complaints_stay_searchable_plain_text(app):
    officer = make_user(INTAKE)
    case, _ = complaint()
    casework.transition(officer, case, "accept", now=T0, message=Action(public_message="รับเรื่องแล้ว"))
    db.session.commit()
    stored = db.session.execute(text("SELECT public_message FROM case_events WHERE kind = 'accept'")).scalar_one()
    assert stored == "รับเรื่องแล้ว"
