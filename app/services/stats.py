"""Statistics as indexed SQL aggregates; each function returns plain data."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from .. import thai
from ..extensions import db
from ..models import Case
from ..models.case import CHANNELS, STATUSES


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
        .where(Case.received_at >= start, Case.received_at < end)
        .group_by(Case.channel, Case.status)
    ).all()
    summary = StatusSummary(fiscal_year, {c: {s: 0 for s in STATUSES} for c in CHANNELS})
    for channel, status, count in rows:
        summary.counts.setdefault(channel, {s: 0 for s in STATUSES})[status] = count
    return summary
