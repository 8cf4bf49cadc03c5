"""The protected channel's access log for the people being watched: who opened, revealed, downloaded,
requested and approved, and when; never report content, and nothing about a report that names the reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import AuditEntry, Case, CaseExclusion, User
from ...models.people import EXECUTIVE, INTEGRITY, OVERSIGHT
from .. import case_access

#: Who may read it: the people whose access it records, and the executive.
READERS = (INTEGRITY, OVERSIGHT, EXECUTIVE)
PAGE_SIZE = 50


@dataclass
class LogRow:
    """One line: when, who, what, and the report's number only for a reader who may open the report."""

    at: datetime
    actor: User | None
    action: str
    case_number: str | None
    case_uid: str | None


def page(viewer: User, number: int = 1) -> tuple[list[LogRow], bool]:
    """One page of the log, newest first; True when an older page exists."""
    mine = case_access.user_hash(viewer)
    query = (select(AuditEntry).options(selectinload(AuditEntry.actor))
             .where(AuditEntry.protected.is_(True),
                    ~exists().where(CaseExclusion.case_id == AuditEntry.target_id, CaseExclusion.user_hash == mine))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
             .limit(PAGE_SIZE + 1).offset((max(number, 1) - 1) * PAGE_SIZE))
    entries = db.session.scalars(query).all()
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_({e.target_id for e in entries})))}
    rows = []
    for entry in entries[:PAGE_SIZE]:
        case = cases.get(entry.target_id)
        shown = case is not None and case_access.can_view(viewer, case)
        rows.append(LogRow(entry.at, entry.actor, entry.action, case.case_number if shown else None,
                           case.uid if shown else None))
    return rows, len(entries) > PAGE_SIZE
