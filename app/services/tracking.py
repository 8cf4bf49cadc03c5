"""What a citizen sees when following a case by its tracking code: never personal data or internal notes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Case
from ..security import columns, crypto
from . import sla, tracking_codes


@dataclass
class PublicUpdate:
    """One public entry of the timeline."""

    at: datetime
    status: str | None
    message: str
    #: The event kind: "explain" (คำชี้แจง), "ask" (a question to the reporter), "answer", ...
    kind: str = ""


@dataclass
class TrackingView:
    """The public face of a case."""

    channel: str
    status: str
    case_number: str | None
    received_at: datetime
    due_at: datetime
    overdue: bool
    #: Public updates only (status changes and public messages): what the API returns.
    updates: list[PublicUpdate]
    #: The explanations (คำชี้แจง) posted because the case ran late, oldest first.
    explanations: list[PublicUpdate] = field(default_factory=list)
    #: The question waiting for the reporter's answer, or None.
    open_question: PublicUpdate | None = None
    #: ``updates`` plus a marker for each answer the reporter sent (never its text), for the web page.
    timeline: list[PublicUpdate] = field(default_factory=list)
    #: Where a forwarded case went: an agency code (nacc, pacc, …) and the free-text name for "other".
    forwarded_to: str | None = None
    forwarded_to_other: str | None = None


def find_case(code: str) -> Case | None:
    """Look a case up by its tracking code; the same work is done for any input."""
    return db.session.scalar(select(Case).where(Case.tracking_hash == tracking_codes.code_hash(code)))


event_aad = columns.event_aad


def _event_text(case: Case, event, which: str) -> str:
    """One of an event's two messages ("public" or "internal"), decrypted when its case's events are."""
    value = event.public_message if which == "public" else event.internal_note
    if not value:
        return ""
    return crypto.decrypt_text(value, event_aad(case, event, which)) if event.encrypted else value


def event_public_message(case: Case, event) -> str:
    """The public message of an event (shown to the citizen)."""
    return _event_text(case, event, "public")


def event_internal_note(case: Case, event) -> str:
    """The internal note of an event, or a reporter's answer (staff only, never on the tracking page)."""
    return _event_text(case, event, "internal")


def public_view(case: Case, now: datetime) -> TrackingView:
    """Status, dates and public updates of a case, nothing else.

    Internal notes are never read here. A reporter's answer is stored as the internal note of an
    "answer" event (encrypted like the report); the page shows that an answer was sent and when,
    but not its text: like the report itself, it is not shown to whoever holds the code.
    """
    updates, timeline, explanations = [], [], []
    open_question: PublicUpdate | None = None
    for event in case.events:
        message = event_public_message(case, event)
        if event.kind == "answer":
            open_question = None
            timeline.append(PublicUpdate(at=event.at, status=None, message="", kind="answer"))
            continue
        if not (event.to_status or message):
            continue
        update = PublicUpdate(at=event.at, status=event.to_status, message=message, kind=event.kind)
        updates.append(update)
        timeline.append(update)
        if event.kind == "explain":
            explanations.append(update)
        elif event.kind == "ask":
            open_question = update
    return TrackingView(
        channel=case.channel,
        status=case.status,
        # The corruption channel's internal number is never shown publicly.
        case_number=case.case_number if case.channel == "general" else None,
        received_at=case.received_at,
        due_at=case.due_at,
        overdue=sla.is_overdue(case.due_at, case.is_closed, now),
        updates=updates,
        explanations=explanations,
        open_question=open_question,
        timeline=timeline,
        forwarded_to=case.forwarded_to if case.status == "forwarded" else None,
        forwarded_to_other=case.forwarded_to_other if case.status == "forwarded" else None,
    )
