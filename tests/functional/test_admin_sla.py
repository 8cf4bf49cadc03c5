"""The administrator's SLA settings, organisation holidays, unit heads and the outbox view."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app import thai
from app.extensions import db
from app.models import AuditEntry, ChannelSetting, Holiday, OutboxMessage, Unit
from app.models.base import utcnow
from app.models.notify import FAILED, PENDING
from app.services import notify
from app.services.intake import Reporter
from tests.conftest import csrf_from
from tests.factories import PASSWORD, file_complaint, file_report, make_unit, make_user

BKK = thai.BANGKOK
#: The admin pages run "now" at 1 April 2026 (holiday dates are checked against it).
ADMIN_NOW = datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc)


def bangkok(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BKK).astimezone(timezone.utc)


@pytest.fixture
def admin(client, auth, monkeypatch):
    """A signed-in administrator whose requests run on 1 April 2026."""
    import app.blueprints.admin.routes as admin_routes

    monkeypatch.setattr(admin_routes, "utcnow", lambda: ADMIN_NOW)
    user = make_user("admin", username="admin1")
    auth.login("admin1", PASSWORD)
    return user


def token(client, url: str = "/admin/sla") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return csrf_from(response.get_data(as_text=True))


def post_sla(client, channel: str, days, mode: str, reminders: str):
    return client.post(f"/admin/sla/{channel}", data={
        "csrf_token": token(client), f"{channel}-days": str(days), f"{channel}-mode": mode,
        f"{channel}-reminder_days": reminders})


def audits(prefix: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                                   .order_by(AuditEntry.id)))


def due_of(received: datetime) -> datetime:
    case, _code = file_complaint(now=received)
    return thai.to_local(case.due_at)


# --- SLA settings ---------------------------------------------------------------------------------


def test_sla_page_shows_defaults_and_says_changes_apply_to_new_cases_only(client, admin):
    html = client.get("/admin/sla").get_data(as_text=True)
    assert "มีผลกับเรื่องที่รับตั้งแต่บันทึกเป็นต้นไปเท่านั้น" in html
    assert 'name="general-days"' in html and 'value="15"' in html and 'value="5,2,0"' in html
    assert 'name="corruption-mode"' in html and "วันทำการ" in html
    # This year's Thai public holidays, for reference, with Buddhist-era dates.
    assert "13 เมษายน 2569" in html and "วันสงกรานต์" in html


def test_working_days_apply_to_cases_received_after_the_change_only(client, admin):
    before = due_of(bangkok(2026, 4, 10))  # Friday before Songkran, calendar days (default)
    assert before == datetime(2026, 4, 25, 10, 0, tzinfo=BKK)

    response = post_sla(client, "general", 15, "working", "5, 2, 0")
    assert response.status_code == 303
    row = db.session.get(ChannelSetting, "general")
    assert (row.sla_days, row.day_mode, row.reminder_days) == (15, "working", "5,2,0")

    # Received Fri 10 Apr 2026, counting from the next day: 11-12 weekend, 13-15 Songkran,
    # Thu 16 (1), Fri 17 (2), 20-24 (3-7), 27-30 (8-11), Fri 1 May Labour Day,
    # Mon 4 May Coronation Day, 5 6 7 8 May (12-15) -> Friday 8 May 2026, 10:00.
    assert due_of(bangkok(2026, 4, 10)) == datetime(2026, 5, 8, 10, 0, tzinfo=BKK)
    # Cases already received keep the due date they were given.
    db.session.expire_all()
    from app.models import Case

    first = db.session.scalars(select(Case).order_by(Case.id)).first()
    assert thai.to_local(first.due_at) == before
    # The corruption channel is configured separately and still uses the default.
    report, _code = file_report()
    assert (report.due_at - report.received_at).days == 15

    (entry,) = audits("sla.")
    assert entry.actor_id == admin.id
    assert "channel=general" in entry.detail and "mode=calendar->working" in entry.detail


@pytest.mark.parametrize("days, mode, reminders, field, message", [
    ("0", "calendar", "5,2,0", "general-days", "จำนวนวันต้องเป็นตัวเลข 1 ถึง 90"),
    ("91", "calendar", "5,2,0", "general-days", "จำนวนวันต้องเป็นตัวเลข 1 ถึง 90"),
    ("สิบห้า", "calendar", "5,2,0", "general-days", "กรุณากรอกเป็นตัวเลข"),
    ("15", "weekly", "5,2,0", "general-mode", "กรุณาเลือกจากรายการ"),
    ("15", "calendar", "5,สอง,0", "general-reminder_days", "วันแจ้งเตือนต้องเป็นตัวเลข 0 ถึง 60"),
    ("15", "calendar", "-1", "general-reminder_days", "วันแจ้งเตือนต้องเป็นตัวเลข 0 ถึง 60"),
    ("15", "calendar", " , ", "general-reminder_days", "กรุณาระบุวันแจ้งเตือนอย่างน้อยหนึ่งวัน"),
])
def test_invalid_settings_are_refused_in_thai_and_change_nothing(client, admin, days, mode, reminders, field,
                                                                   message):
    response = post_sla(client, "general", days, mode, reminders)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert db.session.get(ChannelSetting, "general") is None
    assert audits("sla.") == []
    assert due_of(bangkok(2026, 4, 10)) == datetime(2026, 4, 25, 10, 0, tzinfo=BKK)


def test_saving_unchanged_settings_writes_no_audit_entry(client, admin):
    assert post_sla(client, "corruption", 20, "calendar", "3,0").status_code == 303
    assert post_sla(client, "corruption", 20, "calendar", "0,3").status_code == 303
    assert len(audits("sla.")) == 1
    assert db.session.get(ChannelSetting, "corruption").reminder_days == "3,0"


def test_unknown_channel_is_404(client, admin):
    assert client.post("/admin/sla/other", data={"csrf_token": token(client)}).status_code == 404


# --- holidays -------------------------------------------------------------------------------------


def add_holiday(client, day: str, name: str):
    return client.post("/admin/holidays", data={"csrf_token": token(client), "day": day, "name": name})


def test_holiday_add_and_delete_shift_working_day_due_dates(client, admin):
    assert post_sla(client, "general", 15, "working", "5,2,0").status_code == 303
    assert due_of(bangkok(2026, 4, 10)) == datetime(2026, 5, 8, 10, 0, tzinfo=BKK)

    response = add_holiday(client, "2026-04-16", "วันหยุดพิเศษของ อบต.")
    assert response.status_code == 303
    assert db.session.get(Holiday, date(2026, 4, 16)).name == "วันหยุดพิเศษของ อบต."
    html = client.get("/admin/sla").get_data(as_text=True)
    assert "16 เมษายน 2569" in html and "วันหยุดพิเศษของ อบต." in html
    # 16 Apr no longer counts: 17 (1), 20-24 (2-6), 27-30 (7-10), 5-8 May (11-14), Mon 11 May (15).
    assert due_of(bangkok(2026, 4, 10)) == datetime(2026, 5, 11, 10, 0, tzinfo=BKK)

    response = client.post("/admin/holidays/2026-04-16/delete", data={"csrf_token": token(client)})
    assert response.status_code == 303
    assert db.session.get(Holiday, date(2026, 4, 16)) is None
    assert due_of(bangkok(2026, 4, 10)) == datetime(2026, 5, 8, 10, 0, tzinfo=BKK)
    assert [e.action for e in audits("holiday.")] == ["holiday.add", "holiday.delete"]


def test_a_buddhist_era_year_typed_into_the_date_is_understood(client, admin):
    assert add_holiday(client, "2569-05-15", "วันหยุดจังหวัด").status_code == 303
    assert db.session.get(Holiday, date(2026, 5, 15)) is not None


@pytest.mark.parametrize("day, name, message", [
    ("", "วันหยุด", "กรุณาระบุวันที่"),
    ("16/04/2026", "วันหยุด", "กรุณาระบุวันที่ให้ถูกต้อง"),
    ("2026-04-20", "  ", "กรุณากรอกชื่อวันหยุด"),
    ("2020-04-20", "วันหยุด", "วันที่ต้องอยู่ในช่วงหนึ่งปีที่ผ่านมาถึงห้าปีข้างหน้า"),
])
def test_bad_holidays_are_refused_in_thai(client, admin, day, name, message):
    response = add_holiday(client, day, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Holiday)) == 0


def test_the_same_day_cannot_be_added_twice(client, admin):
    assert add_holiday(client, "2026-04-20", "วันหยุด ก").status_code == 303
    response = add_holiday(client, "2026-04-20", "วันหยุด ข")
    assert response.status_code == 400
    assert "มีวันหยุดในวันที่นี้อยู่แล้ว" in response.get_data(as_text=True)
    assert db.session.get(Holiday, date(2026, 4, 20)).name == "วันหยุด ก"


def test_non_admins_get_403_on_every_settings_url(client, auth):
    db.session.add(Holiday(day=date(2026, 4, 20), name="วันหยุด"))
    db.session.commit()
    make_user("intake", "integrity", "executive", username="staff1")
    auth.login("staff1", PASSWORD)
    for url in ("/admin/sla", "/admin/outbox"):
        assert client.get(url).status_code == 403, url
    for url in ("/admin/sla/general", "/admin/holidays", "/admin/holidays/2026-04-20/delete", "/admin/outbox/1/retry"):
        assert client.post(url, data={"general-days": "1"}).status_code in (400, 403), url
    assert db.session.get(ChannelSetting, "general") is None
    assert db.session.get(Holiday, date(2026, 4, 20)) is not None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/sla")
    assert response.status_code in (302, 401)


# --- unit head ------------------------------------------------------------------------------------


def test_admin_names_a_unit_head_among_its_active_staff(client, admin):
    unit, other = make_unit("กองช่าง"), make_unit("กองคลัง")
    head = make_user("unit_officer", username="somsak", unit=unit)
    head.full_name = "สมศักดิ์ หัวหน้ากอง"
    outsider = make_user("unit_officer", username="outsider", unit=other)
    retired = make_user("unit_officer", username="retired", unit=unit, active=False)
    db.session.commit()

    html = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert 'name="head_id"' in html and "สมศักดิ์ หัวหน้ากอง" in html
    assert f'value="{outsider.id}"' not in html and f'value="{retired.id}"' not in html

    def save(head_id):
        return client.post(f"/admin/units/{unit.id}", data={
            "csrf_token": token(client, f"/admin/units/{unit.id}"), "name": "กองช่าง", "sort_order": "0",
            "head_id": str(head_id)})

    for refused in (outsider.id, retired.id, 999999):
        response = save(refused)
        assert response.status_code == 200
        assert "หัวหน้าหน่วยงานต้องเป็นเจ้าหน้าที่ที่ยังใช้งานอยู่ในหน่วยงานนี้" in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Unit, unit.id).head_id is None

    assert save(head.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).head_id == head.id
    listing = client.get("/admin/units").get_data(as_text=True)
    assert "สมศักดิ์ หัวหน้ากอง" in listing
    assert any("head=" in (e.detail or "") for e in audits("unit.update"))

    assert save(0).status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).head_id is None


def test_a_unit_form_without_the_head_field_keeps_the_head(client, admin):
    unit = make_unit("กองช่าง")
    head = make_user("unit_officer", username="headx", unit=unit)
    unit.head_id = head.id
    db.session.commit()
    response = client.post(f"/admin/units/{unit.id}", data={
        "csrf_token": token(client, f"/admin/units/{unit.id}"), "name": "กองช่างโยธา", "sort_order": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).head_id == head.id


# --- outbox -----------------------------------------------------------------------------------------


def failed_message(to: str, case=None) -> OutboxMessage:
    message = notify.enqueue_email(to, "ความคืบหน้าเรื่องของท่าน", "เนื้อความ", now=utcnow(), case=case)
    message.status, message.attempts = FAILED, 6
    message.last_error = "SMTPRecipientsRefused: 550 ***"
    db.session.commit()
    return message


def test_outbox_masks_addresses_and_shows_only_the_count_of_protected_channel_failures(client, admin):
    complaint, _c = file_complaint(reporter=Reporter(email="somchai.jaidee@example.org"))
    report, _r = file_report(reporter=Reporter(email="whistle.blower@secret-mail.net"))
    general = failed_message("somchai.jaidee@example.org", complaint)
    hidden = failed_message("whistle.blower@secret-mail.net", report)
    db.session.execute(
        OutboxMessage.__table__.update().where(OutboxMessage.status == PENDING)
        .values(next_attempt_at=datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)))
    db.session.commit()

    response = client.get("/admin/outbox")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "so***@example.org" in html
    assert "somchai" not in html
    for part in ("whistle", "wh***", "secret-mail", "blower"):
        assert part not in html
    assert "SMTPRecipientsRefused: 550 ***" in html
    assert "30 พ.ย. 2569 09:00 น." in html  # next attempt of the pending acknowledgements, BE, Bangkok time
    assert f'action="/admin/outbox/{general.id}/retry"' in html
    # The protected channel's message is not listed (no subject, no time), only counted.
    assert f"/admin/outbox/{hidden.id}/retry" not in html and 'data-testid="protected-failed"' in html
    assert client.post(f"/admin/outbox/{hidden.id}/retry",
                       data={"csrf_token": token(client, "/admin/outbox")}).status_code == 303
    db.session.expire_all()
    assert db.session.get(OutboxMessage, hidden.id).status == "failed"  # refused: not found

    index = client.get("/admin/").get_data(as_text=True)
    assert "ส่งไม่สำเร็จ 2 ฉบับ" in index
    assert 'href="/admin/sla"' in index and 'href="/admin/outbox"' in index


def test_retry_puts_a_failed_message_back_in_the_queue(client, admin):
    message = failed_message("officer@example.org")
    response = client.post(f"/admin/outbox/{message.id}/retry", data={"csrf_token": token(client, "/admin/outbox")})
    assert response.status_code == 303
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts) == (PENDING, 0)
    assert [e.action for e in audits("outbox.")] == ["outbox.retry"]
    # A message that is not failed cannot be retried.
    response = client.post(f"/admin/outbox/{message.id}/retry", data={"csrf_token": token(client, "/admin/outbox")},
                           follow_redirects=True)
    assert "ส่งใหม่ได้เฉพาะอีเมลที่ส่งไม่สำเร็จ" in response.get_data(as_text=True)
    assert len(audits("outbox.")) == 1
    assert 'data-testid="tile-alert"' not in client.get("/admin/").get_data(as_text=True)


def test_retry_without_csrf_is_refused(client, admin):
    message = failed_message("officer@example.org")
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == FAILED
