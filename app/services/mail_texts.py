"""The wording of e-mails and in-app notes (Thai; sent outside any request, so not per-visitor)."""
from __future__ import annotations

from .. import thai
from flask_babel import force_locale

from ..labels import STATUS_LABELS
from ..models import Case
from . import links, sla
from .organisation import get_profile


def _org() -> str:
    return get_profile().short_name


def _track_link() -> str:
    return links.tracking_lookup()


def _reference(case: Case) -> str:
    # The corruption channel's number is internal, and whoever glances at the reporter's inbox must not learn
    # what kind of matter it is: a protected-channel mail names nothing.
    return f" {case.case_number}" if case.channel == "general" else ""


def received(case: Case, tracking_code: str) -> tuple[str, str]:
    """Acknowledgement of receipt (with the tracking code, sent only to the citizen's own address)."""
    subject = f"[{_org()}] ได้รับเรื่องของท่านแล้ว{_reference(case)}"
    body = (
        f"เรียน ผู้ร้องเรียน\n\n{get_profile().name} ได้รับเรื่องของท่านแล้ว\n\n"
        + (f"เลขที่รับเรื่อง: {case.case_number}\n" if case.channel == "general" else "")
        + f"รหัสติดตามเรื่อง: {tracking_code}\n"
        f"วันที่รับเรื่อง: {thai.format_date(case.received_at)}\n"
        f"กำหนดแล้วเสร็จ: {thai.format_date(case.due_at)}\n\n"
        f"เจ้าหน้าที่จะดำเนินการภายในกำหนด หากไม่แล้วเสร็จจะชี้แจงเหตุผลให้ท่านทราบ\n"
        f"ติดตามเรื่องได้ที่ {_track_link()} โดยกรอกรหัสติดตามเรื่องข้างต้น\n\n{get_profile().name}\n"
    )
    return subject, body


def update(case: Case, message: str, survey_url: str | None = None) -> tuple[str, str]:
    """A public update (progress, explanation, result) for the citizen; the result may invite a survey."""
    with force_locale("th"):  # the e-mail is Thai whatever language the officer's screen uses
        status = str(STATUS_LABELS[case.status])
    what = "แจ้งผลการดำเนินการเรื่องของท่าน" if case.is_closed else "แจ้งความคืบหน้าเรื่องของท่าน"
    subject = f"[{_org()}] {what}{_reference(case)}"
    survey = (
        f"กรุณาประเมินความพึงพอใจต่อการจัดการเรื่องร้องเรียนของท่าน (ใช้เวลาไม่ถึงหนึ่งนาที) ได้ที่\n{survey_url}\n\n"
        if survey_url else ""
    )
    body = (
        f"เรียน ผู้ร้องเรียน\n\nสถานะเรื่องของท่าน: {status}\n\n{message}\n\n{survey}"
        f"ดูรายละเอียดได้ที่ {_track_link()} ด้วยรหัสติดตามเรื่องของท่าน\n\n{get_profile().name}\n"
    )
    return subject, body


def staff_reminder(case: Case, kind: str, days_before: int) -> tuple[str, str]:
    """A reminder to staff before, on or after the due date (never the reporter's identity)."""
    due = thai.format_date(case.due_at)
    if kind == "before":
        unit = "วันทำการ" if sla.policy(case.channel).mode == sla.WORKING else "วัน"
        text = f"เรื่อง {case.case_number} จะครบกำหนดในอีก {days_before} {unit} ({due})"
    elif kind == "due":
        text = f"เรื่อง {case.case_number} ครบกำหนดวันนี้ ({due})"
    else:
        text = f"เรื่อง {case.case_number} เกินกำหนดแล้ว (ครบกำหนด {due}) กรุณาดำเนินการและชี้แจงผู้ร้องเรียน"
    return f"[{_org()}] {text}", f"{text}\n\nเปิดเรื่อง: {links.staff_case(case)}\n"


def assigned(case: Case) -> tuple[str, str]:
    """To the officer named responsible for a case."""
    text = f"ท่านได้รับมอบหมายเรื่อง {case.case_number}"
    return text, f"{text} กำหนดแล้วเสร็จ {thai.format_date(case.due_at)}\n\nเปิดเรื่อง: {links.staff_case(case)}\n"


def approval_waiting(case: Case | None) -> tuple[str, str]:
    """To the people who may approve a request (a case action or an account change); no content."""
    text = f"มีคำขอรออนุมัติจากท่าน{' เรื่อง ' + case.case_number if case is not None else ''}"
    link = links.staff_case(case) if case is not None else links.url("staff.approvals")
    return f"[{_org()}] {text}", f"{text}\nคำขอนี้จะหมดอายุหากไม่มีผู้พิจารณาภายในกำหนด\n\nพิจารณาได้ที่ {link}\n"


def approval_decided(case: Case | None, approved: bool) -> tuple[str, str]:
    """To the requester once a second person decided."""
    verdict = "ได้รับอนุมัติแล้ว" if approved else "ไม่ได้รับอนุมัติ"
    text = f"คำขอของท่าน{' เรื่อง ' + case.case_number if case is not None else ''}{verdict}"
    return f"[{_org()}] {text}", text + (f"\n\nเปิดเรื่อง: {links.staff_case(case)}\n" if case is not None else "\n")


def nobody_can_approve(case: Case) -> tuple[str, str]:
    """To the executive: a request waits and no second person exists to decide it."""
    text = f"เรื่อง {case.case_number} มีคำขอที่ไม่มีผู้อนุมัติได้ กรุณาแต่งตั้งผู้กำกับดูแล"
    return f"[{_org()}] มีคำขอที่ไม่มีผู้อนุมัติได้", text


def account_change(text: str) -> tuple[str, str]:
    """An announcement of a change to an integrity, oversight or executive account (who did what to whom)."""
    return f"[{_org()}] แจ้งการเปลี่ยนแปลงบัญชีผู้ใช้ที่ต้องตรวจสอบ", f"{text}\n\nหากท่านไม่ทราบเรื่องนี้ กรุณาแจ้งผู้บริหารหรือผู้กำกับดูแลโดยเร็ว\n"


def set_password_link(url: str, hours: int) -> tuple[str, str]:
    """To an account's owner: the one-time link with which they set their own password."""
    return (f"[{_org()}] ลิงก์สำหรับตั้งรหัสผ่านของท่าน",
            f"ใช้ลิงก์นี้ตั้งรหัสผ่านใหม่ของท่าน (ใช้ได้ครั้งเดียว ภายใน {hours} ชั่วโมง)\n{url}\n\n"
            "ผู้ดูแลระบบไม่เห็นลิงก์นี้และไม่ทราบรหัสผ่านที่ท่านตั้ง หากท่านไม่ได้ขอ กรุณาแจ้งผู้บริหารโดยเร็ว\n")
