"""E-mail over a real SMTP conversation: acknowledgements, updates and reminders arrive; failures back off."""
from __future__ import annotations

import email
import email.policy
import logging
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text

from app.extensions import db
from app.models import Case, OutboxMessage, SurveyResponse
from app.models.base import utcnow
from app.models.notify import FAILED, PENDING, SENT
from app.models.people import INTAKE, UNIT_OFFICER
from app.services import casework, intake, notify
from app.services.casework import Action
from tests.conftest import csrf_from
from tests.factories import make_unit, make_user

CODE_RE = re.compile(r'data-testid="tracking-code">([0-9A-Z-]+)<')
CITIZEN = "somsri.citizen@example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self, refuse_recipients: bool = False):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse_recipients = refuse_recipients

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:  # like real servers, the reply names the address
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


def start_server(app, handler: Collector):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False,
                      MAIL_USE_SSL=False, MAIL_USERNAME=None, SMTP_TIMEOUT=5)
    return controller


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1 that collects what it receives."""
    handler = Collector()
    controller = start_server(app, handler)
    yield handler
    controller.stop()


@pytest.fixture
def dead_smtp(app):
    """A port where nothing listens."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), SMTP_TIMEOUT=5)


def body(message: email.message.EmailMessage) -> str:
    return message.get_content()


def raw_outbox() -> list[dict]:
    return [dict(r) for r in db.session.execute(text("SELECT * FROM outbox")).mappings()]


def staff(*roles, unit=None, email_address=None):
    user = make_user(*roles, unit=unit)
    user.email = email_address
    db.session.commit()
    return user


# --- what the citizen receives ------------------------------------------------------------


def test_a_citizen_who_left_an_address_receives_the_acknowledgement_with_the_tracking_code(client, runner, smtp):
    page = client.get("/complaint")
    response = client.post("/complaint", data={
        "subject": "ไฟถนนดับ", "details": "ไฟดับทั้งซอย 3 มาหนึ่งสัปดาห์", "email": CITIZEN,
        "csrf_token": csrf_from(page.get_data(as_text=True))}, content_type="multipart/form-data")
    assert response.status_code == 303
    code = CODE_RE.search(client.get(response.headers["Location"]).get_data(as_text=True)).group(1)
    case = db.session.scalar(select(Case))
    assert smtp.messages == []  # nothing leaves before the scheduler runs

    result = runner.invoke(args=["sla", "run-once"])
    assert result.exit_code == 0, result.output
    assert "emails_sent=1" in result.output

    [message] = smtp.to(CITIZEN)
    assert message["To"] == CITIZEN
    assert message["Subject"] == f"[อบต.ตัวอย่าง] ได้รับเรื่องของท่านแล้ว {case.case_number}"
    text_body = body(message)
    assert f"รหัสติดตามเรื่อง: {code}" in text_body
    assert f"เลขที่รับเรื่อง: {case.case_number}" in text_body
    assert "กำหนดแล้วเสร็จ" in text_body and "/track/" in text_body
    assert message.get_content_charset() == "utf-8"

    db.session.rollback()  # end this test's read snapshot: the command wrote in its own session
    sent = db.session.scalar(select(OutboxMessage))
    assert (sent.status, sent.attempts, sent.body_enc, sent.last_error) == (SENT, 1, None, None)
    assert runner.invoke(args=["sla", "run-once"]).exit_code == 0
    assert len(smtp.messages) == 1  # sent once, never again


def test_the_complainant_is_emailed_each_public_update_and_the_result(app, runner, smtp):
    unit = make_unit()
    intake_officer = staff(INTAKE)
    officer = staff(UNIT_OFFICER, unit=unit)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ถนนเป็นหลุม", details="หลุมลึกหน้าโรงเรียน",
                                                        reporter=intake.Reporter(email=CITIZEN)), now=utcnow())
    db.session.commit()
    case = sub.case
    now = utcnow()
    casework.assign(intake_officer, case, unit=unit, officer=officer, now=now)
    casework.transition(officer, case, "accept", now=now)  # no public message: nothing to e-mail
    casework.transition(officer, case, "progress", now=now,
                        message=Action(public_message="ช่างออกสำรวจแล้ว จะซ่อมภายในสัปดาห์นี้",
                                       internal_note="ใช้งบซ่อมบำรุง"))
    casework.transition(officer, case, "complete", now=now,
                        message=Action(public_message="ซ่อมถนนเรียบร้อยแล้ว"))
    db.session.commit()

    assert runner.invoke(args=["sla", "run-once"]).exit_code == 0
    received = smtp.to(CITIZEN)
    assert [m["Subject"] for m in received] == [
        f"[อบต.ตัวอย่าง] ได้รับเรื่องของท่านแล้ว {case.case_number}",
        f"[อบต.ตัวอย่าง] แจ้งความคืบหน้าเรื่องของท่าน {case.case_number}",
        f"[อบต.ตัวอย่าง] แจ้งผลการดำเนินการเรื่องของท่าน {case.case_number}",
    ]
    assert "ช่างออกสำรวจแล้ว" in body(received[1])
    assert "ใช้งบซ่อมบำรุง" not in body(received[1])  # internal notes never leave
    assert "ซ่อมถนนเรียบร้อยแล้ว" in body(received[2])
    assert sub.tracking_code not in body(received[1])  # only the acknowledgement carries the code


