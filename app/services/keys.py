"""Key rotation: a new active key, then every encrypted value re-encrypted under it, losing nothing."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Attachment, Case
from ..security import crypto
from ..security.hashing import keyring
from . import attachments as attachment_store
from .intake import content_aad, reporter_aad
from .tracking import event_aad

_BATCH = 200


@dataclass
class RotationResult:
    """What a rotation did."""

    new_key_id: str
    values: int
    files: int


def _rewrap(value: str | None, aad: str, active: str) -> str | None:
    """Re-encrypt one text value under the active key (unchanged if already there)."""
    if not value or crypto.key_id_of(value) == active:
        return value
    return crypto.encrypt_text(crypto.decrypt_text(value, aad), aad)


def rotate() -> RotationResult:
    """Add a key, save the keyring first (so nothing is ever written under an unsaved key), re-encrypt all."""
    ring = keyring()
    new_id = ring.add_key()
    ring.save()
    return RotationResult(new_id, *reencrypt_all())


def reencrypt_all() -> tuple[int, int]:
    """Re-encrypt every value and file not yet under the active key; commits in batches."""
    active = keyring().active
    values = files = 0
    last_id = 0
    while True:
        cases = db.session.scalars(select(Case).where(Case.id > last_id).order_by(Case.id).limit(_BATCH)).all()
        if not cases:
            break
        for case in cases:
            for column, aad in (("reporter_enc", reporter_aad(case)), ("content_enc", content_aad(case))):
                old = getattr(case, column)
                new = _rewrap(old, aad, active)
                if new != old:
                    setattr(case, column, new)
                    values += 1
            for event in case.events:
                if not event.encrypted:
                    continue
                for column, which in (("public_message", "public"), ("internal_note", "internal")):
                    old = getattr(event, column)
                    new = _rewrap(old, event_aad(case, event, which), active)
                    if new != old:
                        setattr(event, column, new)
                        values += 1
            last_id = case.id
        db.session.commit()
    last_id = 0
    while True:
        rows = db.session.scalars(select(Attachment).where(Attachment.id > last_id)
                                  .order_by(Attachment.id).limit(_BATCH)).all()
        if not rows:
            break
        for attachment in rows:
            if attachment_store.reencrypt(attachment):
                files += 1
            last_id = attachment.id
        db.session.commit()
    return values, files
