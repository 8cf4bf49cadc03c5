"""The admin's letter settings: letter code (ที่), address, owners of the matter, signatories."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from ...extensions import db
from ...labels import lazy_text as _l
from ...models import LetterSettings, Signatory, User
from .. import audit
from ..admin import AdminError

#: Column limits (the model's).
LIMITS = {"prefix": 50, "general_owner": 200, "general_phone": 100, "corruption_owner": 200,
          "corruption_phone": 100, "memo_unit": 300, "address": 1000}
SIGNATORY_LIMITS = {"name": 200, "position": 300, "acting_for": 300}


def get() -> LetterSettings:
    """The settings row, or an unsaved one with empty values (letters then print the organisation's address)."""
    row = db.session.get(LetterSettings, 1)
    return row if row is not None else LetterSettings(id=1, prefix="", address="", general_owner="",
                                                      general_phone="", corruption_owner="",
                                                      corruption_phone="", memo_unit="")


def _clean(values: dict[str, str], limits: dict[str, int]) -> dict[str, str]:
    cleaned = {}
    for name, limit in limits.items():
        text = (values.get(name) or "").replace("\r\n", "\n").strip()
        if name != "address":
            text = " ".join(text.split())
        if len(text) > limit:
            raise AdminError(_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=limit), name)
        cleaned[name] = text
    return cleaned


def save(values: dict[str, str], *, actor: User, now: datetime) -> bool:
    """Store the settings; True when anything changed (audited)."""
    cleaned = _clean(values, LIMITS)
    row = db.session.get(LetterSettings, 1)
    if row is None:
        row = LetterSettings(id=1)
        db.session.add(row)
    changed = [k for k, v in cleaned.items() if getattr(row, k) != v]
    if not changed:
        return False
    for key, value in cleaned.items():
        setattr(row, key, value)
    row.updated_at = now
    audit.record("letters.settings", actor=actor, now=now, target_type="letter_settings",
                 detail="fields=" + ",".join(changed))
    return True


@dataclass(frozen=True)
class SignatoryInput:
    """What the admin enters for a signatory."""

    name: str
    position: str
    acting_for: str = ""
    is_default: bool = False
    active: bool = True


def signatories(*, active_only: bool = False) -> list[Signatory]:
    """Signatories, the default first."""
    query = select(Signatory).order_by(Signatory.is_default.desc(), Signatory.active.desc(), Signatory.id)
    if active_only:
        query = query.where(Signatory.active.is_(True))
    return list(db.session.scalars(query))


def default_signatory() -> Signatory | None:
    """The signatory a new letter gets: the default one, else the first active one."""
    active = signatories(active_only=True)
    return active[0] if active else None


def save_signatory(data: SignatoryInput, *, signatory: Signatory | None, actor: User, now: datetime) -> Signatory:
    """Add (``signatory`` None) or change a signatory; the default one is unique and active."""
    cleaned = _clean({"name": data.name, "position": data.position, "acting_for": data.acting_for},
                     SIGNATORY_LIMITS)
    if not cleaned["name"]:
        raise AdminError(_l("กรุณากรอกชื่อผู้ลงนาม"), "name")
    if not cleaned["position"]:
        raise AdminError(_l("กรุณากรอกตำแหน่ง"), "position")
    if signatory is None:
        signatory = Signatory()
        db.session.add(signatory)
    for key, value in cleaned.items():
        setattr(signatory, key, value)
    signatory.active = data.active or data.is_default
    signatory.is_default = data.is_default
    db.session.flush()
    if data.is_default:
        db.session.execute(update(Signatory).where(Signatory.id != signatory.id).values(is_default=False))
    audit.record("letters.signatory", actor=actor, now=now, target_type="signatory", target_id=signatory.id,
                 detail=f"active={signatory.active} default={signatory.is_default}")
    return signatory
