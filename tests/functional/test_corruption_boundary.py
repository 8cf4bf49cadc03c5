"""The hard boundary: only integrity officers can list, open or download a corruption report."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment
from app.models.people import ROLES
from app.services.attachments import Upload
from tests.factories import PASSWORD, file_complaint, file_report, make_unit, make_user

SUBJECT = "ทุจริตจัดซื้อครุภัณฑ์ลับสุดยอด"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def report(app):
    case, _code = file_report(subject=SUBJECT, files=[Upload("หลักฐาน.png", _png())])
    return case


def _fill(rule, values: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule.rule)


def _staff_rules(app):
    """Every staff-side route (everything that is not public)."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint != "static" and not getattr(view, "is_public", False):
            yield rule


def _text_of(response) -> str:
    """What a reader of the response sees: the text of a PDF, the body of anything else."""
    data = response.get_data()
    if response.mimetype == "application/pdf":
        return subprocess.run([shutil.which("pdftotext"), "-raw", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode("utf-8")
    return data.decode("utf-8", "replace")


#: Oversight sees a report only when the channel cannot oversee itself (tested below and in test_protected_channel).
NON_INTEGRITY = [r for r in ROLES if r not in ("integrity", "oversight")]


@pytest.mark.parametrize("role", NON_INTEGRITY)
def test_no_staff_url_reveals_a_corruption_report_to_other_roles(app, client, auth, report, role):
    unit = make_unit()
    make_user(role, username=f"b_{role}", unit=unit)
    auth.login(f"b_{role}", PASSWORD)
    attachment = db.session.scalar(select(Attachment))
    values = {"case_id": report.id, "attachment_id": attachment.id, "id": report.id}
    walked = 0
    for rule in _staff_rules(app):
        url = _fill(rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            body = _text_of(response)
            assert SUBJECT not in body, f"{role} saw the report at {method} {url}"
            if "case_id" in rule.arguments or "attachment_id" in rule.arguments:
                assert response.status_code == 404 or (method == "POST" and response.status_code == 400), \
                    f"{role}: {method} {url} -> {response.status_code}"
            walked += 1
    assert walked >= 5


def test_oversight_does_not_see_a_report_two_unnamed_integrity_officers_handle(client, auth, report):
    make_user("integrity"), make_user("integrity")
    make_user("oversight", username="amphoe")
    auth.login("amphoe", PASSWORD)
    assert SUBJECT not in client.get("/staff/reports").get_data(as_text=True)
    assert client.get(f"/staff/cases/{report.uid}").status_code == 404


def test_integrity_officer_can_list_open_and_download(client, auth, report):
    make_user("integrity", username="niti")
    auth.login("niti", PASSWORD)
    assert SUBJECT in client.get("/staff/reports").get_data(as_text=True)
    assert SUBJECT in client.get(f"/staff/cases/{report.uid}").get_data(as_text=True)
    attachment = db.session.scalar(select(Attachment))
    response = client.get(f"/staff/cases/{report.uid}/attachments/{attachment.uid}")
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_intake_officer_sees_general_complaints_but_not_reports(client, auth, report):
    complaint, _ = file_complaint(subject="ท่อระบายน้ำอุดตัน")
    make_user("intake", username="rub")
    auth.login("rub", PASSWORD)
    inbox = client.get("/staff/cases").get_data(as_text=True)
    assert "ท่อระบายน้ำอุดตัน" in inbox and SUBJECT not in inbox
    assert client.get(f"/staff/cases/{complaint.uid}").status_code == 200
    assert client.get(f"/staff/cases/{report.uid}").status_code == 404
    assert client.get("/staff/reports").status_code == 404


def test_unit_officer_sees_only_their_units_complaints(client, auth):
    mine, other = make_unit("กองช่าง"), make_unit("กองคลัง")
    ours, _ = file_complaint(subject="ถนนของกองช่าง")
    theirs, _ = file_complaint(subject="ภาษีของกองคลัง")
    ours.unit, theirs.unit = mine, other
    db.session.commit()
    make_user("unit_officer", username="chang", unit=mine)
    auth.login("chang", PASSWORD)
    inbox = client.get("/staff/cases").get_data(as_text=True)
    assert "ถนนของกองช่าง" in inbox and "ภาษีของกองคลัง" not in inbox
    assert client.get(f"/staff/cases/{theirs.uid}").status_code == 404


def test_opening_a_report_and_revealing_the_reporter_are_audited_with_reason(client, auth):
    from app.models import AuditEntry
    from app.services import audit
    from app.services.intake import Reporter
    from tests.conftest import csrf_from

    from app.models import CaseRequest
    from app.services.cases import approvals

    case, _ = file_report(reporter=Reporter(name="ผู้แจ้งตัวจริง", phone="0812223333"))
    officer = make_user("integrity", username="niti2")
    second = make_user("integrity", username="niti3")
    auth.login("niti2", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "ผู้แจ้งตัวจริง" not in page  # identity stays hidden until asked for
    token = csrf_from(page)
    refused = client.post(f"/staff/cases/{case.uid}/reveal", data={"reason": "", "csrf_token": token})
    assert refused.status_code == 303
    asked = client.post(f"/staff/cases/{case.uid}/reveal",
                        data={"reason": "ต้องติดต่อขอเอกสารเพิ่มเติม", "csrf_token": token}, follow_redirects=True)
    assert "ผู้แจ้งตัวจริง" not in asked.get_data(as_text=True)  # a second person must approve first
    request = db.session.scalar(select(CaseRequest))
    approvals.decide(request, second, approve=True, now=request.requested_at)
    db.session.commit()
    shown = client.post(f"/staff/cases/{case.uid}/reveal",
                        data={"reason": "ต้องติดต่อขอเอกสารเพิ่มเติม", "csrf_token": token})
    assert "ผู้แจ้งตัวจริง" in shown.get_data(as_text=True)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == case.id)).all()
    actions = [(e.action, e.actor_id) for e in entries]
    assert ("case.view", officer.id) in actions
    reveal = [e for e in entries if e.action == "case.reveal_identity"]
    assert len(reveal) == 1 and reveal[0].actor_id == officer.id and reveal[0].protected
    assert "ต้องติดต่อ" not in reveal[0].detail and audit.read_detail(reveal[0]) == "ต้องติดต่อขอเอกสารเพิ่มเติม"
