"""The completion notice in a real browser: the print view an officer sees and the PDF they download hold the same text."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models.base import utcnow
from app.services import casework, intake
from app.services.casework import Action
from tests import pdftools
from tests.e2e.test_casework_flow import DESKTOP, sign_in
from tests.factories import make_user

RESULT = "ซ่อมไฟถนนซอย 3 เรียบร้อยแล้ว เปลี่ยนหลอดใหม่ 4 ดวง ตรวจสอบความสว่างร่วมกับผู้ใหญ่บ้านหมู่ที่ 1"


def _letters_only(text: str) -> str:
    """The text without any white space: line breaks fall differently on a screen and on paper."""
    return re.sub(r"\s+", "", text)


def test_print_view_and_pdf_of_the_completion_notice_hold_the_same_text(live_server, browser, shot):
    officer = make_user("intake", username="rub")
    data = intake.ComplaintInput(subject="ไฟถนนดับทั้งซอย", details="ไฟถนนดับทั้งซอย 3 มาหนึ่งสัปดาห์",
                                 reporter=intake.Reporter(name="นางสาวมาลี ศรีสุข"))
    case = intake.submit_complaint(data, now=utcnow(), source="letter").case
    casework.transition(officer, case, "accept", now=utcnow())
    casework.transition(officer, case, "complete", now=utcnow(), message=Action(public_message=RESULT))
    db.session.commit()

    context = browser.new_context(**DESKTOP, accept_downloads=True)
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        sign_in(page, live_server, "rub")
        page.goto(f"{live_server}/staff/cases/{case.uid}")
        page.get_by_test_id("completion-notice").click()
        expect(page.locator("main")).to_contain_text("ขอแสดงความนับถือ")
        shot(page, "completion-notice-print-view")
        on_screen = page.locator("main").inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name="ดาวน์โหลด PDF").click()
        pdf = open(download.value.path(), "rb").read()
        # What the browser itself prints from the print view is the same document too.
        printed = page.pdf(prefer_css_page_size=True)
    finally:
        context.close()
    assert "เรียน นางสาวมาลี ศรีสุข" in pdftools.flat(pdf)
    assert _letters_only(pdftools.text(pdf)) == _letters_only(on_screen)
    assert _letters_only(pdftools.text(printed)) == _letters_only(on_screen)
