"""The 15-day clock: due dates in calendar and working days, settings per channel, the explanation rule."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app import thai
from app.extensions import db
from app.models import ChannelSetting, Holiday
from app.models.case import CORRUPTION, GENERAL
from app.services import intake, sla

BKK = thai.BANGKOK


def bangkok(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A Bangkok wall-clock time as the aware UTC value the database stores."""
    return datetime(y, m, d, hh, mm, tzinfo=BKK).astimezone(timezone.utc)


def working(days: int = 15) -> sla.SlaPolicy:
    return sla.SlaPolicy(days=days, mode=sla.WORKING)


def set_channel(channel: str, days: int, mode: str, reminder_days: str = "5,2,0") -> None:
    row = db.session.get(ChannelSetting, channel) or ChannelSetting(channel=channel)
    row.sla_days, row.day_mode, row.reminder_days = days, mode, reminder_days
    db.session.add(row)
    db.session.commit()


# --- calendar days ---------------------------------------------------------------------------


def test_calendar_due_date_is_fifteen_days_later_at_the_same_time(app):
    received = bangkok(2026, 4, 3, 10, 0)  # Friday before Songkran
    due = sla.due_at(GENERAL, received)
    assert due == bangkok(2026, 4, 18, 10, 0)  # holidays and weekends count in calendar mode
    assert due - received == timedelta(days=15)


def test_calendar_due_date_keeps_the_time_of_day_across_midnight_utc(app):
    received = bangkok(2026, 4, 10, 6, 30)  # 23:30 UTC on the 9th
    assert thai.to_local(sla.due_at(GENERAL, received)) == datetime(2026, 4, 25, 6, 30, tzinfo=BKK)


# --- working days across Songkran 2026 -------------------------------------------------------


def test_thai_public_holidays_of_april_2026_come_from_the_holidays_package(app):
    extra: set[date] = set()
    for day in (date(2026, 4, 6), date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15)):
        assert not sla.is_working_day(day, extra), day  # Chakri Day and Songkran
    assert not sla.is_working_day(date(2026, 4, 11), extra)  # Saturday
    assert sla.is_working_day(date(2026, 4, 16), extra)


def test_working_day_due_date_skips_weekends_chakri_day_and_songkran(app):
    # Received Fri 3 Apr 2026, 10:00. Counting from the next day:
    # 4-5 weekend, 6 Chakri Day, 7 8 9 10 (=4), 11-12 weekend, 13-15 Songkran,
    # 16 17 (=6), 20-24 (=11), 27 28 29 30 (=15)  ->  Thu 30 Apr 2026, 10:00.
    received = bangkok(2026, 4, 3, 10, 0)
    assert sla.due_at(GENERAL, received, working()) == bangkok(2026, 4, 30, 10, 0)


def test_working_day_due_date_skips_labour_day_and_coronation_day(app):
    # Received Thu 9 Apr: 10 (=1), Songkran, 16 17 (=3), 20-24 (=8), 27-30 (=12),
    # Fri 1 May Labour Day, 2-3 weekend, Mon 4 May Coronation Day, 5 6 7 (=15) -> Thu 7 May.
    received = bangkok(2026, 4, 9, 14, 15)
    assert sla.due_at(GENERAL, received, working()) == bangkok(2026, 5, 7, 14, 15)


def test_working_days_are_counted_from_the_bangkok_date_of_receipt(app):
    # 23:30 UTC on Thu 9 Apr is already Fri 10 Apr in Bangkok: one working day later is
    # Thu 16 Apr (13-15 Songkran), not Fri 10 Apr as a UTC-date count would give.
    received = datetime(2026, 4, 9, 23, 30, tzinfo=timezone.utc)
    assert sla.due_at(GENERAL, received, working(1)) == bangkok(2026, 4, 16, 6, 30)


def test_a_case_received_during_songkran_starts_counting_after_it(app):
    received = bangkok(2026, 4, 13, 9, 0)  # Monday, Songkran
    assert sla.due_at(GENERAL, received, working(1)) == bangkok(2026, 4, 16, 9, 0)
    assert sla.due_at(GENERAL, received, working(3)) == bangkok(2026, 4, 20, 9, 0)


def test_an_organisation_holiday_added_by_the_admin_moves_a_working_day_due_date(app):
    received = bangkok(2026, 4, 3, 10, 0)
    assert sla.due_at(GENERAL, received, working()) == bangkok(2026, 4, 30, 10, 0)
    db.session.add(Holiday(day=date(2026, 4, 16), name="วันหยุดพิเศษของ อบต."))
    db.session.commit()
    # 16 Apr no longer counts: 17 (=5) ... 30 (=14), 1 May and 4 May holidays, Tue 5 May (=15).
    assert sla.due_at(GENERAL, received, working()) == bangkok(2026, 5, 5, 10, 0)


def test_an_organisation_holiday_does_not_change_a_calendar_due_date(app):
    db.session.add(Holiday(day=date(2026, 4, 16), name="วันหยุดพิเศษ"))
    db.session.commit()
    assert sla.due_at(GENERAL, bangkok(2026, 4, 3)) == bangkok(2026, 4, 18)


# --- settings per channel --------------------------------------------------------------------


def test_without_settings_both_channels_use_fifteen_calendar_days_and_reminders_5_2_0(app):
    for channel in (GENERAL, CORRUPTION):
        assert sla.policy(channel) == sla.SlaPolicy(days=15, mode=sla.CALENDAR, reminder_days=(5, 2, 0))


