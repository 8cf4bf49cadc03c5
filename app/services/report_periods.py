"""The periods of the plan reports: the first half of a fiscal year (Oct-Mar) and the whole year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import thai
from ..models.plan import HALF, PERIODS, YEAR


@dataclass(frozen=True)
class ReportPeriod:
    """A fiscal year (BE) or its first half, with half-open UTC bounds."""

    fiscal_year: int
    #: HALF (Oct-Mar, the "รอบ ๖ เดือน" report) or YEAR (the annual report).
    kind: str
    first_day: date
    last_day: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, fiscal_year: int, kind: str) -> "ReportPeriod":
        """The half or whole of ``fiscal_year``."""
        if kind not in PERIODS:
            raise ValueError(f"kind must be one of {PERIODS}, got {kind!r}")
        if kind == HALF:
            first, last = thai.fiscal_half_range(fiscal_year, 1)
        else:
            first, last = thai.fiscal_year_range(fiscal_year)
        return cls(fiscal_year, kind, first, last, thai.day_start_utc(first),
                   thai.day_start_utc(last + timedelta(days=1)))

    def shifted(self, fiscal_year: int) -> "ReportPeriod":
        """The same span of another fiscal year."""
        return ReportPeriod.of(fiscal_year, self.kind)

    def is_over(self, now: datetime) -> bool:
        """True once the whole period lies in the past."""
        return now >= self.end

    def elapsed_end(self, now: datetime) -> datetime:
        """The end of the elapsed part: ``end`` once over, else the next Bangkok midnight after ``now``."""
        if self.is_over(now):
            return self.end
        today = thai.to_local(now).date()
        return min(self.end, thai.day_start_utc(today + timedelta(days=1)))

    def title(self, digits: thai.Digits = "arabic") -> str:
        """e.g. "รอบ 6 เดือน (1 ต.ค. 2568 – 31 มี.ค. 2569)" or "ประจำปีงบประมาณ พ.ศ. 2569"."""
        def day(d: date) -> str:
            return f"{d.day} {thai.month_abbr(d.month)} {thai.be_year(d.year)}"

        text = (f"รอบ 6 เดือน ({day(self.first_day)} – {day(self.last_day)})" if self.kind == HALF
                else f"ประจำปีงบประมาณ พ.ศ. {self.fiscal_year} ({day(self.first_day)} – {day(self.last_day)})")
        return thai.with_digits(text, digits)


__all__ = ["HALF", "YEAR", "PERIODS", "ReportPeriod"]
