"""The two public handbooks (คู่มือ): general complaints and, separately, corruption complaints.

Each handbook has the four parts the plans require (002 L1383-1395): how outsiders complain, the
steps, the responsible unit/officer and the time frame. The facts in each part are built from the
live settings every time the page is shown (organisation profile, units and categories, the
channel's SLA rule, the positions of the staff who take the cases), so the handbook stays true when
the settings change; the admin's ``Handbook`` row only adds words, a chosen unit, a position and a
contact. Staff names never appear: positions and units only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel.speaklater import LazyString
from sqlalchemy import select

from ..extensions import db
from ..labels import SOURCE_LABELS, STATUS_LABELS, lazy_concat
from ..labels import lazy_text as _l
from ..models import Category, Handbook, Unit, User, UserRole
from ..models.handbook import KINDS
from ..models.people import INTAKE, INTEGRITY
from . import attachments, audit, links, sla
from .admin import AdminError
from .organisation import get_profile

GENERAL, CORRUPTION = KINDS

#: The admin's extra words per part, in part order (the Handbook columns).
PART_FIELDS = ("how_to", "steps", "responsible", "time_frame")
#: Longest admin text per field (a few pages of Thai is plenty for one part).
MAX_TEXT = 5000
MAX_TITLE = 200
MAX_CONTACT = 300

TITLES = {
    GENERAL: _l("คู่มือการจัดการเรื่องร้องเรียน/ร้องทุกข์"),
    CORRUPTION: _l("คู่มือการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
}

PART_HEADINGS = {
    "how_to": _l("ช่องทางและวิธีการร้องเรียน"),
    "steps": _l("ขั้นตอนการจัดการเรื่องร้องเรียน"),
    "responsible": _l("หน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ"),
    "time_frame": _l("ระยะเวลาดำเนินการ"),
}

#: What each status means to the citizen (the labels themselves come from app.labels).
_STATUS_MEANING = {
    "received": _l("ได้รับเรื่องของท่านแล้ว รอเจ้าหน้าที่ตรวจสอบ"),
    "in_progress": _l("หน่วยงานที่รับผิดชอบกำลังดำเนินการ"),
    "completed": _l("ดำเนินการเสร็จสิ้นแล้ว พร้อมแจ้งผลการดำเนินการ"),
    "rejected": _l("ไม่รับไว้พิจารณา พร้อมแจ้งเหตุผล"),
    "forwarded": _l("ส่งเรื่องไปยังหน่วยงานที่มีอำนาจหน้าที่ พร้อมแจ้งชื่อหน่วยงาน"),
}


# --- what a handbook page is made of --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One sentence or list item; ``href`` makes the shown address a link on the web page."""

    text: str | LazyString
    #: Link target on the web page (a path of this site); None for plain text.
    href: str | None = None
    #: The address as printed (absolute, so a printout or the PDF can be typed in).
    address: str | None = None


@dataclass
class Block:
    """A paragraph, optionally followed by a bulleted (or numbered) list."""

    text: str | LazyString = ""
    items: list[Line] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Part:
    """One of the four required parts: facts from the settings, then the admin's extra words."""

    number: int
    #: The Handbook column holding the admin's words for this part.
    key: str
    heading: str | LazyString
    facts: list[Block]
    extra: str


@dataclass
class HandbookView:
    """Everything a handbook page or PDF shows."""

    kind: str
    title: str | LazyString
    org_name: str
    #: The generated opening paragraph, then the admin's own introduction (may be empty).
    summary: Block
    intro: str
    parts: list[Part]
    #: When the admin last saved words for this handbook; None when it is built from settings alone.
    updated_at: datetime | None
    #: The other handbook (each links to the other).
    other_kind: str
    other_title: str | LazyString


@dataclass
class HandbookInput:
    """What the admin may change on a handbook."""

    intro: str = ""
    how_to: str = ""
    steps: str = ""
    responsible: str = ""
    time_frame: str = ""
    #: 0 or None: the unit of the staff who take these cases (computed).
    unit_id: int | None = None
    officer_title: str = ""
    contact: str = ""


