"""Following a case by its tracking code on the web: status and public updates, nothing else."""
from __future__ import annotations

from app import thai
from app.extensions import db
from app.models import CaseEvent
from app.models.base import utcnow
from tests.conftest import csrf_from
from tests.factories import file_complaint, file_report


def _lookup(client, code):
    token = csrf_from(client.get("/track/").get_data(as_text=True))
    return client.post("/track/", data={"code": code, "csrf_token": token})


def test_code_typed_in_the_form_shows_status_and_dates(client):
    case, code = file_complaint()
    response = _lookup(client, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "รับเรื่องแล้ว" in html and case.case_number in html
    assert thai.format_date(case.received_at) in html and thai.format_date(case.due_at) in html


def test_qr_link_opens_the_status_directly(client):
    _case, code = file_report()
    response = client.get(f"/track/{code}")
    assert response.status_code == 200
    assert "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in response.get_data(as_text=True)


def test_tracking_page_never_shows_personal_data_or_internal_notes(client):
    from app.services.intake import Reporter

    case, code = file_complaint(reporter=Reporter(name="นายลับเฉพาะ", phone="0861234567"))
    case.events.append(CaseEvent(at=utcnow(), kind="note", internal_note="บันทึกภายในห้ามเผยแพร่",
                                 public_message="กองช่างรับเรื่องแล้ว"))
    db.session.commit()
    html = _lookup(client, code).get_data(as_text=True)
    assert "กองช่างรับเรื่องแล้ว" in html
    for secret in ("นายลับเฉพาะ", "0861234567", "บันทึกภายในห้ามเผยแพร่", case.details):
        assert secret not in html


def test_corruption_tracking_shows_no_report_content_or_case_number(client):
    case, code = file_report(subject="ฮั้วประมูลถนน")
    html = client.get(f"/track/{code}").get_data(as_text=True)
    assert "ฮั้วประมูลถนน" not in html and case.case_number not in html


def test_unknown_code_gets_a_thai_message_and_404(client):
    file_complaint()
    for code in ("AAAA-BBBB-CCCC-DDDD", "hello", ""):
        response = _lookup(client, code) if code else client.get("/track/AAAA")
        assert response.status_code == 404
        assert "ไม่พบเรื่องตามรหัสติดตามที่ระบุ" in response.get_data(as_text=True)


def test_lookup_form_without_csrf_is_refused(client):
    _case, code = file_complaint()
    assert client.post("/track/", data={"code": code}).status_code == 400
