"""Reports the channel cannot oversee itself: the list the executive dashboard shows, with who may act."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from ...extensions import db
from ...models import Case, CaseExclusion, User
from ...models.case import CORRUPTION, IN_PROGRESS, RECEIVED
from ...models.people import OVERSIGHT
from .. import case_access


@dataclass
class Flagged:
    """One report needing oversight, as a list row: no content, only what lets someone act."""

    case: Case
    #: True when the viewer may open it (the oversight person, an integrity officer it does not name).
    can_open: bool
    #: True when an oversight person exists who may see it; False means someone must be appointed.
    has_oversight: bool


def flagged_for(viewer: User) -> list[Flagged]:
    """Open reports that name the executive or leave fewer than two integrity officers, minus any naming the viewer."""
    mine = case_access.user_hash(viewer)
    cases = db.session.scalars(
        select(Case).where(Case.channel == CORRUPTION, Case.status.in_((RECEIVED, IN_PROGRESS)),
                           case_access.needs_oversight_condition(),
                           ~exists().where(CaseExclusion.case_id == Case.id, CaseExclusion.user_hash == mine))
        .order_by(Case.received_at, Case.id)).all()
    overseers = case_access.holders(OVERSIGHT)
    return [Flagged(case, case_access.can_view(viewer, case),
                    any(case_access.can_view(person, case) for person in overseers)) for case in cases]
