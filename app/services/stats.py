"""Statistics as indexed SQL aggregates; each function returns plain data (dataclasses).

Counting rule of the published tables (i30 and the general-complaint page): a case counts in the
month it was **received**, in Bangkok time, with its status **as it is now** ("นับตามเดือนที่รับเรื่อง
สถานะ ณ วันที่แสดงผล"). So, for every month:

* ``received``    every case received that month;
* ``completed``   those now completed;
* ``in_progress`` those still open (status ``received`` or ``in_progress``);
* ``rejected``    those now rejected;
* ``forwarded``   those now forwarded to another agency;

and ``received = completed + in_progress + rejected + forwarded`` always holds.

Month buckets are Asia/Bangkok months. Rather than shifting timestamps in SQL (SQLite and PostgreSQL
do date arithmetic differently), each month is a half-open range of UTC instants computed in Python
(Bangkok has had no daylight saving since 1981, but ``zoneinfo`` does the work anyway), and one query
sums ``CASE WHEN received_at >= :start AND received_at < :end`` per month, grouped by status. Its
WHERE clause (``channel = :c AND received_at`` in the year) is a range scan of the
``ix_cases_channel_received`` index on both databases.

Nothing here hides small counts: raw statistics are exact. Small-count protection for the public is
applied by the presentation layer (``app.services.exports`` and the API).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as sql_case

from .. import thai
from ..extensions import db
from ..models import Case, Category
from ..models.case import (CHANNELS, COMPLETED, FORWARDED, IN_PROGRESS, RECEIVED, REJECTED,
                           STATUSES)

#: The columns of every published statistics table, in order.
COLUMNS = ("received", "completed", "in_progress", "rejected", "forwarded")

#: Current status -> the column it counts in (besides ``received``).
_STATUS_COLUMN = {
    RECEIVED: "in_progress",
    IN_PROGRESS: "in_progress",
    COMPLETED: "completed",
    REJECTED: "rejected",
    FORWARDED: "forwarded",
}

#: Months of the first fiscal half-year (Oct–Mar).
HALF_YEAR_MONTHS = 6


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Counts:
    """The five published numbers of one period (a month, a category, a total)."""

    received: int = 0
    completed: int = 0
    in_progress: int = 0
    rejected: int = 0
    forwarded: int = 0

    @classmethod
    def from_statuses(cls, by_status: dict[str, int]) -> Counts:
        """Build from ``status -> count`` of the cases received in the period."""
        values = dict.fromkeys(COLUMNS, 0)
        for status, count in by_status.items():
            count = int(count or 0)
            values["received"] += count
            column = _STATUS_COLUMN.get(status)
            if column:
                values[column] += count
        return cls(**values)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, c) + getattr(other, c) for c in COLUMNS))

    def as_dict(self) -> dict[str, int]:
        """``{"received": …, "completed": …, …}`` in column order."""
        return {c: getattr(self, c) for c in COLUMNS}

    @property
    def empty(self) -> bool:
        """True when nothing was received in the period ("ไม่มีเรื่องร้องเรียน")."""
        return self.received == 0


def _sum(items) -> Counts:
    total = Counts()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class MonthCounts:
    """One Bangkok calendar month of a fiscal year."""

    year: int
    """Christian-era year of the month."""
    month: int
    counts: Counts

    @property
    def key(self) -> str:
        """``"YYYY-MM"`` (Christian era), as the API prints it."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class MonthlyTable:
    """Month rows (Oct..Sep, or Oct..Mar for the first half-year) with their totals."""

    channel: str
    fiscal_year: int
    months: tuple[MonthCounts, ...]
    totals: Counts
    #: True for the first half-year (Oct–Mar) view.
    half: bool = False

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def last_day(self) -> date:
        last = self.months[-1]
        return thai.month_range(last.year, last.month)[1]


@dataclass(frozen=True)
class CategoryCounts:
    """One category's numbers in a period; ``category_id`` None is "not specified"."""

    category_id: int | None
    code: str | None
    name: str | None
    counts: Counts


@dataclass(frozen=True)
class CategoryTable:
    """Rows per category (every active category of the channel, plus any that has cases) and totals."""

    channel: str
    fiscal_year: int
    rows: tuple[CategoryCounts, ...]
    totals: Counts
    half: bool = False


# ---------------------------------------------------------------- month bounds


def month_bounds_utc(fiscal_year: int, months: int = 12) -> list[datetime]:
    """``months + 1`` UTC instants: the start of each Bangkok month of the fiscal year, then the end."""
    if not 1 <= months <= 12:
        raise ValueError(f"months must be in 1..12, got {months!r}")
    pairs = thai.fiscal_months(fiscal_year)
    year, month = pairs[months - 1]
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return [thai.day_start_utc(date(y, m, 1)) for y, m in (*pairs[:months], after)]


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, got {channel!r}")


# ---------------------------------------------------------------- queries


