"""The 15-day rule: due dates fixed at receipt, in calendar or working days, and the reminder schedule."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays as holiday_calendars
from sqlalchemy import select

from .. import thai
from ..extensions import db
from ..models import ChannelSetting, Holiday

#: The plans' deadline (002 L1145; 004 L2667), used unless a channel is configured otherwise.
DEFAULT_SLA_DAYS = 15
DEFAULT_REMINDER_DAYS = (5, 2, 0)
CALENDAR = "calendar"
WORKING = "working"


@dataclass(frozen=True)
class SlaPolicy:
    """How a channel's deadline is counted."""

    days: int = DEFAULT_SLA_DAYS
    mode: str = CALENDAR
    #: Days before the due date to remind (0 = on the due date).
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """'5,2,0' -> (5, 2, 0); ignores blanks, rejects negatives and non-numbers.

    :raise ValueError: for anything that is not a list of whole days >= 0.
    """
    values = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        value = int(part)
        if value < 0 or value > 60:
            raise ValueError(part)
        values.append(value)
    return tuple(sorted(set(values), reverse=True))


def policy(channel: str) -> SlaPolicy:
    """The channel's policy from the admin's settings, or the plans' defaults."""
    row = db.session.get(ChannelSetting, channel)
    if row is None:
        return SlaPolicy()
    try:
        reminders = parse_reminder_days(row.reminder_days)
    except ValueError:
        reminders = DEFAULT_REMINDER_DAYS
    return SlaPolicy(days=row.sla_days, mode=row.day_mode, reminder_days=reminders)


def sla_days(channel: str) -> int:
    """Days allowed for a channel."""
    return policy(channel).days


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.country_holidays("TH", years=year).keys())


def organisation_holidays(start: date, end: date) -> set[date]:
    """Holidays the admin added between two dates."""
    return set(db.session.scalars(select(Holiday.day).where(Holiday.day >= start, Holiday.day <= end)))


def is_working_day(day: date, extra: set[date]) -> bool:
    """Monday to Friday and not a Thai public or organisation holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year) and day not in extra


def add_working_days(start: date, days: int, extra: set[date]) -> date:
    """The date ``days`` working days after ``start`` (counting starts the day after)."""
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, extra):
            counted += 1
    return current


def due_at(channel: str, received_at: datetime, rule: SlaPolicy | None = None) -> datetime:
    """The due date of a case received at ``received_at``, fixed at receipt.

    Calendar mode: received + N days. Working mode: the same time of day on the N-th working day
    after the (Bangkok) day of receipt, skipping weekends, Thai public holidays and the
    organisation's own holidays.
    """
    rule = rule or policy(channel)
    if rule.mode != WORKING:
        return received_at + timedelta(days=rule.days)
    local = thai.to_local(received_at)
    # Generous window for organisation holidays: N working days never span more than 3N+30 days.
    extra = organisation_holidays(local.date(), local.date() + timedelta(days=3 * rule.days + 30))
    target = add_working_days(local.date(), rule.days, extra)
    return received_at + timedelta(days=(target - local.date()).days)


def is_overdue(due: datetime, closed: bool, now: datetime) -> bool:
    """An open case past its due time."""
    return not closed and now > due


def subtract_working_days(end: date, days: int, extra: set[date]) -> date:
    """The working day ``days`` working days before ``end`` (``end`` itself for 0)."""
    current, counted = end, 0
    while counted < days:
        current -= timedelta(days=1)
        if is_working_day(current, extra):
            counted += 1
    return current


def reminder_times(due: datetime, rule: SlaPolicy) -> list[tuple[str, int, datetime]]:
    """(kind, days before due, time) for the reminders before and on the due date.

    Days are counted the way the deadline was: in working mode "5 days before" is 5 working days
    before, so a reminder never lands on a weekend or holiday when nobody reads it.
    """
    out = []
    if rule.mode == WORKING:
        local = thai.to_local(due).date()
        longest = max(rule.reminder_days, default=0)
        extra = organisation_holidays(local - timedelta(days=3 * longest + 30), local)
    for days_before in rule.reminder_days:
        kind = "due" if days_before == 0 else "before"
        if rule.mode == WORKING:
            when = due - timedelta(days=(local - subtract_working_days(local, days_before, extra)).days)
        else:
            when = due - timedelta(days=days_before)
        out.append((kind, days_before, when))
    return out


def first_overdue_reminder(due: datetime) -> datetime:
    """The first of the daily overdue reminders: one day after the due date."""
    return due + timedelta(days=1)


def is_late(case, now: datetime) -> bool:
    """Past the due date (open) or closed after it: the only time an explanation (คำชี้แจง) makes sense."""
    return (case.closed_at is None and now > case.due_at) or (case.closed_at is not None and case.closed_at > case.due_at)


def explanation_missing(case, now: datetime) -> bool:
    """Late and no explanation (คำชี้แจง) posted after the due date."""
    return is_late(case, now) and case.explained_at is None
