"""SLA reminders: rows created at receipt, claimed with a conditional UPDATE, sent exactly once."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import Case, Reminder, User
from ..models.case import CORRUPTION
from ..models.people import INTAKE, UserRole
from . import case_access, mail_texts, notify, sla

log = logging.getLogger(__name__)


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

    On a protected-channel report only those who may see it (never a staff member it names).
    """
    if case.channel == CORRUPTION:
        handlers = case_access.handlers(case)
        if kind != "overdue" and case.assignee in handlers:
            return [case.assignee]
        return handlers
    people: dict[int, User] = {}
    if case.assignee is not None and case.assignee.active:
        people[case.assignee.id] = case.assignee
    head = case.unit.head if case.unit is not None else None
    if kind == "overdue" or not people:
        if head is not None and head.active:
            people[head.id] = head
        for officer in _officers_with(INTAKE):
            people[officer.id] = officer
    return list(people.values())


def _superseded(reminder: Reminder, now: datetime) -> bool:
    """True when a later reminder of the same case is also due: only the latest one is worth sending."""
    later = db.session.scalar(
        select(Reminder.id).where(Reminder.case_id == reminder.case_id, Reminder.id != reminder.id,
                                  Reminder.sent_at.is_(None), Reminder.cancelled_at.is_(None),
                                  Reminder.due_at > reminder.due_at, Reminder.due_at <= now).limit(1))
    return later is not None


def next_overdue_time(previous: datetime, now: datetime) -> datetime:
    """The next daily overdue reminder: a day after the previous one, and after ``now``.

    After the scheduler was down for a week the chain resumes tomorrow instead of sending a
    week of catch-up reminders one run after another.
    """
    following = previous + timedelta(days=1)
    if following <= now:
        following += timedelta(days=(now - following).days + 1)
    return following


def run_due(now: datetime, limit: int = 500) -> int:
    """Send every reminder that is due and not yet claimed; return how many this process sent."""
    ids = db.session.scalars(
        select(Reminder.id).where(Reminder.sent_at.is_(None), Reminder.cancelled_at.is_(None),
                                  Reminder.due_at <= now).order_by(Reminder.due_at, Reminder.id).limit(limit)
    ).all()
    db.session.commit()
    sent = 0
    for reminder_id in ids:
        try:
            sent += _send_one(reminder_id, now)
        except Exception:  # one broken case must not hold up every reminder queued behind it
            db.session.rollback()
            log.exception("reminder %s could not be sent; it stays due", reminder_id)
    return sent


def _send_one(reminder_id: int, now: datetime) -> int:
    """Claim and send one reminder in its own transaction; 1 if this process sent it."""
    if not _claim(reminder_id, now):
        db.session.rollback()
        return 0
    reminder = db.session.get(Reminder, reminder_id)
    case = reminder.case
    if case.is_closed or _superseded(reminder, now):
        # Closed by a path that did not cancel it, or a later reminder of the same case is due too
        # (after an outage, "due in 5 days" must not arrive next to "overdue"): cancelled, not sent.
        reminder.sent_at = None
        reminder.cancelled_at = now
        db.session.commit()
        return 0
    subject, body = mail_texts.staff_reminder(case, reminder.kind, reminder.days_offset)
    for person in recipients(case, reminder.kind):
        notify.notify_staff(person, subject, now=now, case=case, email_subject=subject, email_body=body)
    if reminder.kind == "overdue":  # the next day's reminder, while the case stays overdue
        db.session.add(Reminder(case_id=case.id, kind="overdue", days_offset=-1,
                                due_at=next_overdue_time(reminder.due_at, now)))
    # Claim, notifications and the next reminder commit together: all or nothing.
    db.session.commit()
    return 1