SURVEY_LINK_RE = re.compile(r"(\S+)/survey/([0-9A-Z]{26})\n")


def test_the_completion_email_carries_a_survey_link_that_works(app, client, runner, smtp):
    app.config["PUBLIC_BASE_URL"] = "https://sujarit.example.go.th/"
    officer = staff(INTAKE)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ไฟถนนดับ", details="ไฟดับทั้งซอย",
                                                        reporter=intake.Reporter(email=CITIZEN)), now=utcnow())
    casework.transition(officer, sub.case, "accept", now=utcnow(), message=Action(public_message="รับเรื่องแล้ว"))
    casework.transition(officer, sub.case, "complete", now=utcnow(),
                        message=Action(public_message="เปลี่ยนหลอดไฟแล้ว"))
    db.session.commit()
    assert runner.invoke(args=["sla", "run-once"]).exit_code == 0

    acknowledgement, progress, completion = smtp.to(CITIZEN)
    assert "/survey/" not in body(acknowledgement) and "/survey/" not in body(progress)
    text_body = body(completion)
    assert "เปลี่ยนหลอดไฟแล้ว" in text_body and "ประเมินความพึงพอใจ" in text_body
    base, token = SURVEY_LINK_RE.search(text_body).groups()
    assert base == "https://sujarit.example.go.th"

    # The link opens the survey and takes the answer.
    page = client.get(f"/survey/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ท่านพึงพอใจต่อการจัดการเรื่องร้องเรียนของท่านเพียงใด" in html
    answer = client.post(f"/survey/{token}", data={"rating": "5", "csrf_token": csrf_from(html)})
    assert answer.status_code == 303
    db.session.rollback()
    answers = [(r.case_id, r.rating, r.via) for r in db.session.scalars(select(SurveyResponse))]
    assert answers == [(sub.case.id, 5, "link")]

    # Reopened and completed again: the new result is e-mailed, without inviting a second answer.
    case = db.session.get(Case, sub.case.id)
    casework.transition(officer, case, "reopen", now=utcnow())
    casework.transition(officer, case, "complete", now=utcnow(), message=Action(public_message="ตรวจซ้ำเรียบร้อย"))
    db.session.commit()
    assert runner.invoke(args=["sla", "run-once"]).exit_code == 0
    latest = smtp.to(CITIZEN)[-1]
    assert "ตรวจซ้ำเรียบร้อย" in body(latest) and "/survey/" not in body(latest)


def test_an_anonymous_reporter_gets_no_email_at_all(app, runner, smtp):
    integrity = staff("integrity")
    sub = intake.submit_report(intake.ReportInput(subject="เรียกรับเงิน", details="เรียกเงินค่าใบอนุญาต"), now=utcnow())
    casework.transition(integrity, sub.case, "accept", now=utcnow(), message=Action(public_message="รับไว้ตรวจสอบ"))
    db.session.commit()
    assert runner.invoke(args=["sla", "run-once"]).exit_code == 0
    assert smtp.messages == []


# --- what staff receive -----------------------------------------------------------------------


def test_an_overdue_case_sends_a_reminder_email_to_the_assigned_officer(app, runner, smtp):
    unit = make_unit()
    intake_officer = staff(INTAKE)
    officer = staff(UNIT_OFFICER, unit=unit, email_address="officer@example.org")
    long_ago = utcnow() - timedelta(days=20)
    sub = intake.submit_complaint(intake.ComplaintInput(subject="ขยะไม่ถูกเก็บ", details="สามสัปดาห์แล้ว"),
                                  now=long_ago)
    casework.assign(intake_officer, sub.case, unit=unit, officer=officer, now=long_ago)
    db.session.commit()
    # The assignment e-mail went out long ago.
    notify.deliver_pending(long_ago)
    smtp.messages.clear()

    result = runner.invoke(args=["sla", "run-once"])
    assert result.exit_code == 0, result.output
    assert "reminders=1" in result.output
    [message] = smtp.to("officer@example.org")
    assert message["Subject"].startswith("[อบต.ตัวอย่าง] เรื่อง " + sub.case.case_number + " เกินกำหนดแล้ว")
    assert f"/staff/cases/{sub.case.uid}" in body(message)
    assert "ขยะไม่ถูกเก็บ" not in body(message)  # a reminder carries no case content


# --- failures and retries ---------------------------------------------------------------------


def queue_one(now) -> OutboxMessage:
    message = notify.enqueue_email(CITIZEN, "[อบต.ตัวอย่าง] ทดสอบ", "เนื้อความ รหัส ABCD-EFGH", now=now)
    db.session.commit()
    return message


def test_a_message_that_cannot_be_delivered_backs_off_then_fails_and_an_admin_can_retry(app, dead_smtp, caplog):
    now = utcnow()
    message = queue_one(now)
    caplog.set_level(logging.DEBUG)

    assert notify.deliver_pending(now) == (0, 1)
    db.session.expire_all()
    assert (message.status, message.attempts) == (PENDING, 1)
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert message.claimed_at is None
    assert message.last_error.startswith("ConnectionRefusedError")
    assert notify.deliver_pending(now + timedelta(seconds=59)) == (0, 0)  # not yet

    when = message.next_attempt_at
    for attempt in range(2, len(notify.BACKOFF) + 1):
        assert notify.deliver_pending(when) == (0, 1)
        db.session.expire_all()
        assert (message.status, message.attempts) == (PENDING, attempt)
        assert message.next_attempt_at == when + notify.BACKOFF[attempt - 1]
        when = message.next_attempt_at
    assert notify.deliver_pending(when) == (0, 1)  # the last retry
    db.session.expire_all()
    assert (message.status, message.attempts) == (FAILED, len(notify.BACKOFF) + 1)
    assert notify.deliver_pending(when + timedelta(days=1)) == (0, 0)  # given up

    for record in caplog.records:
        assert CITIZEN not in record.getMessage() and "somsri" not in record.getMessage()

    # An admin sends it again once the mail server is back.
    handler = Collector()
    controller = start_server(app, handler)
    try:
        later = when + timedelta(days=1)
        notify.retry(message, later)
        db.session.commit()
        assert (message.status, message.attempts, message.next_attempt_at) == (PENDING, 0, later)
        assert notify.deliver_pending(later) == (1, 0)
    finally:
        controller.stop()
    db.session.expire_all()
    assert message.status == SENT and message.body_enc is None
    assert [m["Subject"] for m in handler.to(CITIZEN)] == ["[อบต.ตัวอย่าง] ทดสอบ"]


def test_only_failed_messages_can_be_retried(app, smtp):
    message = queue_one(utcnow())
    with pytest.raises(ValueError):
        notify.retry(message, utcnow())  # still pending
    notify.deliver_pending(utcnow())
    db.session.expire_all()
    with pytest.raises(ValueError):
        notify.retry(message, utcnow())  # sent: its body is gone


def test_a_refusal_that_names_the_recipient_is_stored_without_the_address(app, caplog):
    handler = Collector(refuse_recipients=True)
    controller = start_server(app, handler)
    caplog.set_level(logging.DEBUG)
    try:
        now = utcnow()
        message = queue_one(now)
        assert notify.deliver_pending(now) == (0, 1)
    finally:
        controller.stop()
    db.session.expire_all()
    assert message.status == PENDING and message.attempts == 1
    assert message.last_error.startswith("SMTPRecipientsRefused: 550")
    assert "User unknown" in message.last_error
    assert CITIZEN not in message.last_error and "@" not in message.last_error
    assert all(CITIZEN not in r.getMessage() for r in caplog.records)


def test_describe_error_masks_addresses_in_any_server_reply():
    import smtplib

    assert notify.describe_error(smtplib.SMTPDataError(554, b"5.7.1 <a.b@example.org> spam")) == \
        "SMTPDataError: 554 5.7.1 <***> spam"
    assert notify.describe_error(smtplib.SMTPSenderRefused(553, b"no", "x@y.org")) == "SMTPSenderRefused: 553 no"
    assert notify.describe_error(ValueError("somchai@example.org")) == "ValueError"


# --- what the outbox keeps ---------------------------------------------------------------------


def test_the_outbox_never_holds_an_address_or_a_body_in_plaintext(client, smtp):
    page = client.get("/complaint")
    client.post("/complaint", data={"subject": "เสียงดัง", "details": "ร้านคาราโอเกะเปิดเพลงดังถึงตีสอง",
                                    "email": CITIZEN, "csrf_token": csrf_from(page.get_data(as_text=True))},
                content_type="multipart/form-data")
    [row] = raw_outbox()
    assert row["status"] == PENDING
    for column in ("to_enc", "body_enc", "subject", "last_error"):
        value = str(row[column])
        assert CITIZEN not in value and "somsri" not in value
        assert "รหัสติดตามเรื่อง" not in value
    assert notify.masked_recipient(db.session.get(OutboxMessage, row["id"])) == "so***@example.org"

    assert notify.deliver_pending(utcnow()) == (1, 0)
    db.session.expire_all()
    [row] = raw_outbox()
    assert row["status"] == SENT and row["body_enc"] is None
    assert CITIZEN not in str(row["to_enc"])
