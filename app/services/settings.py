"""The administrator's SLA settings, the organisation's holidays and the e-mail outbox view.

Due dates are fixed when a case is received, so every change here applies to cases received from
then on; cases already received keep their due dates and reminders. Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays as holiday_calendars
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from .. import thai
from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Case, ChannelSetting, Holiday, OutboxMessage, User
from ..models.case import CORRUPTION, GENERAL
from ..models.notify import FAILED, PENDING
from . import audit, notify, sla
from .admin import AdminError

#: The two channels, each with its own deadline.
CHANNELS = (GENERAL, CORRUPTION)
DAY_MODES = (sla.CALENDAR, sla.WORKING)
MIN_DAYS, MAX_DAYS = 1, 90
#: Audit-log action families written here (offered as filters in the audit log viewer).
AUDIT_PREFIXES = ("sla", "holiday", "outbox")
#: Rows shown on the outbox page (failed first, then pending).
OUTBOX_LIMIT = 200



# --- SLA settings -----------------------------------------------------------------------------------


def current(channel: str) -> sla.SlaPolicy:
    """The channel's policy as new cases get it now (the plans' defaults when never set)."""
    return sla.policy(channel)


def format_reminder_days(days: tuple[int, ...]) -> str:
    """(5, 2, 0) -> '5,2,0'."""
    return ",".join(str(d) for d in days)


def reminder_days_problem(text: str):
    """The Thai message for reminder days that cannot be used ("5,2,0" is fine), or None."""
    try:
        parsed = sla.parse_reminder_days(text)
    except ValueError:
        return _l("วันแจ้งเตือนต้องเป็นตัวเลข 0 ถึง 60 คั่นด้วยเครื่องหมายจุลภาค เช่น 5,2,0")
    if not parsed:
        return _l("กรุณาระบุวันแจ้งเตือนอย่างน้อยหนึ่งวัน เช่น 0 คือแจ้งเตือนในวันครบกำหนด")
    return None


def update_channel(channel: str, *, days: int | None, mode: str, reminder_days: str, actor: User,
                   now: datetime) -> bool:
    """Save a channel's deadline rule; True if anything changed (and then it is audited).

    :raise AdminError: days outside 1-90, an unknown day mode, or reminder days that are not whole
        numbers 0-60 separated by commas.
    """
    if channel not in CHANNELS:
        raise AdminError(_l("ไม่พบช่องทางนี้"))
    if days is None or not MIN_DAYS <= days <= MAX_DAYS:
        raise AdminError(_l("จำนวนวันต้องเป็นตัวเลข 1 ถึง 90"), "days")
    if mode not in DAY_MODES:
        raise AdminError(_l("กรุณาเลือกวิธีนับวัน"), "mode")
    problem = reminder_days_problem(reminder_days)
    if problem:
        raise AdminError(problem, "reminder_days")
    parsed = sla.parse_reminder_days(reminder_days)
    before = current(channel)
    after = sla.SlaPolicy(days=days, mode=mode, reminder_days=parsed)
    if before == after and db.session.get(ChannelSetting, channel) is not None:
        return False
    row = db.session.get(ChannelSetting, channel)
    if row is None:
        row = ChannelSetting(channel=channel)
        db.session.add(row)
    row.sla_days, row.day_mode, row.reminder_days = days, mode, format_reminder_days(parsed)
    db.session.flush()
    changes = [f"channel={channel}"]
    if before.days != after.days:
        changes.append(f"days={before.days}->{after.days}")
    if before.mode != after.mode:
        changes.append(f"mode={before.mode}->{after.mode}")
    if before.reminder_days != after.reminder_days:
        changes.append(f"reminders={format_reminder_days(before.reminder_days)}->{row.reminder_days}")
    audit.record("sla.update", actor=actor, now=now, target_type="sla", detail=" ".join(changes))
    return True


def example_due(channel: str, now: datetime) -> datetime:
    """When a case of this channel received now would be due (shown beside the settings)."""
    return sla.due_at(channel, now)


# --- holidays -----------------------------------------------------------------------------------------


def today(now: datetime) -> date:
    """The date in Bangkok."""
    return thai.to_local(now).date()


def upcoming_holidays(now: datetime) -> list[Holiday]:
    """The organisation's own holidays from today on, soonest first."""
    return list(db.session.scalars(select(Holiday).where(Holiday.day >= today(now)).order_by(Holiday.day)))


def past_holidays(now: datetime, limit: int = 10) -> list[Holiday]:
    """The latest organisation holidays before today (they still count for cases received before them)."""
    return list(db.session.scalars(
        select(Holiday).where(Holiday.day < today(now)).order_by(Holiday.day.desc()).limit(limit)))


@dataclass(frozen=True)
class PublicHoliday:
    """A Thai public holiday, as the ``holidays`` package (which the due-date rule uses) lists it."""

    day: date
    name: str


