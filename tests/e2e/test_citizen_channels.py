"""A citizen on a phone uses both intake channels, keeps the receipt and tracks the case.

Everything runs through a real browser against the real app: CSRF, sessions, uploads,
redirects, the PDF download and the tracking lookup. Dates are checked in the Thai
Buddhist-era form citizens read ("23 พฤศจิกายน 2569"), computed from today's date.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app import thai
from app.extensions import db
from app.models import Case
from app.models.base import utcnow

#: The plans' rule: a case is due 15 days after it is received.
SLA_DAYS = 15
#: Crockford base32 in four groups of four, e.g. K7M2-QX9P-4TZD-HB3N.
TRACKING_CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$")
PHONE_WIDTH = 360


def fact(page: Page, label: str):
    """The value (<dd>) that follows a label (<dt>) in a receipt or status fact list."""
    return page.locator(
        f"xpath=//dl[contains(@class,'receipt-facts')]/dt[normalize-space()='{label}']/following-sibling::dd[1]"
    )


def thai_dates(before: datetime, after: datetime) -> tuple[set[str], set[str]]:
    """Received and due dates as the pages must print them (either side of a midnight is accepted)."""
    received = {thai.format_date(before), thai.format_date(after)}
    due = {thai.format_date(before + timedelta(days=SLA_DAYS)), thai.format_date(after + timedelta(days=SLA_DAYS))}
    return received, due


def assert_fits_phone(page: Page) -> None:
    """Nothing on the page makes the phone scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px phone"


def assert_thai_date(text: str, allowed: set[str]) -> None:
    """A full Thai date with a Buddhist-era year and no 'พ.ศ.' prefix."""
    assert text.strip() in allowed, f"{text!r} is not one of {sorted(allowed)}"
    assert "พ.ศ." not in text
    assert int(text.split()[-1]) > 2500, "year must be Buddhist era"


def small_png(tmp_path: Path) -> Path:
    path = tmp_path / "ไฟดับ.png"
    Image.new("RGB", (64, 48), (250, 200, 0)).save(path, format="PNG")
    return path


def count_cases() -> int:
    db.session.rollback()  # end any stale read so the server's commits are visible
    return db.session.scalar(select(func.count()).select_from(Case))


