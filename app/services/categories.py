"""Case categories (ประเภทเรื่อง) as the administrator maintains them."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Category, Unit, User
from ..models.case import CORRUPTION, GENERAL
from . import audit
from .admin import AdminError

BOTH = "both"
#: Which public form offers a category.
CATEGORY_CHANNELS = (GENERAL, CORRUPTION, BOTH)
#: Codes travel in API bodies and URLs, so they stay plain.
CODE_RE = re.compile(r"^[a-z0-9_-]{1,40}$")

_CODE_TAKEN = _l("รหัสประเภทเรื่องนี้มีอยู่แล้ว กรุณาใช้รหัสอื่น")


def list_categories() -> list[Category]:
    """Every category, active first, in display order."""
    return list(db.session.scalars(
        select(Category).order_by(Category.active.desc(), Category.sort_order, Category.name)))


def for_channels(channels: list[str], *, active_only: bool) -> list[Category]:
    """Categories offered for these channels (and both), active first, in display order."""
    query = select(Category).where(Category.channel.in_([*channels, "both"]))
    if active_only:
        query = query.where(Category.active.is_(True))
    return list(db.session.scalars(query.order_by(Category.active.desc(), Category.channel.desc(),
                                                  Category.sort_order, Category.name)))


def get_category(category_id: int) -> Category | None:
    """The category with this id, or None."""
    return db.session.get(Category, category_id)


def _validated(code: str, name: str, channel: str, default_unit_id: int | None, *,
               current: Category | None = None) -> tuple[str, str, Unit | None]:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise AdminError(_l("รหัสต้องเป็นอักษรภาษาอังกฤษตัวเล็ก ตัวเลข _ หรือ - เท่านั้น (ไม่เกิน 40 ตัว)"), "code")
    query = select(Category.id).where(Category.code == code)
    if current is not None:
        query = query.where(Category.id != current.id)
    if db.session.scalar(query) is not None:
        raise AdminError(_CODE_TAKEN, "code")
    name = " ".join((name or "").split())
    if not name:
        raise AdminError(_l("กรุณากรอกชื่อประเภทเรื่อง"), "name")
    if channel not in CATEGORY_CHANNELS:
        raise AdminError(_l("กรุณาเลือกช่องทางที่ใช้ประเภทเรื่องนี้"), "channel")
    unit = None
    if default_unit_id:
        unit = db.session.get(Unit, default_unit_id)
        keeping = current is not None and current.default_unit_id == default_unit_id
        if unit is None or (not unit.active and not keeping):
            raise AdminError(_l("กรุณาเลือกหน่วยงานที่ยังเปิดใช้งาน"), "default_unit_id")
    return code, name, unit


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request took the code
        raise AdminError(_CODE_TAKEN, "code") from exc


def create_category(*, code: str, name: str, channel: str, default_unit_id: int | None, active: bool,
                    sort_order: int, actor: User, now: datetime) -> Category:
    """Add a category.

    :raise AdminError: a malformed or taken code, an empty name, an unknown channel or unit.
    """
    code, name, unit = _validated(code, name, channel, default_unit_id)
    category = Category(code=code, name=name, channel=channel, default_unit=unit, active=bool(active),
                        sort_order=sort_order or 0)
    db.session.add(category)
    _flush()
    audit.record("category.create", actor=actor, now=now, target_type="category", target_id=category.id,
                 detail=f"code={code}")
    return category


def update_category(category: Category, *, code: str, name: str, channel: str, default_unit_id: int | None,
                    active: bool, sort_order: int, actor: User, now: datetime) -> None:
    """Change a category; existing cases keep pointing at it.

    :raise AdminError: as for create_category.
    """
    code, name, unit = _validated(code, name, channel, default_unit_id, current=category)
    detail = f"code={category.code}->{code}" if code != category.code else ""
    category.code = code
    category.name = name
    category.channel = channel
    category.default_unit = unit
    category.active = bool(active)
    category.sort_order = sort_order or 0
    _flush()
    audit.record("category.update", actor=actor, now=now, target_type="category", target_id=category.id,
                 detail=detail)
