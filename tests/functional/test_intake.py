"""Citizens file complaints and corruption reports through the forms and get a receipt."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app import thai
from app.extensions import db
from app.models import Attachment, Case
from app.services import attachments as attachment_store
from app.services import intake
from tests.conftest import csrf_from
from tests.factories import seed_categories

CODE_RE = re.compile(r'data-testid="tracking-code">([0-9A-Z-]+)<')


def cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def _post(client, url, data, files=None):
    token = csrf_from(client.get(url).get_data(as_text=True))
    form = {**data, "csrf_token": token}
    if files:
        form["files"] = files
    return client.post(url, data=form, content_type="multipart/form-data")


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_general_complaint_gets_a_receipt_with_code_case_number_and_due_date(client):
    seed_categories()
    response = _post(client, "/complaint", {"subject": "ไฟถนนดับ", "details": "ไฟดับทั้งซอย 3",
                                            "category": "light", "location": "หมู่ 2", "phone": "081-234-5678"})
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    code = CODE_RE.search(receipt).group(1)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    case = db.session.scalar(select(Case))
    fy = thai.fiscal_year(case.received_at)
    assert f"ร. 1/{fy}" in receipt
    assert thai.format_date(case.received_at) in receipt
    assert thai.format_date(case.received_at + timedelta(days=15)) in receipt
    assert case.due_at - case.received_at == timedelta(days=15)
    assert case.unit.name == "กองช่าง"  # the category's default unit


def test_case_numbers_run_per_fiscal_year(app):
    seed_categories()
    sept = thai.fiscal_year_bounds_utc(2569)[1] - timedelta(hours=1)
    data = intake.ComplaintInput(subject="ก", details="ข")
    first = intake.submit_complaint(data, now=sept).case
    second = intake.submit_complaint(data, now=sept).case
    october = intake.submit_complaint(data, now=sept + timedelta(hours=2)).case
    db.session.commit()
    assert [first.case_number, second.case_number, october.case_number] == ["ร. 1/2569", "ร. 2/2569", "ร. 1/2570"]


def test_tracking_code_is_stored_only_as_a_keyed_hash(client):
    response = _post(client, "/complaint", {"subject": "ถนนพัง", "details": "หลุมใหญ่"})
    code = CODE_RE.search(client.get(response.headers["Location"]).get_data(as_text=True)).group(1)
    case = db.session.scalar(select(Case))
    assert code not in case.tracking_hash and code.replace("-", "") not in case.tracking_hash
    assert len(case.tracking_hash) == 64


def test_missing_fields_get_thai_messages_next_to_them_and_nothing_is_saved(client):
    response = _post(client, "/complaint", {"subject": "", "details": "", "email": "not-an-email"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "กรุณากรอกเรื่องที่ร้องเรียน" in html and "กรุณากรอกรายละเอียด" in html
    assert "อีเมลไม่ถูกต้อง" in html
    assert cases() == 0


def test_form_without_csrf_token_is_refused(client):
    response = client.post("/complaint", data={"subject": "ก", "details": "ข"})
    assert response.status_code == 400
    assert cases() == 0


def test_honeypot_filled_by_a_bot_saves_nothing(client):
    response = _post(client, "/complaint", {"subject": "spam", "details": "spam", "website": "http://spam"})
    assert response.status_code == 400
    assert cases() == 0


def test_corruption_report_is_anonymous_by_default_and_fully_encrypted(client):
    response = _post(client, "/report", {"subject": "เรียกรับสินบนใบอนุญาตก่อสร้าง", "details": "เรียกเงินห้าพันบาท",
                                         "accused_name": "นายทดสอบ ถูกกล่าวหา"})
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "เลขที่รับเรื่อง" not in receipt  # no case number of the corruption channel is shown
    assert "กุญแจเดียว" in receipt
    case = db.session.scalar(select(Case))
    assert case.channel == "corruption" and case.is_anonymous and case.reporter_enc is None
    assert case.subject is None and case.details is None
    assert "สินบน" not in case.content_enc and "ถูกกล่าวหา" not in case.content_enc
    content = intake.read_content(case)
    assert content["accused"]["name"] == "นายทดสอบ ถูกกล่าวหา"


def test_reporter_identity_is_encrypted_and_bound_to_its_case(client):
    _post(client, "/report", {"subject": "ก", "details": "ข", "name": "นางสาวผู้แจ้ง ลับมาก",
                              "national_id": "1101700203450", "phone": "0891112222"})
    case = db.session.scalar(select(Case))
    assert not case.is_anonymous
    assert "ลับมาก" not in case.reporter_enc and "0891112222" not in case.reporter_enc
    assert intake.read_reporter(case)["phone"] == "0891112222"
    from app.security.crypto import DecryptionError, decrypt_json

    with pytest.raises(DecryptionError):
        decrypt_json(case.reporter_enc, "case:someone-else:reporter")


def test_invalid_national_id_is_refused(client):
    response = _post(client, "/report", {"subject": "ก", "details": "ข", "national_id": "1234567890123"})
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง" in response.get_data(as_text=True)
    assert cases() == 0


def test_photo_is_re_encoded_without_gps_and_stored_encrypted(client, app):
    photo = jpeg_with_gps()
    assert b"SecretCam" in photo
    response = _post(client, "/report", {"subject": "ก", "details": "ข"},
                     files=[(io.BytesIO(photo), "IMG_นายสมชาย.jpg")])
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    on_disk = (attachment_store.storage_dir() / attachment.storage_name).read_bytes()
    assert b"\xff\xd8" not in on_disk[:64] and b"SecretCam" not in on_disk
    assert "สมชาย" not in attachment.filename_enc
    name, data = attachment_store.read(attachment)
    assert name == "IMG_นายสมชาย.jpg"
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        assert not exif.get(0x010F) and not exif.get_ifd(0x8825)
    assert attachment_store.storage_dir().resolve() != (app.root_path + "/static")


def test_file_disguised_by_its_name_is_refused(client):
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"},
                     files=[(io.BytesIO(b"#!/bin/sh\nrm -rf /\n"), "photo.jpg")])
    assert response.status_code == 400
    assert "รับเฉพาะไฟล์รูปภาพ" in response.get_data(as_text=True)
    assert cases() == 0
    assert list(attachment_store.storage_dir().iterdir()) == []


def test_oversized_file_is_refused_with_a_thai_message(client, app):
    app.config["ATTACHMENT_MAX_MB"] = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"}, files=[(io.BytesIO(big), "a.pdf")])
    assert response.status_code == 400
    assert "ไฟล์ใหญ่เกิน" in response.get_data(as_text=True)
    assert cases() == 0


def test_receipt_pdf_and_print_view_are_available_to_the_submitting_browser(client):
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"})
    client.get(response.headers["Location"])
    pdf = client.get("/receipt.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Cache-Control"] == "no-store"
    assert "ใบรับเรื่องร้องเรียน" in client.get("/receipt/print").get_data(as_text=True)


def test_receipt_is_not_available_to_another_browser(app, client):
    _post(client, "/complaint", {"subject": "ก", "details": "ข"})
    stranger = app.test_client()
    assert stranger.get("/receipt").status_code == 404
    assert stranger.get("/receipt.pdf").status_code == 404


def test_citizen_can_forget_the_receipt_on_a_shared_phone(client):
    _post(client, "/complaint", {"subject": "ก", "details": "ข"})
    token = csrf_from(client.get("/receipt").get_data(as_text=True))
    client.post("/receipt/done", data={"csrf_token": token})
    assert client.get("/receipt").status_code == 404


def test_intake_is_rate_limited_per_address(app, client):
    app.config["INTAKE_RATE_LIMIT"] = "2 per minute"
    for _ in range(2):
        assert _post(client, "/complaint", {"subject": "ก", "details": "ข"}).status_code == 303
    response = _post(client, "/complaint", {"subject": "ก", "details": "ข"})
    assert response.status_code == 429
    assert "กรุณารอสักครู่" in response.get_data(as_text=True)
    assert cases() == 2


def test_home_page_links_both_channels(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/complaint"' in html and 'href="/report"' in html and 'href="/track/"' in html


def test_complaint_page_says_what_can_be_done_without_contact_details(client):
    html = client.get("/complaint").get_data(as_text=True)
    assert "ไม่ต้องระบุชื่อก็ยื่นเรื่องได้" in html
    assert "แจ้งผลให้ท่านโดยตรงไม่ได้" in html


def test_incident_date_in_buddhist_era_is_accepted(client):
    response = _post(client, "/report", {"subject": "ก", "details": "ข", "incident_date": "2569-03-15"})
    assert response.status_code == 303


def test_required_fields_are_marked_before_any_error(client):
    html = client.get("/complaint").get_data(as_text=True)
    assert html.count('class="req"') == 2