def monthly_statement(channel: str, bounds: list[datetime]):
    """The one SELECT behind the monthly tables: per status, one summed CASE column per month."""
    columns = [
        func.sum(sql_case((and_(Case.received_at >= start, Case.received_at < end), 1), else_=0)).label(f"m{i}")
        for i, (start, end) in enumerate(zip(bounds, bounds[1:]))
    ]
    return (
        select(Case.status, *columns)
        .where(Case.channel == channel, Case.received_at >= bounds[0], Case.received_at < bounds[-1])
        .group_by(Case.status)
    )


def monthly(channel: str, fiscal_year: int, *, half: bool = False) -> MonthlyTable:
    """Month rows of a fiscal year (BE) for one channel, Oct..Sep (or Oct..Mar with ``half``)."""
    _check_channel(channel)
    count = HALF_YEAR_MONTHS if half else 12
    bounds = month_bounds_utc(fiscal_year, count)
    per_month: list[dict[str, int]] = [{} for _ in range(count)]
    for row in db.session.execute(monthly_statement(channel, bounds)):
        status, values = row[0], row[1:]
        for index, value in enumerate(values):
            if value:
                per_month[index][status] = int(value)
    pairs = thai.fiscal_months(fiscal_year)[:count]
    months = tuple(MonthCounts(y, m, Counts.from_statuses(s)) for (y, m), s in zip(pairs, per_month))
    return MonthlyTable(channel, fiscal_year, months, _sum(m.counts for m in months), half=half)


def half_year(channel: str, fiscal_year: int) -> MonthlyTable:
    """The first half of a fiscal year (1 Oct – 31 Mar) as its own table."""
    return monthly(channel, fiscal_year, half=True)


def by_category(channel: str, fiscal_year: int, *, half: bool = False) -> CategoryTable:
    """Counts per category of the cases received in the fiscal year (or its first half)."""
    _check_channel(channel)
    bounds = month_bounds_utc(fiscal_year, HALF_YEAR_MONTHS if half else 12)
    rows = db.session.execute(
        select(Case.category_id, Case.status, func.count())
        .where(Case.channel == channel, Case.received_at >= bounds[0], Case.received_at < bounds[-1])
        .group_by(Case.category_id, Case.status)
    ).all()
    found: dict[int | None, dict[str, int]] = {}
    for category_id, status, count in rows:
        found.setdefault(category_id, {})[status] = int(count)
    ids = [i for i in found if i is not None]
    # Every category the channel's form offers, plus retired ones that still have cases in the period.
    offered = Category.channel.in_((channel, "both")) & Category.active.is_(True)
    categories = db.session.scalars(
        select(Category).where(or_(offered, Category.id.in_(ids)) if ids else offered)
        .order_by(Category.sort_order, Category.name, Category.id)
    ).all()
    result = [CategoryCounts(c.id, c.code, c.name, Counts.from_statuses(found.get(c.id, {})))
              for c in categories]
    if None in found:
        result.append(CategoryCounts(None, None, None, Counts.from_statuses(found[None])))
    totals = Counts.from_statuses(_merge(found.values()))
    return CategoryTable(channel, fiscal_year, tuple(result), totals, half=half)


def _merge(dicts) -> dict[str, int]:
    merged: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def years_with_data(channel: str) -> list[int]:
    """Fiscal years (BE) in which the channel received at least one case, newest first."""
    _check_channel(channel)
    return list(db.session.scalars(
        select(Case.fiscal_year).where(Case.channel == channel).distinct().order_by(Case.fiscal_year.desc())
    ))


# ---------------------------------------------------------------- executive overview


@dataclass
class StatusSummary:
    """Counts of cases received in one fiscal year, by channel and current status."""

    fiscal_year: int
    #: channel -> status -> count (every status present, zero when none).
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def total(self, channel: str) -> int:
        """All cases of a channel in the year."""
        return sum(self.counts[channel].values())


def status_summary(fiscal_year: int) -> StatusSummary:
    """Count cases received in ``fiscal_year`` (BE) by channel and status with one GROUP BY."""
    start, end = thai.fiscal_year_bounds_utc(fiscal_year)
    rows = db.session.execute(
        select(Case.channel, Case.status, func.count())
        # Both channels spelled out: the planner then reads the (channel, received_at, ...) index whatever
        # statistics it has (without them SQLite walked another index: 1M cases, 3 s instead of 0.25 s).
        .where(Case.channel.in_(CHANNELS), Case.received_at >= start, Case.received_at < end)
        .group_by(Case.channel, Case.status)
    ).all()
    summary = StatusSummary(fiscal_year, {c: {s: 0 for s in STATUSES} for c in CHANNELS})
    for channel, status, count in rows:
        summary.counts.setdefault(channel, {s: 0 for s in STATUSES})[status] = count
    return summary


__all__ = [
    "COLUMNS",
    "CategoryCounts",
    "CategoryTable",
    "Counts",
    "MonthCounts",
    "MonthlyTable",
    "StatusSummary",
    "by_category",
    "half_year",
    "month_bounds_utc",
    "monthly",
    "monthly_statement",
    "status_summary",
    "years_with_data",
]
