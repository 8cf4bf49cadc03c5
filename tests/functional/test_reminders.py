"""SLA reminders: rows made at receipt, sent exactly when due, to the right people, never after closing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Case, Notification, OutboxMessage, Reminder
from app.models.case import COMPLETED
from app.models.people import EXECUTIVE, INTAKE, INTEGRITY, UNIT_OFFICER
from app.services import casework, intake, notify, reminders
from app.services.casework import Action
from tests.factories import make_unit, make_user

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # Monday 2 Mar 2026, 10:00 in Bangkok
DUE = T0 + timedelta(days=15)


def staff(*roles, unit=None, email=None):
    user = make_user(*roles, unit=unit)
    user.email = email
    db.session.commit()
    return user


def complaint(now=T0, **kwargs):
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ไฟถนนดับ", details="ไฟดับทั้งซอย"), now=now,
                                  **kwargs)
    db.session.commit()
    return sub.case


def report(now=T0):
    sub = intake.submit_report(intake.ReportInput(subject="เรียกรับเงิน", details="เรียกเงินค่าใบอนุญาต"), now=now)
    db.session.commit()
    return sub.case


def pending(case):
    db.session.expire_all()
    return sorted(((r.kind, r.days_offset, r.due_at) for r in db.session.scalars(
        select(Reminder).where(Reminder.case_id == case.id, Reminder.sent_at.is_(None),
                               Reminder.cancelled_at.is_(None)))), key=lambda row: row[2])


def notified(case, now=None) -> list[int]:
    """User ids of the in-app notifications about ``case`` (made at ``now``, if given)."""
    query = select(Notification.user_id).where(Notification.case_id == case.id)
    if now is not None:
        query = query.where(Notification.created_at == now)
    return sorted(db.session.scalars(query))


class Office:
    """A small organisation: one unit with a head and an officer, intake, integrity and an executive."""

    def __init__(self):
        self.unit = make_unit()
        self.officer = staff(UNIT_OFFICER, unit=self.unit, email="officer@example.org")
        self.head = staff(UNIT_OFFICER, unit=self.unit, email="head@example.org")
        self.unit.head = self.head
        self.other_unit_officer = staff(UNIT_OFFICER)
        self.intake = staff(INTAKE, email="intake@example.org")
        self.intake2 = staff(INTAKE)
        self.integrity = staff(INTEGRITY, email="integrity@example.org")
        self.integrity2 = staff(INTEGRITY)
        self.executive = staff(EXECUTIVE)
        db.session.commit()

    def assigned_complaint(self, now=T0):
        case = complaint(now)
        casework.assign(self.intake, case, unit=self.unit, officer=self.officer, now=now)
        db.session.commit()
        return case


# --- the schedule --------------------------------------------------------------------------


def test_reminders_are_created_at_receipt_before_on_and_after_the_due_date(app):
    case = complaint()
    assert case.due_at == DUE
    assert pending(case) == [
        ("before", 5, DUE - timedelta(days=5)),
        ("before", 2, DUE - timedelta(days=2)),
        ("due", 0, DUE),
        ("overdue", -1, DUE + timedelta(days=1)),
    ]


def test_an_offline_case_received_long_ago_skips_the_reminders_already_past(app):
    now = T0 + timedelta(days=12)
    case = complaint(now=now, source="letter", received_at=T0)
    assert case.due_at == DUE
    assert pending(case) == [
        ("before", 2, DUE - timedelta(days=2)),
        ("due", 0, DUE),
        ("overdue", -1, DUE + timedelta(days=1)),
    ]


def test_an_offline_case_already_overdue_gets_only_an_overdue_reminder_due_now(app):
    now = T0 + timedelta(days=20)
    case = complaint(now=now, source="phone", received_at=T0)
    assert pending(case) == [("overdue", -1, now)]


def test_run_due_sends_exactly_the_reminders_that_are_due(app):
    office = Office()
    case = office.assigned_complaint()

    assert reminders.run_due(DUE - timedelta(days=5, seconds=1)) == 0
    assert reminders.run_due(DUE - timedelta(days=5)) == 1
    assert reminders.run_due(DUE - timedelta(days=5)) == 0  # already sent
    assert reminders.run_due(DUE - timedelta(days=1)) == 1  # the 2-day one
    assert reminders.run_due(DUE) == 1
    assert [kind for kind, _d, _t in pending(case)] == ["overdue"]
    assert reminders.run_due(DUE + timedelta(hours=23)) == 0
    assert reminders.run_due(DUE + timedelta(days=1)) == 1

    db.session.expire_all()
    sent = db.session.scalars(select(Reminder).where(Reminder.case_id == case.id, Reminder.sent_at.is_not(None))
                              .order_by(Reminder.due_at)).all()
    assert [(r.kind, r.sent_at) for r in sent] == [
        ("before", DUE - timedelta(days=5)), ("before", DUE - timedelta(days=1)), ("due", DUE),
        ("overdue", DUE + timedelta(days=1))]


def test_reminders_overtaken_by_a_later_one_are_cancelled_not_sent(app):
    office = Office()
    case = office.assigned_complaint()
    now = DUE + timedelta(days=1, hours=3)  # the scheduler did not run before the case was overdue
    assert reminders.run_due(now) == 1
    assert notified(case, now) == sorted([office.officer.id, office.head.id, office.intake.id, office.intake2.id])
    db.session.expire_all()
    rows = {r.kind + str(r.days_offset): r for r in db.session.scalars(
        select(Reminder).where(Reminder.case_id == case.id, Reminder.due_at <= now))}
    assert {k: (r.sent_at, r.cancelled_at) for k, r in rows.items()} == {
        "before5": (None, now), "before2": (None, now), "due0": (None, now), "overdue-1": (now, None)}
    texts = db.session.scalars(select(Notification.text).where(Notification.created_at == now)).all()
    assert texts and all("เกินกำหนด" in t for t in texts)


def test_closing_a_case_cancels_its_pending_reminders(app):
    office = Office()
    case = office.assigned_complaint()
    reminders.run_due(DUE - timedelta(days=5))
    now = DUE - timedelta(days=3)
    casework.transition(office.officer, case, "accept", now=now)
    casework.transition(office.officer, case, "complete", now=now, message=Action(public_message="ซ่อมไฟแล้ว"))
    db.session.commit()

    assert pending(case) == []
    cancelled = db.session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.case_id == case.id, Reminder.cancelled_at == now))
    assert cancelled == 3
    before = notified(case)
    assert reminders.run_due(DUE + timedelta(days=10)) == 0
    assert notified(case) == before


def test_run_due_never_sends_for_a_case_that_closed_without_cancelling_its_reminders(app):
    office = Office()
    case = office.assigned_complaint()
    # A case closed by some other path (e.g. a data import) that left its reminders pending.
    db.session.execute(update(Case).where(Case.id == case.id).values(status=COMPLETED, closed_at=DUE))
    db.session.commit()
    outbox_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    now = DUE + timedelta(days=2)

    assert reminders.run_due(now) == 0
    assert notified(case, now) == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == outbox_before
    db.session.expire_all()
    rows = db.session.scalars(select(Reminder).where(Reminder.case_id == case.id)).all()
    assert all(r.sent_at is None and r.cancelled_at == now for r in rows)
    assert reminders.run_due(now + timedelta(days=1)) == 0  # and no overdue chain continues


# --- who is reminded ------------------------------------------------------------------------


def test_before_the_due_date_only_the_assigned_officer_is_reminded(app):
    office = Office()
    case = office.assigned_complaint()
    now = DUE - timedelta(days=5)
    reminders.run_due(now)
    assert notified(case, now) == [office.officer.id]


def test_an_unassigned_case_is_reminded_to_the_intake_officers(app):
    office = Office()
    case = complaint()
    now = DUE - timedelta(days=5)
    reminders.run_due(now)
    assert notified(case, now) == sorted([office.intake.id, office.intake2.id])


def test_overdue_reminders_also_go_to_the_unit_head_and_the_intake_officers(app):
    office = Office()
    case = office.assigned_complaint()
    now = DUE + timedelta(days=1)
    reminders.run_due(now)
    assert notified(case, now) == sorted([office.officer.id, office.head.id, office.intake.id, office.intake2.id])
    for outsider in (office.other_unit_officer, office.integrity, office.integrity2, office.executive):
        assert outsider.id not in notified(case)


def test_inactive_staff_are_not_reminded(app):
    office = Office()
    case = office.assigned_complaint()
    office.head.active = False
    office.intake2.active = False
    db.session.commit()
    now = DUE + timedelta(days=1)
    reminders.run_due(now)
    assert notified(case, now) == sorted([office.officer.id, office.intake.id])


def test_overdue_corruption_reports_are_reminded_to_integrity_officers_but_never_the_accused(app):
    office = Office()
    accused = staff(INTEGRITY, EXECUTIVE, email="accused@example.org")
    case = report()
    casework.assign(office.integrity, case, unit=None, officer=office.integrity2, now=T0)
    casework.apply_accused(office.integrity, case, [accused], now=T0, approved_by=office.integrity2)
    db.session.commit()
    now = DUE + timedelta(days=1)

    assert reminders.run_due(now) >= 1
    assert notified(case, now) == sorted([office.integrity.id, office.integrity2.id])
    assert accused.id not in notified(case)
    # No reminder mail for the accused either: the outbox holds only the two integrity officers' one.
    recipients = [notify.recipient_of(m) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id))]
    assert "accused@example.org" not in recipients
    assert "integrity@example.org" in recipients


def test_the_accused_is_not_reminded_even_as_the_assigned_officer_before_the_due_date(app):
    office = Office()
    case = report()
    casework.assign(office.integrity, case, unit=None, officer=office.integrity2, now=T0)
    overseer = staff("oversight", email="amphoe@example.org")
    casework.apply_accused(office.integrity, case, [office.integrity2], now=T0, approved_by=overseer)  # the assignee
    db.session.commit()
    now = DUE - timedelta(days=5)
    reminders.run_due(now)
    # Naming them also took the case off them; one officer is left, so the oversight person is reminded too.
    assert notified(case, now) == sorted([office.integrity.id, overseer.id])


# --- the overdue chain ----------------------------------------------------------------------


def test_overdue_reminders_repeat_daily_until_the_case_is_closed(app):
    office = Office()
    case = office.assigned_complaint()
    reminders.run_due(DUE)  # the reminders before and on the due date
    for day in (1, 2, 3):
        now = DUE + timedelta(days=day)
        assert reminders.run_due(now) == 1
        assert pending(case) == [("overdue", -1, DUE + timedelta(days=day + 1))]
        assert office.head.id in notified(case, now)

    closing = DUE + timedelta(days=3, hours=5)
    casework.transition(office.intake, case, "reject", now=closing, reason="outside_authority",
                        message=Action(public_message="ไม่อยู่ในอำนาจหน้าที่ของ อบต."))
    db.session.commit()
    assert pending(case) == []
    assert reminders.run_due(DUE + timedelta(days=30)) == 0


def test_after_a_scheduler_outage_the_overdue_chain_resumes_tomorrow_without_a_burst(app):
    office = Office()
    case = office.assigned_complaint()
    reminders.run_due(DUE)
    now = DUE + timedelta(days=7, hours=2)  # nobody ran the scheduler for a week
    assert reminders.run_due(now) == 1
    assert pending(case) == [("overdue", -1, DUE + timedelta(days=8))]
    assert reminders.run_due(now + timedelta(minutes=1)) == 0


def test_reopening_a_case_schedules_its_reminders_again(app):
    office = Office()
    case = office.assigned_complaint()
    now = T0 + timedelta(days=1)
    casework.transition(office.intake, case, "forward", now=now, agency="damrongdham")
    db.session.commit()
    assert pending(case) == []
    casework.transition(office.intake, case, "reopen", now=now + timedelta(hours=1))
    db.session.commit()
    assert [kind for kind, _d, _t in pending(case)] == ["before", "before", "due", "overdue"]


# --- delivery ---------------------------------------------------------------------------------


def test_a_reminder_makes_an_in_app_notification_and_an_email_for_staff_with_an_address(app):
    office = Office()
    case = office.assigned_complaint()
    now = DUE + timedelta(days=1)
    outbox_before = set(db.session.scalars(select(OutboxMessage.id)))
    reminders.run_due(now)

    notes = db.session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                          Notification.created_at == now)).all()
    assert len(notes) == 4
    assert all(case.case_number in n.text and "เกินกำหนด" in n.text for n in notes)
    new_mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.not_in(outbox_before))).all()
    # officer, head and the first intake officer have addresses; the second intake officer has none.
    assert sorted(notify.recipient_of(m) for m in new_mail) == [
        "head@example.org", "intake@example.org", "officer@example.org"]
    assert all(m.case_id == case.id and m.status == "pending" and case.case_number in m.subject for m in new_mail)


def test_working_day_reminders_say_working_days_and_fall_on_working_days(app):
    """In working-day mode the reminders count back in working days and the e-mail says so."""
    from app import thai
    from app.models import ChannelSetting
    from app.services import mail_texts, sla

    db.session.add(ChannelSetting(channel="general", sla_days=15, day_mode="working", reminder_days="5,2,0"))
    db.session.commit()
    case = complaint()
    before = sorted((days, when) for kind, days, when in pending(case) if kind == "before")
    assert [days for days, _when in before] == [2, 5]
    for _days, when in before:
        assert sla.is_working_day(thai.to_local(when).date(), set())
    subject, _body = mail_texts.staff_reminder(case, "before", 5)
    assert "จะครบกำหนดในอีก 5 วันทำการ" in subject
