"""Official letters: the parts of a หนังสือภายนอก and a บันทึกข้อความ in order, and the letter register.

The register's numbers are checked as officers rely on them: a reprint keeps its number and date, two
processes printing at once never take the same number, and voiding needs a reason and is audited.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from app import thai
from app.documents import letters as letter_documents
from app.extensions import db
from app.models import AuditEntry, Letter
from app.models.base import utcnow
from app.models.letters import COMPLETION, MEMO
from app.services import casework, intake
from app.services.casework import Action
from app.services.letters import compose, register, settings
from tests import pdftools
from tests.conftest import csrf_from
from tests.factories import PASSWORD, approval, file_complaint, file_report, make_unit, make_user

ROOT = Path(__file__).resolve().parents[2]
ORG = "องค์การบริหารส่วนตำบลบ้านโป่ง"
RESULT = "ซ่อมไฟถนนซอย 3 เรียบร้อยแล้ว เปลี่ยนหลอดใหม่ 4 ดวง"


@pytest.fixture
def office(app):
    """An organisation with letter settings and a default signatory who signs for the head."""
    from app.services import seed

    seed.ensure_organisation(name=ORG, short_name="อบต.บ้านโป่ง", org_type="sao", now=utcnow())
    admin = make_user("admin", username="admin1")
    settings.save({"prefix": "บป 77301", "address": "หมู่ 1 ตำบลบ้านโป่ง\nอำเภอบ้านโป่ง จังหวัดราชบุรี 70110",
                   "general_owner": "สำนักปลัด ศูนย์รับเรื่องราวร้องทุกข์", "general_phone": "0 3220 0000",
                   "corruption_owner": "สำนักปลัด งานนิติการ", "corruption_phone": "0 3220 0001",
                   "memo_unit": "สำนักปลัด งานนิติการ โทร. 0 3220 0001"}, actor=admin, now=utcnow())
    settings.save_signatory(settings.SignatoryInput(name="นายสมชาย ใจดี", position="ปลัดองค์การบริหารส่วนตำบลบ้านโป่ง",
                                                    acting_for="ปฏิบัติราชการแทนนายกองค์การบริหารส่วนตำบลบ้านโป่ง",
                                                    is_default=True), signatory=None, actor=admin, now=utcnow())
    db.session.commit()
    return admin


@pytest.fixture
def officer(office):
    return make_user("intake", username="rub")


def _complaint(source: str = "web", name: str = ""):
    """A committed general complaint that came in through ``source``, from ``name`` when given."""
    data = intake.ComplaintInput(subject="ไฟถนนดับ", details="ไฟถนนดับทั้งซอย 3 มาหนึ่งสัปดาห์",
                                 reporter=intake.Reporter(name=name))
    case = intake.submit_complaint(data, now=utcnow(), source=source).case
    db.session.commit()
    return case


def _complete(officer, case, message: str = RESULT) -> None:
    casework.transition(officer, case, "accept", now=utcnow())
    casework.transition(officer, case, "complete", now=utcnow(), message=Action(public_message=message),
                        **approval(case, "complete", officer))
    db.session.commit()


def _in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing or out of order after …{text[max(0, position - 40):position]}"
        position = found + len(part)


def test_a_completion_letter_has_every_part_of_an_external_letter_in_order(client, auth, officer):
    case = _complaint("letter", "นางสาวมาลี ศรีสุข")
    _complete(officer, case)
    auth.login("rub", PASSWORD)
    response = client.get(f"/staff/cases/{case.uid}/notice.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftools.flat(response.data)
    letter = db.session.scalar(select(Letter))
    today = thai.format_date(utcnow(), "full", "thai")
    _in_order(text, [
        f"ที่ บป ๗๗๓๐๑/{thai.thai_digits(letter.number)}", ORG, "หมู่ ๑ ตำบลบ้านโป่ง", today,
        "เรื่อง แจ้งผลการดำเนินการตามเรื่องร้องเรียน", "เรียน นางสาวมาลี ศรีสุข",
        f"อ้างถึง เรื่องร้องเรียนของท่าน เลขที่รับเรื่อง {thai.thai_digits(case.case_number)}",
        "ตามที่ท่านได้ร้องเรียนต่อ", "ผลการดำเนินการ ดังนี้", thai.thai_digits(RESULT),
        "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ", "(นายสมชาย ใจดี)", "ปลัดองค์การบริหารส่วนตำบลบ้านโป่ง",
        "ปฏิบัติราชการแทนนายกองค์การบริหารส่วนตำบลบ้านโป่ง", "สำนักปลัด ศูนย์รับเรื่องราวร้องทุกข์",
        "โทร. ๐ ๓๒๒๐ ๐๐๐๐"])
    assert "\u200b" not in pdftools.text(response.data)


def test_an_acknowledgement_letter_goes_to_a_named_letter_or_walk_in_complainant_only(client, auth, officer):
    named = _complaint("walk_in", "นายประยุทธ มั่นคง")
    anonymous = _complaint("letter")
    web = _complaint("web", "นายเว็บ ไซต์")
    assert compose.kinds_for(named) == ["acknowledgement"]
    assert compose.kinds_for(anonymous) == [] and compose.kinds_for(web) == []
    auth.login("rub", PASSWORD)
    page = client.get(f"/staff/cases/{named.uid}").get_data(as_text=True)
    assert 'data-testid="letter-acknowledgement"' in page
    text = pdftools.flat(client.get(f"/staff/letters/{_issue(client, named, 'acknowledgement')}.pdf").data)
    _in_order(text, ["เรื่อง แจ้งการรับเรื่องร้องเรียน", "เรียน นายประยุทธ มั่นคง", "อ้างถึง คำร้องที่ท่านยื่น ณ ที่ทำการ",
                     "ได้รับเรื่องของท่านไว้แล้ว", "ภายใน ๑๕ วัน", "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ"])
    assert client.get(f"/staff/cases/{anonymous.uid}/letters/acknowledgement").status_code == 404


def _issue(client, case, kind: str) -> str:
    """Print a case's letter once (taking its number); returns the letter's uid."""
    assert client.get(f"/staff/cases/{case.uid}/letters/{kind}").status_code == 200
    db.session.rollback()
    return db.session.scalar(select(Letter.uid).where(Letter.key == register.case_key(case, kind)))


def test_a_reprint_keeps_its_number_and_date_and_a_void_needs_a_reason(client, auth, officer):
    first, _ = file_complaint()
    second, _ = file_complaint()
    _complete(officer, first)
    _complete(officer, second)
    auth.login("rub", PASSWORD)
    client.get(f"/staff/cases/{first.uid}/notice")
    client.get(f"/staff/cases/{second.uid}/notice.pdf")
    for _ in range(2):  # reprints, print view and PDF
        client.get(f"/staff/cases/{first.uid}/notice")
        client.get(f"/staff/cases/{first.uid}/notice.pdf")
    db.session.rollback()
    rows = db.session.scalars(select(Letter).order_by(Letter.number)).all()
    assert [(r.case_id, r.number) for r in rows] == [(first.id, 1), (second.id, 2)]
    issued_on = rows[0].issued_on

    register_page = client.get("/staff/letters")
    token = csrf_from(register_page.get_data(as_text=True))
    refused = client.post(f"/staff/letters/{rows[0].uid}/void", data={"reason": "ผิด", "csrf_token": token})
    assert refused.status_code == 302
    db.session.rollback()
    assert db.session.get(Letter, rows[0].id).voided_at is None
    client.post(f"/staff/letters/{rows[0].uid}/void", data={"reason": "พิมพ์ชื่อผู้ลงนามผิด", "csrf_token": token})
    db.session.rollback()
    voided = db.session.get(Letter, rows[0].id)
    assert voided.voided and register.void_reason(voided) == "พิมพ์ชื่อผู้ลงนามผิด" and voided.key is None
    assert "พิมพ์ชื่อผู้ลงนามผิด" not in voided.void_reason_enc  # stored encrypted
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "letter.void"))
    assert audit is not None and audit.target_id == voided.id
    # The next print takes a new number; the voided one stays in the register, marked.
    client.get(f"/staff/cases/{first.uid}/notice.pdf")
    db.session.rollback()
    standing = db.session.scalar(select(Letter).where(Letter.key == register.case_key(first, COMPLETION)))
    assert standing.number == 3 and standing.issued_on >= issued_on
    listing = client.get("/staff/letters").get_data(as_text=True)
    assert "พิมพ์ชื่อผู้ลงนามผิด" in listing and "บป 77301/3" in listing


def test_a_corruption_letter_never_names_the_channel_or_the_reporter_above_the_body(client, auth, office):
    integrity = make_user("integrity", username="niti")
    case, _ = file_report(subject="ปลัดเรียกรับเงินพิเศษ", reporter=intake.Reporter(name="นายผู้แจ้ง ลับมาก"))
    _complete(integrity, case, "ตรวจสอบแล้ว ส่งดำเนินการทางวินัย")
    auth.login("niti", PASSWORD)
    text = pdftools.flat(client.get(f"/staff/cases/{case.uid}/notice.pdf").data)
    envelope_side = text[:text.index("ตามที่ท่านได้ร้องเรียน")]
    assert "ทุจริต" not in envelope_side and "งานนิติการ" not in envelope_side
    assert "เรียน ผู้ร้องเรียน" in envelope_side
    assert "ลับมาก" not in text and "ตรวจสอบแล้ว ส่งดำเนินการทางวินัย" in text
    assert "สำนักปลัด งานนิติการ" in text[text.index("ขอแสดงความนับถือ"):]


def _named_officer(username: str, full_name: str):
    user = make_user("integrity", username=username)
    user.full_name = full_name
    db.session.commit()
    return user


@pytest.mark.parametrize("role", ["intake", "unit_officer", "executive", "oversight", "named"])
def test_a_corruption_letter_is_404_and_only_a_used_number_to_whoever_may_not_open_the_report(
        client, auth, office, role):
    integrity = make_user("integrity", username="niti")
    make_user("integrity", username="niti2")  # two officers who are not named: no oversight needed
    if role == "named":  # an integrity officer the report names: their own role opens nothing of it
        _named_officer("n_named", "นายสมปอง ทุจริตไม่ได้")
        accused = intake.Accused(name="นายสมปอง ทุจริตไม่ได้")
    else:
        make_user(role, username=f"n_{role}", unit=make_unit() if role == "unit_officer" else None)
        accused = intake.Accused()
    case, _ = file_report(subject="ปลัดเรียกรับเงินพิเศษ", accused=accused)
    _complete(integrity, case)
    letter = compose.issue_for_case(case, COMPLETION, signatory=None, actor=integrity, now=utcnow())
    db.session.commit()
    auth.login(f"n_{role}", PASSWORD)
    for url in (f"/staff/letters/{letter.uid}", f"/staff/letters/{letter.uid}.pdf",
                f"/staff/cases/{case.uid}/letters/completion", f"/staff/cases/{case.uid}/notice"):
        assert client.get(url).status_code in (403, 404), url
    listing = client.get("/staff/letters")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    # The number shows as used, and nothing else: no case, subject, recipient, date or link.
    assert 'data-testid="letter-restricted"' in html and f"บป 77301/{letter.number}<" in html
    for hidden in (case.case_number, case.uid, letter.uid, "ปลัดเรียกรับเงินพิเศษ", compose.SUBJECTS[COMPLETION],
                   thai.format_date(letter.issued_on, "short")):
        assert hidden not in html, hidden
    if role != "executive":  # a valid CSRF token, so the boundary (not CSRF) answers
        token = csrf_from(html)
        assert client.post(f"/staff/letters/{letter.uid}/void",
                           data={"reason": "ลองยกเลิกดู", "csrf_token": token}).status_code == 404
    db.session.rollback()
    assert db.session.get(Letter, letter.id).voided_at is None


def test_a_corruption_letters_register_entries_and_prints_are_on_the_protected_record_only(client, auth, office):
    integrity = make_user("integrity", username="niti")
    make_user("integrity", username="niti2")
    case, _ = file_report(subject="ปลัดเรียกรับเงินพิเศษ")
    _complete(integrity, case)
    auth.login("niti", PASSWORD)
    assert client.get(f"/staff/cases/{case.uid}/notice").status_code == 200
    assert client.get(f"/staff/cases/{case.uid}/notice.pdf").status_code == 200
    listing = client.get("/staff/letters").get_data(as_text=True)
    letter = db.session.scalar(select(Letter).where(Letter.case_id == case.id))
    for shown in (case.case_number, compose.SUBJECTS[COMPLETION], thai.format_date(letter.issued_on, "short")):
        assert shown in listing  # the officer sees the whole line
    assert 'data-testid="letter-restricted"' not in listing
    reason = "พิมพ์ชื่อนายสมปองผู้ถูกร้องลงในหนังสือโดยผิดพลาด"
    client.post(f"/staff/letters/{letter.uid}/void", data={"reason": reason, "csrf_token": csrf_from(listing)})
    db.session.rollback()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.startswith("letter."))).all()
    assert {e.action for e in entries} == {"letter.issue", "letter.print", "letter.pdf", "letter.void"}
    # Entries about the report (so the access log's exclusions apply), marked protected, detail encrypted.
    assert all(e.protected and (e.target_type, e.target_id) == ("case", case.id) for e in entries)
    assert all(f"/{letter.fiscal_year}" not in (e.detail or "") for e in entries)
    assert reason not in (db.session.get(Letter, letter.id).void_reason_enc or "")
    access_log = client.get("/staff/access-log").get_data(as_text=True)
    assert "พิมพ์หนังสือ" in access_log and "ยกเลิกเลขที่หนังสือ" in access_log
    # The administrator's log shows none of it.
    auth.logout()
    auth.login("admin1", PASSWORD)
    admin_log = client.get("/admin/audit?action=letter").get_data(as_text=True)
    assert "letter.print" not in admin_log and "letter.issue" not in admin_log


def test_a_moved_complaint_takes_its_letters_entries_into_the_protected_record(client, auth, officer):
    case = _complaint("walk_in", "นายประยุทธ มั่นคง")
    letter = compose.issue_for_case(case, "acknowledgement", signatory=None, actor=officer, now=utcnow())
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "letter.issue"))
    assert (entry.target_type, entry.target_id, entry.protected) == ("letter", letter.id, False)
    casework.move_to_corruption(officer, case, reason="ผู้ร้องกล่าวหาว่าเจ้าหน้าที่เรียกรับเงิน", now=utcnow())
    db.session.commit()
    db.session.refresh(entry)
    assert (entry.target_type, entry.target_id, entry.protected) == ("case", case.id, True)
    auth.login("rub", PASSWORD)  # the intake officer no longer sees the letter's line, only its number
    html = client.get("/staff/letters").get_data(as_text=True)
    assert 'data-testid="letter-restricted"' in html and case.case_number not in html


def test_a_memo_has_its_parts_in_order(app, office):
    letter = compose.issue_memo("report:2569:half", subject="รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต รอบ 6 เดือน",
                                salutation="นายกองค์การบริหารส่วนตำบลบ้านโป่ง", signatory=None, actor=office,
                                now=utcnow())
    db.session.commit()
    again = compose.issue_memo("report:2569:half", subject="x", salutation="y", signatory=None, actor=office,
                               now=utcnow())
    assert again.id == letter.id and again.number == letter.number
    with app.test_request_context():
        pdf = letter_documents.memo_pdf(compose.memo(letter, [
            "ตามที่องค์การบริหารส่วนตำบลบ้านโป่งได้จัดทำแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2569",
            "จึงเรียนมาเพื่อโปรดทราบ"]))
    text = pdftools.flat(pdf)
    _in_order(text, ["บันทึกข้อความ", "ส่วนราชการ สำนักปลัด งานนิติการ โทร. ๐ ๓๒๒๐ ๐๐๐๑",
                     f"ที่ บป ๗๗๓๐๑/{thai.thai_digits(letter.number)}", "วันที่", thai.format_date(utcnow(), "full", "thai"),
                     "เรื่อง รายงานผลการดำเนินงาน", "เรียน นายกองค์การบริหารส่วนตำบลบ้านโป่ง",
                     "ตามที่องค์การบริหารส่วนตำบลบ้านโป่ง", "ปีงบประมาณ พ.ศ. ๒๕๖๙", "จึงเรียนมาเพื่อโปรดทราบ",
                     "(นายสมชาย ใจดี)", "ปลัดองค์การบริหารส่วนตำบลบ้านโป่ง"])
    assert letter.kind == MEMO


CHILD = textwrap.dedent("""
    import sys, time
    from app import create_app
    from app.extensions import db
    from app.models.base import utcnow
    from app.services.letters import register
    app = create_app("testing")
    start = float(sys.argv[2])
    with app.app_context():
        while time.time() < start:
            time.sleep(0.005)
        taken = []
        for i in range(int(sys.argv[3])):
            for key in (f"{sys.argv[1]}:{i}", f"shared:{i}"):
                letter = register.issue("memo", key, register.Heading("ทดสอบ", "ผู้ร้องเรียน"), case=None,
                                        signatory=None, actor=None, now=utcnow())
                db.session.commit()
                taken.append(f"{key}={letter.number}")
        print(" ".join(taken))
""")


def test_two_processes_printing_at_once_never_take_the_same_number(app, database_url, tmp_path):
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update(DATABASE_URL=database_url, SUJARIT_ENV="testing", SUJARIT_KEYRING=app.config["KEYRING_PATH"],
               SUJARIT_INSTANCE_PATH=str(tmp_path / "instance"), SECRET_KEY="letters-test-secret", PYTHONPATH=str(ROOT))
    per_process = 15
    start = str(time.time() + 3)  # both start their loop at the same moment, after their imports
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, name, start, str(per_process)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    seen: dict[str, set[str]] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        for pair in out.split():
            key, number = pair.split("=")
            seen.setdefault(key, set()).add(number)
    db.session.rollback()
    rows = db.session.scalars(select(Letter).order_by(Letter.number)).all()
    # Each letter got one number, whichever process printed it; 45 letters, numbers 1..45 without a gap.
    assert len(rows) == 3 * per_process
    assert [r.number for r in rows] == list(range(1, 3 * per_process + 1))
    assert all(len(numbers) == 1 for numbers in seen.values())
    by_key = {r.key: str(r.number) for r in rows}
    assert all(by_key[key] == next(iter(numbers)) for key, numbers in seen.items())
