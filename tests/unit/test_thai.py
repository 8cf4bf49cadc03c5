"""Unit tests for the Thai calendar helpers."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.thai import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    be_year,
    ce_year,
    fiscal_half,
    fiscal_half_range,
    fiscal_months,
    fiscal_year,
    fiscal_year_bounds_utc,
    fiscal_year_label,
    fiscal_year_range,
    format_date,
    format_datetime,
    month_range,
    thai_digits,
    to_local,
)


def test_buddhist_era_year_is_christian_year_plus_543() -> None:
    assert be_year(2023) == 2566
    assert ce_year(2569) == 2026


def test_naive_datetime_is_treated_as_utc_when_localised() -> None:
    local = to_local(datetime(2023, 4, 24, 7, 5))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2023, 4, 24, 14, 5)
    assert local.utcoffset() is not None and local.utcoffset().total_seconds() == 7 * 3600


def test_aware_utc_datetime_crosses_into_next_bangkok_day() -> None:
    local = to_local(datetime(2023, 12, 31, 17, 0, tzinfo=timezone.utc))
    assert (local.year, local.month, local.day, local.hour) == (2024, 1, 1, 0)


def test_month_names_have_twelve_entries_starting_january() -> None:
    assert len(THAI_MONTHS) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[11] == "ธันวาคม"


@pytest.mark.parametrize(
    ("month", "abbr"),
    [
        (1, "ม.ค."),
        (2, "ก.พ."),
        (3, "มี.ค."),
        (4, "เม.ย."),
        (5, "พ.ค."),
        (6, "มิ.ย."),
        (7, "ก.ค."),
        (8, "ส.ค."),
        (9, "ก.ย."),
        (10, "ต.ค."),
        (11, "พ.ย."),
        (12, "ธ.ค."),
    ],
)
def test_short_format_uses_each_month_abbreviation(month: int, abbr: str) -> None:
    assert THAI_MONTHS_ABBR[month - 1] == abbr
    assert format_date(date(2023, month, 1), style="short") == f"1 {abbr} 66"


def test_thai_digits_converts_only_ascii_digits() -> None:
    assert thai_digits("24/04/2566 เวลา 14:05") == "๒๔/๐๔/๒๕๖๖ เวลา ๑๔:๐๕"
    assert thai_digits(1234567890) == "๑๒๓๔๕๖๗๘๙๐"
    assert thai_digits("ไม่มีตัวเลข") == "ไม่มีตัวเลข"


def test_full_date_uses_full_month_and_be_year() -> None:
    assert format_date(date(2023, 4, 24)) == "24 เมษายน 2566"


def test_full_date_with_thai_digits() -> None:
    assert format_date(date(2023, 4, 24), digits="thai") == "๒๔ เมษายน ๒๕๖๖"


def test_short_date_uses_two_digit_be_year() -> None:
    assert format_date(date(2023, 4, 24), style="short") == "24 เม.ย. 66"


def test_short_date_keeps_leading_zero_in_two_digit_year() -> None:
    # 1957 CE is 2500 BE, so the two-digit year must be "00", not "0".
    assert format_date(date(1957, 1, 5), style="short") == "5 ม.ค. 00"


def test_numeric_date_is_zero_padded() -> None:
    assert format_date(date(2023, 4, 5), style="numeric") == "05/04/2566"


def test_leap_day_formats_correctly() -> None:
    assert format_date(date(2024, 2, 29)) == "29 กุมภาพันธ์ 2567"


def test_format_date_converts_utc_datetime_to_bangkok_day() -> None:
    # 16:59 UTC is 23:59 in Bangkok; 17:00 UTC is already the next day.
    assert format_date(datetime(2023, 4, 24, 16, 59)) == "24 เมษายน 2566"
    assert format_date(datetime(2023, 4, 24, 17, 0)) == "25 เมษายน 2566"


def test_format_datetime_shows_bangkok_time() -> None:
    dt = datetime(2023, 4, 24, 7, 5, tzinfo=timezone.utc)
    assert format_datetime(dt) == "24 เม.ย. 2566 14:05 น."


def test_format_datetime_with_thai_digits() -> None:
    assert format_datetime(datetime(2023, 4, 24, 7, 5)) == "24 เม.ย. 2566 14:05 น."
    assert format_datetime(datetime(2023, 4, 24, 7, 5), digits="thai") == "๒๔ เม.ย. ๒๕๖๖ ๑๔:๐๕ น."


def test_fiscal_year_changes_between_30_september_and_1_october() -> None:
    assert fiscal_year(date(2025, 9, 30)) == 2568
    assert fiscal_year(date(2025, 10, 1)) == 2569
    assert fiscal_year(date(2026, 9, 30)) == 2569


def test_fiscal_year_uses_bangkok_day_for_utc_datetimes() -> None:
    # 2025-09-30 16:59 UTC is 23:59 Bangkok (FY 2568); 17:30 UTC is 00:30 on 1 Oct (FY 2569).
    assert fiscal_year(datetime(2025, 9, 30, 16, 59)) == 2568
    assert fiscal_year(datetime(2025, 9, 30, 17, 30, tzinfo=timezone.utc)) == 2569


def test_fiscal_year_range_runs_october_to_september() -> None:
    assert fiscal_year_range(2569) == (date(2025, 10, 1), date(2026, 9, 30))


def test_fiscal_year_bounds_utc_are_bangkok_midnights_as_naive_utc() -> None:
    start, end = fiscal_year_bounds_utc(2569)
    assert start == datetime(2025, 9, 30, 17, 0)
    assert end == datetime(2026, 9, 30, 17, 0)
    assert start.tzinfo is None and end.tzinfo is None


def test_fiscal_half_changes_between_31_march_and_1_april() -> None:
    assert fiscal_half(date(2026, 3, 31)) == 1
    assert fiscal_half(date(2026, 4, 1)) == 2


def test_fiscal_half_boundaries_at_fiscal_year_edges() -> None:
    assert fiscal_half(date(2025, 9, 30)) == 2
    assert fiscal_half(date(2025, 10, 1)) == 1


def test_fiscal_half_uses_bangkok_day_for_utc_datetimes() -> None:
    # 2026-03-31 17:00 UTC is 1 April 00:00 in Bangkok.
    assert fiscal_half(datetime(2026, 3, 31, 16, 59)) == 1
    assert fiscal_half(datetime(2026, 3, 31, 17, 0)) == 2


def test_fiscal_half_range_for_both_halves() -> None:
    assert fiscal_half_range(2569, 1) == (date(2025, 10, 1), date(2026, 3, 31))
    assert fiscal_half_range(2569, 2) == (date(2026, 4, 1), date(2026, 9, 30))


def test_fiscal_months_lists_october_to_september_in_order() -> None:
    assert fiscal_months(2569) == [
        (2025, 10),
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
        (2026, 3),
        (2026, 4),
        (2026, 5),
        (2026, 6),
        (2026, 7),
        (2026, 8),
        (2026, 9),
    ]


def test_month_range_handles_leap_february_and_december() -> None:
    assert month_range(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_range(2023, 2) == (date(2023, 2, 1), date(2023, 2, 28))
    assert month_range(2025, 12) == (date(2025, 12, 1), date(2025, 12, 31))


def test_fiscal_year_label_shows_be_range() -> None:
    assert fiscal_year_label(2569) == "ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)"


def test_fiscal_year_label_with_thai_digits() -> None:
    assert (
        fiscal_year_label(2569, digits="thai")
        == "ปีงบประมาณ พ.ศ. ๒๕๖๙ (๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙)"
    )


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_range_rejects_invalid_month(month: int) -> None:
    with pytest.raises(ValueError, match="month must be in 1..12"):
        month_range(2025, month)


@pytest.mark.parametrize("half", [0, 3])
def test_fiscal_half_range_rejects_invalid_half(half: int) -> None:
    with pytest.raises(ValueError, match="fiscal half must be 1 or 2"):
        fiscal_half_range(2569, half)


def test_format_date_rejects_unknown_style_and_digits() -> None:
    with pytest.raises(ValueError, match="style"):
        format_date(date(2023, 4, 24), style="long")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="digits"):
        format_date(date(2023, 4, 24), digits="roman")  # type: ignore[arg-type]
