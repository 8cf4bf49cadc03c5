"""Case work seen from both sides, in a real browser.

A citizen files a complaint on a phone and keeps the tracking code. An intake officer on a desktop
signs in through the real form, accepts the case and assigns it to a unit and an officer; the unit
officer signs in, posts progress and completes it. After each step the citizen reloads the tracking
page on the phone and sees the new status and message, and nothing internal.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Unit
from tests.e2e.test_citizen_channels import TRACKING_CODE_RE, assert_fits_phone
from tests.factories import PASSWORD, make_user

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "th-TH"}

ACCEPTED = "รับเรื่องแล้ว กองช่างจะออกตรวจสอบภายใน 3 วัน"
PROGRESS = "ช่างออกตรวจแล้ว พบหลอดไฟขาด 4 ดวง สั่งซื้อหลอดใหม่แล้ว"
RESULT = "เปลี่ยนหลอดไฟครบทั้ง 4 ดวงแล้ว ไฟส่องสว่างตามปกติ"
INTERNAL = "ผู้ร้องโทรมาตามสองครั้ง บันทึกภายใน"


@pytest.fixture
def desktop(browser):
    """A fresh desktop browser window (its own cookies) per call; closed afterwards."""
    contexts = []

    def open_desktop() -> Page:
        context = browser.new_context(**DESKTOP)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_desktop
    for context in contexts:
        context.close()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(base + "/staff/")


def open_case(page: Page, base: str, case_number: str) -> None:
    page.goto(base + "/staff/cases")
    page.locator(f"tr[data-case='{case_number}']").get_by_role("link", name=case_number).click()
    expect(page.locator("h1 .case-number")).to_have_text(case_number)


def act(page: Page, action: str, button: str, fields: dict[str, str] | None = None,
        selects: dict[str, str] | None = None) -> None:
    """Open one action panel of the case page, fill it and submit; wait for the confirmation."""
    panel = page.locator(f"#action-{action}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    for label, value in (selects or {}).items():
        panel.get_by_label(label, exact=True).select_option(label=value)
    for label, value in (fields or {}).items():
        panel.get_by_label(label, exact=True).fill(value)
    panel.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()


def citizen_sees(phone: Page, status: str, message: str | None) -> str:
    """Reload the tracking page; the newest entry is on top."""
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("สถานะเรื่องของท่าน")
    expect(phone.locator(".status-line")).to_contain_text(status)
    if message:
        expect(phone.locator(".timeline li").first).to_contain_text(message)
    assert_fits_phone(phone)
    return phone.content()


def test_intake_accepts_and_assigns_the_unit_officer_completes_and_the_citizen_follows(
        live_server, phone, desktop, shot):
    engineers = db.session.scalar(select(Unit).where(Unit.name == "กองช่าง"))
    make_user("intake", username="intake1").full_name = "สมหญิง รับเรื่อง"
    officer = make_user("unit_officer", username="chang1", unit=engineers)
    officer.full_name = "สมชาย ช่างไฟ"
    db.session.commit()

    # 1. The citizen files a complaint on a phone and keeps the code.
    phone.goto(live_server + "/complaint")
    phone.get_by_label("เรื่องที่ร้องเรียน", exact=True).fill("ไฟถนนดับทั้งซอย 5")
    phone.get_by_label("รายละเอียด", exact=True).fill("ไฟถนนดับ 4 ต้น ตั้งแต่ปากซอยถึงศาลาหมู่บ้าน")
    phone.get_by_label("ประเภทเรื่อง", exact=True).select_option(label="ไฟฟ้าสาธารณะ")
    phone.get_by_role("button", name="ส่งเรื่องร้องเรียน").tap()
    expect(phone).to_have_url(live_server + "/receipt")
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert TRACKING_CODE_RE.match(code), code
    db.session.rollback()
    case_number = db.session.scalars(select(Case)).one().case_number

    phone.goto(f"{live_server}/track/{code}")
    citizen_sees(phone, "รับเรื่องแล้ว", None)

    # 2. The intake officer signs in on a desktop, opens the case from the inbox and accepts it.
    intake = desktop()
    sign_in(intake, live_server, "intake1")
    open_case(intake, live_server, case_number)
    act(intake, "accept", "รับเรื่อง", {"ข้อความถึงผู้ร้องเรียน (ถ้ามี)": ACCEPTED,
                                         "บันทึกภายใน (เห็นเฉพาะเจ้าหน้าที่)": INTERNAL})
    expect(intake.locator(".status-line")).to_contain_text("อยู่ระหว่างดำเนินการ")
    html = citizen_sees(phone, "อยู่ระหว่างดำเนินการ", ACCEPTED)
    assert INTERNAL not in html

    # ... and assigns it to the engineering unit and its officer.
    act(intake, "assign", "บันทึกการมอบหมาย",
        selects={"หน่วยงานผู้รับผิดชอบ": "กองช่าง", "เจ้าหน้าที่ผู้รับผิดชอบ": "สมชาย ช่างไฟ"})
    expect(intake.locator(".case-facts")).to_contain_text("สมชาย ช่างไฟ")
    html = citizen_sees(phone, "อยู่ระหว่างดำเนินการ", ACCEPTED)
    assert "สมชาย ช่างไฟ" not in html and "มอบหมาย" not in html  # the assignment note is internal
    shot(intake, "casework-intake-desktop")

    # 3. The unit officer signs in, finds the case in the unit's inbox and posts progress.
    unit = desktop()
    sign_in(unit, live_server, "chang1")
    open_case(unit, live_server, case_number)
    act(unit, "progress", "แจ้งความคืบหน้า", {"ความคืบหน้าที่แจ้งผู้ร้องเรียน": PROGRESS})
    citizen_sees(phone, "อยู่ระหว่างดำเนินการ", PROGRESS)
    shot(phone, "casework-tracking-progress-360")

    # 4. ... then completes it with the result.
    act(unit, "complete", "ปิดเรื่อง: แล้วเสร็จ", {"ผลการดำเนินการที่แจ้งผู้ร้องเรียน": RESULT})
    expect(unit.locator(".status-line")).to_contain_text("ดำเนินการแล้วเสร็จ")
    html = citizen_sees(phone, "ดำเนินการแล้วเสร็จ", RESULT)
    timeline = phone.locator(".timeline li")
    expect(timeline).to_have_count(4)  # received, accepted (with its message), progress, completed
    for message in (ACCEPTED, PROGRESS, RESULT):
        assert message in html
    assert INTERNAL not in html and "สมชาย ช่างไฟ" not in html
    expect(phone.get_by_test_id("overdue")).to_have_count(0)
    shot(phone, "casework-tracking-completed-360")

    db.session.rollback()
    stored = db.session.scalars(select(Case)).one()
    assert (stored.status, stored.unit_id, stored.assignee_id) == ("completed", engineers.id, officer.id)
