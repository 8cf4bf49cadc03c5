"""Offline entry: staff type in complaints that came by phone, letter, box, walk-in or referral."""
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
from app.models.base import utcnow
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_user

_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')


def decoded_session(cookie: str) -> str:
    """The signed session cookie's payload as text (it is signed, not encrypted: anyone can read it)."""
    import base64
    import zlib

    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode("utf-8", "replace")


def _today():
    return thai.to_local(utcnow()).date()


def _post(client, **fields):
    page = client.get("/staff/cases/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "subject": "ถนนหน้าโรงเรียนเป็นหลุม",
            "details": "ผู้ร้องโทรแจ้งว่าถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มสองคัน", **fields}
    return client.post("/staff/cases/new", data=data, content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(Case.id)))


@pytest.fixture
def intake_officer(app, auth):
    make_user("intake", username="rub")
    auth.login("rub", PASSWORD)


def test_phone_complaint_gets_its_channel_received_date_and_fifteen_days(client, intake_officer):
    day = _today() - timedelta(days=3)
    response = _post(client, channel="general", source="phone", received_at=day.isoformat(),
                     name="นางสมศรี ใจดี", phone="081-234-5678")
    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case.source == "phone" and case.channel == "general"
    assert thai.to_local(case.received_at).date() == day
    assert case.due_at - case.received_at == timedelta(days=15)
    assert case.events[0].actor_id is not None  # the officer who typed it in is on the record

    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    code = _CODE.search(receipt).group(1)
    assert thai.format_date(case.received_at) in receipt and case.case_number in receipt
    assert "โทรศัพท์" in receipt
    assert client.get(f"/track/{code}").status_code == 200


def test_receipt_pdf_and_print_view_while_the_code_is_held_then_it_is_gone(client, intake_officer):
    response = _post(client, channel="general", source="letter", received_at=_today().isoformat())
    case = db.session.scalar(select(Case))
    receipt_url = response.headers["Location"]
    receipt = client.get(receipt_url).get_data(as_text=True)
    code = _CODE.search(receipt).group(1)

    pdf = client.get("/staff/receipt.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert code in client.get("/staff/receipt/print").get_data(as_text=True)

    done = client.post("/staff/receipt/done", data={"csrf_token": csrf_from(receipt)})
    assert done.status_code == 303
    assert client.get(receipt_url).status_code == 404
    assert client.get("/staff/receipt.pdf").status_code == 404
    assert code not in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)


def test_only_the_latest_entrys_receipt_is_held_and_never_in_the_cookie(client, intake_officer):
    _post(client, channel="general", source="box", received_at=_today().isoformat())
    _post(client, channel="general", source="box", received_at=_today().isoformat(), subject="เรื่องที่สอง")
    first, second = db.session.scalars(select(Case).order_by(Case.id)).all()
    page = client.get("/staff/receipt").get_data(as_text=True)
    assert second.case_number in page and first.case_number not in page
    code = _CODE.search(page).group(1)
    cookie = client.get_cookie("sujarit_session").value
    assert code not in cookie and code.replace("-", "") not in decoded_session(cookie)


def test_a_future_received_date_is_refused_in_thai(client, intake_officer):
    response = _post(client, channel="general", source="walk_in",
                     received_at=(_today() + timedelta(days=1)).isoformat())
    assert response.status_code == 400
    assert "วันที่รับเรื่องต้องไม่เป็นวันในอนาคต" in response.get_data(as_text=True)
    assert _count() == 0


def test_missing_fields_and_web_source_are_refused_next_to_the_fields(client, intake_officer):
    response = _post(client, channel="general", source="web", received_at=_today().isoformat(), subject="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "กรุณาเลือกช่องทางที่รับเรื่อง" in html
    assert _count() == 0
    response = _post(client, channel="general", source="phone", received_at="", subject="")
    assert "กรุณาระบุวันที่รับเรื่อง" in response.get_data(as_text=True)
    response = _post(client, channel="general", source="phone", received_at=_today().isoformat(), subject="")
    assert "กรุณากรอกเรื่องที่ร้องเรียน" in response.get_data(as_text=True) and _count() == 0


def test_form_offers_offline_sources_only_and_shows_the_buddhist_era_date(client, intake_officer):
    html = client.get("/staff/cases/new").get_data(as_text=True)
    for label in ("โทรศัพท์", "หนังสือ/จดหมาย", "ตู้รับเรื่องร้องเรียน", "ยื่นด้วยตนเอง", "สื่อสังคมออนไลน์",
                  "ศูนย์ดำรงธรรม", "สายด่วน 1111"):
        assert label in html
    assert 'value="web"' not in html and 'value="api"' not in html
    assert thai.format_date(_today()) in html  # the chosen date read back in BE


def test_intake_officer_cannot_enter_a_corruption_report(client, intake_officer):
    response = _post(client, channel="corruption", source="phone", received_at=_today().isoformat())
    assert response.status_code == 400 and _count() == 0


def test_staff_files_are_attached_as_staff_uploads(client, intake_officer):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    response = _post(client, channel="general", source="letter", received_at=_today().isoformat(),
                     files=[(io.BytesIO(out.getvalue()), "สำเนาหนังสือ.png")])
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.source == "staff" and attachment.uploaded_by_id is not None


def test_integrity_officer_enters_a_protected_report_without_a_public_number(client, auth):
    make_user("integrity", username="niti")
    auth.login("niti", PASSWORD)
    page = client.get("/staff/cases/new").get_data(as_text=True)
    assert 'name="accused_name"' in page
    response = _post(client, channel="corruption", source="hotline_1111", received_at=_today().isoformat(),
                     subject="เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ", accused_name="นายสมมุติ")
    assert response.status_code == 303
    case = db.session.scalar(select(Case))
    assert case.channel == "corruption" and case.source == "hotline_1111"
    assert case.subject is None and "เรียกรับเงิน" not in case.content_enc  # encrypted like a web report
    client.get(response.headers["Location"])
    printed = client.get("/staff/receipt/print").get_data(as_text=True)
    assert _CODE.search(printed) and case.case_number not in printed  # the citizen's copy has no staff number
    assert "เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ" in client.get("/staff/reports").get_data(as_text=True)


@pytest.mark.parametrize("role", ["unit_officer", "executive", "admin"])
def test_other_roles_cannot_enter_cases(client, auth, role):
    make_user(role, username=f"x_{role}")
    auth.login(f"x_{role}", PASSWORD)
    assert client.get("/staff/cases/new").status_code in (403, 404)
