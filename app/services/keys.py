"""Key rotation: a new active key, then every encrypted value re-encrypted under it, losing nothing."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.inspection import inspect

from ..extensions import db
from ..models import Attachment
from ..security import crypto
from ..security.columns import REGISTRY, EncryptedColumn
from ..security.hashing import keyring
from . import attachments as attachment_store

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


def _reencrypt_model(model: type, entries: list[EncryptedColumn], active: str) -> int:
    """Walk one model's rows in primary-key batches and re-encrypt its registered columns; commits per batch."""
    key = inspect(model).primary_key[0]
    options = [option for entry in entries for option in entry.load]
    holds_value = or_(*(getattr(model, entry.column).is_not(None) for entry in entries))
    changed, last = 0, None
    while True:
        query = select(model).where(holds_value).order_by(key).limit(_BATCH).options(*options)
        if last is not None:
            query = query.where(key > last)
        rows = db.session.scalars(query).unique().all()
        if not rows:
            return changed
        for row in rows:
            for entry in entries:
                old = getattr(row, entry.column)
                if old and entry.applies(row):
                    new = _rewrap(old, entry.aad(row), active)
                    if new != old:
                        setattr(row, entry.column, new)
                        changed += 1
            last = getattr(row, key.key)
        db.session.commit()


def reencrypt_all() -> tuple[int, int]:
    """Re-encrypt every registered column and every attachment file not yet under the active key."""
    active = keyring().active
    values = 0
    by_model: dict[type, list[EncryptedColumn]] = {}
    for entry in REGISTRY:
        by_model.setdefault(entry.model, []).append(entry)
    for model, entries in by_model.items():
        values += _reencrypt_model(model, entries, active)
    files, last_id = 0, 0
    while True:
        rows = db.session.scalars(select(Attachment).where(Attachment.id > last_id)
                                  .order_by(Attachment.id).limit(_BATCH)).all()
        if not rows:
            break
        for attachment in rows:
            if attachment_store.reencrypt_file(attachment):
                files += 1
            last_id = attachment.id
        db.session.commit()
    return values, files
