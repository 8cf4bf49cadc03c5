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
