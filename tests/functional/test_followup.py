"""Follow-up with an anonymous reporter through the tracking page, and explanations shown to complainants."""
from __future__ import annotations

import io
import json
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Attachment, Case, CaseEvent
from app.models.base import utcnow
from app.services import casework
from app.services.casework import Action
from tests.conftest import csrf_from
from tests.factories import PASSWORD, file_complaint, file_report, make_user

QUESTION = "ท่านเห็นการส่งเงินที่ห้องใด และเวลาประมาณกี่โมง"
ANSWER = "ห้องการเงินชั้นสอง ประมาณบ่ายสามโมง มีพยานอีกหนึ่งคนชื่อนางสาวพยานลับ"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def lookup(client, code: str):
    token = csrf_from(client.get("/track/").get_data(as_text=True))
    return client.post("/track/", data={"code": code, "csrf_token": token})


def ask(officer, case, question: str = QUESTION, now=None):
    casework.transition(officer, case, "ask", now=now or utcnow(), message=Action(public_message=question))
    db.session.commit()


def answer(client, page_html: str, code: str, text: str = ANSWER, files=None):
    data = {"csrf_token": csrf_from(page_html), "code": code, "answer": text}
    if files:
        data["files"] = files
    return client.post("/track/answer", data=data, content_type="multipart/form-data")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def raw_rows(table: str) -> str:
    """Every value of every row of a table as the database holds it."""
    rows = db.session.execute(text(f"SELECT * FROM {table}")).all()
    return json.dumps([[str(v) for v in row] for row in rows], ensure_ascii=False)


def test_reporter_answers_the_integrity_officers_question_with_a_photo(client, auth):
    officer = make_user("integrity", username="nitikorn")
    case, code = file_report()
    ask(officer, case)

    # The reporter looks the case up (POST: the code stays out of the URL) and sees the question and the form.
    page = lookup(client, code)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert QUESTION in html and "เจ้าหน้าที่ขอข้อมูลเพิ่มเติมจากท่าน" in html
    assert 'action="/track/answer"' in html and 'enctype="multipart/form-data"' in html
    assert f'name="code" type="hidden" value="{code}"' in html
    assert "website" not in html  # no honeypot on this form

    response = answer(client, html, code, files=[(io.BytesIO(png_bytes()), "หลักฐาน.png")])
    reply = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ส่งคำตอบแล้ว" in reply
    assert "คำตอบของผู้แจ้ง" in reply
    assert 'action="/track/answer"' not in reply  # no open question any more
    assert ANSWER not in reply  # like the report itself, the answer is not echoed to whoever holds the code

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    (event,) = [e for e in case.events if e.kind == "answer"]
    assert event.actor_id is None and event.encrypted
    (photo,) = [a for a in case.attachments if a.event_id == event.id]
    assert photo.source == "citizen" and photo.mimetype == "image/png"

    # Encrypted at rest: neither the cases nor the case_events rows hold the answer in plaintext.
    for table in ("cases", "case_events", "attachments"):
        dump = raw_rows(table)
        assert ANSWER not in dump and "พยานลับ" not in dump, table
    assert "หลักฐาน" not in raw_rows("attachments")

    # The integrity officer sees the answer and the photo, decrypted, on the case page.
    auth.login("nitikorn", PASSWORD)
    staff_page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert ANSWER in staff_page and "คำตอบของผู้แจ้ง" in staff_page
    assert "หลักฐาน.png" in staff_page
    download = client.get(f"/staff/cases/{case.uid}/attachments/{photo.uid}")
    assert download.status_code == 200 and download.mimetype == "image/png"
    assert Image.open(io.BytesIO(download.data)).size == (40, 30)


def test_a_second_answer_without_a_new_question_is_refused_in_thai(client):
    officer = make_user("integrity")
    case, code = file_report()
    ask(officer, case)
    html = lookup(client, code).get_data(as_text=True)
    assert answer(client, html, code, text="คำตอบแรก").status_code == 200

    again = answer(client, html, code, text="คำตอบที่สอง")
    assert again.status_code == 400
    assert "ไม่มีคำถามที่รอคำตอบ" in again.get_data(as_text=True)
    db.session.expire_all()
    assert [e.kind for e in db.session.get(Case, case.id).events].count("answer") == 1

    # A new question opens the form again.
    ask(officer, db.session.get(Case, case.id), "ขอทราบวันที่เกิดเหตุด้วย")
    html = lookup(client, code).get_data(as_text=True)
    assert "ขอทราบวันที่เกิดเหตุด้วย" in html and 'action="/track/answer"' in html
    assert answer(client, html, code, text="วันที่ 3").status_code == 200


