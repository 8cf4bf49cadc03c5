"""Units (หน่วยงาน): creating, renaming, ordering and retiring them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Unit, User
from . import audit
from .admin import AdminError

_NAME_TAKEN = _l("มีหน่วยงานชื่อนี้อยู่แล้ว กรุณาใช้ชื่ออื่น")


def list_units() -> list[Unit]:
    """Every unit, active and inactive, in display order."""
    return list(db.session.scalars(select(Unit).order_by(Unit.active.desc(), Unit.sort_order, Unit.name)))


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


def update_unit(unit: Unit, *, name: str, sort_order: int, actor: User, now: datetime) -> None:
    """Rename and/or reorder a unit; its cases and staff follow the new name.

    :raise AdminError: the name is empty or already used by another unit.
    """
    cleaned = _clean_name(name, except_id=unit.id)
    changes = []
    if cleaned != unit.name:
        changes.append("renamed")
    if (sort_order or 0) != unit.sort_order:
        changes.append(f"sort_order={sort_order or 0}")
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
