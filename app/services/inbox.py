"""Staff inboxes: filters, tab counts and one page of cases, all as SQL over the cases the user may list."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case as sql_case, func, or_, select
from sqlalchemy.orm import selectinload

from .. import thai
from ..extensions import db
from ..models import Case, User
from ..models.case import CLOSED_STATUSES, CORRUPTION, IN_PROGRESS, RECEIVED, SOURCES, STATUSES
from ..models.people import INTAKE, UNIT_OFFICER, UserRole
from . import case_access, intake, numbering, sla

PAGE_SIZE = 50
#: The inbox tabs, in the order they are shown.
TABS = ("all", "received", "in_progress", "overdue", "unexplained", "closed")
#: "Due within N days" accepts 1..MAX_DUE_WITHIN.
MAX_DUE_WITHIN = 60


# ---------------------------------------------------------------- SQL conditions

def open_condition() -> ColumnElement[bool]:
    """The clock is still running (received or in progress)."""
    return Case.status.in_((RECEIVED, IN_PROGRESS))  # IN, not NOT IN: PostgreSQL then uses the index


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Open and past the due time (the SQL form of ``sla.is_overdue``)."""
    return and_(open_condition(), Case.due_at < now)


def explanation_missing_condition(now: datetime) -> ColumnElement[bool]:
    """Late (open past due, or closed after the due date) with no explanation posted.

    The SQL form of ``sla.explanation_missing``.
    """
    late = or_(and_(Case.closed_at.is_(None), Case.due_at < now), Case.closed_at > Case.due_at)
    return and_(late, Case.explained_at.is_(None))


def due_within_condition(now: datetime, days: int) -> ColumnElement[bool]:
    """Open and due between now and ``days`` days from now (not yet overdue)."""
    return and_(open_condition(), Case.due_at >= now, Case.due_at <= now + timedelta(days=days))


def _tab_condition(tab: str, now: datetime) -> ColumnElement[bool] | None:
    if tab == "received":
        return Case.status == RECEIVED
    if tab == "in_progress":
        return Case.status == IN_PROGRESS
    if tab == "overdue":
        return overdue_condition(now)
    if tab == "unexplained":
        return explanation_missing_condition(now)
    if tab == "closed":
        return Case.status.in_(CLOSED_STATUSES)
    return None


# ---------------------------------------------------------------- filters and the page

@dataclass(frozen=True)
class InboxFilter:
    """What the officer asked to see; unknown values are dropped by :func:`parse_filter`."""

    tab: str = "all"
    status: str = ""
    category_id: int | None = None
    unit_id: int | None = None
    source: str = ""
    overdue: bool = False
    due_within: int | None = None
    unexplained: bool = False
    page: int = 1

    def query_args(self, **changes) -> dict:
        """The filter as URL arguments (defaults left out), e.g. for tab and pager links."""
        values = replace(self, **changes)
        args = {"tab": values.tab if values.tab != "all" else None, "status": values.status or None,
                "category": values.category_id, "unit": values.unit_id, "source": values.source or None,
                "overdue": "1" if values.overdue else None, "due_within": values.due_within,
                "unexplained": "1" if values.unexplained else None,
                "page": values.page if values.page > 1 else None}
        return {k: v for k, v in args.items() if v is not None}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse_filter(args) -> InboxFilter:
    """Read the filter from request arguments (a mapping of strings); nonsense becomes "no filter"."""
    tab = args.get("tab") or "all"
    status = args.get("status") or ""
    source = args.get("source") or ""
    due_within = _int(args.get("due_within"))
    return InboxFilter(
        tab=tab if tab in TABS else "all",
        status=status if status in STATUSES else "",
        category_id=_int(args.get("category")),
        unit_id=_int(args.get("unit")),
        source=source if source in SOURCES else "",
        overdue=args.get("overdue") in ("1", "on", "y", "true"),
        due_within=due_within if due_within and 1 <= due_within <= MAX_DUE_WITHIN else None,
        unexplained=args.get("unexplained") in ("1", "on", "y", "true"),
        page=max(_int(args.get("page")) or 1, 1),
    )


@dataclass
class Countdown:
    """The SLA countdown of one case as the officer reads it ("เหลือ 3 วัน", "เกิน 2 วัน")."""

    #: "left", "today", "over" (open cases) or "closed".
    state: str
    #: Whole Bangkok calendar days left (state "left") or past the due date (state "over").
    days: int = 0


def countdown(case: Case, now: datetime) -> Countdown:
    """Days between today and the due date in Bangkok calendar days; closed cases have none."""
    if case.is_closed:
        return Countdown("closed")
    days = (thai.to_local(case.due_at).date() - thai.to_local(now).date()).days
    if days > 0:
        return Countdown("left", days)
    if days == 0:
        return Countdown("over", 0) if now > case.due_at else Countdown("today")
    return Countdown("over", -days)