def test_an_unknown_code_in_the_answer_gets_the_lookup_404_and_saves_nothing(client):
    officer = make_user("integrity")
    case, code = file_report()
    ask(officer, case)
    html = lookup(client, code).get_data(as_text=True)
    events, files = count(CaseEvent), count(Attachment)

    unknown_lookup = lookup(client, "AAAA-BBBB-CCCC-DDDD")
    for wrong in ("AAAA-BBBB-CCCC-DDDD", code[:-1] + ("A" if code[-1] != "A" else "B"), ""):
        response = answer(client, html, wrong, files=[(io.BytesIO(png_bytes()), "x.png")])
        assert response.status_code == 404 == unknown_lookup.status_code
        body = response.get_data(as_text=True)
        assert "ไม่พบเรื่องตามรหัสติดตามที่ระบุ" in body
        assert QUESTION not in body and code not in body
    assert (count(CaseEvent), count(Attachment)) == (events, files)


def test_answer_refusals_save_nothing(client):
    officer = make_user("integrity")
    case, code = file_report()
    ask(officer, case)
    html = lookup(client, code).get_data(as_text=True)
    events = count(CaseEvent)

    empty = answer(client, html, code, text="   ")
    assert empty.status_code == 400 and "กรุณาพิมพ์คำตอบหรือแนบไฟล์" in empty.get_data(as_text=True)
    bad_file = answer(client, html, code, files=[(io.BytesIO(b"MZ\x90\x00 not an image"), "virus.exe")])
    assert bad_file.status_code == 400
    assert "รับเฉพาะไฟล์รูปภาพ" in bad_file.get_data(as_text=True)
    no_csrf = client.post("/track/answer", data={"code": code, "answer": "ไม่มีโทเคน"})
    assert no_csrf.status_code == 400
    assert count(CaseEvent) == events and count(Attachment) == 0
    # The question is still open and the typed answer is kept on the refused form.
    again = lookup(client, code).get_data(as_text=True)
    assert QUESTION in again and 'action="/track/answer"' in again


def test_no_question_means_no_answer_form_and_the_post_is_refused(client):
    case, code = file_report()
    html = lookup(client, code).get_data(as_text=True)
    assert 'action="/track/answer"' not in html
    response = answer(client, client.get("/track/").get_data(as_text=True), code, text="ข้อมูลเพิ่มเติม")
    assert response.status_code == 400 and "ไม่มีคำถามที่รอคำตอบ" in response.get_data(as_text=True)
    assert [e.kind for e in db.session.get(Case, case.id).events] == ["received"]


def test_the_api_shows_the_question_but_not_the_answer_or_staff_notes(client):
    officer = make_user("integrity")
    case, code = file_report()
    casework.transition(officer, case, "note", now=utcnow(), message=Action(internal_note="บันทึกลับของนิติกร"))
    ask(officer, case)
    html = lookup(client, code).get_data(as_text=True)
    answer(client, html, code)
    data = client.get(f"/api/v1/track/{code}").get_json()
    messages = [u["message"] for u in data["updates"]]
    assert QUESTION in messages
    assert all(set(u) == {"at", "status", "message"} for u in data["updates"])
    dump = json.dumps(data, ensure_ascii=False)
    assert ANSWER not in dump and "บันทึกลับของนิติกร" not in dump


def test_overdue_case_shows_the_explanation_prominently_on_the_tracking_page(client):
    intake_officer = make_user("intake")
    received = utcnow() - timedelta(days=20)
    case, code = file_complaint(now=received)
    casework.transition(intake_officer, case, "accept", now=received + timedelta(days=1))
    casework.transition(intake_officer, case, "note", now=received + timedelta(days=2),
                        message=Action(internal_note="ผู้รับเหมายังไม่ส่งของ บันทึกภายใน"))
    explanation = "รอวัสดุจากผู้รับจ้าง คาดว่าจะซ่อมเสร็จภายในวันที่ 30 นี้"
    casework.transition(intake_officer, case, "explain", now=utcnow() - timedelta(hours=1),
                        message=Action(public_message=explanation))
    db.session.commit()

    html = lookup(client, code).get_data(as_text=True)
    assert 'data-testid="overdue"' in html
    box = html.split('data-testid="explanation"', 1)[1].split("</div>", 1)[0]
    assert "เรื่องนี้เกินกำหนด หน่วยงานได้ชี้แจงว่า" in box and explanation in box
    assert "ผู้รับเหมายังไม่ส่งของ" not in html
    assert 'action="/track/answer"' not in html  # general complaints have no follow-up questions
    data = client.get(f"/api/v1/track/{code}").get_json()
    assert data["overdue"] is True and explanation in [u["message"] for u in data["updates"]]


def test_overdue_without_explanation_shows_the_badge_only(client):
    case, code = file_complaint(now=utcnow() - timedelta(days=16))
    html = client.get(f"/track/{code}").get_data(as_text=True)
    assert 'data-testid="overdue"' in html and 'data-testid="explanation"' not in html


def test_answer_posts_are_rate_limited_like_lookups(app, client):
    officer = make_user("integrity")
    case, code = file_report()
    ask(officer, case)
    html = lookup(client, code).get_data(as_text=True)
    app.config["TRACKING_RATE_LIMIT"] = "2 per minute"
    statuses = [answer(client, html, "AAAA-BBBB-CCCC-DDDD").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    # Not even the right code gets through once the limit is reached.
    assert answer(client, html, code).status_code == 429
    assert [e.kind for e in db.session.get(Case, case.id).events].count("answer") == 0
