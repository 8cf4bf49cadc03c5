"""Recording whom a protected-channel report names: stored as keyed hashes, details encrypted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...extensions import db
from ...models import Case, CaseExclusion, User
from ...security import crypto
from ...security.columns import exclusion_aad_for
from ..case_access import user_hash


@dataclass
class Excluded:
    """One staff member a report names, as those who handle it see it."""

    user: User | None
    basis: str
    confirmed: bool


def exclude(case: Case, user: User, *, basis: str, confirmed: bool, now: datetime) -> None:
    """Keep ``user`` away from ``case`` from now on (no-op when already excluded; a confirmation sticks)."""
    digest = user_hash(user)
    for row in case.exclusions:
        if row.user_hash == digest:
            row.confirmed = row.confirmed or confirmed
            return
    details = crypto.encrypt_json({"user_id": user.id, "basis": basis}, exclusion_aad_for(case.uid, digest))
    case.exclusions.append(CaseExclusion(user_hash=digest, details_enc=details, confirmed=confirmed, created_at=now))


def replace(case: Case, users: list[User], *, now: datetime) -> None:
    """The confirmed list after two people decided: these are excluded, nobody else."""
    wanted = {user_hash(user) for user in users}
    for row in list(case.exclusions):
        if row.user_hash not in wanted:
            case.exclusions.remove(row)
    db.session.flush()
    for user in users:
        exclude(case, user, basis="confirmed", confirmed=True, now=now)


def listed(case: Case) -> list[Excluded]:
    """Everyone the report names, decrypted (callers checked access)."""
    people = []
    for row in case.exclusions:
        details = crypto.decrypt_json(row.details_enc, exclusion_aad_for(case.uid, row.user_hash))
        people.append(Excluded(db.session.get(User, details.get("user_id")), details.get("basis", ""), row.confirmed))
    return people
