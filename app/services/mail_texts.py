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
    # The corruption channel's number is internal; citizens see only their tracking code.
    return case.case_number if case.channel == "general" else "เรื่องร้องเรียนการทุจริตฯ"


def received(case: Case, tracking_code: str) -> tuple[str, str]:
    """Acknowledgement of receipt (with the tracking code, sent only to the citizen's own address)."""
    subject = f"[{_org()}] ได้รับเรื่องของท่านแล้ว {_reference(case)}"
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
    subject = f"[{_org()}] ความคืบหน้าเรื่องของท่าน {_reference(case)}: {status}"
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
    link = links.staff_case(case)
    return f"[{_org()}] {text}", f"{text}\n\nเปิดเรื่อง: {link}\n"
