"""Working a case through the staff pages: every action over HTTP with CSRF, what staff and citizens then see."""
from __future__ import annotations

import re

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent, Notification, User
from app.models.base import utcnow
from app.services import casework, intake
from app.services.intake import ComplaintInput
from tests.conftest import csrf_from
from tests.factories import PASSWORD, file_complaint, file_report, make_unit, make_user


def _token(client) -> str:
    return csrf_from(client.get("/staff/").get_data(as_text=True))


def act(client, case, action: str, **fields):
    """Post one action form as the case page would (fields are prefixed with the action's name)."""
    data = {f"{action}-{key}": value for key, value in fields.items()}
    data[f"{action}-csrf_token"] = _token(client)
    return client.post(f"/staff/cases/{case.uid}/actions/{action}", data=data)


def _fresh(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def _events(case) -> int:
    return db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id))


def _track(client, code) -> str:
    response = client.get(f"/track/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _overdue_complaint(days_ago: int = 20, **fields):
    """A committed general complaint received ``days_ago`` days back (entered as a phone call)."""
    now = utcnow()
    data = ComplaintInput(subject=fields.pop("subject", "ถนนเป็นหลุม"), details="ถนนหน้าวัดเป็นหลุมลึก", **fields)
    sub = intake.submit_complaint(data, now=now, source="phone", received_at=now - timedelta(days=days_ago))
    db.session.commit()
    return sub.case, sub.tracking_code


@pytest.fixture
def people(app):
    """An intake officer, the roads unit with an officer, and another unit with its own officer."""
    roads, finance = make_unit("กองช่าง"), make_unit("กองคลัง")
    return {
        "intake": make_user("intake", username="rub"),
        "roads": roads, "finance": finance,
        "chang": make_user("unit_officer", username="chang", unit=roads),
        "klang": make_user("unit_officer", username="klang", unit=finance),
    }


def test_complaint_flows_from_intake_to_unit_and_the_citizen_sees_each_step(client, auth, people):
    case, code = file_complaint(subject="ไฟถนนดับซอย 3")
    auth.login("rub", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "รับเรื่องไว้ดำเนินการ" in page and "มอบหมายผู้รับผิดชอบ" in page

    response = act(client, case, "accept", public_message="รับเรื่องแล้ว จะส่งช่างไปตรวจสอบ",
                   internal_note="โทรยืนยันกับผู้ใหญ่บ้านแล้ว")
    assert response.status_code == 303
    assert _fresh(case).status == "in_progress"
    tracking = _track(client, code)
    assert "อยู่ระหว่างดำเนินการ" in tracking and "รับเรื่องแล้ว จะส่งช่างไปตรวจสอบ" in tracking
    assert "โทรยืนยันกับผู้ใหญ่บ้านแล้ว" not in tracking

    act(client, case, "assign", unit=str(people["roads"].id), officer=str(people["chang"].id))
    case = _fresh(case)
    assert case.unit_id == people["roads"].id and case.assignee_id == people["chang"].id
    auth.logout()

    auth.login("chang", PASSWORD)
    home = client.get("/staff/").get_data(as_text=True)
    assert 'class="badge badge-count"' in home  # the assignment arrived as a notification
    assert "ไฟถนนดับซอย 3" in client.get("/staff/cases").get_data(as_text=True)
    act(client, case, "progress", public_message="เปลี่ยนหลอดไฟแล้ว 2 ต้น เหลืออีก 1 ต้น")
    act(client, case, "complete", public_message="ซ่อมไฟถนนครบทุกต้นแล้ว")
    case = _fresh(case)
    assert case.status == "completed" and case.closed_at is not None

    tracking = _track(client, code)
    assert "เปลี่ยนหลอดไฟแล้ว 2 ต้น" in tracking and "ซ่อมไฟถนนครบทุกต้นแล้ว" in tracking
    assert "ดำเนินการแล้วเสร็จ" in tracking
    timeline = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "โทรยืนยันกับผู้ใหญ่บ้านแล้ว" in timeline  # internal notes stay on the staff timeline
    assert timeline.count("ทดสอบ ระบบ") >= 4  # every entry names its actor


def test_reject_as_duplicate_by_case_number(client, auth, people):
    original, _ = file_complaint(subject="น้ำประปาไม่ไหล")
    again, code = file_complaint(subject="น้ำประปาไม่ไหลอีกแล้ว")
    auth.login("rub", PASSWORD)
    number = original.case_number.split(" ", 1)[1]  # typed without the prefix, e.g. "12/2569"
    response = act(client, again, "reject", reason="duplicate", duplicate_number=number,
                   public_message="เรื่องนี้ซ้ำกับที่ท่านแจ้งไว้แล้ว กำลังดำเนินการในเรื่องเดิม")
    assert response.status_code == 303
    again = _fresh(again)
    assert again.status == "rejected" and again.rejection_reason == "duplicate"
    assert again.duplicate_of_id == original.id
    page = client.get(f"/staff/cases/{again.uid}").get_data(as_text=True)
    assert "เรื่องซ้ำ" in page and original.case_number in page
    assert "เรื่องนี้ซ้ำกับที่ท่านแจ้งไว้แล้ว" in _track(client, code)


def test_reject_as_duplicate_of_an_unknown_number_is_refused(client, auth, people):
    case, _ = file_complaint()
    auth.login("rub", PASSWORD)
    response = act(client, case, "reject", reason="duplicate", duplicate_number="999/2400",
                   public_message="ซ้ำ")
    assert response.status_code == 400
    assert "กรุณาระบุเรื่องเดิมที่ซ้ำ" in response.get_data(as_text=True)
    assert _fresh(case).status == "received"


def test_forward_to_another_agency_needs_its_name_when_other(client, auth, people):
    case, code = file_complaint()
    auth.login("rub", PASSWORD)
    before = _events(case)
    refused = act(client, case, "forward", agency="other", agency_other="", public_message="ส่งต่อแล้ว")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "กรุณาระบุชื่อหน่วยงานที่ส่งต่อ" in html
    assert "ส่งต่อแล้ว" in html  # what the officer typed is still in the form
    assert _fresh(case).status == "received" and _events(case) == before

    act(client, case, "forward", agency="other", agency_other="การประปาส่วนภูมิภาคสาขาบ้านโป่ง",
        public_message="ส่งเรื่องให้การประปาส่วนภูมิภาคแล้ว")
    case = _fresh(case)
    assert case.status == "forwarded" and case.forwarded_to == "other"
    assert "การประปาส่วนภูมิภาคสาขาบ้านโป่ง" in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "ส่งต่อหน่วยงานที่เกี่ยวข้อง" in _track(client, code)


def test_reopen_a_closed_case(client, auth, people):
    case, code = file_complaint()
    auth.login("rub", PASSWORD)
    act(client, case, "forward", agency="damrongdham")
    assert _fresh(case).status == "forwarded"
    act(client, case, "reopen", public_message="ศูนย์ดำรงธรรมส่งเรื่องกลับมาให้ดำเนินการ")
    case = _fresh(case)
    assert case.status == "in_progress" and case.closed_at is None and case.forwarded_to is None
    assert "ศูนย์ดำรงธรรมส่งเรื่องกลับมาให้ดำเนินการ" in _track(client, code)


@pytest.mark.parametrize(("action", "fields"), [
    ("complete", {"public_message": "เสร็จแล้ว"}),   # a received case must be accepted first
    ("reopen", {"public_message": "เปิดใหม่"}),      # an open case cannot be reopened
    ("progress", {"public_message": "ซ่อมไปครึ่งหนึ่ง"}),  # progress only once accepted
])
def test_illegal_action_by_forged_post_is_refused_in_thai_and_changes_nothing(client, auth, people, action, fields):
    case, code = file_complaint()
    auth.login("rub", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert f"/actions/{action}" not in page  # the page never offered it
    before = _events(case)
    response = act(client, case, action, **fields)
    assert response.status_code == 400
    assert "ทำรายการนี้กับเรื่องในสถานะปัจจุบันไม่ได้" in response.get_data(as_text=True)
    assert _fresh(case).status == "received" and _events(case) == before
    assert fields["public_message"] not in _track(client, code)


def test_an_action_needing_a_message_says_so_and_keeps_the_note(client, auth, people):
    case, _ = file_complaint()
    auth.login("rub", PASSWORD)
    act(client, case, "accept")
    before = _events(case)
    response = act(client, case, "progress", public_message="  ", internal_note="ร่างบันทึกที่ยังไม่ส่ง")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "กรุณากรอกข้อความถึงผู้ร้องเรียน" in html and "ร่างบันทึกที่ยังไม่ส่ง" in html
    assert _events(case) == before


def test_unknown_action_is_not_found(client, auth, people):
    case, _ = file_complaint()
    auth.login("rub", PASSWORD)
    assert act(client, case, "delete").status_code == 404


def test_internal_note_stays_off_the_tracking_page(client, auth, people):
    case, code = file_complaint()
    auth.login("rub", PASSWORD)
    act(client, case, "note", internal_note="ผู้ร้องโทรมาสอบถามอีกครั้ง")
    assert "ผู้ร้องโทรมาสอบถามอีกครั้ง" in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "ผู้ร้องโทรมาสอบถามอีกครั้ง" not in _track(client, code)


def test_unit_officer_cannot_open_or_act_on_another_units_case(client, auth, people):
    theirs, _ = file_complaint(subject="ภาษีป้ายของกองคลัง")
    theirs.unit = people["finance"]
    db.session.commit()
    auth.login("chang", PASSWORD)
    assert client.get(f"/staff/cases/{theirs.uid}").status_code == 404
    assert act(client, theirs, "accept").status_code == 404
    assert _fresh(theirs).status == "received"


def test_unit_officer_cannot_reject_or_forward(client, auth, people):
    case, _ = file_complaint()
    case.unit = people["roads"]
    db.session.commit()
    auth.login("chang", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "/actions/accept" in page
    assert "/actions/reject" not in page and "/actions/forward" not in page and "/actions/move" not in page
    for action, fields in (("reject", {"reason": "outside_authority", "public_message": "ไม่ใช่งานของกอง"}),
                           ("forward", {"agency": "district"})):
        response = act(client, case, action, **fields)
        assert response.status_code == 400
        assert "ท่านไม่มีสิทธิ์ทำรายการนี้" in response.get_data(as_text=True)
    assert _fresh(case).status == "received"


def test_unit_officer_assigns_only_within_their_unit(client, auth, people):
    case, _ = file_complaint()
    case.unit = people["roads"]
    db.session.commit()
    auth.login("chang", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "กองคลัง" not in page.split('id="action-assign"')[1].split("</details>")[0]
    response = act(client, case, "assign", unit=str(people["finance"].id), officer=str(people["klang"].id))
    assert response.status_code == 400
    assert _fresh(case).unit_id == people["roads"].id and _fresh(case).assignee_id is None


def test_overdue_case_offers_an_explanation_that_reaches_the_tracking_page(client, auth, people):
    late, code = _overdue_complaint(subject="ขยะไม่เก็บสามสัปดาห์")
    on_time, _ = file_complaint()
    auth.login("rub", PASSWORD)
    assert "/actions/explain" not in client.get(f"/staff/cases/{on_time.uid}").get_data(as_text=True)
    refused = act(client, on_time, "explain", public_message="ยังไม่เสร็จ")
    assert refused.status_code == 400 and "คำชี้แจงใช้เมื่อเรื่องเกินกำหนดแล้ว" in refused.get_data(as_text=True)

    page = client.get(f"/staff/cases/{late.uid}").get_data(as_text=True)
    assert "/actions/explain" in page and "ยังไม่ชี้แจง" in page and "เกิน 5 วัน" in page
    act(client, late, "explain", public_message="รถเก็บขยะเสีย อยู่ระหว่างซ่อม จะเก็บให้ภายในวันศุกร์นี้")
    assert _fresh(late).explained_at is not None
    assert "รถเก็บขยะเสีย อยู่ระหว่างซ่อม" in _track(client, code)
    assert "badge-unexplained" not in client.get(f"/staff/cases/{late.uid}").get_data(as_text=True)


def test_notifications_page_lists_newest_first_and_marks_all_read(client, auth, people):
    case, _ = file_complaint(subject="ท่อแตก")
    now = utcnow()
    db.session.add_all([Notification(user_id=people["chang"].id, text="เรื่องเก่า", created_at=now - timedelta(days=1)),
                        Notification(user_id=people["chang"].id, case_id=case.id, text="เรื่องใหม่", created_at=now)])
    db.session.commit()
    auth.login("chang", PASSWORD)
    html = client.get("/staff/notifications").get_data(as_text=True)
    assert html.index("เรื่องใหม่") < html.index("เรื่องเก่า")
    assert html.count("notification unread") == 2 and '<span class="badge badge-count"' in html
    response = client.post("/staff/notifications/read", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 303
    html = client.get("/staff/notifications").get_data(as_text=True)
    assert "notification unread" not in html and '<span class="badge badge-count"' not in html


def test_staff_home_offers_offline_entry_and_notifications_by_role(client, auth, people):
    auth.login("rub", PASSWORD)
    home = client.get("/staff/").get_data(as_text=True)
    assert "บันทึกเรื่องที่รับจากช่องทางอื่น" in home and "/staff/notifications" in home
    auth.logout()
    auth.login("chang", PASSWORD)
    home = client.get("/staff/").get_data(as_text=True)
    assert "บันทึกเรื่องที่รับจากช่องทางอื่น" not in home and "/staff/notifications" in home


# ---------------------------------------------------------------- the protected channel

@pytest.fixture
def integrity(app):
    return make_user("integrity", username="niti"), make_user("integrity", username="niti2")


def test_integrity_officer_asks_and_reads_the_anonymous_answer(client, auth, integrity):
    case, code = file_report(subject="ฮั้วประมูลก่อสร้างถนน")
    auth.login("niti", PASSWORD)
    act(client, case, "accept", internal_note="เริ่มตรวจสอบเอกสารสัญญา")
    act(client, case, "ask", public_message="ท่านทราบเลขที่สัญญาหรือไม่")
    assert "ท่านทราบเลขที่สัญญาหรือไม่" in _track(client, code)
    stored = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "accept"))
    assert stored.encrypted and "เริ่มตรวจสอบ" not in stored.internal_note  # encrypted at rest

    casework.answer_question(_fresh(case), "สัญญาเลขที่ 12/2568", [], now=utcnow())
    db.session.commit()
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "สัญญาเลขที่ 12/2568" in page and "คำตอบของผู้แจ้ง" in page
    assert "เริ่มตรวจสอบเอกสารสัญญา" in page


def test_ask_is_not_offered_on_general_complaints(client, auth, people):
    case, _ = file_complaint()
    auth.login("rub", PASSWORD)
    assert "/actions/ask" not in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    response = act(client, case, "ask", public_message="ขอข้อมูลเพิ่ม")
    assert response.status_code == 400 and "ท่านไม่มีสิทธิ์ทำรายการนี้" in response.get_data(as_text=True)


def test_outcome_needs_a_referral_when_substantiated_and_shows_decrypted(client, auth, integrity):
    case, _ = file_report()
    auth.login("niti", PASSWORD)
    refused = act(client, case, "outcome", outcome="substantiated", findings="พบการเรียกรับเงินจริง", referral="")
    assert refused.status_code == 400
    assert "เรื่องที่มีมูลต้องระบุการส่งดำเนินการทางวินัย/อาญา" in refused.get_data(as_text=True)
    assert _fresh(case).outcome_enc is None

    act(client, case, "outcome", outcome="substantiated", findings="พบการเรียกรับเงินจริง",
        referral="เสนอนายกฯ ตั้งกรรมการสอบสวนวินัยร้ายแรง")
    case = _fresh(case)
    assert casework.read_outcome(case)["outcome"] == "substantiated" and "พบการเรียกรับเงิน" not in case.outcome_enc
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "มีมูล" in page and "เสนอนายกฯ ตั้งกรรมการสอบสวนวินัยร้ายแรง" in page


def test_moved_complaint_leaves_general_staff_and_keeps_its_tracking_code(client, auth, people, integrity):
    case, code = file_complaint(subject="ปลัดเรียกรับเงินค่าขออนุญาต")
    auth.login("rub", PASSWORD)
    refused = act(client, case, "move", reason="")
    assert refused.status_code == 400 and "กรุณาระบุเหตุผลที่ย้ายเรื่อง" in refused.get_data(as_text=True)
    assert _fresh(case).channel == "general"

    response = act(client, case, "move", reason="เนื้อหาเป็นการกล่าวหาเจ้าหน้าที่ทุจริต")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/cases")
    inbox = client.get("/staff/cases").get_data(as_text=True)
    assert "ย้ายเรื่องไปช่องทางร้องเรียนการทุจริตแล้ว" in inbox and "ปลัดเรียกรับเงิน" not in inbox
    assert client.get(f"/staff/cases/{case.uid}").status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.move_to_corruption",
                                                      AuditEntry.target_id == case.id)) is not None
    auth.logout()

    auth.login("niti", PASSWORD)
    assert "ปลัดเรียกรับเงินค่าขออนุญาต" in client.get("/staff/reports").get_data(as_text=True)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "ย้ายมาจากเรื่องร้องเรียนทั่วไป" in page and "เนื้อหาเป็นการกล่าวหาเจ้าหน้าที่ทุจริต" in page
    assert client.get(f"/track/{code}").status_code == 200


def test_named_integrity_officer_loses_the_report_once_a_second_person_approves(client, auth, integrity, app):
    from tests.conftest import AuthActions

    niti, niti2 = integrity
    make_user("oversight", username="amphoe")
    case, _ = file_report(subject="นิติกรรับสินบน")
    auth.login("niti", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert "/actions/accused" in page
    act(client, case, "accused", accused=str(niti2.id))
    assert _fresh(case).exclusions == []  # asked, not done: niti2 is named, so only oversight may approve
    overseer = app.test_client()
    AuthActions(overseer).login("amphoe", PASSWORD)
    page = overseer.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    approve = re.search(r'action="(/staff/requests/[0-9a-f]+/approve)"', page).group(1)
    overseer.post(approve, data={"csrf_token": csrf_from(page)})
    assert "นิติกรรับสินบน" in client.get("/staff/reports").get_data(as_text=True)
    auth.logout()

    auth.login("niti2", PASSWORD)
    assert client.get(f"/staff/cases/{case.uid}").status_code == 404
    assert "นิติกรรับสินบน" not in client.get("/staff/reports").get_data(as_text=True)


def test_the_only_officer_naming_themself_waits_for_oversight_and_the_executive_is_told(client, auth):
    from app.models import Notification

    only = make_user("integrity", username="only")
    executive = make_user("executive", username="nayok")
    case, _ = file_report(subject="เรื่องที่ไม่มีใครตรวจได้")
    auth.login("only", PASSWORD)
    response = act(client, case, "accused", accused=str(only.id))
    assert response.status_code == 303
    assert _fresh(case).exclusions == []
    notes = [n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == executive.id))]
    assert any("กรุณาแต่งตั้งผู้กำกับดูแล" in text for text in notes)


def test_accused_picker_lists_only_active_staff(client, auth, integrity):
    make_user("unit_officer", username="gone", active=False)
    case, _ = file_report()
    auth.login("niti", PASSWORD)
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    picker = page.split('id="accused-accused"')[1].split("</select>")[0]
    gone = db.session.scalar(select(User).where(User.username == "gone"))
    assert f'value="{gone.id}"' not in picker
