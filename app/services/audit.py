"""Writing the audit log."""
from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import AuditEntry, User


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
