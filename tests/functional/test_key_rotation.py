"""`flask keys rotate`: a new key, everything re-encrypted, nothing lost."""
from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, Case
from app.security import crypto
from app.security.hashing import keyring
from app.services import attachments as attachment_store
from app.services import intake, tracking
from app.services.attachments import Upload
from app.services.intake import Reporter
from tests.factories import file_complaint, file_report


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()


def test_records_written_under_the_old_key_read_correctly_after_rotation(app, runner):
    old_key = keyring().active
    report, report_code = file_report(details="รายละเอียดลับก่อนหมุนกุญแจ", reporter=Reporter(name="ผู้แจ้งเดิม"),
                                      files=[Upload("หลักฐาน.png", _png())])
    complaint, complaint_code = file_complaint(reporter=Reporter(phone="0812345678"))
    attachment = db.session.scalar(select(Attachment))
    _, original_bytes = attachment_store.read(attachment)

    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    new_key = keyring().active
    assert new_key != old_key and old_key in keyring().keys

    db.session.expire_all()
    report = db.session.get(Case, report.id)
    complaint = db.session.get(Case, complaint.id)
    # Every value now names the new key ...
    assert crypto.key_id_of(report.content_enc) == new_key
    assert crypto.key_id_of(report.reporter_enc) == new_key
    assert crypto.key_id_of(complaint.reporter_enc) == new_key
    attachment = db.session.get(Attachment, attachment.id)
    assert crypto.key_id_of(attachment.filename_enc) == new_key
    assert crypto.key_id_of((attachment_store.storage_dir() / attachment.storage_name).read_bytes()) == new_key
    # ... and reads back exactly as written.
    assert intake.read_content(report)["details"] == "รายละเอียดลับก่อนหมุนกุญแจ"
    assert intake.read_reporter(report) == {"name": "ผู้แจ้งเดิม"}
    assert intake.read_reporter(complaint) == {"phone": "0812345678"}
    assert attachment_store.read(attachment) == ("หลักฐาน.png", original_bytes)
    # Tracking codes keep working: the index key is not rotated.
    assert tracking.find_case(report_code).id == report.id
    assert tracking.find_case(complaint_code).id == complaint.id


def test_rotation_is_saved_to_the_keyring_file_before_reencrypting(app, runner):
    from app.security.keyring import load_keyring

    file_report()
    runner.invoke(args=["keys", "rotate"])
    on_disk = load_keyring(keyring().path, generate=False)
    assert on_disk.active == keyring().active
    assert set(on_disk.keys) == set(keyring().keys)


def test_a_worker_started_before_rotation_reads_the_new_values(app, runner, client):
    """Another process rotated the keys: this app notices the keyring file changed."""
    from app.security.keyring import parse_keyring

    case, code = file_report(reporter=Reporter(name="ก"))
    stale = parse_keyring(keyring().path.read_text(), keyring().path)
    runner.invoke(args=["keys", "rotate"])
    app.extensions["sujarit_keyring"] = stale  # as a long-running worker would still hold it
    db.session.expire_all()
    assert intake.read_reporter(db.session.get(Case, case.id)) == {"name": "ก"}


def test_outcomes_survey_values_and_outbox_move_to_the_new_key(app, runner):
    """Every encrypted column, not only the report's own: nothing stays behind on a key being retired."""
    from app.models import OutboxMessage, SurveyInvite, SurveyResponse
    from app.models.base import utcnow
    from app.services import casework, notify, surveys

    report, _ = file_report()
    complaint, _ = file_complaint()
    report.outcome_enc = crypto.encrypt_text('{"findings": "มีมูล"}', casework.outcome_aad(report))
    complaint.status = "completed"
    token = surveys.ensure_invite(complaint, now=utcnow())
    db.session.add(SurveyResponse(case_id=complaint.id, channel="general", rating=4, via="tracking",
                                  comment_enc=crypto.encrypt_text("ขอบคุณครับ", surveys.comment_aad(complaint))))
    message = notify.enqueue_email("someone@example.org", "ทดสอบ", "เนื้อความลับ", now=utcnow(), case=complaint)
    db.session.commit()

    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    new_key = keyring().active
    db.session.expire_all()
    report, complaint = db.session.get(Case, report.id), db.session.get(Case, complaint.id)
    invite = db.session.get(SurveyInvite, complaint.id)
    response = db.session.scalar(select(SurveyResponse))
    message = db.session.get(OutboxMessage, message.id)
    for value in (report.outcome_enc, invite.token_enc, response.comment_enc, message.to_enc, message.body_enc):
        assert crypto.key_id_of(value) == new_key
    assert crypto.decrypt_text(report.outcome_enc, casework.outcome_aad(report)) == '{"findings": "มีมูล"}'
    assert surveys.invite_token(complaint) == token
    assert surveys.find_case_by_token(token).id == complaint.id
    assert crypto.decrypt_text(response.comment_enc, surveys.comment_aad(complaint)) == "ขอบคุณครับ"
    assert crypto.decrypt_text(message.body_enc, notify.outbox_aad(message, "body")) == "เนื้อความลับ"
