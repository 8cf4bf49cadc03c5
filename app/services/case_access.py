"""Who may see which case: the hard boundary around corruption reports lives here and only here.

A protected-channel report is seen by integrity officers, never by a staff member it names (an exclusion,
held as a keyed hash of the staff id), and by the oversight person when the channel cannot oversee it
itself: when it names the executive, or when fewer than two integrity officers who are not named remain
(so no second officer can check the first), or when a request on it waits that no integrity officer may decide.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select

from ..extensions import db
from ..models import Case, CaseExclusion, User
from ..models.case import CORRUPTION, GENERAL
from ..models.people import EXECUTIVE, INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER, UserRole
from ..security.hashing import keyed_hash

#: Fewer integrity officers than this who may see a report: nobody inside can check the one who handles it.
SECOND_PERSON = 2


def user_hash(user: User | int) -> str:
    """The keyed hash under which a staff member is excluded from a report (never the plain id)."""
    user_id = user if isinstance(user, int) else user.id
    return keyed_hash("case-exclusion", str(user_id))


def holders(*roles: str) -> list[User]:
    """Active staff holding any of ``roles``, by name."""
    return list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role.in_(roles), User.active.is_(True))
        .order_by(User.full_name, User.id).distinct()))


def _role_hashes(role: str) -> list[str]:
    return [user_hash(user_id) for user_id in db.session.scalars(
        select(User.id).join(UserRole).where(UserRole.role == role, User.active.is_(True)))]


def excluded_hashes(case: Case) -> set[str]:
    """The hashed staff ids a report names."""
    return {row.user_hash for row in case.exclusions}


def is_excluded(user: User, case: Case) -> bool:
    """True when the report names this staff member (confirmed or likely)."""
    return user_hash(user) in excluded_hashes(case)


def needs_oversight(case: Case) -> bool:
    """True when a protected-channel report names the executive or leaves fewer than two integrity officers."""
    if case.channel != CORRUPTION:
        return False
    excluded = excluded_hashes(case)
    if excluded & set(_role_hashes(EXECUTIVE)):
        return True
    return len(set(_role_hashes(INTEGRITY)) - excluded) < SECOND_PERSON


def awaits_oversight(case: Case, overseer: User) -> bool:
    """True when a waiting request on the report has no integrity officer left to decide it but this overseer.

    E.g. one of two officers asks to name the other: neither may decide, so the oversight person must see it.
    """
    from ..models import CaseRequest
    from ..security import crypto
    from ..security.columns import case_request_aad

    excluded = excluded_hashes(case)
    officers = [u for u in holders(INTEGRITY) if user_hash(u) not in excluded]
    for request in db.session.scalars(select(CaseRequest).where(CaseRequest.case_id == case.id,
                                                                CaseRequest.status == "pending")):
        named = set(crypto.decrypt_json(request.payload_enc, case_request_aad(request)).get("accused", []))
        if overseer.id not in named and not [u for u in officers if u.id != request.requested_by_id
                                             and u.id not in named]:
            return True
    return False


def needs_oversight_condition() -> ColumnElement[bool]:
    """The SQL form of :func:`needs_oversight` for lists and counts."""
    integrity = _role_hashes(INTEGRITY)
    excluded_integrity = (select(func.count(CaseExclusion.id))
                          .where(CaseExclusion.case_id == Case.id, CaseExclusion.user_hash.in_(integrity))
                          .scalar_subquery())
    names_executive = exists().where(CaseExclusion.case_id == Case.id,
                                     CaseExclusion.user_hash.in_(_role_hashes(EXECUTIVE)))
    return and_(Case.channel == CORRUPTION, or_(names_executive, len(integrity) - excluded_integrity < SECOND_PERSON))


def _not_excluded(user: User) -> ColumnElement[bool]:
    return ~exists().where(CaseExclusion.case_id == Case.id, CaseExclusion.user_hash == user_hash(user))


def can_view(user: User, case: Case) -> bool:
    """True when ``user`` may open ``case``.

    Corruption reports: integrity officers, and oversight when the report needs it; never a staff member
    the report names, whatever their roles. General complaints: intake officers (all), unit officers
    (their unit's). Executives and admins work with statistics, not case files.
    """
    if case.channel == CORRUPTION:
        if not user.has_role(INTEGRITY, OVERSIGHT) or is_excluded(user, case):
            return False
        return user.has_role(INTEGRITY) or needs_oversight(case) or awaits_oversight(case, user)
    if user.has_role(INTAKE):
        return True
    return user.has_role(UNIT_OFFICER) and user.unit_id is not None and case.unit_id == user.unit_id


def visible_cases(user: User, channel: str) -> Select:
    """A SELECT of the cases of ``channel`` that ``user`` may list (empty when none)."""
    query = select(Case).where(Case.channel == channel)
    if channel == CORRUPTION:
        if user.has_role(INTEGRITY):
            return query.where(_not_excluded(user))
        if user.has_role(OVERSIGHT):
            return query.where(_not_excluded(user), needs_oversight_condition())
        return query.where(false())
    if user.has_role(INTAKE):
        return query
    if user.has_role(UNIT_OFFICER) and user.unit_id is not None:
        return query.where(Case.unit_id == user.unit_id)
    return query.where(false())


def channels_for(user: User) -> list[str]:
    """The channels whose inbox the user has."""
    channels = []
    if user.has_role(INTAKE, UNIT_OFFICER):
        channels.append(GENERAL)
    if user.has_role(INTEGRITY, OVERSIGHT):
        channels.append(CORRUPTION)
    return channels


def handlers(case: Case) -> list[User]:
    """Everyone who may see and work on a protected-channel report now: who is told, reminded, assigned."""
    return [user for user in holders(INTEGRITY, OVERSIGHT) if can_view(user, case)]


def acts_alone(user: User, case: Case) -> bool:
    """True when the user is the report's outside check (oversight), whose decisions need no second person."""
    return (case.channel == CORRUPTION and user.has_role(OVERSIGHT) and not user.has_role(INTEGRITY)
            and can_view(user, case))


def visible_by_uid(user: User, uid: str) -> Case | None:
    """The case with this random identifier if the user may open it; None otherwise (existence never confirmed)."""
    item = db.session.scalar(select(Case).where(Case.uid == uid)) if uid else None
    return item if item is not None and can_view(user, item) else None