def test_citizen_files_a_general_complaint_on_a_phone_and_tracks_it(live_server, phone, tmp_path, shot):
    phone.goto(live_server + "/")
    assert_fits_phone(phone)
    phone.get_by_role("link", name="ยื่นเรื่องร้องเรียน", exact=True).tap()
    expect(phone).to_have_url(live_server + "/complaint")
    expect(phone.get_by_role("heading", level=1)).to_have_text("ยื่นเรื่องร้องเรียน/ร้องทุกข์")

    phone.get_by_label("เรื่องที่ร้องเรียน", exact=True).fill("ไฟฟ้าส่องสว่างดับ ซอย 3")
    phone.get_by_label("รายละเอียด", exact=True).fill("ไฟดับมา 3 คืนแล้ว ถนนมืดมาก เด็กกลับจากโรงเรียนไม่ปลอดภัย")
    phone.get_by_label("ประเภทเรื่อง", exact=True).select_option(label="ไฟฟ้าสาธารณะ")
    phone.get_by_label("สถานที่", exact=True).fill("หมู่ 2 ซอย 3 หน้าวัด")
    phone.get_by_label("หมายเลขโทรศัพท์", exact=True).fill("081-234-5678")
    phone.get_by_label("รูปภาพหรือเอกสารประกอบ", exact=True).set_input_files(small_png(tmp_path))
    assert_fits_phone(phone)
    shot(phone, "complaint-form-360")

    before = utcnow()
    phone.get_by_role("button", name="ส่งเรื่องร้องเรียน").tap()
    expect(phone).to_have_url(live_server + "/receipt")
    after = utcnow()
    received, due = thai_dates(before, after)

    expect(phone.get_by_role("heading", level=1)).to_have_text("ได้รับเรื่องของท่านแล้ว")
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert TRACKING_CODE_RE.match(code), code
    case_number = fact(phone, "เลขที่รับเรื่อง").inner_text().strip()
    assert case_number == f"ร. 1/{thai.fiscal_year(after)}"
    assert_thai_date(fact(phone, "วันที่รับเรื่อง").inner_text(), received)
    assert_thai_date(fact(phone, "กำหนดแล้วเสร็จ").inner_text(), due)
    assert fact(phone, "ช่องทาง").inner_text().strip() == "เว็บไซต์"
    db.session.rollback()
    stored = db.session.scalars(select(Case)).one()
    assert stored.case_number == case_number and len(stored.attachments) == 1, "the photo was not stored"
    assert_fits_phone(phone)
    shot(phone, "complaint-receipt-360")

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="ดาวน์โหลดใบรับเรื่อง (PDF)").tap()
    download = download_info.value
    assert download.suggested_filename == "receipt.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    phone.get_by_role("link", name="พิมพ์ใบรับเรื่อง").tap()
    expect(phone).to_have_url(live_server + "/receipt/print")
    expect(phone.get_by_role("heading", level=1)).to_have_text("ใบรับเรื่องร้องเรียน/ร้องทุกข์")
    expect(phone.get_by_test_id("tracking-code")).to_have_text(code)
    expect(fact(phone, "เลขที่รับเรื่อง")).to_have_text(case_number)
    expect(phone.locator("body")).to_contain_text(f"{live_server}/track/{code}")
    assert_fits_phone(phone)
    phone.get_by_role("link", name="กลับ").tap()
    expect(phone).to_have_url(live_server + "/receipt")

    phone.get_by_role("link", name="ติดตามเรื่อง", exact=True).tap()
    expect(phone).to_have_url(live_server + "/track/")
    phone.get_by_label("รหัสติดตามเรื่อง", exact=True).fill(code.replace("-", "").lower())
    phone.get_by_role("button", name="ตรวจสอบสถานะ").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("สถานะเรื่องของท่าน")
    expect(phone.locator(".status-line")).to_contain_text("รับเรื่องแล้ว")
    assert fact(phone, "เลขที่รับเรื่อง").inner_text().strip() == case_number
    assert_thai_date(fact(phone, "วันที่รับเรื่อง").inner_text(), received)
    assert_thai_date(fact(phone, "กำหนดแล้วเสร็จ").inner_text(), due)
    assert code not in phone.url and code.replace("-", "").lower() not in phone.url
    assert_fits_phone(phone)