# --- live facts ---------------------------------------------------------------------------------------------


def _public(endpoint: str, **values) -> Line:
    """A link to one of this site's public pages, printed with its absolute address."""
    return Line("", href=links.path(endpoint, **values), address=links.url(endpoint, **values))


def _link(text, endpoint: str, **values) -> Line:
    link = _public(endpoint, **values)
    return Line(text, href=link.href, address=link.address)


def get(kind: str) -> Handbook | None:
    """The admin's saved words for a handbook, or None (the page is then built from settings alone)."""
    if kind not in KINDS:
        raise ValueError(kind)
    return db.session.get(Handbook, kind)


def _staff_of(role: str) -> list[User]:
    """Active staff holding ``role`` (read for their units and positions only, never their names)."""
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.id)))


def default_role(kind: str) -> str:
    """The role whose staff take this handbook's cases: intake (general) or integrity (corruption)."""
    return INTEGRITY if kind == CORRUPTION else INTAKE


@dataclass
class Responsible:
    """Part 3's unit, position and contact, and whether each came from the admin or from the settings."""

    units: list[str]
    positions: list[str]
    contact: list[str]
    unit_from_admin: bool
    title_from_admin: bool
    contact_from_admin: bool


def responsible(kind: str, handbook: Handbook | None = None) -> Responsible:
    """Who is responsible: the admin's choice, else the units and positions of the active staff of the role."""
    handbook = handbook if handbook is not None else get(kind)
    staff = _staff_of(default_role(kind))
    chosen = handbook.unit if handbook is not None and handbook.unit is not None else None
    if chosen is not None and chosen.active:
        units, unit_from_admin = [chosen.name], True
    else:
        # A retired unit takes no new cases, so the handbook falls back to where the staff are now.
        seen: dict[int, Unit] = {}
        for user in staff:
            if user.unit is not None and user.unit.active:
                seen.setdefault(user.unit.id, user.unit)
        units = [u.name for u in sorted(seen.values(), key=lambda u: (u.sort_order, u.name))]
        unit_from_admin = False
    title = (handbook.officer_title or "").strip() if handbook is not None else ""
    if title:
        positions, title_from_admin = [title], True
    else:
        positions = sorted({(u.position or "").strip() for u in staff} - {""})
        title_from_admin = False
    contact_text = (handbook.contact or "").strip() if handbook is not None else ""
    if contact_text:
        contact, contact_from_admin = [contact_text], True
    else:
        org = get_profile()
        contact = [str(x) for x in (
            _l("โทรศัพท์ %(phone)s", phone=org.phone) if org.phone else None,
            _l("อีเมล %(email)s", email=org.email) if org.email else None) if x]
        contact_from_admin = False
    return Responsible(units, positions, contact, unit_from_admin, title_from_admin, contact_from_admin)


def from_settings(kind: str) -> Responsible:
    """Part 3 as the settings alone make it (what the admin's blank fields fall back to)."""
    return responsible(kind, Handbook(kind=kind))


def _unit_text(kind: str, who: Responsible, short_name: str) -> str:
    if who.units:
        return " / ".join(who.units)
    if kind == CORRUPTION:
        return str(_l("งานที่รับผิดชอบเรื่องร้องเรียนการทุจริตของ %(org)s", org=short_name))
    return str(_l("ศูนย์รับเรื่องราวร้องทุกข์/ร้องเรียนของ %(org)s", org=short_name))


def _position_text(kind: str, who: Responsible) -> str:
    if who.positions:
        return ", ".join(who.positions)
    if kind == CORRUPTION:
        return str(_l("เจ้าหน้าที่ผู้รับผิดชอบเรื่องร้องเรียนการทุจริต"))
    return str(_l("เจ้าหน้าที่รับเรื่องร้องเรียน"))


