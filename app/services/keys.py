"""Key rotation: a new active key, then every encrypted value re-encrypted under it, losing nothing."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Attachment, Case, OutboxMessage, SurveyInvite, SurveyResponse
from ..security import crypto
from ..security.hashing import keyring
from . import attachments as attachment_store
from .casework import outcome_aad
from .intake import content_aad, reporter_aad
from .notify import outbox_aad
from .surveys import comment_aad, token_aad
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


def _rewrap_columns(row, columns, active: str) -> int:
    """Re-encrypt the named columns of one row; returns how many changed."""
    changed = 0
    for column, aad in columns:
        old = getattr(row, column)
        new = _rewrap(old, aad, active)
        if new != old:
            setattr(row, column, new)
            changed += 1
    return changed


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
            values += _rewrap_columns(case, (("reporter_enc", reporter_aad(case)), ("content_enc", content_aad(case)),
                                             ("outcome_enc", outcome_aad(case))), active)
            invite = db.session.get(SurveyInvite, case.id)
            if invite is not None:
                values += _rewrap_columns(invite, (("token_enc", token_aad(case)),), active)
            response = db.session.scalar(select(SurveyResponse).where(SurveyResponse.case_id == case.id))
            if response is not None:
                values += _rewrap_columns(response, (("comment_enc", comment_aad(case)),), active)
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
        messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > last_id)
                                      .order_by(OutboxMessage.id).limit(_BATCH)).all()
        if not messages:
            break
        for message in messages:
            values += _rewrap_columns(message, (("to_enc", outbox_aad(message, "to")),
                                                ("body_enc", outbox_aad(message, "body"))), active)
            last_id = message.id
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
