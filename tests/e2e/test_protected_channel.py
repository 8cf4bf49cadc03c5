"""The protected channel in a real browser: a report naming the only integrity officer never reaches them.

A citizen on a 360 px phone files an anonymous report and names the accused by choosing a position from
the organisation's directory (positions only, no names). The integrity officer holding that position signs
in: their inbox never shows it, and its URL is not found. The oversight person sees it, forwards it to
ป.ป.ท., and the citizen's tracking page shows the forward.
"""
from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models.people import INTEGRITY, OVERSIGHT
from tests.e2e.test_casework_flow import act, desktop, sign_in  # noqa: F401  (desktop is a fixture)
from tests.e2e.test_citizen_channels import TRACKING_CODE_RE, assert_fits_phone
from tests.factories import make_user

SUBJECT = "นิติกรเรียกรับเงินเพื่อไม่ดำเนินการทางวินัย"


def test_a_report_naming_the_only_integrity_officer_goes_to_oversight_who_forwards_it(
        live_server, phone, desktop, shot):  # noqa: F811
    from app.models import Unit

    law = db.session.scalar(db.select(Unit).where(Unit.name == "งานนิติการ"))  # seeded with the demo units
    niti = make_user(INTEGRITY, username="niti", unit=law)
    niti.full_name, niti.position = "นางสาวสมหญิง นิติธรรม", "นิติกร"
    amphoe = make_user(OVERSIGHT, username="amphoe")
    amphoe.full_name, amphoe.position = "นายอำเภอ ตรวจสอบ", "ปลัดอำเภอ"
    db.session.commit()

    phone.goto(live_server + "/report")
    picker = phone.get_by_label("หรือเลือกตำแหน่งจากโครงสร้างองค์กร", exact=True)
    options = picker.locator("option").all_inner_texts()
    assert "นิติกร" in options and not any("สมหญิง" in o for o in options)  # positions, never names
    picker.select_option(label="นิติกร")
    phone.get_by_label("เรื่องที่แจ้ง", exact=True).fill(SUBJECT)
    phone.get_by_label("เกิดอะไรขึ้น", exact=True).fill("ขอเงินห้าพันบาทแลกกับการไม่ส่งเรื่องสอบสวน")
    assert_fits_phone(phone)
    shot(phone, "protected-report-directory-360")
    phone.get_by_role("button", name="ส่งเรื่องแจ้งเบาะแส").tap()
    expect(phone).to_have_url(live_server + "/receipt")
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert TRACKING_CODE_RE.match(code), code
    cookies = " ".join(c["value"] for c in phone.context.cookies())
    assert code not in cookies and code.replace("-", "") not in cookies  # the code is not in a cookie

    officer = desktop()
    sign_in(officer, live_server, "niti")
    officer.goto(live_server + "/staff/reports")
    expect(officer.locator("body")).not_to_contain_text(SUBJECT)
    from app.models import Case
    case = db.session.scalar(db.select(Case))
    assert officer.goto(f"{live_server}/staff/cases/{case.uid}").status == 404

    overseer = desktop()
    sign_in(overseer, live_server, "amphoe")
    overseer.goto(live_server + "/staff/reports")
    overseer.get_by_role("link", name=SUBJECT).click()
    expect(overseer.get_by_test_id("who-can-see")).to_contain_text("นายอำเภอ ตรวจสอบ")
    expect(overseer.get_by_test_id("who-can-see")).not_to_contain_text("สมหญิง")
    expect(overseer.get_by_test_id("excluded")).to_contain_text("นางสาวสมหญิง นิติธรรม")
    act(overseer, "forward", "ส่งต่อ", fields={"ข้อความถึงผู้ร้องเรียน (ถ้ามี)": "ส่งเรื่องให้สำนักงาน ป.ป.ท. ตรวจสอบแล้ว"},
        selects={"ส่งต่อไปยัง": "สำนักงาน ป.ป.ท."})

    phone.goto(f"{live_server}/track/{code}")
    expect(phone.get_by_test_id("forwarded-to")).to_have_text("สำนักงาน ป.ป.ท.")
    expect(phone.locator(".status-line")).to_contain_text("ส่งต่อหน่วยงานที่เกี่ยวข้อง")
    assert SUBJECT not in phone.content()
    assert_fits_phone(phone)
    shot(phone, "protected-report-forwarded-360")
