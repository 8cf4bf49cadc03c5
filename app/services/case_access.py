"""Who may see which case: the hard boundary around corruption reports lives here and only here."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from ..models import Case, User
from ..models.case import CORRUPTION, GENERAL
from ..models.people import INTAKE, INTEGRITY, UNIT_OFFICER


def can_view(user: User, case: Case) -> bool:
    """True when ``user`` may open ``case``.

    Corruption reports: integrity officers only. General complaints: intake officers (all),
    unit officers (their unit's). Executives and admins work with statistics, not case files.
    """
    if case.accused_user_id is not None and case.accused_user_id == user.id:
        return False  # the person a report names never sees it, whatever their roles
    if case.channel == CORRUPTION:
        return user.has_role(INTEGRITY)
    if user.has_role(INTAKE):
        return True
    return user.has_role(UNIT_OFFICER) and user.unit_id is not None and case.unit_id == user.unit_id


def visible_cases(user: User, channel: str) -> Select:
    """A SELECT of the cases of ``channel`` that ``user`` may list (empty when none)."""
    query = select(Case).where(Case.channel == channel,
                               or_(Case.accused_user_id.is_(None), Case.accused_user_id != user.id))
    if channel == CORRUPTION:
        return query if user.has_role(INTEGRITY) else query.where(false())
    conditions = []
    if user.has_role(INTAKE):
        return query
    if user.has_role(UNIT_OFFICER) and user.unit_id is not None:
        conditions.append(Case.unit_id == user.unit_id)
    return query.where(or_(*conditions)) if conditions else query.where(false())


def channels_for(user: User) -> list[str]:
    """The channels whose inbox the user has."""
    channels = []
    if user.has_role(INTAKE, UNIT_OFFICER):
        channels.append(GENERAL)
    if user.has_role(INTEGRITY):
        channels.append(CORRUPTION)
    return channels
