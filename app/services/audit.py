"""Writing the audit log; entries about protected-channel reports are marked and their detail encrypted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import AuditEntry, Case, Letter, User
from ..models.case import CORRUPTION
from ..security import crypto
from ..security.columns import audit_detail_aad_for


def record(action: str, *, actor: User | None, now: datetime, target_type: str | None = None,
           target_id: int | None = None, detail: str = "") -> AuditEntry:
    """Add an audit entry to the session (committed with the surrounding transaction)."""
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        at=now,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


def record_case(action: str, case: Case, *, actor: User | None, now: datetime, detail: str = "") -> AuditEntry:
    """An entry about a case; about a protected-channel report it is kept from the admin's log, its detail encrypted."""
    if case.channel != CORRUPTION:
        return record(action, actor=actor, now=now, target_type="case", target_id=case.id, detail=detail)
    entry = record(action, actor=actor, now=now, target_type="case", target_id=case.id)
    entry.protected = True
    if detail:
        db.session.flush()  # the entry's id binds the encrypted detail to it
        entry.detail = crypto.encrypt_text(detail, audit_detail_aad_for(entry.id))
    return entry


def read_detail(entry: AuditEntry) -> str:
    """The entry's detail, decrypted when it is a protected one (callers decide who may read it)."""
    if entry.protected and entry.detail:
        return crypto.decrypt_text(entry.detail, audit_detail_aad_for(entry.id))
    return entry.detail


def protect_case_entries(case: Case) -> None:
    """A case that moved into the protected channel takes its earlier entries with it (marked, detail encrypted).

    Entries about its letters become entries about the case: the protected logs know reports, not letters.
    """
    letters = select(Letter.id).where(Letter.case_id == case.id)
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.protected.is_(False), or_(
            and_(AuditEntry.target_type == "case", AuditEntry.target_id == case.id),
            and_(AuditEntry.target_type == "letter", AuditEntry.target_id.in_(letters))))):
        entry.target_type, entry.target_id, entry.protected = "case", case.id, True
        if entry.detail:
            entry.detail = crypto.encrypt_text(entry.detail, audit_detail_aad_for(entry.id))
