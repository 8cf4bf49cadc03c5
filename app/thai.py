"""Thai calendar helpers: Buddhist-era dates, Thai digits and fiscal years."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

# Babel's Thai locale renders Christian-era years, so Thai dates are built by hand.

BANGKOK = ZoneInfo("Asia/Bangkok")

# The Buddhist era is a fixed 543-year offset from the Christian era for Thai civil dates.
BE_OFFSET = 543

# Fiscal years start in October: FY n (BE) runs 1 Oct of the previous year to 30 Sep.
FISCAL_START_MONTH = 10

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)

THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

DateStyle = Literal["full", "short", "numeric"]
Digits = Literal["arabic", "thai"]

_THAI_DIGIT_TABLE = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _check_month(month: int) -> None:
    """Raise ValueError unless month is 1..12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month!r}")


def _check_half(half: int) -> None:
    """Raise ValueError unless half is 1 or 2."""
    if half not in (1, 2):
        raise ValueError(f"fiscal half must be 1 or 2, got {half!r}")


def _check_digits(digits: str) -> None:
    """Raise ValueError unless digits is 'arabic' or 'thai'."""
    if digits not in ("arabic", "thai"):
        raise ValueError(f"digits must be 'arabic' or 'thai', got {digits!r}")


def with_digits(text: str, digits: Digits) -> str:
    """Return text with Thai digits if ``digits`` is "thai", unchanged for "arabic"."""
    _check_digits(digits)
    return thai_digits(text) if digits == "thai" else text


def _local_date(d: date | datetime) -> date:
    """Return the Bangkok calendar date for a date or datetime."""
    # datetime subclasses date, so test it first; a UTC instant may fall on the next Bangkok day.
    if isinstance(d, datetime):
        return to_local(d).date()
    return d


def day_start_utc(d: date) -> datetime:
    """Return Bangkok midnight at the start of d as an aware UTC datetime."""
    return datetime.combine(d, time.min, tzinfo=BANGKOK).astimezone(timezone.utc)


def _bangkok_midnight_utc(d: date) -> datetime:
    """Return Bangkok midnight at the start of d as a naive UTC datetime."""
    return day_start_utc(d).replace(tzinfo=None)


def month_name(month: int) -> str:
    """Return the full Thai month name for a 1-indexed month."""
    _check_month(month)
    return THAI_MONTHS[month - 1]


def month_abbr(month: int) -> str:
    """Return the abbreviated Thai month name for a 1-indexed month."""
    _check_month(month)
    return THAI_MONTHS_ABBR[month - 1]


def to_local(dt: datetime) -> datetime:
    """Convert an aware or naive-UTC datetime to Asia/Bangkok."""
    # SQLite hands back naive datetimes that were stored as UTC.
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(BANGKOK)


def be_year(year_ce: int) -> int:
    """Return the Buddhist-era year for a Christian-era year."""
    return year_ce + BE_OFFSET


def ce_year(year_be: int) -> int:
    """Return the Christian-era year for a Buddhist-era year."""
    return year_be - BE_OFFSET


def thai_digits(value: str | int) -> str:
    """Replace ASCII digits 0-9 with Thai digits, leaving other characters."""
    return str(value).translate(_THAI_DIGIT_TABLE)


def format_date(
    d: date | datetime, style: DateStyle = "full", digits: Digits = "arabic"
) -> str:
    """Format a date in Thai with a Buddhist-era year."""
    local = _local_date(d)
    year = be_year(local.year)
    if style == "full":
        text = f"{local.day} {month_name(local.month)} {year}"
    elif style == "short":
        # Thai convention abbreviates the year to its last two BE digits, e.g. 2566 -> 66.
        text = f"{local.day} {month_abbr(local.month)} {year % 100:02d}"
    elif style == "numeric":
        text = f"{local.day:02d}/{local.month:02d}/{year}"
    else:
        raise ValueError(f"style must be 'full', 'short' or 'numeric', got {style!r}")
    return with_digits(text, digits)


def format_datetime(dt: datetime, digits: Digits = "arabic") -> str:
    """Format a datetime in Bangkok time, e.g. '24 เม.ย. 2566 14:05 น.'."""
    local = to_local(dt)
    text = (
        f"{local.day} {month_abbr(local.month)} {be_year(local.year)} "
        f"{local.hour:02d}:{local.minute:02d} น."
    )
    return with_digits(text, digits)


def fiscal_year(d: date | datetime) -> int:
    """Return the Thai fiscal year (BE) containing a date or datetime."""
    local = _local_date(d)
    year_ce = local.year + 1 if local.month >= FISCAL_START_MONTH else local.year
    return be_year(year_ce)


def fiscal_year_range(fy_be: int) -> tuple[date, date]:
    """Return the first and last day of a fiscal year (BE)."""
    end_ce = ce_year(fy_be)
    return date(end_ce - 1, FISCAL_START_MONTH, 1), date(end_ce, 9, 30)


def fiscal_year_bounds_utc(fy_be: int) -> tuple[datetime, datetime]:
    """Return naive-UTC [start, end) datetimes for a fiscal year's Bangkok midnights."""
    first, last = fiscal_year_range(fy_be)
    # Half-open bounds avoid microsecond edge cases; naive UTC matches what the DB stores.
    return _bangkok_midnight_utc(first), _bangkok_midnight_utc(last + timedelta(days=1))


def fiscal_half(d: date | datetime) -> int:
    """Return 1 for Oct-Mar or 2 for Apr-Sep of the fiscal year."""
    local = _local_date(d)
    return 2 if 4 <= local.month <= 9 else 1


def fiscal_half_range(fy_be: int, half: int) -> tuple[date, date]:
    """Return the first and last day of a fiscal half-year."""
    _check_half(half)
    end_ce = ce_year(fy_be)
    if half == 1:
        return date(end_ce - 1, FISCAL_START_MONTH, 1), date(end_ce, 3, 31)
    return date(end_ce, 4, 1), date(end_ce, 9, 30)


def fiscal_months(fy_be: int) -> list[tuple[int, int]]:
    """Return the twelve (year_ce, month) pairs of a fiscal year, Oct to Sep."""
    end_ce = ce_year(fy_be)
    return [(end_ce - 1, m) for m in range(FISCAL_START_MONTH, 13)] + [
        (end_ce, m) for m in range(1, FISCAL_START_MONTH)
    ]


def month_range(year_ce: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a calendar month."""
    _check_month(month)
    first = date(year_ce, month, 1)
    # The day before the next month's first day handles leap years without a table.
    next_first = date(year_ce + 1, 1, 1) if month == 12 else date(year_ce, month + 1, 1)
    return first, next_first - timedelta(days=1)


def fiscal_year_label(fy_be: int, digits: Digits = "arabic") -> str:
    """Return a label like 'ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)'."""
    first, last = fiscal_year_range(fy_be)

    def span(d: date) -> str:
        """Format one end of the range with a four-digit BE year."""
        return f"{d.day} {month_abbr(d.month)} {be_year(d.year)}"

    text = f"ปีงบประมาณ พ.ศ. {fy_be} ({span(first)} – {span(last)})"
    return with_digits(text, digits)


__all__ = [
    "BANGKOK",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "be_year",
    "ce_year",
    "day_start_utc",
    "fiscal_half",
    "fiscal_half_range",
    "fiscal_months",
    "fiscal_year",
    "fiscal_year_bounds_utc",
    "fiscal_year_label",
    "fiscal_year_range",
    "format_date",
    "format_datetime",
    "month_abbr",
    "month_name",
    "month_range",
    "thai_digits",
    "to_local",
    "with_digits",
]
