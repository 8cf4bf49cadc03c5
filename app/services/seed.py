"""Demo data: an organisation with units, categories, one account per role and an active plan."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Category, Organisation, Plan, Unit, User
from ..models.people import ADMIN, EXECUTIVE, INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER
from . import accounts, plans

DEFAULT_UNITS = [
    "สำนักปลัด",
    "กองคลัง",
    "กองช่าง",
    "กองการศึกษา ศาสนาและวัฒนธรรม",
    "กองสาธารณสุขและสิ่งแวดล้อม",
    "กองสวัสดิการสังคม",
    "งานนิติการ",
]

#: (code, name, channel, default unit name)
DEFAULT_CATEGORIES = [
    ("road", "ถนน ทางเท้า ท่อระบายน้ำ", "general", "กองช่าง"),
    ("light", "ไฟฟ้าสาธารณะ", "general", "กองช่าง"),
    ("water", "น้ำประปา", "general", "กองช่าง"),
    ("waste", "ขยะและความสะอาด", "general", "กองสาธารณสุขและสิ่งแวดล้อม"),
    ("nuisance", "เหตุเดือดร้อนรำคาญ เสียง กลิ่น ควัน", "general", "กองสาธารณสุขและสิ่งแวดล้อม"),
    ("welfare", "สวัสดิการและเบี้ยยังชีพ", "general", "กองสวัสดิการสังคม"),
    ("tax", "ภาษีและค่าธรรมเนียม", "general", "กองคลัง"),
    ("service", "การให้บริการของเจ้าหน้าที่", "general", "สำนักปลัด"),
    ("other", "เรื่องอื่น ๆ", "general", "สำนักปลัด"),
    ("procurement", "การจัดซื้อจัดจ้าง", "corruption", None),
    ("bribery", "การเรียกรับสินบนหรือผลประโยชน์", "corruption", None),
    ("abuse", "การใช้อำนาจหน้าที่โดยมิชอบ", "corruption", None),
    ("misconduct", "การประพฤติมิชอบอื่น ๆ", "corruption", None),
]

#: (username, full name, position, roles, unit name)
DEMO_STAFF = [
    ("admin", "ผู้ดูแลระบบ", "นักวิชาการคอมพิวเตอร์", [ADMIN], "สำนักปลัด"),
    ("intake", "สมศรี รับเรื่อง", "เจ้าพนักงานธุรการ", [INTAKE], "สำนักปลัด"),
    ("engineer", "สมชาย ช่างดี", "นายช่างโยธา", [UNIT_OFFICER], "กองช่าง"),
    ("integrity", "สมหญิง นิติธรรม", "นิติกร", [INTEGRITY], "งานนิติการ"),
    ("executive", "สมศักดิ์ บริหาร", "ปลัดองค์การบริหารส่วนตำบล", [EXECUTIVE], "สำนักปลัด"),
    # Outside the normal chain: with one integrity officer, the second person for the protected channel.
    ("oversight", "สมพงษ์ กำกับดูแล", "ปลัดอำเภอ (ผู้กำกับดูแล)", [OVERSIGHT], None),
]


@dataclass
class SeededAccount:
    """A demo account and the password it was given."""

    username: str
    password: str
    roles: list[str]


def ensure_organisation(*, name: str, short_name: str, org_type: str, now: datetime) -> Organisation:
    """Create the organisation row if there is none."""
    org = db.session.scalar(select(Organisation).limit(1))
    if org is None:
        org = Organisation(name=name, short_name=short_name, org_type=org_type, address="", phone="",
                           email="", website="", updated_at=now)
        db.session.add(org)
    return org


def ensure_units_and_categories() -> dict[str, Unit]:
    """Create the standard units and categories that do not exist yet; return units by name."""
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    for order, name in enumerate(DEFAULT_UNITS):
        if name not in units:
            units[name] = Unit(name=name, sort_order=order)
            db.session.add(units[name])
    existing = set(db.session.scalars(select(Category.code)))
    for order, (code, name, channel, unit_name) in enumerate(DEFAULT_CATEGORIES):
        if code not in existing:
            db.session.add(Category(code=code, name=name, channel=channel, sort_order=order,
                                    default_unit=units.get(unit_name) if unit_name else None))
    db.session.flush()
    return units


def seed_demo(now: datetime) -> list[SeededAccount]:
    """Create the demo organisation and staff; returns accounts created now (existing ones are kept)."""
    ensure_organisation(name="องค์การบริหารส่วนตำบลสุจริตธรรม (ตัวอย่าง)", short_name="อบต.สุจริตธรรม",
                        org_type="sao", now=now)
    units = ensure_units_and_categories()
    created = []
    for username, full_name, position, roles, unit_name in DEMO_STAFF:
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        password = secrets.token_urlsafe(12)
        accounts.create_user(username=username, full_name=full_name, position=position, password=password,
                             roles=roles, unit=units[unit_name] if unit_name else None, now=now)
        created.append(SeededAccount(username, password, roles))
    ensure_demo_plan(now)
    return created


#: The shipped plan the demo organisation starts with.
DEMO_PLAN = "banpong_2566_2570"


def ensure_demo_plan(now: datetime) -> None:
    """Load the Ban Pong plan and make it active, only while the organisation has no plan at all."""
    if db.session.scalar(select(Plan.id).limit(1)) is None:
        plans.load_shipped(DEMO_PLAN, now=now, activate=True)
