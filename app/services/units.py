"""Units (หน่วยงาน): creating, renaming, ordering and retiring them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Unit, User
from . import audit
from .admin import AdminError

_NAME_TAKEN = _l("มีหน่วยงานชื่อนี้อยู่แล้ว กรุณาใช้ชื่ออื่น")


def list_units() -> list[Unit]:
    """Every unit, active and inactive, in display order."""
    return list(db.session.scalars(select(Unit).options(selectinload(Unit.head))
                                   .order_by(Unit.active.desc(), Unit.sort_order, Unit.name)))


def active_units() -> list[Unit]:
    """Units that take new cases, in display order."""
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.name)))


def get_unit(unit_id: int) -> Unit | None:
    """The unit with this id, or None."""
    return db.session.get(Unit, unit_id)


def _clean_name(name: str, except_id: int | None = None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise AdminError(_l("กรุณากรอกชื่อหน่วยงาน"), "name")
    query = select(Unit.id).where(Unit.name == cleaned)
    if except_id is not None:
        query = query.where(Unit.id != except_id)
    if db.session.scalar(query) is not None:
        raise AdminError(_NAME_TAKEN, "name")
    return cleaned


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request took the name
        raise AdminError(_NAME_TAKEN, "name") from exc


def create_unit(*, name: str, sort_order: int, actor: User, now: datetime) -> Unit:
    """Add a unit.

    :raise AdminError: the name is empty or already used.
    """
    unit = Unit(name=_clean_name(name), sort_order=sort_order or 0, active=True, created_at=now)
    db.session.add(unit)
    _flush()
    audit.record("unit.create", actor=actor, now=now, target_type="unit", target_id=unit.id)
    return unit


def head_candidates(unit: Unit) -> list[User]:
    """Who may head the unit: its active staff, by name."""
    return list(db.session.scalars(
        select(User).where(User.unit_id == unit.id, User.active.is_(True)).order_by(User.full_name, User.id)))


#: Leave the unit head as it is (a form that does not offer the choice).
KEEP_HEAD = object()


def _check_head(unit: Unit, head_id: int | None) -> User | None:
    """The chosen head: an active member of the unit (the current head may stay as is)."""
    if not head_id:
        return None
    if head_id == unit.head_id:
        return unit.head
    head = db.session.get(User, head_id)
    if head is None or not head.active or head.unit_id != unit.id:
        raise AdminError(_l("หัวหน้าหน่วยงานต้องเป็นเจ้าหน้าที่ที่ยังใช้งานอยู่ในหน่วยงานนี้"), "head_id")
    return head


def update_unit(unit: Unit, *, name: str, sort_order: int, actor: User, now: datetime,
                head_id: int | None | object = KEEP_HEAD) -> None:
    """Rename and/or reorder a unit and name its head (who also gets the overdue reminders).

    :param head_id: the head's user id, 0/None for no head; left out, the head stays.
    :raise AdminError: the name is empty or already used by another unit, or the head is not an
        active member of the unit.
    """
    cleaned = _clean_name(name, except_id=unit.id)
    changes = []
    if cleaned != unit.name:
        changes.append("renamed")
    if (sort_order or 0) != unit.sort_order:
        changes.append(f"sort_order={sort_order or 0}")
    if head_id is not KEEP_HEAD:
        head = _check_head(unit, head_id)
        if (head.id if head else None) != unit.head_id:
            changes.append(f"head={head.id if head else ''}")
        unit.head = head
    unit.name = cleaned
    unit.sort_order = sort_order or 0
    _flush()
    audit.record("unit.update", actor=actor, now=now, target_type="unit", target_id=unit.id,
                 detail=" ".join(changes))


def set_unit_active(unit: Unit, active: bool, *, actor: User, now: datetime) -> None:
    """Retire a unit (it keeps its history but takes no new cases) or bring it back."""
    if bool(unit.active) == bool(active):
        return
    unit.active = active
    audit.record("unit.reactivate" if active else "unit.deactivate", actor=actor, now=now,
                 target_type="unit", target_id=unit.id)