def _category_units() -> list[Line]:
    """"กองช่าง: ถนน ..., ไฟฟ้าสาธารณะ" for every active unit that usually handles a general category."""
    rows = db.session.execute(
        select(Unit.name, Category.name).join(Category, Category.default_unit_id == Unit.id)
        .where(Unit.active.is_(True), Category.active.is_(True), Category.channel.in_((GENERAL, "both")))
        .order_by(Unit.sort_order, Unit.name, Category.sort_order, Category.name)).all()
    grouped: dict[str, list[str]] = {}
    for unit_name, category_name in rows:
        grouped.setdefault(unit_name, []).append(category_name)
    return [Line(f"{unit}: {', '.join(categories)}") for unit, categories in grouped.items()]


def _days_text(rule: sla.SlaPolicy):
    if rule.mode == sla.WORKING:
        return _l("%(n)s วันทำการ", n=rule.days)
    return _l("%(n)s วัน", n=rule.days)


def _mode_text(rule: sla.SlaPolicy):
    if rule.mode == sla.WORKING:
        return _l("นับเฉพาะวันทำการ ไม่นับวันเสาร์ วันอาทิตย์ วันหยุดราชการ และวันหยุดขององค์กร "
                  "โดยเริ่มนับจากวันถัดจากวันที่รับเรื่อง")
    return _l("นับตามวันปฏิทิน รวมวันเสาร์ วันอาทิตย์ และวันหยุดราชการ")


def _status_block() -> Block:
    return Block(_l("สถานะของเรื่องที่ท่านจะเห็นในหน้าติดตามเรื่อง"),
                 [Line(lazy_concat(label, ": ", _STATUS_MEANING[status])) for status, label in STATUS_LABELS.items()])


# --- the four parts -------------------------------------------------------------------------------------------


