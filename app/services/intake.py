"""Receiving complaints and corruption reports from citizens (web, API) and from staff (offline channels)."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from .. import thai
from ..labels import lazy_concat, lazy_join, lazy_text as _l
from ..extensions import db
from ..models import Case, CaseEvent, Category
from ..models.case import CORRUPTION, GENERAL, RECEIVED, SOURCES
from ..security import columns, crypto
from . import attachments as attachment_store
from . import numbering, sla, tracking_codes
from .cases import accused as accused_match
from .cases import exclusions
from .attachments import AttachmentError, Upload

#: Field length limits shared by the forms and the API.
LIMITS = {"subject": 300, "details": 10000, "location": 500, "name": 200, "phone": 30, "email": 200,
          "address": 500, "national_id": 13, "accused_name": 200, "accused_position": 200,
          "accused_unit": 200, "evidence": 5000, "witnesses": 2000}


class IntakeError(ValueError):
    """Input that cannot be accepted: messages per field; nothing was saved.

    The messages are lazy strings (Thai source text, translated when shown): convert them with
    ``str()`` during the request that shows them, e.g. before putting them into JSON or the session.
    """

    def __init__(self, fields: dict[str, str]):
        super().__init__(lazy_join("; ", (lazy_concat(k, ": ", v) for k, v in fields.items())))
        self.fields = fields


@dataclass
class Reporter:
    """Identity and contact of a complainant or whistleblower; every field optional."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    national_id: str = ""

    def as_dict(self) -> dict[str, str]:
        """Only the fields that were given."""
        return {k: v for k, v in vars(self).items() if v}

    @property
    def is_empty(self) -> bool:
        """True when nothing identifying was given."""
        return not self.as_dict()


@dataclass
class Accused:
    """Who the corruption report is about (optional): typed, and/or a position chosen from the directory."""

    name: str = ""
    position: str = ""
    unit: str = ""
    #: Key of a services.cases.accused directory entry (a position in a unit), or "".
    directory: str = ""


@dataclass
class ComplaintInput:
    """A general complaint as submitted."""

    subject: str
    details: str
    category_code: str = ""
    location: str = ""
    reporter: Reporter = field(default_factory=Reporter)
    files: list[Upload] = field(default_factory=list)


@dataclass
class ReportInput:
    """A corruption / misconduct report as submitted."""

    subject: str
    details: str
    category_code: str = ""
    accused: Accused = field(default_factory=Accused)
    incident_date: str = ""
    location: str = ""
    evidence: str = ""
    witnesses: str = ""
    reporter: Reporter = field(default_factory=Reporter)
    files: list[Upload] = field(default_factory=list)


@dataclass
class Submission:
    """An accepted case and the tracking code shown to the citizen once."""

    case: Case
    tracking_code: str


_PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{7,18}[0-9]$")


def _clean(text: str | None) -> str:
    # Drop control characters (but keep line breaks) that could hide text or break exports.
    return "".join(ch for ch in (text or "") if ch in "\n\t" or ch.isprintable()).strip()


