"""The satisfaction survey on a 360 px phone without JavaScript: tracking page and the e-mail/QR link."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import SurveyResponse
from app.models.base import utcnow
from app.services import casework, surveys
from app.services.casework import Action
from tests.e2e.test_citizen_channels import assert_fits_phone
from tests.factories import file_complaint, make_user


def _completed(officer):
    case, code = file_complaint(subject="ไฟถนนดับซอย 3")
    casework.transition(officer, case, "accept", now=utcnow())
    casework.transition(officer, case, "complete", now=utcnow(), message=Action(public_message="ซ่อมไฟเรียบร้อยแล้ว"))
    db.session.commit()
    return case, code


def test_a_citizen_rates_on_the_tracking_page_and_by_link_on_a_phone_without_javascript(live_server, new_phone, shot):
    officer = make_user("intake", username="rub")
    first, code = _completed(officer)
    second, _ = _completed(officer)
    link = surveys.survey_url(surveys.invite_token(second))

    page = new_phone(java_script_enabled=False)
    page.goto(f"{live_server}/track/{code}")
    survey = page.get_by_test_id("survey")
    expect(survey).to_contain_text("ท่านพึงพอใจต่อการจัดการเรื่องร้องเรียนของท่านเพียงใด")
    assert_fits_phone(page)
    shot(page, "survey-tracking")
    # Submitting without a choice: a Thai error next to the scale, nothing saved.
    survey.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(page.locator("#rating-error")).to_contain_text("กรุณาเลือกระดับความพึงพอใจ")
    assert_fits_phone(page)
    page.get_by_label("๔ มาก", exact=True).check()  # tapping the label's text picks the option
    page.get_by_label("ข้อเสนอแนะเพิ่มเติม (ถ้ามี)").fill("บริการดี รวดเร็ว")
    page.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(page.get_by_test_id("survey-thanks")).to_contain_text("ขอบคุณที่ร่วมประเมินความพึงพอใจ")
    expect(page.get_by_test_id("survey")).to_have_count(0)
    assert "/track/survey" in page.url and code not in page.url  # the code travelled in the body

    other = new_phone(java_script_enabled=False)
    other.goto(link)
    expect(other.locator("h1")).to_have_text("ประเมินความพึงพอใจ")
    expect(other.locator("main")).not_to_contain_text("ไฟถนนดับซอย 3")
    assert_fits_phone(other)
    shot(other, "survey-link")
    other.get_by_label("๕ มากที่สุด", exact=True).check()
    other.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(other.get_by_test_id("survey-thanks")).to_be_visible()
    assert_fits_phone(other)

    db.session.rollback()
    answers = db.session.execute(select(SurveyResponse.case_id, SurveyResponse.rating, SurveyResponse.via)
                                 .order_by(SurveyResponse.id)).all()
    assert [tuple(a) for a in answers] == [(first.id, 4, "tracking"), (second.id, 5, "link")]