def _how_to(kind: str, org, who: Responsible) -> list[Block]:
    name, short = org.name, org.short_name
    limits = _l("รูปภาพหรือ PDF ไม่เกิน %(n)s ไฟล์ ไฟล์ละไม่เกิน %(mb)s MB",
                n=attachments.max_files(), mb=attachments.max_bytes() // (1024 * 1024))
    address = f"{name} {org.address}".strip() if org.address else name
    phone = [Line(lazy_concat(SOURCE_LABELS["phone"], ": ", org.phone))] if org.phone else []
    if kind == GENERAL:
        channels = [
            _link(lazy_concat(SOURCE_LABELS["web"], ": ",
                              _l("แบบฟอร์มร้องเรียน/ร้องทุกข์ออนไลน์ ตลอด 24 ชั่วโมง")), "public.complaint"),
            *phone,
            Line(lazy_concat(SOURCE_LABELS["letter"], ": ", _l("ส่งถึง %(address)s", address=address))),
            Line(lazy_concat(SOURCE_LABELS["box"], ": ", _l("ณ ที่ทำการ %(org)s", org=name))),
            Line(lazy_concat(SOURCE_LABELS["walk_in"], ": ", address)),
            Line(lazy_concat(SOURCE_LABELS["social_media"], ": ",
                             _l("ช่องทางสื่อสังคมออนไลน์ของ %(org)s", org=short))),
            Line(lazy_concat(SOURCE_LABELS["damrongdham"], " / ", SOURCE_LABELS["hotline_1111"], ": ",
                             _l("ศูนย์ดำรงธรรมจะส่งเรื่องมายัง %(org)s เพื่อดำเนินการ", org=short))),
        ]
        return [
            Block(_l("ท่านร้องเรียน/ร้องทุกข์ต่อ %(org)s ได้ทางช่องทางต่อไปนี้", org=name), channels),
            Block(_l("เรื่องที่ได้รับทางช่องทางอื่นนอกจากเว็บไซต์ เจ้าหน้าที่จะบันทึกเข้าระบบเช่นเดียวกัน "
                     "และออกใบรับเรื่องพร้อมรหัสติดตามเรื่องให้ท่าน")),
            Block(_l("ข้อมูลที่ควรระบุ"), [
                Line(_l("เรื่องที่ร้องเรียนโดยสรุป")),
                Line(_l("รายละเอียด: เกิดอะไรขึ้น ตั้งแต่เมื่อไร และต้องการให้ช่วยเหลืออย่างไร")),
                Line(_l("สถานที่: หมู่ที่ ถนน ซอย หรือจุดสังเกต")),
                Line(lazy_concat(_l("ภาพถ่ายหรือเอกสารประกอบ (ถ้ามี)"), ": ", limits)),
                Line(_l("ชื่อและช่องทางติดต่อ (ไม่บังคับ)")),
            ]),
            Block(_l("ท่านไม่ต้องระบุชื่อก็ยื่นเรื่องได้ และติดตามผลได้ด้วยรหัสติดตามเรื่อง แต่หากไม่มีข้อมูลติดต่อ "
                     "เจ้าหน้าที่จะสอบถามข้อมูลเพิ่มเติมหรือแจ้งผลให้ท่านโดยตรงไม่ได้ "
                     "ข้อมูลส่วนตัวของท่านจะถูกเข้ารหัสและไม่เปิดเผยต่อสาธารณะ")),
            Block(_l("หากต้องการร้องเรียนการทุจริตหรือการประพฤติมิชอบของเจ้าหน้าที่ กรุณาใช้ช่องทางแจ้งเบาะแสการทุจริต "
                     "ซึ่งแยกต่างหากเพื่อคุ้มครองผู้แจ้ง"), [
                _link(_l("แบบฟอร์มแจ้งเบาะแสการทุจริต"), "public.report"),
                _link(TITLES[CORRUPTION], "public.handbook", kind=CORRUPTION),
            ]),
        ]
    channels = [
        _link(lazy_concat(SOURCE_LABELS["web"], ": ",
                          _l("แบบฟอร์มแจ้งเบาะแสการทุจริตออนไลน์ (ช่องทางแยกเฉพาะ) ตลอด 24 ชั่วโมง")), "public.report"),
        Line(lazy_concat(SOURCE_LABELS["letter"], ": ",
                         _l("ส่งถึง %(address)s โดยระบุบนซองว่า \"ลับ - เรื่องร้องเรียนการทุจริต\"", address=address))),
        Line(lazy_concat(SOURCE_LABELS["walk_in"], ": ",
                         _l("ติดต่อ %(unit)s ณ ที่ทำการ %(org)s", unit=_unit_text(kind, who, short), org=name))),
        *phone,
        Line(_l("หน่วยงานภายนอก: สำนักงาน ป.ป.ช. (สายด่วน 1205) สำนักงาน ป.ป.ท. (สายด่วน 1206) "
                "และศูนย์ดำรงธรรม (สายด่วน 1111)")),
    ]
    return [
        Block(_l("ช่องทางร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่ %(org)s แยกต่างหากจากช่องทางร้องเรียนทั่วไป "
                 "เพื่อคุ้มครองข้อมูลของผู้แจ้งเบาะแส", org=short), channels),
        Block(_l("ข้อมูลที่ควรระบุ"), [
            Line(_l("เรื่องที่แจ้งและรายละเอียด: เกิดอะไรขึ้น ใครทำอะไร อย่างไร")),
            Line(_l("ผู้ถูกร้องเรียน: ชื่อ ตำแหน่ง และหน่วยงาน (ถ้าทราบ)")),
            Line(_l("วัน เวลา และสถานที่เกิดเหตุ")),
            Line(_l("หลักฐานและพยาน: เอกสาร ภาพถ่าย หรือผู้ที่รู้เห็นเหตุการณ์")),
            Line(lazy_concat(_l("ไฟล์แนบ"), ": ", limits)),
        ]),
        Block(_l("การคุ้มครองผู้แจ้ง"), [
            Line(_l("ท่านไม่ต้องระบุชื่อ ระบบรับเรื่องที่ไม่ประสงค์ออกนาม")),
            Line(_l("ระบบไม่บันทึกหมายเลข IP หรือข้อมูลอุปกรณ์ของท่าน")),
            Line(_l("หากท่านระบุตัวตน ข้อมูลจะถูกเข้ารหัส และเปิดดูได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบเรื่องร้องเรียนการทุจริตเท่านั้น "
                    "การเปิดดูข้อมูลตัวตนทุกครั้งถูกบันทึกไว้")),
            Line(_l("รหัสติดตามเรื่องเป็นทางเดียวที่ใช้ติดตามผลและตอบคำถามของเจ้าหน้าที่เมื่อท่านไม่ระบุชื่อ "
                    "กรุณาเก็บไว้เป็นความลับ หากทำหายจะออกรหัสใหม่ให้ไม่ได้")),
            Line(_l("ไฟล์เอกสาร เช่น PDF อาจมีชื่อผู้สร้างติดอยู่ในไฟล์ หากไม่ต้องการเปิดเผยตัว "
                    "ให้ถ่ายภาพหน้าจอหรือถ่ายรูปเอกสารแทน")),
        ]),
        Block(_l("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป เช่น ถนนชำรุด ไฟฟ้าดับ หรือขยะ กรุณาใช้ช่องทางร้องเรียนทั่วไป"), [
            _link(_l("แบบฟอร์มร้องเรียน/ร้องทุกข์"), "public.complaint"),
            _link(TITLES[GENERAL], "public.handbook", kind=GENERAL),
        ]),
    ]


def _steps(kind: str, org, who: Responsible) -> list[Block]:
    short = org.short_name
    unit = _unit_text(kind, who, short)
    status = {key: str(label) for key, label in STATUS_LABELS.items()}
    track = _public("tracking.lookup")
    tracking_step = Line(_l("ติดตามเรื่อง: ท่านติดตามสถานะและผลการดำเนินการได้ด้วยตนเองตลอดเวลา "
                            "โดยกรอกรหัสติดตามเรื่องที่หน้าติดตามเรื่อง ไม่ต้องโทรสอบถาม"),
                         href=track.href, address=track.address)
    late_step = Line(_l("กรณีเกินกำหนด: หากดำเนินการไม่แล้วเสร็จภายในกำหนด เจ้าหน้าที่จะชี้แจงเหตุผลและกำหนดการต่อไป"
                        "ให้ท่านทราบทางหน้าติดตามเรื่อง"))
    if kind == GENERAL:
        steps = [
            Line(_l("รับเรื่อง: เมื่อยื่นเรื่องทางเว็บไซต์ ท่านจะได้รับรหัสติดตามเรื่องและใบรับเรื่องทันที "
                    "(พิมพ์หรือดาวน์โหลดเป็น PDF ได้) ซึ่งระบุวันที่รับเรื่องและกำหนดแล้วเสร็จ "
                    "สถานะของเรื่องคือ \"%(status)s\"", status=status["received"])),
            Line(_l("ตรวจสอบและมอบหมาย: %(unit)s ตรวจสอบเรื่อง แล้วมอบหมายให้หน่วยงานที่รับผิดชอบตามประเภทเรื่อง "
                    "(ส่วนที่ 3) สถานะของเรื่องเปลี่ยนเป็น \"%(status)s\"", unit=unit, status=status["in_progress"])),
            Line(_l("ดำเนินการ: หน่วยงานที่รับผิดชอบตรวจสอบข้อเท็จจริงและแก้ไขปัญหา "
                    "และแจ้งความคืบหน้าให้ท่านทราบทางหน้าติดตามเรื่อง")),
            Line(_l("แจ้งผล: เมื่อดำเนินการแล้วเสร็จ เจ้าหน้าที่แจ้งผลการดำเนินการทางหน้าติดตามเรื่อง "
                    "และทางอีเมลหากท่านให้อีเมลไว้ สถานะของเรื่องเปลี่ยนเป็น \"%(status)s\"", status=status["completed"])),
            Line(_l("กรณีไม่รับพิจารณา: เรื่องที่ไม่อยู่ในอำนาจหน้าที่ ข้อมูลไม่เพียงพอ หรือเป็นเรื่องซ้ำ "
                    "เจ้าหน้าที่จะแจ้งเหตุผลให้ท่านทราบ (สถานะ \"%(status)s\")", status=status["rejected"])),
            Line(_l("กรณีส่งต่อ: เรื่องที่อยู่ในอำนาจของหน่วยงานอื่น เช่น อำเภอ หรือศูนย์ดำรงธรรม "
                    "จะส่งต่อและแจ้งชื่อหน่วยงานที่รับเรื่องให้ท่านทราบ (สถานะ \"%(status)s\")", status=status["forwarded"])),
            late_step,
            tracking_step,
        ]
    else:
        steps = [
            Line(_l("รับเรื่อง: ท่านจะได้รับรหัสติดตามเรื่องและใบรับเรื่องทันที ซึ่งระบุวันที่รับเรื่องและกำหนดแล้วเสร็จ "
                    "ใบรับเรื่องของช่องทางนี้ไม่มีเลขที่รับเรื่องและไม่มีข้อมูลตัวตนของท่าน "
                    "สถานะของเรื่องคือ \"%(status)s\"", status=status["received"])),
            Line(_l("คัดกรอง: เรื่องถูกส่งถึง %(unit)s เท่านั้น เจ้าหน้าที่อื่น รวมทั้งเจ้าหน้าที่รับเรื่องร้องเรียนทั่วไป "
                    "ไม่เห็นเรื่องนี้ สถานะของเรื่องเปลี่ยนเป็น \"%(status)s\"", unit=unit, status=status["in_progress"])),
            Line(_l("เรื่องที่พาดพิงเจ้าหน้าที่: เจ้าหน้าที่ที่ถูกร้องเรียนจะไม่เห็นเรื่องและไม่ได้เป็นผู้ดำเนินการ "
                    "แม้จะเป็นผู้รับผิดชอบเรื่องร้องเรียนการทุจริตเองก็ตาม หากไม่มีเจ้าหน้าที่อื่นที่ดำเนินการได้ "
                    "ระบบจะแจ้งให้ผู้บริหารทราบเพื่อมอบหมายผู้อื่น")),
            Line(_l("ตรวจสอบข้อเท็จจริง: รวบรวมข้อเท็จจริงและพยานหลักฐาน หากต้องการข้อมูลเพิ่มเติม "
                    "เจ้าหน้าที่จะถามผ่านหน้าติดตามเรื่อง ท่านตอบได้ด้วยรหัสติดตามเรื่องโดยไม่ต้องเปิดเผยตัว")),
            Line(_l("ผลการตรวจสอบ: มีมูล ไม่มีมูล หรือหลักฐานไม่เพียงพอ หากมีมูล จะดำเนินการทางวินัย "
                    "และ/หรือส่งเรื่องให้หน่วยงานที่มีอำนาจดำเนินการตามกฎหมาย และติดตามผลการลงโทษ")),
            Line(_l("แจ้งผล: เจ้าหน้าที่แจ้งผลการดำเนินการทางหน้าติดตามเรื่อง โดยไม่เปิดเผยข้อมูลของผู้แจ้ง "
                    "สถานะของเรื่องเปลี่ยนเป็น \"%(status)s\"", status=status["completed"])),
            Line(_l("กรณีไม่รับพิจารณาหรือส่งต่อ: เรื่องที่ข้อมูลไม่เพียงพอหรือเป็นเรื่องซ้ำจะแจ้งเหตุผลให้ท่านทราบ "
                    "เรื่องที่อยู่ในอำนาจของหน่วยงานอื่น เช่น สำนักงาน ป.ป.ช. สำนักงาน ป.ป.ท. หรือศูนย์ดำรงธรรม "
                    "จะส่งต่อและแจ้งชื่อหน่วยงานที่รับเรื่องให้ท่านทราบ")),
            late_step,
            tracking_step,
        ]
    return [Block("", steps, ordered=True), _status_block()]


def _responsible(kind: str, org, who: Responsible) -> list[Block]:
    short = org.short_name
    facts = [
        Line(_l("หน่วยงานที่รับผิดชอบ: %(unit)s", unit=_unit_text(kind, who, short))),
        Line(_l("เจ้าหน้าที่ผู้รับผิดชอบ (ตำแหน่ง): %(position)s", position=_position_text(kind, who))),
    ]
    if who.contact:
        facts.append(Line(_l("ติดต่อ: %(contact)s", contact=" ".join(who.contact))))
    if kind == GENERAL:
        blocks = [Block(_l("ผู้รับเรื่องและประสานงาน"), facts)]
        by_unit = _category_units()
        if by_unit:
            blocks.append(Block(_l("หน่วยงานที่ดำเนินการตามประเภทเรื่อง"), by_unit))
        blocks.append(Block(_l("ทุกเรื่องมีหน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ เรื่องที่ไม่ตรงกับประเภทใด "
                               "จะมอบหมายให้หน่วยงานตามอำนาจหน้าที่")))
        return blocks
    return [
        Block(_l("ผู้รับผิดชอบเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"), facts),
        Block(_l("เฉพาะเจ้าหน้าที่ผู้รับผิดชอบเรื่องร้องเรียนการทุจริตเท่านั้นที่เปิดดูเรื่องได้ "
                 "ผู้บริหารกำกับติดตามจากรายงานสถิติ ซึ่งไม่มีข้อมูลตัวตนของผู้แจ้ง")),
    ]


def _time_frame(kind: str, org, rule: sla.SlaPolicy) -> list[Block]:
    items = [
        Line(_l("วิธีนับวัน: %(mode)s", mode=_mode_text(rule))),
        Line(_l("กำหนดแล้วเสร็จของเรื่องของท่านระบุไว้ในใบรับเรื่องและหน้าติดตามเรื่อง")),
        Line(_l("ระหว่างดำเนินการ ท่านจะได้รับแจ้งความคืบหน้าทางหน้าติดตามเรื่อง")),
        Line(_l("หากดำเนินการไม่แล้วเสร็จภายในกำหนด เจ้าหน้าที่จะชี้แจงเหตุผลและกำหนดการต่อไปให้ท่านทราบเป็นลายลักษณ์อักษร "
                "ทางหน้าติดตามเรื่อง (และทางอีเมล หากท่านให้อีเมลไว้)")),
        Line(_l("เรื่องที่ส่งต่อหน่วยงานอื่น ระยะเวลาดำเนินการหลังจากนั้นเป็นไปตามหน่วยงานที่รับเรื่อง")),
    ]
    if kind == CORRUPTION:
        items.append(Line(_l("การสอบสวนทางวินัยหรือการดำเนินคดีที่ตามมาหลังการตรวจสอบ เป็นไปตามระยะเวลาที่กฎหมายและระเบียบกำหนด "
                             "ท่านติดตามความคืบหน้าได้ด้วยรหัสติดตามเรื่อง")))
    items.append(Line(_l("เมื่อดำเนินการแล้วเสร็จ ท่านประเมินความพึงพอใจต่อการจัดการเรื่องได้ทางหน้าติดตามเรื่อง "
                         "หรือผ่านลิงก์ที่ได้รับพร้อมการแจ้งผล")))
    return [Block(_l("%(org)s จะดำเนินการให้แล้วเสร็จภายใน %(days)s นับจากวันที่รับเรื่อง",
                     org=org.name, days=_days_text(rule)), items)]


def view(kind: str) -> HandbookView:
    """The handbook as shown now: every fact read from the current settings, plus the admin's words.

    :raise ValueError: an unknown kind.
    """
    handbook = get(kind)
    org = get_profile()
    who = responsible(kind, handbook)
    rule = sla.policy(kind)
    words = {f: (getattr(handbook, f) or "") if handbook is not None else "" for f in ("intro", *PART_FIELDS)}
    facts = {
        "how_to": _how_to(kind, org, who),
        "steps": _steps(kind, org, who),
        "responsible": _responsible(kind, org, who),
        "time_frame": _time_frame(kind, org, rule),
    }
    parts = [Part(number, key, PART_HEADINGS[key], facts[key], words[key])
             for number, key in enumerate(PART_FIELDS, start=1)]
    other = CORRUPTION if kind == GENERAL else GENERAL
    if kind == GENERAL:
        summary = Block(_l("คู่มือนี้อธิบายวิธีร้องเรียน/ร้องทุกข์ต่อ %(org)s ขั้นตอนการจัดการเรื่อง "
                           "หน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ และระยะเวลาดำเนินการ", org=org.name))
    else:
        summary = Block(_l("คู่มือนี้อธิบายวิธีร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่ %(org)s ขั้นตอนการจัดการเรื่อง "
                           "หน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ และระยะเวลาดำเนินการ "
                           "แยกต่างหากจากคู่มือการจัดการเรื่องร้องเรียน/ร้องทุกข์ทั่วไป", org=org.name))
    return HandbookView(kind=kind, title=TITLES[kind], org_name=org.name, summary=summary, intro=words["intro"],
                        parts=parts, updated_at=handbook.updated_at if handbook is not None else None,
                        other_kind=other, other_title=TITLES[other])


# --- the admin's words ---------------------------------------------------------------------------------------


def _clean_text(value: str | None, limit: int, field_name: str) -> str:
    # Keep the admin's line breaks (the page shows them), drop trailing spaces and Windows line ends.
    text = "\n".join(line.rstrip() for line in (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = text.strip("\n")
    if len(text) > limit:
        raise AdminError(_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=limit), field_name)
    return text


def _clean_line(value: str | None, limit: int, field_name: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise AdminError(_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=limit), field_name)
    return text


def save(kind: str, data: HandbookInput, *, actor: User, now: datetime) -> bool:
    """Save the admin's words for a handbook; True if anything changed (and then it is audited).

    :raise AdminError: an unknown kind, a text over its length, or a unit that does not exist or is retired.
    """
    if kind not in KINDS:
        raise AdminError(_l("ไม่พบคู่มือนี้"))
    values = {f: _clean_text(getattr(data, f), MAX_TEXT, f) for f in ("intro", *PART_FIELDS)}
    values["officer_title"] = _clean_line(data.officer_title, MAX_TITLE, "officer_title")
    values["contact"] = _clean_line(data.contact, MAX_CONTACT, "contact")
    unit_id = data.unit_id or None
    handbook = db.session.get(Handbook, kind)
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        keeping = handbook is not None and handbook.unit_id == unit_id
        if unit is None or (not unit.active and not keeping):
            raise AdminError(_l("กรุณาเลือกหน่วยงานที่ยังใช้งานอยู่"), "unit_id")
    values["unit_id"] = unit_id
    if handbook is None:
        handbook = Handbook(kind=kind)
        db.session.add(handbook)
        changed = [f for f, v in values.items() if v not in ("", None)]
        created = True
    else:
        changed = [f for f, v in values.items() if getattr(handbook, f) != v]
        created = False
    if not changed and not created:
        return False
    for f, v in values.items():
        setattr(handbook, f, v)
    handbook.updated_by_id = actor.id
    handbook.updated_at = now
    db.session.flush()
    audit.record("handbook.update", actor=actor, now=now, target_type="handbook",
                 detail=f"kind={kind} fields={','.join(changed) or '-'}")
    return True