def _check_reporter(reporter: Reporter, errors: dict[str, str], prefix: str = "reporter.") -> Reporter:
    cleaned = Reporter(**{k: _clean(v) for k, v in vars(reporter).items()})
    for key in ("name", "address", "phone", "email"):
        if len(getattr(cleaned, key)) > LIMITS[key]:
            errors[prefix + key] = _l("ยาวเกิน %(n)s ตัวอักษร", n=LIMITS[key])
    if cleaned.phone and not _PHONE_RE.match(cleaned.phone):
        errors[prefix + "phone"] = _l("หมายเลขโทรศัพท์ไม่ถูกต้อง (ตัวอย่าง 081-234-5678)")
    if cleaned.email:
        try:
            cleaned.email = validate_email(cleaned.email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors[prefix + "email"] = _l("อีเมลไม่ถูกต้อง (ตัวอย่าง name@example.com)")
    if cleaned.national_id:
        digits = re.sub(r"[\s-]", "", cleaned.national_id)
        if not _valid_thai_id(digits):
            errors[prefix + "national_id"] = _l("เลขประจำตัวประชาชนไม่ถูกต้อง")
        cleaned.national_id = digits
    return cleaned


def _valid_thai_id(digits: str) -> bool:
    """Thai national ID: 13 digits with a mod-11 check digit."""
    if not re.fullmatch(r"\d{13}", digits):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def _check_text(name: str, value: str, errors: dict[str, str], required: bool, label: str) -> str:
    value = _clean(value)
    if required and not value:
        errors[name] = _l("กรุณากรอก%(label)s", label=label)
    elif len(value) > LIMITS[name]:
        errors[name] = _l("%(label)sยาวเกิน %(n)s ตัวอักษร", label=label, n=LIMITS[name])
    return value


def _category(code: str, channel: str, errors: dict[str, str]) -> Category | None:
    code = _clean(code)
    if not code:
        return None
    cat = db.session.scalar(select(Category).where(Category.code == code, Category.active.is_(True)))
    if cat is None or cat.channel not in (channel, "both"):
        errors["category"] = _l("ไม่พบประเภทเรื่องที่เลือก")
        return None
    return cat


def _check_files(files: list[Upload], errors: dict[str, str]) -> list[attachment_store.CleanFile]:
    files = [f for f in files if f.data]
    if len(files) > attachment_store.max_files():
        errors["files"] = _l("แนบไฟล์ได้ไม่เกิน %(n)s ไฟล์", n=attachment_store.max_files())
        return []
    cleaned = []
    for upload in files:
        try:
            cleaned.append(attachment_store.clean(upload))
        except AttachmentError as exc:
            errors["files"] = lazy_concat(upload.filename or _l("ไฟล์"), ": ", exc.args[0])
    return cleaned


def _parse_incident_date(text: str, errors: dict[str, str], now: datetime) -> str:
    """Accept an ISO date (or a free-text description such as 'ต้นเดือนมีนาคม') up to 100 characters."""
    text = _clean(text)
    if not text:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            when = date.fromisoformat(text)
            if when.year > 2400:  # a Buddhist Era year, as Thai citizens usually write it
                when = when.replace(year=thai.ce_year(when.year))
        except ValueError:
            errors["incident_date"] = _l("วันที่ไม่ถูกต้อง")
            return text
        if when > thai.to_local(now).date():
            errors["incident_date"] = _l("วันที่เกิดเหตุต้องไม่เป็นวันในอนาคต")
    elif len(text) > 100:
        errors["incident_date"] = _l("ระบุวันที่เกิดเหตุไม่เกิน 100 ตัวอักษร")
    return text


def _check_received_at(received_at: datetime | None, now: datetime, errors: dict[str, str]) -> None:
    """Offline cases carry the date actually received: not in the future, not over a year back."""
    if received_at is None:
        return
    if received_at > now:
        errors["received_at"] = "วันที่รับเรื่องต้องไม่เป็นวันในอนาคต"
    elif (now - received_at).days > 366:
        errors["received_at"] = "วันที่รับเรื่องย้อนหลังได้ไม่เกิน 1 ปี"


def _new_case(channel: str, *, now: datetime, received_at: datetime | None, source: str) -> tuple[Case, str]:
    received = received_at or now
    fiscal_year = thai.fiscal_year(received)
    sequence = numbering.next_sequence(channel, fiscal_year)
    code = tracking_codes.new_code()
    case = Case(
        uid=uuid.uuid4().hex, channel=channel, status=RECEIVED, source=source, fiscal_year=fiscal_year, sequence=sequence,
        case_number=numbering.format_number(channel, sequence, fiscal_year),
        tracking_hash=tracking_codes.code_hash(code), received_at=received,
        due_at=sla.due_at(channel, received), created_at=now, updated_at=now,
    )
    return case, code


def _finish(case: Case, files: list[attachment_store.CleanFile], actor_id: int | None, now: datetime,
            reporter: Reporter, code: str) -> None:
    from . import mail_texts, notify, reminders

    db.session.add(case)
    db.session.flush()
    # The timeline starts when the organisation actually received it (offline cases: earlier).
    case.events.append(CaseEvent(at=case.received_at, actor_id=actor_id, kind="received", to_status=RECEIVED))
    reminders.schedule_for(case, now)
    if reporter.email:  # written acknowledgement, to the complainant's own address only
        subject, body = mail_texts.received(case, code)
        notify.enqueue_email(reporter.email, subject, body, now=now, case=case)
    stored = []
    try:
        for clean_file in files:
            stored.append(attachment_store.store(case, clean_file, source="citizen" if actor_id is None else "staff",
                                                 uploaded_by_id=actor_id))
        db.session.flush()
    except Exception:
        attachment_store.discard_files(stored)
        raise


def _check_complaint(data: ComplaintInput) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    values = {
        "subject": _check_text("subject", data.subject, errors, True, _l("เรื่องที่ร้องเรียน")),
        "details": _check_text("details", data.details, errors, True, _l("รายละเอียด")),
        "location": _check_text("location", data.location, errors, False, _l("สถานที่")),
        "category": _category(data.category_code, GENERAL, errors),
        "reporter": _check_reporter(data.reporter, errors),
        "files": _check_files(data.files, errors),
    }
    return values, errors


def validate_complaint(data: ComplaintInput) -> dict[str, str]:
    """Thai messages per field for a complaint, without saving anything."""
    return _check_complaint(data)[1]


def submit_complaint(data: ComplaintInput, *, now: datetime, source: str = "web",
                     received_at: datetime | None = None, actor_id: int | None = None) -> Submission:
    """Accept a general complaint; the caller commits (and discards files if the commit fails).

    :raise IntakeError: with Thai messages per field; nothing is saved.
    """
    values, errors = _check_complaint(data)
    _check_received_at(received_at, now, errors)
    if source not in SOURCES:
        errors["source"] = _l("ช่องทางไม่ถูกต้อง")
    if errors:
        raise IntakeError(errors)
    case, code = _new_case(GENERAL, now=now, received_at=received_at, source=source)
    case.subject, case.details = values["subject"], values["details"]
    case.location, case.category = values["location"] or None, values["category"]
    if values["category"] is not None and values["category"].default_unit_id:
        case.unit_id = values["category"].default_unit_id
    _set_reporter(case, values["reporter"])
    _finish(case, values["files"], actor_id, now, values["reporter"], code)
    return Submission(case, code)


def _check_report(data: ReportInput, now: datetime) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    content = {
        "subject": _check_text("subject", data.subject, errors, True, _l("เรื่องที่แจ้ง")),
        "details": _check_text("details", data.details, errors, True, _l("รายละเอียดการกระทำ")),
        "location": _check_text("location", data.location, errors, False, _l("สถานที่เกิดเหตุ")),
        "evidence": _check_text("evidence", data.evidence, errors, False, _l("พยานหลักฐาน")),
        "witnesses": _check_text("witnesses", data.witnesses, errors, False, _l("พยานบุคคล")),
        "incident_date": _parse_incident_date(data.incident_date, errors, now),
        "accused": {
            "name": _check_text("accused_name", data.accused.name, errors, False, _l("ชื่อผู้ถูกร้องเรียน")),
            "position": _check_text("accused_position", data.accused.position, errors, False, _l("ตำแหน่ง")),
            "unit": _check_text("accused_unit", data.accused.unit, errors, False, _l("สังกัด")),
        },
    }
    chosen = data.accused.directory.strip()
    entry = accused_match.directory_entry(chosen) if chosen else None
    if chosen and entry is None:
        errors["accused_directory"] = _l("ไม่พบตำแหน่งที่เลือกในรายการ กรุณาเลือกใหม่ หรือพิมพ์ชื่อและตำแหน่งแทน")
    elif entry is not None:
        content["accused"]["position"] = content["accused"]["position"] or entry.position
        content["accused"]["unit"] = content["accused"]["unit"] or entry.unit
    values = {
        "content": content,
        "directory": chosen,
        "category": _category(data.category_code, CORRUPTION, errors),
        "reporter": _check_reporter(data.reporter, errors),
        "files": _check_files(data.files, errors),
    }
    return values, errors


def validate_report(data: ReportInput, now: datetime) -> dict[str, str]:
    """Thai messages per field for a corruption report, without saving anything."""
    return _check_report(data, now)[1]


def submit_report(data: ReportInput, *, now: datetime, source: str = "web",
                  received_at: datetime | None = None, actor_id: int | None = None) -> Submission:
    """Accept a corruption report: its whole content and any identity are encrypted; no address is kept.

    :raise IntakeError: with Thai messages per field; nothing is saved.
    """
    values, errors = _check_report(data, now)
    _check_received_at(received_at, now, errors)
    if source not in SOURCES:
        errors["source"] = _l("ช่องทางไม่ถูกต้อง")
    if errors:
        raise IntakeError(errors)
    case, code = _new_case(CORRUPTION, now=now, received_at=received_at, source=source)
    case.category = values["category"]
    case.content_enc = crypto.encrypt_json(values["content"], content_aad(case))
    _set_reporter(case, values["reporter"])
    _finish(case, values["files"], actor_id, now, values["reporter"], code)
    # Before anyone can act: whoever the report likely names never sees it (a human confirms later).
    named = values["content"]["accused"]
    for match in accused_match.find(named["name"], named["position"], named["unit"], values["directory"]):
        exclusions.exclude(case, match.user, basis=match.basis, confirmed=False, now=now)
    db.session.flush()
    return Submission(case, code)


content_aad = columns.case_content_aad
reporter_aad = columns.case_reporter_aad


def _set_reporter(case: Case, reporter: Reporter) -> None:
    case.is_anonymous = reporter.is_empty
    case.reporter_enc = None if reporter.is_empty else crypto.encrypt_json(reporter.as_dict(), reporter_aad(case))


def read_content(case: Case) -> dict:
    """The decrypted content of a corruption report (callers must have checked access)."""
    return crypto.decrypt_json(case.content_enc, content_aad(case))


def read_reporter(case: Case) -> dict:
    """The decrypted reporter identity (callers must have checked access and, for corruption, audited)."""
    return crypto.decrypt_json(case.reporter_enc, reporter_aad(case))