def test_whistleblower_files_an_anonymous_corruption_report_on_a_phone_and_tracks_it(
        live_server, phone, new_phone, shot):
    subject = "เรียกรับเงินเพื่อออกใบอนุญาตก่อสร้าง"
    details = "เจ้าหน้าที่ขอเงินสามพันบาทเพื่อให้ใบอนุญาตออกเร็วขึ้น โดยไม่มีใบเสร็จ"
    accused = "นายทดสอบ ถูกร้อง"

    phone.goto(live_server + "/")
    phone.get_by_role("link", name="แจ้งเบาะแสการทุจริต", exact=True).tap()
    expect(phone).to_have_url(live_server + "/report")
    body = phone.locator("body")
    expect(body).to_contain_text("ไม่ต้องระบุชื่อ")
    expect(body).to_contain_text("เข้ารหัส")
    identity = phone.locator("details.identity")
    assert identity.evaluate("el => el.open") is False, "the identity section must start collapsed"
    expect(phone.get_by_label("ชื่อ-นามสกุล", exact=True)).to_be_hidden()
    expect(phone.get_by_label("เลขประจำตัวประชาชน", exact=True)).to_be_hidden()
    assert_fits_phone(phone)
    shot(phone, "report-form-360")

    phone.get_by_label("เรื่องที่แจ้ง", exact=True).fill(subject)
    phone.get_by_label("เกิดอะไรขึ้น", exact=True).fill(details)
    phone.get_by_label("ชื่อผู้ถูกร้องเรียน", exact=True).fill(accused)
    before = utcnow()
    phone.get_by_role("button", name="ส่งเรื่องแจ้งเบาะแส").tap()
    expect(phone).to_have_url(live_server + "/receipt")
    after = utcnow()
    received, due = thai_dates(before, after)

    expect(phone.get_by_role("heading", level=1)).to_have_text("ได้รับเรื่องของท่านแล้ว")
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert TRACKING_CODE_RE.match(code), code
    expect(phone.get_by_role("note")).to_contain_text("เป็นความลับ")
    receipt_text = phone.locator("body").inner_text()
    assert "เลขที่รับเรื่อง" not in receipt_text
    assert not re.search(r"ท\. \d+/\d{4}", receipt_text), "the corruption case number must not be shown"
    assert_thai_date(fact(phone, "วันที่รับเรื่อง").inner_text(), received)
    assert_thai_date(fact(phone, "กำหนดแล้วเสร็จ").inner_text(), due)
    assert_fits_phone(phone)
    shot(phone, "report-receipt-360")

    # The QR code on the receipt opens /track/<code>, typically on another device.
    other = new_phone()
    response = other.goto(f"{live_server}/track/{code}")
    assert response.status == 200
    expect(other.get_by_role("heading", level=1)).to_have_text("สถานะเรื่องของท่าน")
    expect(other.locator(".status-line")).to_contain_text("รับเรื่องแล้ว")
    assert_thai_date(fact(other, "วันที่รับเรื่อง").inner_text(), received)
    assert_thai_date(fact(other, "กำหนดแล้วเสร็จ").inner_text(), due)
    html = other.content()
    for secret in (subject, details, accused, "เลขที่รับเรื่อง"):
        assert secret not in html, f"tracking page leaks {secret!r}"
    assert_fits_phone(other)
    shot(other, "report-tracking-360")


def test_form_errors_are_shown_in_thai_next_to_the_fields_and_nothing_is_saved(live_server, phone, shot):
    phone.goto(live_server + "/complaint")
    with phone.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/complaint")) as posted:
        phone.get_by_role("button", name="ส่งเรื่องร้องเรียน").tap()
    assert posted.value.status == 400
    phone.wait_for_load_state()

    expect(phone.get_by_role("alert").first).to_contain_text("ยังไม่มีการบันทึกเรื่องของท่าน")
    for field_id, message in (("subject", "กรุณากรอกเรื่องที่ร้องเรียน"), ("details", "กรุณากรอกรายละเอียด")):
        box = phone.locator(f"div.field:has(#{field_id})")
        expect(box).to_have_class(re.compile(r"\bhas-error\b"))
        expect(box.locator("p.error")).to_have_text(message)
        expect(phone.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("div.field:has(#location) p.error")).to_have_count(0)
    assert_fits_phone(phone)
    shot(phone, "complaint-errors-360")

    assert count_cases() == 0


def test_forms_work_without_javascript(live_server, new_phone):
    page = new_phone(java_script_enabled=False)
    page.goto(live_server + "/report")
    page.get_by_label("เรื่องที่แจ้ง", exact=True).fill("ใช้รถราชการไปธุระส่วนตัว")
    page.get_by_label("เกิดอะไรขึ้น", exact=True).fill("เห็นรถของ อบต. จอดที่ตลาดนัดทุกวันเสาร์")
    page.get_by_role("button", name="ส่งเรื่องแจ้งเบาะแส").tap()

    expect(page).to_have_url(live_server + "/receipt")
    expect(page.get_by_role("heading", level=1)).to_have_text("ได้รับเรื่องของท่านแล้ว")
    assert TRACKING_CODE_RE.match(page.get_by_test_id("tracking-code").inner_text().strip())
    assert count_cases() == 1
