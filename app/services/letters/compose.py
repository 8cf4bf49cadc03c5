"""What each official letter says, as data: the parts of a หนังสือภายนอก and of a บันทึกข้อความ.

External letters go to a complainant (acknowledgement, completion notice, explanation of a delay) or to
another agency (forward). The upper part of a letter (ที่, address, date, เรื่อง, เรียน, อ้างถึง) shows
through a window envelope, so a corruption-channel letter never names the channel there, and it never
prints the reporter's name: it is addressed to "ผู้ร้องเรียน" and reaches them through the tracking page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ... import thai
from ...models import Case, Letter, Signatory, User
from ...models.case import COMPLETED, CORRUPTION, FORWARDED, GENERAL
from ...models.letters import ACKNOWLEDGEMENT, COMPLETION, EXPLANATION, FORWARD, MEMO
from .. import intake, links, sla
from ..organisation import get_profile
from ..surveys import ensure_invite
from ..tracking import event_public_message
from . import register, settings

#: Offline channels whose complainants get an acknowledgement letter when their name is known.
ACKNOWLEDGED_SOURCES = ("letter", "walk_in")
#: Whom a forwarded case's letter is addressed to, per receiving agency.
AGENCY_HEADS = {
    "nacc": ("เลขาธิการคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ", "สำนักงาน ป.ป.ช."),
    "pacc": ("เลขาธิการคณะกรรมการป้องกันและปราบปรามการทุจริตในภาครัฐ", "สำนักงาน ป.ป.ท."),
    "damrongdham": ("หัวหน้าศูนย์ดำรงธรรม", "ศูนย์ดำรงธรรม"),
    "district": ("นายอำเภอ", "อำเภอ"),
    "province": ("ผู้ว่าราชการจังหวัด", "จังหวัด"),
}
#: The titles staff see for each kind (buttons, register).
TITLES = {
    ACKNOWLEDGEMENT: "หนังสือแจ้งการรับเรื่อง",
    COMPLETION: "หนังสือแจ้งผลการดำเนินการ",
    EXPLANATION: "หนังสือชี้แจงกรณีดำเนินการไม่แล้วเสร็จภายในกำหนด",
    FORWARD: "หนังสือส่งต่อเรื่องร้องเรียน",
    MEMO: "บันทึกข้อความ",
}
SUBJECTS = {
    ACKNOWLEDGEMENT: "แจ้งการรับเรื่องร้องเรียน",
    COMPLETION: "แจ้งผลการดำเนินการตามเรื่องร้องเรียน",
    EXPLANATION: "ชี้แจงกรณีดำเนินการไม่แล้วเสร็จภายในกำหนด",
    FORWARD: "ส่งเรื่องร้องเรียนเพื่อพิจารณาดำเนินการ",
}
COMPLAINANT = "ผู้ร้องเรียน"


@dataclass(frozen=True)
class Signature:
    """The signature block: name in brackets, position, and the ปฏิบัติราชการแทน line when set."""

    name: str
    position: str
    acting_for: str = ""


@dataclass(frozen=True)
class ExternalLetter:
    """A หนังสือภายนอก, part by part in the order the regulation prints them."""

    kind: str
    channel: str
    #: "ที่ บป ๗๗๓๐๑/๑๒" without "ที่"; digits as stored (the document prints Thai digits).
    reference: str
    sender: str
    sender_address: str
    issued_on: date
    subject: str
    salutation: str
    references: list[str]
    enclosures: list[str]
    paragraphs: list[str]
    closing: str
    signature: Signature
    owner: str
    owner_phone: str
    #: The completion notice's survey link (printed with a QR code), else "".
    survey_url: str = ""
    void_reason: str = ""
    #: What the body quotes from the case (the result, the explanation), kept apart for the print view.
    quoted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Memo:
    """A บันทึกข้อความ: ส่วนราชการ, ที่, วันที่, เรื่อง, เรียน, the body and the signature."""

    unit: str
    reference: str
    issued_on: date
    subject: str
    salutation: str
    paragraphs: list[str]
    signature: Signature
    void_reason: str = ""


def reference(number: int) -> str:
    """A register number as printed after ที่: "<prefix>/<number>" (the prefix is the admin's letter code)."""
    prefix = settings.get().prefix
    return f"{prefix}/{number}" if prefix else str(number)


def _signature(letter: Letter) -> Signature:
    return Signature(letter.signatory_name, letter.signatory_position, letter.signatory_acting_for)


def _day(value: datetime | date) -> str:
    return thai.format_date(value, "full", "thai")


def _subject_of(case: Case) -> str:
    if case.channel == CORRUPTION:
        return intake.read_content(case).get("subject", "") or "-"
    return case.subject or "-"


def _complainant(case: Case) -> str:
    """The complainant's name for เรียน: general complaints only (a corruption letter never prints it)."""
    if case.channel != GENERAL or not case.reporter_enc:
        return ""
    return " ".join((intake.read_reporter(case).get("name") or "").split())


def _last_event(case: Case, kind: str, to_status: str | None = None):
    found = [e for e in case.events if e.kind == kind and (to_status is None or e.to_status == to_status)]
    return found[-1] if found else None


def kinds_for(case: Case) -> list[str]:
    """The letters a case can have now, in the order they are sent."""
    kinds = []
    if case.channel == GENERAL and case.source in ACKNOWLEDGED_SOURCES and _complainant(case):
        kinds.append(ACKNOWLEDGEMENT)
    if _last_event(case, "explain") is not None and case.explained_at is not None:
        kinds.append(EXPLANATION)
    if case.status == COMPLETED:
        kinds.append(COMPLETION)
    if case.status == FORWARDED:
        kinds.append(FORWARD)
    return kinds


def _agency(case: Case) -> tuple[str, str]:
    """(เรียน line, agency name for the register) of a forwarded case."""
    if case.forwarded_to in AGENCY_HEADS:
        return AGENCY_HEADS[case.forwarded_to]
    name = case.forwarded_to_other or "หน่วยงานที่เกี่ยวข้อง"
    return f"หัวหน้า{name}", name


def heading(case: Case, kind: str) -> register.Heading:
    """The register's subject and recipient of a case's letter."""
    if kind == FORWARD:
        return register.Heading(SUBJECTS[kind], _agency(case)[1])
    return register.Heading(SUBJECTS[kind], COMPLAINANT)


def issue_for_case(case: Case, kind: str, *, signatory: Signatory | None, actor: User | None,
                   now: datetime) -> Letter:
    """The case's letter of ``kind``: its standing register entry, or a new number (the caller checked access).

    :raise ValueError: the case cannot have this letter now (e.g. a completion notice before completion).
    """
    if kind not in kinds_for(case):
        raise ValueError(f"case {case.id} has no {kind} letter now")
    if kind == COMPLETION:
        ensure_invite(case, now=now)  # cases completed before surveys existed get one now
    return register.issue(kind, register.case_key(case, kind), heading(case, kind), case=case,
                          signatory=signatory or settings.default_signatory(), actor=actor, now=now)


def external(letter: Letter) -> ExternalLetter:
    """The letter as printed, read from its case now; number, date and signature from the register."""
    case = letter.case
    org = get_profile()
    config = settings.get()
    kind = letter.kind
    received = _day(case.received_at)
    subject = _subject_of(case)
    name = _complainant(case)
    corruption = case.channel == CORRUPTION
    numbered = f"เลขที่รับเรื่อง {case.case_number}" if not corruption else ""
    references = [f"เรื่องร้องเรียนของท่าน {numbered} รับเรื่องเมื่อวันที่ {received}".replace("  ", " ")]
    enclosures: list[str] = []
    quoted: list[str] = []
    survey = ""
    closing = "จึงเรียนมาเพื่อโปรดทราบ"
    salutation = name or COMPLAINANT
    opening = f"ตามที่ท่านได้ร้องเรียนต่อ{org.name} เรื่อง {subject} เมื่อวันที่ {received} ความละเอียดแจ้งแล้ว นั้น"
    if kind == ACKNOWLEDGEMENT:
        # The date their letter bears is not recorded, so the reference gives the day it was received.
        cited, source = (("หนังสือ", "หนังสือของท่าน") if case.source == "letter"
                         else ("คำร้อง", "คำร้องที่ท่านยื่น ณ ที่ทำการ"))
        references = [f"{source} ได้รับเมื่อวันที่ {received}"]
        opening = f"ตาม{cited}ที่อ้างถึง ท่านได้ร้องเรียนต่อ{org.name} เรื่อง {subject} ความละเอียดแจ้งแล้ว นั้น"
        days = sla.sla_days(case.channel)
        paragraphs = [opening, (
            f"{org.name} ได้รับเรื่องของท่านไว้แล้ว เมื่อวันที่ {received} {numbered} "
            f"และจะดำเนินการให้แล้วเสร็จภายใน {days} วัน นับจากวันที่รับเรื่อง (ภายในวันที่ {_day(case.due_at)}) "
            "หากดำเนินการไม่แล้วเสร็จภายในกำหนด จะชี้แจงเหตุผลให้ท่านทราบ "
            f"ท่านติดตามความคืบหน้าได้ที่ {links.for_typing(links.tracking_lookup())} ด้วยรหัสติดตามเรื่องที่ได้รับพร้อมใบรับเรื่อง")]
    elif kind == COMPLETION:
        event = _last_event(case, "complete", COMPLETED)
        result = event_public_message(case, event) if event else ""
        quoted = [result or "-"]
        completed = _day(case.closed_at or (event.at if event else letter.created_at))
        survey = links.survey(ensure_invite(case, now=letter.created_at))
        paragraphs = [opening, f"{org.name} ได้ดำเนินการเรื่องดังกล่าวแล้วเสร็จ เมื่อวันที่ {completed} "
                               "ผลการดำเนินการ ดังนี้", *quoted,
                      "ขอความกรุณาท่านประเมินความพึงพอใจต่อการจัดการเรื่องร้องเรียน โดยสแกนคิวอาร์โค้ด "
                      "หรือเปิดที่อยู่ท้ายหนังสือนี้ ใช้เวลาไม่ถึงหนึ่งนาที และไม่ต้องระบุชื่อ "
                      f"ความคิดเห็นของท่านจะนำไปใช้ปรับปรุงการจัดการเรื่องร้องเรียนของ{org.name}"]
    elif kind == EXPLANATION:
        event = _last_event(case, "explain")
        quoted = [event_public_message(case, event) if event else "-"]
        paragraphs = [f"ตามที่ท่านได้ร้องเรียนต่อ{org.name} เรื่อง {subject} เมื่อวันที่ {received} "
                      f"ซึ่ง{org.name}กำหนดดำเนินการให้แล้วเสร็จภายในวันที่ {_day(case.due_at)} นั้น",
                      "บัดนี้ การดำเนินการยังไม่แล้วเสร็จ จึงขอชี้แจงเหตุผลและกำหนดการดำเนินการต่อไป ดังนี้", *quoted,
                      f"ท่านติดตามความคืบหน้าได้ที่ {links.for_typing(links.tracking_lookup())} ด้วยรหัสติดตามเรื่องของท่าน"]
        closing = "จึงเรียนมาเพื่อโปรดทราบ และขออภัยในความล่าช้ามา ณ โอกาสนี้"
    elif kind == FORWARD:
        salutation = _agency(case)[0]
        references = []
        enclosures = ["สำเนาเรื่องร้องเรียน จำนวน ๑ ชุด"]
        event = _last_event(case, "forward", FORWARDED)
        why = event_public_message(case, event) if event else ""
        quoted = [why] if why else []
        paragraphs = [f"ด้วย{org.name} ได้รับเรื่องร้องเรียน เรื่อง {subject} เมื่อวันที่ {received} "
                      "ซึ่งพิจารณาแล้วเห็นว่าอยู่ในอำนาจหน้าที่ของหน่วยงานท่าน", *quoted,
                      "จึงขอส่งเรื่องดังกล่าวมาเพื่อพิจารณาดำเนินการตามอำนาจหน้าที่ต่อไป รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"
                      + (" ทั้งนี้ ขอได้โปรดปกปิดชื่อและข้อมูลของผู้ร้องเรียนตามกฎหมาย" if corruption else "")]
        closing = "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"
    else:
        raise ValueError(f"{kind} is not an external letter")
    owner = config.corruption_owner if corruption else config.general_owner
    phone = config.corruption_phone if corruption else config.general_phone
    return ExternalLetter(
        kind=kind, channel=case.channel, reference=reference(letter.number), sender=org.name,
        sender_address=config.address or org.address or "", issued_on=letter.issued_on, subject=SUBJECTS[kind],
        salutation=salutation, references=references, enclosures=enclosures, paragraphs=paragraphs,
        closing=closing, signature=_signature(letter), owner=owner or org.name, owner_phone=phone or org.phone or "",
        survey_url=survey, void_reason=register.void_reason(letter), quoted=quoted)


def issue_memo(key: str, *, subject: str, salutation: str, signatory: Signatory | None, actor: User | None,
               now: datetime) -> Letter:
    """Take (or find) the register number of a memo named by ``key`` (e.g. "report:2569:half")."""
    return register.issue(MEMO, key, register.Heading(subject, salutation), case=None,
                          signatory=signatory or settings.default_signatory(), actor=actor, now=now)


def memo(letter: Letter, paragraphs: list[str]) -> Memo:
    """A memo as printed: its register number and date, the admin's ส่วนราชการ, and the caller's body."""
    org = get_profile()
    unit = settings.get().memo_unit or org.name
    return Memo(unit=unit, reference=reference(letter.number), issued_on=letter.issued_on, subject=letter.subject,
                salutation=letter.recipient, paragraphs=paragraphs, signature=_signature(letter),
                void_reason=register.void_reason(letter))
