"""The protected channel holds against insiders: each path an insider would try fails, changes nothing,
and the right people are told (PRODUCT.md "Threat model: the insiders")."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccountRequest, AuditEntry, Case, CaseRequest, Notification, OutboxMessage, User
from app.models.people import ADMIN, EXECUTIVE, INTAKE, INTEGRITY, OVERSIGHT
from app.services import case_access, intake, mail_texts, notify
from app.services.cases import accused as accused_match
from app.services.cases import approvals
from app.services.casework import Action
from tests.conftest import AuthActions, csrf_from
from tests.factories import PASSWORD, file_complaint, file_report, make_unit, make_user

SUBJECT = "เรียกรับเงินค่าใบอนุญาตก่อสร้าง"


def staff(*roles, username, full_name="ทดสอบ ระบบ", position="", unit=None, email=None):
    user = make_user(*roles, username=username, unit=unit)
    user.full_name, user.position, user.email = full_name, position, email
    db.session.commit()
    return user


@pytest.fixture
def office(app):
    """A small อบต.: one integrity officer (the only one), an executive, an oversight person, an admin, intake."""
    law = make_unit("งานนิติการ")
    people = {
        "niti": staff(INTEGRITY, username="niti", full_name="นางสาวสมหญิง นิติธรรม", position="นิติกร", unit=law,
                      email="niti@example.org"),
        "nayok": staff(EXECUTIVE, username="nayok", full_name="นายประยุทธ มั่นคง",
                       position="นายกองค์การบริหารส่วนตำบล", email="nayok@example.org"),
        "oversight": staff(OVERSIGHT, username="amphoe", full_name="นายอำเภอ ตรวจสอบ", position="ปลัดอำเภอ",
                           email="amphoe@example.org"),
        "admin": staff(ADMIN, username="it", full_name="นายไอที ดูแล", position="นักวิชาการคอมพิวเตอร์"),
        "intake": staff(INTAKE, username="rub", full_name="นางรับ เรื่อง", position="เจ้าพนักงานธุรการ"),
    }
    return people


def report_naming(name="", position="", unit="", directory=""):
    case, _code = file_report(subject=SUBJECT, accused=intake.Accused(name, position, unit, directory))
    return case


def signed_in(app, username):
    client = app.test_client()
    assert AuthActions(client).login(username, PASSWORD).status_code == 302
    return client


def told(user: User, text: str) -> bool:
    return any(text in n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


# --- the accused integrity officer --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "นางสาวสมหญิง นิติธรรม",          # as on the account
    "สมหญิง นิติธรรม",                # without the title
    "น.ส. สมหญิง  นิติธรรม",          # abbreviated title, double space
    "น.ส.สมหญิง\u200bนิติธรรม",        # zero-width space instead of a space
    "สมหยิง นิติทรรม",                # spelling variants (ญ/ย, ธ/ท)
    "คุณสมหญิง นิตธรรม",              # a form of address, a vowel left out
])
def test_a_typed_name_of_the_only_integrity_officer_keeps_the_report_from_them(app, client, office, typed):
    niti = office["niti"]
    case = report_naming(name=typed)
    assert not case_access.can_view(niti, case)
    theirs = signed_in(app, "niti")
    assert SUBJECT not in theirs.get("/staff/reports").get_data(as_text=True)
    assert theirs.get(f"/staff/cases/{case.uid}").status_code == 404
    assert not told(niti, case.case_number)
    # The report reaches the oversight person instead.
    assert case_access.can_view(office["oversight"], case)
    assert SUBJECT in signed_in(app, "amphoe").get("/staff/reports").get_data(as_text=True)


def test_a_position_chosen_from_the_directory_names_its_holder(app, office):
    entries = accused_match.directory()
    assert all(office["niti"].full_name not in (e.position + e.unit) for e in entries)  # positions only, no names
    legal = next(e for e in entries if e.position == "นิติกร")
    case = report_naming(directory=legal.key)
    assert not case_access.can_view(office["niti"], case)
    assert intake.read_content(case)["accused"] == {"name": "", "position": "นิติกร", "unit": "งานนิติการ"}


def test_a_different_name_does_not_exclude_anyone(app, office):
    case = report_naming(name="นายสมปอง ไม่มีตัวตน", position="คนงาน")
    assert case.exclusions == [] and case_access.can_view(office["niti"], case)


def test_the_accused_executive_never_sees_the_report_and_oversight_handles_it(app, office):
    second = staff(INTEGRITY, username="niti2", full_name="นายวิชัย ยุติธรรม", position="นิติกร")
    case = report_naming(name="นายก อบต.")
    nayok = office["nayok"]
    assert case_access.is_excluded(nayok, case) and case_access.needs_oversight(case)
    assert case_access.can_view(office["oversight"], case) and case_access.can_view(second, case)
    dashboard = signed_in(app, "nayok").get("/executive/").get_data(as_text=True)
    assert case.case_number not in dashboard and 'data-testid="flagged"' not in dashboard
    # The accused executive does not see the report's entries in the access log either.
    signed_in(app, "niti").get(f"/staff/cases/{case.uid}")
    log = signed_in(app, "nayok").get("/staff/access-log").get_data(as_text=True)
    assert "เปิดดูเรื่อง" not in log


def test_the_lone_integrity_officer_cannot_reject_alone_and_oversight_is_asked(app, office):
    case = report_naming()
    niti = signed_in(app, "niti")
    page = niti.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    assert 'data-testid="two-person"' in page
    response = niti.post(f"/staff/cases/{case.uid}/actions/reject", data={
        "reject-reason": "insufficient_detail", "reject-public_message": "ข้อมูลไม่เพียงพอ",
        "reject-csrf_token": csrf_from(page)})
    assert response.status_code == 303
    db.session.expire_all()
    assert case.status == "received"  # nothing changed
    request = approvals.waiting_on(case, case.received_at)[0]
    assert request.kind == "reject" and approvals.approvers(request) == [office["oversight"]]
    assert told(office["oversight"], "มีคำขอรออนุมัติ")
    # The oversight person approves: only now is it rejected, done by the officer who asked.
    amphoe = signed_in(app, "amphoe")
    page = amphoe.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    amphoe.post(f"/staff/requests/{request.uid}/approve", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert case.status == "rejected" and told(office["niti"], "ได้รับอนุมัติแล้ว")
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == case.id)))
    assert {"case.request_reject", "case.request_approved", "case.reject"} <= actions


def test_a_lone_officer_cannot_reveal_the_reporter_without_a_second_person(app, office):
    case, _ = file_report(subject=SUBJECT, reporter=intake.Reporter(name="ผู้แจ้งลับ", phone="0812223333"))
    niti = signed_in(app, "niti")
    page = niti.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    shown = niti.post(f"/staff/cases/{case.uid}/reveal", data={"reason": "ต้องติดต่อกลับ",
                                                               "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "ผู้แจ้งลับ" not in shown.get_data(as_text=True)
    assert told(office["oversight"], "มีคำขอรออนุมัติ")
    request = db.session.scalar(select(CaseRequest))
    approvals.decide(request, office["oversight"], approve=True, now=request.requested_at)
    db.session.commit()
    page = niti.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    shown = niti.post(f"/staff/cases/{case.uid}/reveal", data={"reason": "ต้องติดต่อกลับ", "csrf_token": csrf_from(page)})
    assert "ผู้แจ้งลับ" in shown.get_data(as_text=True)


# --- an integrity officer naming a colleague -----------------------------------------------------------------


def test_an_officer_naming_a_colleague_as_accused_changes_nothing_until_another_approves(app, office):
    accuser = staff(INTEGRITY, username="crook", full_name="นายโกง ลอบทำ", position="นิติกร")
    colleague = office["niti"]
    third = staff(INTEGRITY, username="niti3", full_name="นางสาวซื่อ ตรง", position="นิติกร")
    case = report_naming()
    client = signed_in(app, "crook")
    page = client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
    client.post(f"/staff/cases/{case.uid}/actions/accused",
                data={"accused-accused": [str(colleague.id)], "accused-csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert case.exclusions == [] and case_access.can_view(colleague, case)  # the colleague keeps the report
    request = db.session.scalar(select(CaseRequest))
    assert colleague not in approvals.approvers(request)  # nobody decides about themselves
    assert told(third, "มีคำขอรออนุมัติ") and not told(colleague, "มีคำขอรออนุมัติ")
    # The named colleague does not even see the request on the report.
    assert approvals.shown_on(case, colleague, request.requested_at) == []
    approvals.decide(request, third, approve=False, now=request.requested_at)
    db.session.commit()
    assert case.exclusions == [] and told(accuser, "ไม่ได้รับอนุมัติ")


def test_a_request_expires_and_can_no_longer_be_approved(app, office):
    from datetime import timedelta

    from app.services.casework import CaseworkError

    case = report_naming()
    request = approvals.ask(office["niti"], case, "forward", now=case.received_at, agency="nacc")
    db.session.commit()
    later = case.received_at + approvals.REQUEST_TTL + timedelta(minutes=1)
    with pytest.raises(CaseworkError):
        approvals.decide(request, office["oversight"], approve=True, now=later)
    db.session.rollback()
    assert approvals.expire(later) == 1
    db.session.commit()
    assert case.status == "received" and request.status == "expired"


# --- the administrator ---------------------------------------------------------------------------------------


def _user_form(client, user, **changes):
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    data = {"full_name": user.full_name, "position": user.position, "email": user.email or "",
            "unit_id": str(user.unit_id or 0), "active": "y", "csrf_token": csrf_from(page)}
    data.update({f"role_{r}": "y" for r in user.roles})
    data.update(changes)
    return client.post(f"/admin/users/{user.id}", data=data)


def test_an_administrator_cannot_grant_themselves_integrity(app, office):
    admin = office["admin"]
    client = signed_in(app, "it")
    response = _user_form(client, admin, role_integrity="y")
    assert response.status_code == 200 and "ผู้ดูแลระบบถือบทบาทเจ้าหน้าที่งานนิติการ" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == {ADMIN}
    assert db.session.scalar(select(AccountRequest)) is None
    case = report_naming()
    assert not case_access.can_view(admin, case)


def test_an_administrator_granting_integrity_to_someone_waits_for_approval_and_everyone_is_told(app, office):
    clerk = office["intake"]
    client = signed_in(app, "it")
    _user_form(client, clerk, role_integrity="y")
    db.session.expire_all()
    clerk = db.session.get(User, clerk.id)
    assert INTEGRITY not in clerk.roles  # not granted alone
    for person in (office["niti"], office["nayok"], office["oversight"], clerk):
        assert told(person, "ขออนุมัติให้ นางรับ เรื่อง มีบทบาท งานนิติการ"), person.username
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert any("แจ้งการเปลี่ยนแปลงบัญชีผู้ใช้" in s for s in subjects)
    # The executive approves: the old password stops working, a link goes to the owner only.
    nayok = signed_in(app, "nayok")
    page = nayok.get("/staff/approvals").get_data(as_text=True)
    request = db.session.scalar(select(AccountRequest))
    nayok.post(f"/staff/approvals/accounts/{request.id}/approve", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert INTEGRITY in db.session.get(User, clerk.id).roles
    assert AuthActions(app.test_client()).login("rub", PASSWORD).status_code == 200  # the known password is dead


def test_an_administrators_reset_of_an_integrity_officer_never_lets_them_sign_in(app, office):
    niti = office["niti"]
    client = signed_in(app, "it")
    page = client.get(f"/admin/users/{niti.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{niti.id}/password", data={"csrf_token": csrf_from(page)},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert 'class="one-time-password"' not in html and "/auth/set-password/" not in html
    # The old password still works for the owner (a reset cannot lock an officer out) ...
    assert AuthActions(app.test_client()).login("niti", PASSWORD).status_code == 302
    # ... and the link went to the owner's own address only, announced to every approver.
    to_owner = [m for m in db.session.scalars(select(OutboxMessage)) if notify.recipient_of(m) == "niti@example.org"]
    link = next(re.search(r"/auth/set-password/(\S+)", notify._build_email(m).get_content()) for m in to_owner
                if "ตั้งรหัสผ่าน" in m.subject)
    assert link is not None
    for person in (office["nayok"], office["oversight"]):
        assert told(person, "ส่งลิงก์ตั้งรหัสผ่านใหม่ไปยังอีเมลของ")
    owner = app.test_client()
    page = owner.get(f"/auth/set-password/{link.group(1)}").get_data(as_text=True)
    owner.post(f"/auth/set-password/{link.group(1)}", data={"new": "ใหม่-ของ-เจ้าของ-2569", "confirm": "ใหม่-ของ-เจ้าของ-2569",
                                                            "csrf_token": csrf_from(page)})
    assert AuthActions(app.test_client()).login("niti", "ใหม่-ของ-เจ้าของ-2569").status_code == 302
    assert owner.get(f"/auth/set-password/{link.group(1)}").status_code == 404  # used once


def test_the_admin_audit_log_and_outbox_show_nothing_of_the_protected_channel(app, office):
    case = report_naming()
    signed_in(app, "niti").get(f"/staff/cases/{case.uid}")
    approvals.ask(office["niti"], case, "forward", now=case.received_at, agency="pacc")
    db.session.commit()
    admin = signed_in(app, "it")
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "case.view" not in log and "case.request_forward" not in log
    outbox = admin.get("/admin/outbox").get_data(as_text=True)
    assert "มีคำขอรออนุมัติ" not in outbox  # the approval mail about the report is not listed
    # The watched can read it: who opened, and who asked, without content.
    log = signed_in(app, "amphoe").get("/staff/access-log").get_data(as_text=True)
    assert "เปิดดูเรื่อง" in log and "ขออนุมัติส่งต่อ" in log and SUBJECT not in log


def test_the_admin_log_names_general_cases_by_number_and_loses_a_moved_ones_history(app, office):
    from app.services import casework

    clerk = office["intake"]
    kept, _ = file_complaint(subject="ไฟดับ")
    moved, _ = file_complaint(subject="ปลัดเรียกเงิน")
    for item in (kept, moved):
        casework.assign(clerk, item, unit=make_unit(), officer=None, now=item.received_at)
    db.session.commit()
    log = signed_in(app, "it").get("/admin/audit").get_data(as_text=True)
    assert kept.case_number in log and moved.case_number in log
    assert f"เรื่อง #{kept.id}" not in log and f"เรื่อง #{moved.id}" not in log  # never the sequential id
    casework.move_to_corruption(clerk, moved, reason="เป็นเรื่องทุจริตของเจ้าหน้าที่", now=moved.received_at)
    db.session.commit()
    log = signed_in(app, "it").get("/admin/audit").get_data(as_text=True)
    assert kept.case_number in log and moved.case_number not in log
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == moved.id,
                                                      AuditEntry.action == "case.assign"))
    assert entry.protected and "unit=" not in entry.detail


# --- nothing countable -------------------------------------------------------------------------------------


def test_identifiers_of_interleaved_cases_reveal_nothing_to_the_general_inbox(app, client, office):
    for i in range(4):
        file_complaint(subject=f"ไฟดับซอย {i}")
        file_report(subject=f"{SUBJECT} {i}")
    general = db.session.scalars(select(Case).where(Case.channel == "general").order_by(Case.id)).all()
    assert [c.sequence for c in general] == [1, 2, 3, 4]  # the general numbers run without gaps
    clerk = signed_in(app, "rub")
    inbox = clerk.get("/staff/cases").get_data(as_text=True)
    links = set(re.findall(r'href="/staff/cases/([^"/?#]+)"', inbox)) - {"new"}
    assert set(links) == {c.uid for c in general}
    assert all(re.fullmatch(r"[0-9a-f]{32}", link) for link in links)
    for case in general:
        page = clerk.get(f"/staff/cases/{case.uid}").get_data(as_text=True)
        assert not re.search(rf'/staff/cases/{case.id}["/#?]', page)
    assert clerk.get(f"/staff/cases/{general[0].id}").status_code == 404  # sequential ids open nothing


def test_email_subjects_and_notifications_never_name_the_protected_channel(app, office):
    case, _ = file_report(subject=SUBJECT, reporter=intake.Reporter(email="whistle@example.org"))
    approvals.ask(office["niti"], case, "forward", now=case.received_at, agency="nacc",
                  message=Action(public_message="ส่งต่อสำนักงาน ป.ป.ช. แล้ว"))
    db.session.commit()
    request = db.session.scalar(select(CaseRequest))
    approvals.decide(request, office["oversight"], approve=True, now=request.requested_at)
    db.session.commit()
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    texts = [n.text for n in db.session.scalars(select(Notification))]
    assert subjects and texts
    for text in subjects + texts:
        for word in ("ทุจริต", "ประพฤติมิชอบ", "เบาะแส"):
            assert word not in text, text
    assert mail_texts.update(case, "x")[0].endswith("แจ้งผลการดำเนินการเรื่องของท่าน")


def test_a_reset_of_an_approver_without_email_goes_through_a_second_person_in_person(app, office):
    nayok = office["nayok"]
    nayok.email = None
    db.session.commit()
    admin = signed_in(app, "it")
    page = admin.get(f"/admin/users/{nayok.id}").get_data(as_text=True)
    html = admin.post(f"/admin/users/{nayok.id}/password", data={"csrf_token": csrf_from(page)},
                      follow_redirects=True).get_data(as_text=True)
    assert "/auth/set-password/" not in html and 'class="one-time-password"' not in html
    assert AuthActions(app.test_client()).login("nayok", PASSWORD).status_code == 302  # nothing changed yet
    request = db.session.scalar(select(AccountRequest))
    assert request.kind == "handover" and told(office["niti"], "ซึ่งไม่มีอีเมล")
    # The integrity officer approves and gets the link, once, to hand over in person.
    niti = signed_in(app, "niti")
    page = niti.get("/staff/approvals").get_data(as_text=True)
    shown = niti.post(f"/staff/approvals/accounts/{request.id}/approve", data={"csrf_token": csrf_from(page)})
    link = re.search(r"/auth/set-password/([A-Za-z0-9_-]+)", shown.get_data(as_text=True)).group(1)
    assert shown.headers["Cache-Control"] == "no-store"
    assert AuthActions(app.test_client()).login("nayok", PASSWORD).status_code == 200  # the old password is void
    assert app.test_client().get(f"/auth/set-password/{link}").status_code == 200


def test_an_administrator_cannot_redirect_an_integrity_officers_email_alone(app, office):
    niti = office["niti"]
    client = signed_in(app, "it")
    _user_form(client, niti, email="it.person@example.org")
    db.session.expire_all()
    assert db.session.get(User, niti.id).email == "niti@example.org"
    request = db.session.scalar(select(AccountRequest))
    assert request.kind == "email" and told(niti, "ขอเปลี่ยนอีเมลของ")
    # A reset now still mails the owner's real address, not the administrator's.
    page = client.get(f"/admin/users/{niti.id}").get_data(as_text=True)
    client.post(f"/admin/users/{niti.id}/password", data={"csrf_token": csrf_from(page)})
    recipients = {notify.recipient_of(m) for m in db.session.scalars(select(OutboxMessage))
                  if "ตั้งรหัสผ่าน" in m.subject}
    assert recipients == {"niti@example.org"}
