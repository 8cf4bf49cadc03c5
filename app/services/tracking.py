"""What a citizen sees when following a case by its tracking code: never personal data or internal notes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Case
from ..security import crypto
from . import sla, tracking_codes


@dataclass
class PublicUpdate:
    """One public entry of the timeline."""

    at: datetime
    status: str | None
    message: str


@dataclass
class TrackingView:
    """The public face of a case."""

    channel: str
    status: str
    case_number: str | None
    received_at: datetime
    due_at: datetime
    overdue: bool
    updates: list[PublicUpdate]


def find_case(code: str) -> Case | None:
    """Look a case up by its tracking code; the same work is done for any input."""
    return db.session.scalar(select(Case).where(Case.tracking_hash == tracking_codes.code_hash(code)))


def event_aad(case: Case, event, which: str) -> str:
    """Associated data binding an event's public or internal message to that event of that case."""
    return f"case:{case.uid}:event:{event.id}:{which}"


def event_public_message(case: Case, event) -> str:
    """The public message of an event, decrypted when the case's events are encrypted."""
    if not event.public_message:
        return ""
    if event.encrypted:
        return crypto.decrypt_text(event.public_message, event_aad(case, event, "public"))
    return event.public_message


def public_view(case: Case, now: datetime) -> TrackingView:
    """Status, dates and public updates of a case, nothing else."""
    updates = []
    for event in case.events:
        message = event_public_message(case, event)
        if event.to_status or message:
            updates.append(PublicUpdate(at=event.at, status=event.to_status, message=message))
    return TrackingView(
        channel=case.channel,
        status=case.status,
        # The corruption channel's internal number is never shown publicly.
        case_number=case.case_number if case.channel == "general" else None,
        received_at=case.received_at,
        due_at=case.due_at,
        overdue=sla.is_overdue(case.due_at, case.is_closed, now),
        updates=updates,
    )