@dataclass
class InboxRow:
    """One case as an inbox lists it."""

    case: Case
    subject: str
    overdue: bool
    explanation_missing: bool
    countdown: Countdown


@dataclass
class InboxPage:
    """One page of an inbox, with the counts of every tab under the same filters."""

    rows: list[InboxRow]
    total: int
    counts: dict[str, int]
    filter: InboxFilter
    page_size: int = PAGE_SIZE
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max((self.total + self.page_size - 1) // self.page_size, 1)


def _filtered(user: User, channel: str, flt: InboxFilter, now: datetime):
    """The user's visible cases of the channel under every filter except the tab."""
    query = case_access.visible_cases(user, channel)
    if flt.status:
        query = query.where(Case.status == flt.status)
    if flt.category_id:
        query = query.where(Case.category_id == flt.category_id)
    if flt.unit_id:
        query = query.where(Case.unit_id == flt.unit_id)
    if flt.source:
        query = query.where(Case.source == flt.source)
    if flt.overdue:
        query = query.where(overdue_condition(now))
    if flt.due_within:
        query = query.where(due_within_condition(now, flt.due_within))
    if flt.unexplained:
        query = query.where(explanation_missing_condition(now))
    return query


def tab_counts(user: User, channel: str, flt: InboxFilter, now: datetime) -> dict[str, int]:
    """How many cases each tab holds under the current filters: one SQL query of conditional COUNTs."""
    columns = [func.count(Case.id).label("all")]
    for tab in TABS[1:]:
        columns.append(func.count(sql_case((_tab_condition(tab, now), Case.id))).label(tab))
    row = db.session.execute(_filtered(user, channel, flt, now).with_only_columns(*columns)).one()
    return {tab: int(row._mapping[tab] or 0) for tab in TABS}


def list_cases(user: User, channel: str, flt: InboxFilter, now: datetime) -> InboxPage:
    """One page of the inbox: open cases soonest due first, then closed ones; corruption subjects are decrypted for that page only."""
    query = _filtered(user, channel, flt, now)
    condition = _tab_condition(flt.tab, now)
    if condition is not None:
        query = query.where(condition)
    counts = tab_counts(user, channel, flt, now)
    total = counts[flt.tab]
    cases = db.session.scalars(
        query.options(selectinload(Case.unit), selectinload(Case.assignee))
        # Open work first (soonest due on top), then closed cases, also by due date.
        .order_by(sql_case((Case.status.in_(CLOSED_STATUSES), 1), else_=0), Case.due_at, Case.id)
        .limit(PAGE_SIZE).offset((flt.page - 1) * PAGE_SIZE)
    ).all()
    rows = []
    for item in cases:
        subject = intake.read_content(item).get("subject", "") if item.channel == CORRUPTION else item.subject
        rows.append(InboxRow(case=item, subject=subject or "",
                             overdue=not item.is_closed and now > item.due_at,
                             explanation_missing=sla.explanation_missing(item, now),
                             countdown=countdown(item, now)))
    return InboxPage(rows=rows, total=total, counts=counts, filter=flt, page_size=PAGE_SIZE)


# ---------------------------------------------------------------- case page helpers

def find_visible_by_number(user: User, channel: str, text: str) -> Case | None:
    """A case of ``channel`` the user may list, by its printed number ("ร. 12/2569" or just "12/2569")."""
    text = " ".join((text or "").split())
    if not text:
        return None
    prefix = numbering.PREFIX.get(channel, "")
    candidates = {text}
    if not text.startswith(prefix):
        candidates.add(f"{prefix} {text}")
    else:  # "ร.12/2569" typed without the space
        candidates.add(f"{prefix} {text[len(prefix):].strip()}")
    query = case_access.visible_cases(user, channel).where(Case.case_number.in_(candidates))
    return db.session.scalars(query).first()


def active_staff() -> list[User]:
    """Active staff members, e.g. for naming the accused of a corruption report."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name, User.id)))


def assignable_officers(user: User, case: Case) -> list[User]:
    """Officers the user may name as responsible for the case (the service checks again).

    Corruption reports: whoever may work on it (never a staff member it names). General complaints:
    intake officers pick among unit officers with a unit and intake officers; a unit officer
    only among the active members of their own unit.
    """
    if case.channel == CORRUPTION:
        return case_access.handlers(case)
    query = select(User).where(User.active.is_(True)).order_by(User.full_name, User.id)
    if user.has_role(INTAKE):
        query = query.join(UserRole).where(or_(and_(UserRole.role == UNIT_OFFICER, User.unit_id.is_not(None)),
                                               UserRole.role == INTAKE))
    else:
        query = query.join(UserRole).where(User.unit_id == user.unit_id, UserRole.role == UNIT_OFFICER)
    return list(db.session.scalars(query.distinct()))
