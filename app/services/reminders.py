"""SLA reminders: rows created at receipt, claimed with a conditional UPDATE, sent exactly once."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import Case, Reminder, User
from ..models.case import CORRUPTION
from ..models.people import INTAKE, INTEGRITY, UserRole
from . import mail_texts, notify, sla


def schedule_for(case: Case, now: datetime) -> list[Reminder]:
    """Create the reminders of a newly received (or reopened) case; past times are skipped."""
    rule = sla.policy(case.channel)
    rows = []
    for kind, days_before, when in sla.reminder_times(case.due_at, rule):
        if when > now:
            rows.append(Reminder(case_id=case.id, kind=kind, days_offset=days_before, due_at=when))
    # The daily overdue chain starts one day after the due date (or now, if that has passed).
    first_overdue = max(sla.first_overdue_reminder(case.due_at), now)
    rows.append(Reminder(case_id=case.id, kind="overdue", days_offset=-1, due_at=first_overdue))
    db.session.add_all(rows)
    return rows


def cancel_for(case: Case, now: datetime) -> int:
    """Cancel the pending reminders of a case that closed."""
    result = db.session.execute(
        update(Reminder).where(Reminder.case_id == case.id, Reminder.sent_at.is_(None),
                               Reminder.cancelled_at.is_(None)).values(cancelled_at=now)
    )
    return result.rowcount


def _claim(reminder_id: int, now: datetime) -> bool:
    """Take one reminder: only the process whose UPDATE changes the row sends it."""
    result = db.session.execute(
        update(Reminder).where(Reminder.id == reminder_id, Reminder.sent_at.is_(None),
                               Reminder.cancelled_at.is_(None)).values(sent_at=now)
    )
    return result.rowcount == 1


def _officers_with(role: str) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))))


def recipients(case: Case, kind: str) -> list[User]:
    """Who is reminded: the assigned officer; when overdue also the unit head and the channel's officers.

    Never the staff member a corruption report names.
    """
    people: dict[int, User] = {}
    if case.assignee is not None and case.assignee.active:
        people[case.assignee.id] = case.assignee
    head = case.unit.head if case.unit is not None else None
    if kind == "overdue" or not people:
        if head is not None and head.active and case.channel != CORRUPTION:
            people[head.id] = head
        for officer in _officers_with(INTEGRITY if case.channel == CORRUPTION else INTAKE):
            people[officer.id] = officer
    people.pop(case.accused_user_id, None)
    return list(people.values())


def run_due(now: datetime, limit: int = 500) -> int:
    """Send every reminder that is due and not yet claimed; return how many this process sent."""
    ids = db.session.scalars(
        select(Reminder.id).where(Reminder.sent_at.is_(None), Reminder.cancelled_at.is_(None),
                                  Reminder.due_at <= now).order_by(Reminder.due_at).limit(limit)
    ).all()
    db.session.commit()
    sent = 0
    for reminder_id in ids:
        if not _claim(reminder_id, now):
            db.session.rollback()
            continue
        reminder = db.session.get(Reminder, reminder_id)
        case = reminder.case
        if case.is_closed:
            reminder.cancelled_at = now
        else:
            subject, body = mail_texts.staff_reminder(case, reminder.kind, reminder.days_offset)
            for person in recipients(case, reminder.kind):
                notify.notify_staff(person, subject, now=now, case=case, email_subject=subject, email_body=body)
            if reminder.kind == "overdue":  # the next day's reminder, while the case stays overdue
                db.session.add(Reminder(case_id=case.id, kind="overdue", days_offset=-1,
                                        due_at=reminder.due_at + timedelta(days=1)))
            sent += 1
        # Claim, notifications and the next reminder commit together: all or nothing.
        db.session.commit()
    return sent