def public_holidays(year: int, language: str = "th") -> list[PublicHoliday]:
    """This year's Thai public holidays (the same calendar ``sla`` skips in working-day mode)."""
    calendar = holiday_calendars.country_holidays("TH", years=year,
                                                  language="th" if language == "th" else "en_US")
    return [PublicHoliday(d, n) for d, n in sorted(calendar.items())]


def _as_ce(day: date) -> date:
    """Accept a Buddhist-era year typed into the date box (2569-04-16 means 2026-04-16)."""
    if day.year > 2400:
        return day.replace(year=day.year - thai.BE_OFFSET)
    return day


def add_holiday(day: date | None, name: str, *, actor: User, now: datetime) -> Holiday:
    """Add an organisation holiday; working-day due dates of cases received from now on skip it.

    :raise AdminError: no date, no name, a name over 200 characters, a date already listed, or a
        date more than a year in the past or five years ahead.
    """
    if day is None:
        raise AdminError(_l("กรุณาระบุวันที่"), "day")
    day = _as_ce(day)
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise AdminError(_l("กรุณากรอกชื่อวันหยุด"), "name")
    if len(cleaned) > 200:
        raise AdminError(_l("ยาวได้ไม่เกิน 200 ตัวอักษร"), "name")
    base = today(now)
    if day < base - timedelta(days=366) or day > base + timedelta(days=5 * 366):
        raise AdminError(_l("วันที่ต้องอยู่ในช่วงหนึ่งปีที่ผ่านมาถึงห้าปีข้างหน้า"), "day")
    if db.session.get(Holiday, day) is not None:
        raise AdminError(_l("มีวันหยุดในวันที่นี้อยู่แล้ว"), "day")
    holiday = Holiday(day=day, name=cleaned)
    db.session.add(holiday)
    db.session.flush()
    audit.record("holiday.add", actor=actor, now=now, target_type="holiday", detail=f"day={day.isoformat()}")
    return holiday


def delete_holiday(day: date, *, actor: User, now: datetime) -> bool:
    """Remove an organisation holiday; False if it was not there."""
    holiday = db.session.get(Holiday, day)
    if holiday is None:
        return False
    db.session.delete(holiday)
    db.session.flush()
    audit.record("holiday.delete", actor=actor, now=now, target_type="holiday", detail=f"day={day.isoformat()}")
    return True


# --- outbox -------------------------------------------------------------------------------------------


@dataclass
class OutboxRow:
    """One undelivered e-mail as the admin sees it: never the whole address."""

    message: OutboxMessage
    recipient: str


def _masked(message: OutboxMessage) -> str:
    try:
        return notify.masked_recipient(message)
    except Exception:  # noqa: BLE001 - an address that no longer decrypts is shown as unknown, never raised
        return "—"


def _protected_message():
    """Messages about a protected-channel report: the administrator sees only how many failed."""
    return OutboxMessage.case_id.in_(select(Case.id).where(Case.channel == CORRUPTION))


def outbox_rows(limit: int = OUTBOX_LIMIT) -> list[OutboxRow]:
    """Failed messages first (newest first), then the ones still waiting, soonest attempt first.

    Messages about protected-channel reports are left out (not even subject or time): counted only.
    """
    failed_first = sql_case((OutboxMessage.status == FAILED, 0), else_=1)
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_((FAILED, PENDING)), ~_protected_message())
        .order_by(failed_first, OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    ).all()
    return [OutboxRow(message, _masked(message)) for message in messages]


def outbox_counts() -> dict[str, int]:
    """How many messages are failed and pending; ``protected_failed`` of them are about protected reports."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.status.in_((FAILED, PENDING)))
        .group_by(OutboxMessage.status)).all()
    counts = {FAILED: 0, PENDING: 0}
    counts.update({status: n for status, n in rows})
    counts["protected_failed"] = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == FAILED, _protected_message())) or 0
    return counts


def failed_count() -> int:
    """Messages the sender gave up on (shown on the admin start page)."""
    return outbox_counts()[FAILED]


def retry_message(message_id: int, *, actor: User, now: datetime) -> OutboxMessage:
    """Queue a failed message again, at once.

    :raise AdminError: no such message, or it is not failed (sent ones no longer have a body).
    """
    message = db.session.get(OutboxMessage, message_id)
    if message is None or (message.case_id is not None and db.session.get(Case, message.case_id).channel == CORRUPTION):
        raise AdminError(_l("ไม่พบอีเมลนี้"))
    try:
        notify.retry(message, now)
    except ValueError as exc:
        raise AdminError(_l("ส่งใหม่ได้เฉพาะอีเมลที่ส่งไม่สำเร็จ")) from exc
    audit.record("outbox.retry", actor=actor, now=now, target_type="outbox", target_id=message.id)
    return message


def retry_protected(*, actor: User, now: datetime) -> int:
    """Queue every failed protected-channel message again, without the administrator seeing any of them."""
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED,
                                                              _protected_message())).all()
    for message in messages:
        notify.retry(message, now)
    audit.record("outbox.retry_protected", actor=actor, now=now, target_type="outbox", detail=f"n={len(messages)}")
    return len(messages)
