"""Complainant satisfaction surveys: once per completed case, by tracking page or link; notice; figures; dashboard."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from app import thai
from app.extensions import db
from app.models import AuditEntry, Case, SurveyInvite, SurveyResponse
from app.models.base import utcnow
from app.services import casework, surveys
from app.services.casework import Action
from app.services.surveys import SurveyError
from tests.conftest import csrf_from
from tests.factories import approval, PASSWORD, file_complaint, file_report, make_unit, make_user

RESULT = "ซ่อมไฟถนนซอย 3 เรียบร้อยแล้ว เปลี่ยนหลอดใหม่ 4 ดวง"
COMMENT = "เจ้าหน้าที่ชื่อนายสมชาย ใจดีพิเศษ บริการรวดเร็วมาก"
BASE_URL = "https://sujarit.example.go.th"
QUESTION = "ท่านพึงพอใจต่อการจัดการเรื่องร้องเรียนของท่านเพียงใด"
NOT_COMPLETED = "ประเมินความพึงพอใจได้เมื่อเรื่องดำเนินการแล้วเสร็จเท่านั้น"
ALREADY = "เรื่องนี้ได้รับการประเมินความพึงพอใจแล้ว"
BAD_RATING = "กรุณาเลือกระดับความพึงพอใจ"


@pytest.fixture
def officer(app):
    app.config["PUBLIC_BASE_URL"] = BASE_URL
    return make_user("intake", username="rub")


def complete(officer, case, message: str = RESULT, now=None) -> None:
    """Accept (if needed) and complete a case through the casework service."""
    now = now or utcnow()
    if case.status == "received":
        casework.transition(officer, case, "accept", now=now)
    casework.transition(officer, case, "complete", now=now, message=Action(public_message=message),
                        **approval(case, "complete", officer))
    db.session.commit()


def completed_complaint(officer, **fields):
    case, code = file_complaint(**fields)
    complete(officer, case)
    return case, code


def lookup(client, code: str):
    token = csrf_from(client.get("/track/").get_data(as_text=True))
    return client.post("/track/", data={"code": code, "csrf_token": token})


def rate(client, code: str, rating="5", comment: str = "", csrf: str | None = None):
    """Post the tracking page's survey form (the CSRF token of this browser's session)."""
    token = csrf or csrf_from(client.get("/track/").get_data(as_text=True))
    data = {"code": code, "comment": comment, "csrf_token": token}
    if rating is not None:
        data["rating"] = rating
    return client.post("/track/survey", data=data)


def responses() -> list[SurveyResponse]:
    db.session.expire_all()
    return list(db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))


def link_path(case) -> str:
    return f"/survey/{surveys.invite_token(case)}"


def rate_by_link(client, path: str, rating="5", comment: str = ""):
    """Post the link page's form; when the page shows none, forge one with this session's CSRF token."""
    token = csrf_from(client.get("/track/").get_data(as_text=True))
    data = {"comment": comment, "csrf_token": token}
    if rating is not None:
        data["rating"] = rating
    return client.post(path, data=data)


# ---------------------------------------------------------------- tracking page


def test_the_complainant_rates_a_completed_case_once_on_the_tracking_page(client, officer):
    case, code = completed_complaint(officer)
    page = lookup(client, code)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert QUESTION in html and 'data-testid="survey"' in html
    assert 'action="/track/survey"' in html
    assert f'name="code" type="hidden" value="{code}"' in html  # the code rides in the body, never the URL
    scale = (("5", "๕ มากที่สุด"), ("4", "๔ มาก"), ("3", "๓ ปานกลาง"), ("2", "๒ น้อย"), ("1", "๑ น้อยที่สุด"))
    for value, label in scale:
        assert re.search(rf'<input[^>]*type="radio"[^>]*value="{value}"', html)
        assert label in html
    assert "<script" not in html  # works without JavaScript

    response = rate(client, code, "4", COMMENT)
    reply = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ขอบคุณที่ร่วมประเมินความพึงพอใจ" in reply
    assert 'action="/track/survey"' not in reply and QUESTION not in reply
    [answer] = responses()
    assert (answer.case_id, answer.rating, answer.channel, answer.via) == (case.id, 4, "general", "tracking")
    assert surveys.read_comment(case, answer) == COMMENT

    # Looking the case up again: thanks, no form.
    again = lookup(client, code).get_data(as_text=True)
    assert "ท่านประเมินความพึงพอใจสำหรับเรื่องนี้แล้ว" in again and 'action="/track/survey"' not in again

    # A second answer, even forged, is refused and the first one kept.
    second = rate(client, code, "1", "แย่มาก")
    assert second.status_code == 400
    assert ALREADY in second.get_data(as_text=True)
    assert [(r.rating, r.via) for r in responses()] == [(4, "tracking")]


@pytest.mark.parametrize("status", ["received", "in_progress", "rejected", "forwarded"])
def test_never_for_a_case_that_is_not_completed(client, officer, status):
    case, code = file_complaint()
    now = utcnow()
    if status == "in_progress":
        casework.transition(officer, case, "accept", now=now)
    elif status == "rejected":
        casework.transition(officer, case, "reject", now=now, reason="outside_authority",
                            message=Action(public_message="อยู่นอกอำนาจหน้าที่"))
    elif status == "forwarded":
        casework.transition(officer, case, "forward", now=now, agency="district")
    db.session.commit()
    assert case.status == status

    html = lookup(client, code).get_data(as_text=True)
    assert QUESTION not in html and 'action="/track/survey"' not in html

    forged = rate(client, code, "5", "ดีมาก")
    assert forged.status_code == 400
    assert NOT_COMPLETED in forged.get_data(as_text=True)
    assert responses() == []
    assert db.session.scalar(select(func.count()).select_from(SurveyInvite)) == 0  # no invitation either


def test_a_reopened_case_completed_again_still_takes_one_answer(client, officer):
    case, code = completed_complaint(officer)
    token = surveys.invite_token(case)
    assert rate(client, code, "5").status_code == 200

    casework.transition(officer, case, "reopen", now=utcnow(), message=Action(public_message="ตรวจสอบเพิ่มเติม"))
    db.session.commit()
    assert rate(client, code, "2").status_code == 400  # open again: refused (and answered anyway)
    complete(officer, case, "แก้ไขเพิ่มเติมเรียบร้อย")

    assert surveys.invite_token(case) == token  # the same invitation, the same link
    assert db.session.scalar(select(func.count()).select_from(SurveyInvite)) == 1
    html = lookup(client, code).get_data(as_text=True)
    assert 'action="/track/survey"' not in html
    assert rate(client, code, "1").status_code == 400
    assert rate_by_link(client, f"/survey/{token}", "1").status_code == 400
    assert [r.rating for r in responses()] == [5]


def test_a_case_reopened_before_anyone_answered_can_be_answered_after_it_is_completed_again(client, officer):
    case, code = completed_complaint(officer)
    path = link_path(case)
    casework.transition(officer, case, "reopen", now=utcnow())
    db.session.commit()

    page = client.get(path)
    assert page.status_code == 200 and 'data-testid="survey-closed"' in page.get_data(as_text=True)
    refused = rate_by_link(client, path, "5")
    assert refused.status_code == 400 and NOT_COMPLETED in refused.get_data(as_text=True)
    assert 'data-testid="survey"' not in lookup(client, code).get_data(as_text=True)

    complete(officer, case, "เสร็จอีกครั้ง")
    assert rate(client, code, "3").status_code == 200
    assert [r.rating for r in responses()] == [3]


@pytest.mark.parametrize("rating", ["0", "6", "x", "4.5", "", None])
def test_a_rating_outside_1_to_5_is_refused_in_thai_and_nothing_is_saved(client, officer, rating):
    _case, code = completed_complaint(officer)
    response = rate(client, code, rating, COMMENT)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert BAD_RATING in html
    assert re.search(r'<div id="rating-error"><p class="error">กรุณาเลือกระดับความพึงพอใจ', html)  # next to the field
    assert COMMENT in html  # what they typed is kept in the form
    assert responses() == []


def test_a_comment_over_2000_characters_is_refused(client, officer):
    _case, code = completed_complaint(officer)
    response = rate(client, code, "5", "ก" * 2001)
    assert response.status_code == 400
    assert "ข้อเสนอแนะยาวเกิน 2,000 ตัวอักษร" in response.get_data(as_text=True)
    assert responses() == []
    assert rate(client, code, "5", "ข" * 2000).status_code == 200


def test_a_post_without_csrf_token_is_refused_on_both_routes(client, officer):
    case, code = completed_complaint(officer)
    response = client.post("/track/survey", data={"code": code, "rating": "5"})
    assert response.status_code == 400
    path = link_path(case)
    response = client.post(path, data={"rating": "5"})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง" in response.get_data(as_text=True)
    assert responses() == []


def test_an_unknown_tracking_code_gets_the_lookup_404(client, officer):
    completed_complaint(officer)
    response = rate(client, "AAAA-BBBB-CCCC-DDDD", "5")
    assert response.status_code == 404
    assert "ไม่พบเรื่องตามรหัสติดตามที่ระบุ" in response.get_data(as_text=True)
    assert responses() == []


def test_the_comment_and_the_token_are_not_stored_in_plaintext(client, officer):
    case, code = completed_complaint(officer)
    token = surveys.invite_token(case)
    assert rate(client, code, "5", COMMENT).status_code == 200
    for table in ("survey_responses", "survey_invites"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()
        dump = json.dumps([[str(v) for v in row] for row in rows], ensure_ascii=False)
        assert "นายสมชาย" not in dump and "ใจดีพิเศษ" not in dump
        assert token not in dump
    # The encrypted comment belongs to its case: copied to another case it does not decrypt.
    other, _ = completed_complaint(officer)
    from app.security.crypto import DecryptionError

    with pytest.raises(DecryptionError):
        surveys.read_comment(other, responses()[0])


# ---------------------------------------------------------------- the service


def test_submit_refuses_a_second_answer_that_slipped_past_the_check(app, officer, monkeypatch):
    """Two answers at the same moment: the unique case_id stops the second, the transaction stays usable."""
    case, _code = completed_complaint(officer)
    surveys.submit(case, rating=5, comment="", via="tracking", now=utcnow())
    db.session.commit()
    monkeypatch.setattr(surveys, "has_response", lambda _case: False)  # the race: both saw "not answered"
    with pytest.raises(SurveyError) as refused:
        surveys.submit(case, rating=1, comment="", via="link", now=utcnow())
    assert ALREADY in str(refused.value)
    # The savepoint was rolled back, not the transaction: other work in it still commits.
    case.root_cause = "ทดสอบ"
    db.session.commit()
    assert [r.rating for r in responses()] == [5]


def test_submit_checks_its_inputs(app, officer):
    case, _code = file_complaint()
    with pytest.raises(SurveyError):
        surveys.submit(case, rating=5, comment="", via="tracking", now=utcnow())
    complete(officer, case)
    with pytest.raises(ValueError):
        surveys.submit(case, rating=5, comment="", via="fax", now=utcnow())
    for bad in (0, 6, -1, "x", None, "5.0"):
        with pytest.raises(SurveyError) as refused:
            surveys.submit(case, rating=bad, comment="", via="tracking", now=utcnow())
        assert refused.value.field == "rating"
    assert surveys.can_answer(case)
    surveys.submit(case, rating="5", comment="  ", via="link", now=utcnow())
    assert not surveys.can_answer(case)
    assert responses()[0].comment_enc is None  # an empty comment stores nothing


def test_tokens_are_random_long_and_found_only_by_their_hash(app, officer):
    a, _ = completed_complaint(officer)
    b, _ = completed_complaint(officer)
    ta, tb = surveys.invite_token(a), surveys.invite_token(b)
    # 26 symbols of a 32-letter alphabet: 130 bits, URL-safe, no 0/O or 1/I/L to confuse on paper.
    assert ta != tb and re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", ta)
    assert surveys.find_case_by_token(ta).id == a.id and surveys.find_case_by_token(tb).id == b.id
    typed = "-".join(ta[i:i + 4] for i in range(0, 26, 4)).lower()  # typed from paper, any case, with hyphens
    assert surveys.find_case_by_token(typed).id == a.id
    assert surveys.find_case_by_token(ta[:-1]) is None and surveys.find_case_by_token("") is None
    assert surveys.ensure_invite(a, now=utcnow()) == ta  # idempotent
    open_case, _ = file_complaint()
    assert surveys.invite_token(open_case) is None


# ---------------------------------------------------------------- the link


def test_the_link_shows_only_the_organisation_and_the_survey_and_takes_one_answer(client, officer):
    case, _code = completed_complaint(officer, subject="ไฟถนนดับหน้าบ้านนายพิเศษ")
    path = link_path(case)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "องค์การบริหารส่วนตำบลตัวอย่าง" in html and "ประเมินความพึงพอใจ" in html and QUESTION in html
    for secret in ("ไฟถนนดับหน้าบ้านนายพิเศษ", case.case_number, RESULT):
        assert secret not in html  # no case details on a link anyone may have seen
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"

    response = rate_by_link(client, path, "5", COMMENT)
    assert response.status_code == 303 and response.headers["Location"].endswith(path)
    thanks = client.get(path).get_data(as_text=True)
    assert "ขอบคุณที่ร่วมประเมินความพึงพอใจ" in thanks and QUESTION not in thanks
    [answer] = responses()
    assert (answer.rating, answer.via) == (5, "link")

    again = client.post(path, data={"rating": "1", "csrf_token": csrf_from(html)})  # a replayed form
    assert again.status_code == 400 and QUESTION not in again.get_data(as_text=True)
    assert [r.rating for r in responses()] == [5]


def test_the_link_refuses_a_bad_rating_in_thai(client, officer):
    case, _code = completed_complaint(officer)
    response = rate_by_link(client, link_path(case), "9")
    assert response.status_code == 400 and BAD_RATING in response.get_data(as_text=True)
    assert responses() == []


def test_a_corruption_report_is_rated_by_link_under_its_own_channel(client, officer):
    integrity = make_user("integrity", username="niti")
    case, code = file_report()
    complete(integrity, case, "ตรวจสอบแล้ว ส่งดำเนินการทางวินัย")
    assert rate_by_link(client, link_path(case), "2").status_code == 303
    assert [(r.channel, r.rating) for r in responses()] == [("corruption", 2)]
    assert 'data-testid="survey-thanks"' in lookup(client, code).get_data(as_text=True)


@pytest.mark.parametrize("token", ["x", "AAAAAAAAAAAAAAAAAAAAAAAA", "a/b/c", "ก" * 30, "%00", "z" * 500])
def test_an_unknown_token_gets_the_same_404_whatever_it_looks_like(client, officer, token):
    case, _code = completed_complaint(officer)
    reference = client.get("/survey/Qk3nP0m8cX2vR5tY7uW1zA9b")
    assert reference.status_code == 404
    csrf = csrf_from(client.get("/track/").get_data(as_text=True))
    for response in (client.get(f"/survey/{token}"),
                     client.post(f"/survey/{token}", data={"rating": "5", "csrf_token": csrf})):
        assert response.status_code == 404
        assert response.get_data() == reference.get_data()
    assert case.case_number not in reference.get_data(as_text=True)
    assert responses() == []


# ---------------------------------------------------------------- the printed completion notice

pdftotext = shutil.which("pdftotext")


def pdf_text(data: bytes) -> str:
    assert pdftotext, "pdftotext (poppler-utils) is needed for the PDF checks"
    out = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def test_the_completion_notice_prints_the_result_and_a_survey_link(client, auth, officer):
    case, _code = completed_complaint(officer)
    token = surveys.invite_token(case)
    auth.login("rub", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert f'href="/staff/cases/{case.uid}/notice"' in page and 'data-testid="completion-notice"' in page

    view = client.get(f"/staff/cases/{case.uid}/notice")
    html = view.get_data(as_text=True)
    words = re.sub(r"<[^>]+>", "", html)  # the print view wraps each Thai word in a box of its own
    assert view.status_code == 200
    assert "แจ้งผลการดำเนินการตามเรื่องร้องเรียน" in words and thai.thai_digits(RESULT) in words
    assert thai.thai_digits(case.case_number) in words  # a letter prints Thai digits
    assert f"sujarit.example.go.th/survey/{token}" in words and "สแกนเพื่อประเมินความพึงพอใจ" in words
    assert 'src="data:image/png;base64,' in html
    assert thai.format_date(utcnow(), "full", "thai") in words  # dated in the Buddhist Era

    response = client.get(f"/staff/cases/{case.uid}/notice.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    textual = pdf_text(response.data)
    squeezed = "".join(textual.split())
    assert "แจ้งผลการดำเนินการตามเรื่องร้องเรียน" in squeezed
    assert f"sujarit.example.go.th/survey/{token}" in textual  # on one line, as it is to be typed
    assert "สแกนเพื่อประเมินความพึงพอใจ" in squeezed
    assert "".join(thai.thai_digits(RESULT).split()) in squeezed
    assert "".join(thai.thai_digits(case.case_number).split()) in squeezed
    assert "".join(thai.format_date(utcnow(), "full", "thai").split()) in squeezed  # dated in the Buddhist Era
    assert "องค์การบริหารส่วนตำบลตัวอย่าง" in squeezed  # letterhead


def test_a_case_that_is_not_completed_has_no_notice(client, auth, officer):
    case, _code = file_complaint()
    casework.transition(officer, case, "accept", now=utcnow())
    db.session.commit()
    auth.login("rub", PASSWORD)
    assert 'data-testid="completion-notice"' not in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert client.get(f"/staff/cases/{case.uid}/notice").status_code == 404
    assert client.get(f"/staff/cases/{case.uid}/notice.pdf").status_code == 404


@pytest.mark.parametrize("role", ["intake", "unit_officer", "executive", "admin"])
def test_a_corruption_notice_is_404_to_everyone_but_integrity_officers(client, auth, officer, role):
    integrity = make_user("integrity", username="niti")
    case, _code = file_report(subject="ปลัดเรียกรับเงินพิเศษ")
    complete(integrity, case, "ตรวจสอบแล้ว")
    make_user(role, username=f"n_{role}", unit=make_unit() if role == "unit_officer" else None)
    auth.login(f"n_{role}", PASSWORD)
    for url in (f"/staff/cases/{case.uid}/notice", f"/staff/cases/{case.uid}/notice.pdf"):
        response = client.get(url)
        assert response.status_code == 404, f"{role} {url}"
        assert "ปลัดเรียกรับเงินพิเศษ" not in response.get_data(as_text=True)
    # The same answer as the case page itself.
    assert client.get(f"/staff/cases/{case.uid}").status_code == 404


def test_an_integrity_officer_prints_a_corruption_notice_without_a_case_number(client, auth, officer):
    integrity = make_user("integrity", username="niti")
    case, _code = file_report(subject="ปลัดเรียกรับเงินพิเศษ")
    complete(integrity, case, "ตรวจสอบแล้ว ส่งดำเนินการทางวินัย")
    auth.login("niti", PASSWORD)
    response = client.get(f"/staff/cases/{case.uid}/notice.pdf")
    assert response.status_code == 200
    squeezed = "".join(pdf_text(response.data).split())
    assert "ตรวจสอบแล้วส่งดำเนินการทางวินัย" in squeezed
    assert "".join(thai.thai_digits(case.case_number).split()) not in squeezed and "เลขที่รับเรื่อง" not in squeezed
    assert f"survey/{surveys.invite_token(case)}" in squeezed
    html = client.get(f"/staff/cases/{case.uid}/notice").get_data(as_text=True)
    assert case.case_number not in html and thai.thai_digits(case.case_number) not in html
    actions = set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "case", AuditEntry.target_id == case.id, AuditEntry.protected.is_(True))))
    assert {"letter.pdf", "letter.print"} <= actions  # printing a corruption report's letter is on the protected record


def test_a_unit_officer_gets_the_notice_of_their_units_case_only(client, auth, officer):
    roads, other = make_unit("กองช่าง"), make_unit("กองคลัง")
    make_user("unit_officer", username="chang", unit=roads)
    mine, _ = file_complaint()
    theirs, _ = file_complaint()
    casework.assign(officer, mine, unit=roads, officer=None, now=utcnow())
    casework.assign(officer, theirs, unit=other, officer=None, now=utcnow())
    complete(officer, mine)
    complete(officer, theirs)
    auth.login("chang", PASSWORD)
    assert client.get(f"/staff/cases/{mine.uid}/notice.pdf").status_code == 200
    assert client.get(f"/staff/cases/{theirs.uid}/notice.pdf").status_code == 404


def test_a_case_completed_before_surveys_existed_gets_its_invitation_when_the_notice_is_printed(client, auth, officer):
    case, _code = completed_complaint(officer)
    db.session.delete(db.session.get(SurveyInvite, case.id))
    db.session.commit()
    auth.login("rub", PASSWORD)
    html = client.get(f"/staff/cases/{case.uid}/notice").get_data(as_text=True)
    token = surveys.invite_token(db.session.get(Case, case.id))
    assert token and f"/survey/{token}" in html
    assert client.get(f"/survey/{token}").status_code == 200


# ---------------------------------------------------------------- figures


def _answer(case, rating: int, at: datetime) -> None:
    db.session.add(SurveyResponse(case_id=case.id, channel=case.channel, rating=rating, via="link", submitted_at=at))


START = datetime(2025, 1, 31, 17, tzinfo=timezone.utc)  # 1 Feb 2025 00:00 in Bangkok
END = datetime(2025, 2, 28, 17, tzinfo=timezone.utc)


def _dataset(officer):
    """General answers 5, 4, 4, 3 in the period (one on each bound side), and what must not count."""
    general = [file_complaint()[0] for _ in range(6)]
    general[0].source = "phone"
    report, _ = file_report()
    _answer(general[0], 5, START)  # the first instant counts
    _answer(general[1], 4, START + timedelta(days=3))
    _answer(general[2], 4, START + timedelta(days=10))
    _answer(general[3], 3, END - timedelta(microseconds=1))  # the last instant counts
    _answer(general[4], 1, END)  # the next period
    _answer(general[5], 2, START - timedelta(microseconds=1))  # the previous period
    _answer(report, 1, START + timedelta(days=5))
    db.session.commit()
    return general


def test_satisfaction_figures_for_a_constructed_set(app, officer):
    general = _dataset(officer)
    result = surveys.satisfaction(START, END, channel="general")
    assert result.responses == 4
    assert result.mean == pytest.approx(4.0)
    assert result.percent == pytest.approx(80.0)
    assert result.satisfied == 3
    assert result.by_rating == {5: 1, 4: 2, 3: 1, 2: 0, 1: 0}
    assert result.meets_target is True and surveys.TARGET_PERCENT == 80

    both = surveys.satisfaction(START, END)
    assert (both.responses, both.satisfied) == (5, 3)
    assert both.mean == pytest.approx(17 / 5) and both.percent == pytest.approx(68.0)
    assert both.meets_target is False

    corruption = surveys.satisfaction(START, END, channel="corruption")
    assert (corruption.responses, corruption.percent, corruption.by_rating[1]) == (1, pytest.approx(20.0), 1)

    phone = surveys.satisfaction(START, END, condition=Case.source == "phone")
    assert (phone.responses, phone.mean) == (1, pytest.approx(5.0))
    not_phone = surveys.satisfaction(START, END, channel="general", condition=Case.source != "phone")
    assert (not_phone.responses, not_phone.mean) == (3, pytest.approx(11 / 3))
    assert general  # the dataset was built

    nothing = surveys.satisfaction(END + timedelta(days=30), END + timedelta(days=60))
    assert (nothing.responses, nothing.mean, nothing.percent, nothing.satisfied) == (0, None, None, 0)
    assert nothing.meets_target is None and nothing.by_rating == {5: 0, 4: 0, 3: 0, 2: 0, 1: 0}


def test_the_target_is_met_at_exactly_80_percent_and_missed_just_below(app, officer):
    cases = [file_complaint()[0] for _ in range(3)]
    for case, rating in zip(cases, (4, 4, 4)):
        _answer(case, rating, START)
    db.session.commit()
    assert surveys.satisfaction(START, END).meets_target is True  # 4.0 / 5 = 80% exactly
    db.session.get(SurveyResponse, responses()[0].id).rating = 3
    db.session.commit()
    result = surveys.satisfaction(START, END)
    assert result.percent == pytest.approx(73.333, abs=0.001) and result.meets_target is False


# ---------------------------------------------------------------- dashboard


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_dashboard_shows_the_periods_satisfaction_against_the_target(client, auth, officer):
    now = utcnow()
    general = [file_complaint()[0] for _ in range(4)]
    report, _ = file_report()
    for case, rating in zip(general, (5, 4, 4, 3)):
        _answer(case, rating, now - timedelta(minutes=5))
    _answer(report, 1, now - timedelta(minutes=5))
    db.session.commit()
    make_user("executive", username="boss")
    auth.login("boss", PASSWORD)
    fy = thai.fiscal_year(now)

    general_page = _text(client.get(f"/executive/?fy={fy}&channel=general").get_data(as_text=True))
    assert "ความพึงพอใจของผู้ร้องเรียน 80.0% ผ่านเป้าหมาย (เป้าหมายร้อยละ 80 ขึ้นไป)" in general_page
    assert "คะแนนเฉลี่ย 4.00 จาก 5 · ผู้ประเมิน 4 ราย" in general_page
    assert "พึงพอใจมากถึงมากที่สุด 3 จาก 4 ราย" in general_page
    assert "๕ มากที่สุด 1 ๔ มาก 2 ๓ ปานกลาง 1 ๒ น้อย 0 ๑ น้อยที่สุด 0 รวม 4" in general_page  # the data table

    corruption_page = _text(client.get(f"/executive/?fy={fy}&channel=corruption").get_data(as_text=True))
    assert "ความพึงพอใจของผู้ร้องเรียน 20.0% ต่ำกว่าเป้าหมาย" in corruption_page

    both = _text(client.get(f"/executive/?fy={fy}").get_data(as_text=True))
    assert "68.0% ต่ำกว่าเป้าหมาย" in both and "ผู้ประเมิน 5 ราย" in both

    last_year = _text(client.get(f"/executive/?fy={fy - 1}").get_data(as_text=True))
    assert "ความพึงพอใจของผู้ร้องเรียน ยังไม่มีผลการประเมิน" in last_year