def test_a_channel_setting_changes_days_and_mode_for_that_channel_only(app):
    set_channel(CORRUPTION, 10, sla.WORKING, "3,1")
    received = bangkok(2026, 4, 3, 10, 0)
    # 10 working days: 7 8 9 10 16 17 20 21 22 23 -> Thu 23 Apr.
    assert sla.due_at(CORRUPTION, received) == bangkok(2026, 4, 23, 10, 0)
    assert sla.policy(CORRUPTION).reminder_days == (3, 1)
    assert sla.due_at(GENERAL, received) == bangkok(2026, 4, 18, 10, 0)


def test_an_unreadable_reminder_setting_falls_back_to_the_default_schedule(app):
    set_channel(GENERAL, 15, sla.CALENDAR, "five, two")
    assert sla.policy(GENERAL).reminder_days == sla.DEFAULT_REMINDER_DAYS


def test_the_due_date_is_fixed_at_receipt_when_the_setting_changes_later(app):
    received = bangkok(2026, 4, 3, 10, 0)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ถนนชำรุด", details="หลุมลึก"),
                                  now=received)
    db.session.commit()
    assert sub.case.due_at == bangkok(2026, 4, 18, 10, 0)

    set_channel(GENERAL, 30, sla.WORKING)
    db.session.expire_all()
    assert sub.case.due_at == bangkok(2026, 4, 18, 10, 0)
    later = intake.submit_complaint(intake.ComplaintInput(subject="ขยะ", details="ไม่มีรถเก็บ"),
                                    now=received)
    db.session.commit()
    assert later.case.due_at > sub.case.due_at  # only new cases follow the new rule


def test_an_offline_case_is_due_fifteen_days_after_it_was_actually_received(app):
    now = bangkok(2026, 4, 20, 9, 0)
    letter_arrived = bangkok(2026, 4, 10, 11, 0)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="จดหมายร้องเรียน", details="น้ำไม่ไหล"),
                                  now=now, source="letter", received_at=letter_arrived)
    db.session.commit()
    assert sub.case.due_at == bangkok(2026, 4, 25, 11, 0)


# --- reminder days -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("5,2,0", (5, 2, 0)),
    ("0,2,5", (5, 2, 0)),         # sorted, earliest reminder first
    (" 7 , 3 ,, 1 ", (7, 3, 1)),  # spaces and empty items ignored
    ("2,2,0,0", (2, 0)),          # duplicates dropped
    ("0", (0,)),
    ("60", (60,)),
    ("", ()),
    (None, ()),
])
def test_parse_reminder_days_accepts_whole_days(text, expected):
    assert sla.parse_reminder_days(text) == expected


@pytest.mark.parametrize("text", ["-1", "5,-2", "61", "1.5", "five", "5;2", "2 3"])
def test_parse_reminder_days_refuses_anything_else(text):
    with pytest.raises(ValueError):
        sla.parse_reminder_days(text)


def test_reminder_times_are_counted_back_from_the_due_date():
    due = bangkok(2026, 4, 18, 10, 0)
    assert sla.reminder_times(due, sla.SlaPolicy()) == [
        ("before", 5, bangkok(2026, 4, 13, 10, 0)),
        ("before", 2, bangkok(2026, 4, 16, 10, 0)),
        ("due", 0, due),
    ]
    assert sla.first_overdue_reminder(due) == bangkok(2026, 4, 19, 10, 0)


def test_working_day_reminders_count_back_in_working_days(app):
    # Due Thu 30 Apr 2026 10:00 in working mode. 2 working days before: Tue 28; 5 before: Thu 23
    # (29, 28, 27, 24, 23); 12 before: 9 Apr, across Songkran (13-15) and the weekends.
    due = bangkok(2026, 4, 30, 10, 0)
    rule = sla.SlaPolicy(days=15, mode=sla.WORKING, reminder_days=(12, 5, 2, 0))
    assert sla.reminder_times(due, rule) == [
        ("before", 12, bangkok(2026, 4, 9, 10, 0)),
        ("before", 5, bangkok(2026, 4, 23, 10, 0)),
        ("before", 2, bangkok(2026, 4, 28, 10, 0)),
        ("due", 0, due),
    ]
    # Calendar mode keeps calendar days: 5 days before the same due date is Saturday 25 Apr.
    assert sla.reminder_times(due, sla.SlaPolicy(reminder_days=(5,)))[0][2] == bangkok(2026, 4, 25, 10, 0)


# --- overdue and the explanation (คำชี้แจง) --------------------------------------------------

DUE = bangkok(2026, 4, 18, 10, 0)


def case_state(*, closed_at=None, explained_at=None):
    return SimpleNamespace(due_at=DUE, closed_at=closed_at, explained_at=explained_at)


@pytest.mark.parametrize("label, state, now, missing", [
    ("open before the due date", case_state(), DUE - timedelta(hours=1), False),
    ("open exactly at the due time", case_state(), DUE, False),
    ("open after the due date", case_state(), DUE + timedelta(minutes=1), True),
    ("explained after the due date", case_state(explained_at=DUE + timedelta(days=1)),
     DUE + timedelta(days=2), False),
    ("closed late without explanation", case_state(closed_at=DUE + timedelta(days=3)),
     DUE + timedelta(days=10), True),
    ("closed late with an explanation", case_state(closed_at=DUE + timedelta(days=3),
                                                   explained_at=DUE + timedelta(days=1)),
     DUE + timedelta(days=10), False),
    ("closed on time, looked at long after", case_state(closed_at=DUE - timedelta(days=1)),
     DUE + timedelta(days=30), False),
])
def test_explanation_is_missing_only_for_late_cases_without_one(label, state, now, missing):
    assert sla.explanation_missing(state, now) is missing, label


def test_a_case_is_overdue_only_while_open_and_past_its_due_time():
    assert not sla.is_overdue(DUE, False, DUE)
    assert sla.is_overdue(DUE, False, DUE + timedelta(seconds=1))
    assert not sla.is_overdue(DUE, True, DUE + timedelta(days=5))
