"""The executive dashboard's SQL aggregates against hand-computed figures (SQLite and PostgreSQL).

Cases are written directly with known received, due, closed and explained times so every figure can
be worked out by hand; ``now`` is passed in.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app import thai
from app.extensions import db
from app.models import Case, Category
from app.services import dashboard, sla
from tests.factories import seed_categories

_seq = itertools.count(1)


def bkk(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """A Bangkok wall-clock time as an aware UTC datetime."""
    return datetime(y, m, d, h, mi, tzinfo=thai.BANGKOK).astimezone(timezone.utc)


def make_case(received: datetime, *, closed: datetime | None = None, status: str | None = None,
              channel: str = "general", source: str = "web", unit=None, category=None,
              explained: datetime | None = None, due: datetime | None = None, **extra) -> Case:
    """A case with exactly these times (due defaults to received + 15 days)."""
    n = next(_seq)
    case = Case(channel=channel, status=status or ("completed" if closed else "received"), source=source,
                fiscal_year=thai.fiscal_year(received), sequence=n, case_number=f"T. {n}",
                category_id=category.id if category else None, unit_id=unit.id if unit else None,
                received_at=received, due_at=due or received + timedelta(days=15), closed_at=closed,
                explained_at=explained, is_anonymous=True, **extra)
    db.session.add(case)
    return case


def category(code: str) -> Category:
    return db.session.scalar(select(Category).where(Category.code == code))


#: After the end of fiscal year 2568 (1 Oct 2024 - 30 Sep 2025).
NOW = bkk(2025, 10, 20, 12)


def build_kpi_dataset() -> dict:
    """The worked example (FY 2568); the figures it must give are in the tests below.

    Closed in FY 2568 (days to close, on time?): A 5 yes, B 20 no, C 15 (closed exactly at due) yes,
    D 1 yes (rejected), E 3 yes (forwarded), G 12 yes (received in FY 2567). M is received in FY 2568
    but closed in FY 2569. Open: H, I, J, K (FY 2568) and L (FY 2567), all past due at NOW.
    """
    units = seed_categories()
    works, finance = units["กองช่าง"], units["กองคลัง"]
    road, light, bribery = category("road"), category("light"), category("bribery")
    cases = {
        "A": make_case(bkk(2024, 10, 1), closed=bkk(2024, 10, 6), source="web", category=road, unit=works),
        "B": make_case(bkk(2024, 10, 10), closed=bkk(2024, 10, 30), source="phone", category=road, unit=works),
        "C": make_case(bkk(2024, 11, 1), closed=bkk(2024, 11, 16), source="web", category=road, unit=works),
        "D": make_case(bkk(2024, 12, 1), closed=bkk(2024, 12, 2), status="rejected", source="letter",
                       category=light, rejection_reason="duplicate"),
        "E": make_case(bkk(2024, 12, 15), closed=bkk(2024, 12, 18), status="forwarded", source="web",
                       category=light, forwarded_to="nacc"),
        "G": make_case(bkk(2024, 9, 20), closed=bkk(2024, 10, 2), source="phone", category=road,
                       due=bkk(2024, 10, 5)),
        "M": make_case(bkk(2025, 9, 25), closed=bkk(2025, 10, 2), source="web"),
        "H": make_case(bkk(2025, 1, 1), status="in_progress", source="phone", category=road, unit=works),
        "I": make_case(bkk(2025, 2, 1), source="walk_in", unit=works, explained=bkk(2025, 2, 17)),
        "J": make_case(bkk(2025, 1, 1), channel="corruption", source="web", category=bribery),
        "K": make_case(bkk(2025, 3, 10), source="box", unit=finance),
        "L": make_case(bkk(2024, 8, 1), status="in_progress", source="phone", unit=finance),
        # Baseline FY 2567 cases either side of 15 March (for the year-to-date comparison).
        "N": make_case(bkk(2024, 3, 14), closed=bkk(2024, 3, 20), source="web"),
        "O": make_case(bkk(2024, 3, 16), closed=bkk(2024, 3, 18), source="web"),
    }
    db.session.commit()
    return {"cases": cases, "works": works, "finance": finance, "road": road, "light": light,
            "bribery": bribery}


def test_received_summary(app):
    build_kpi_dataset()
    got = dashboard.received_summary(dashboard.Period.of(2568), "all", NOW)
    # A B C D E H I J K M
    assert got.total == 10
    assert got.by_channel == {"general": 9, "corruption": 1}
    assert (got.forwarded, got.rejected) == (1, 1)
    # B closed late, H J K open past due, none explained (I was explained; G and L are FY 2567).
    assert got.explanations_missing == 4
    general = dashboard.received_summary(dashboard.Period.of(2568), "general", NOW)
    assert (general.total, general.explanations_missing) == (9, 3)


def test_explanation_missing_matches_the_python_rule(app):
    build_kpi_dataset()
    period = dashboard.Period.of(2568)
    expected = sum(1 for c in db.session.scalars(select(Case))
                   if period.start <= c.received_at < period.end and sla.explanation_missing(c, NOW))
    assert dashboard.received_summary(period, "all", NOW).explanations_missing == expected == 4


def test_closed_summary_whole_year_even_count(app):
    build_kpi_dataset()
    got = dashboard.closed_summary(dashboard.Period.of(2568), "all")
    assert (got.closed, got.on_time) == (6, 5)  # A B C D E G; B was late
    assert got.sla_percent == pytest.approx(500 / 6)
    assert got.avg_days == pytest.approx((5 + 20 + 15 + 1 + 3 + 12) / 6)
    assert got.median_days == pytest.approx((5 + 12) / 2)  # 1 3 5 | 12 15 20


def test_closed_summary_one_month_odd_count(app):
    build_kpi_dataset()
    got = dashboard.closed_summary(dashboard.Period.of(2568, 10), "all")  # October 2024
    assert (got.closed, got.on_time) == (3, 2)  # A (5 days), B (20, late), G (12)
    assert got.sla_percent == pytest.approx(200 / 3)
    assert got.avg_days == pytest.approx(37 / 3)
    assert got.median_days == pytest.approx(12)


def test_both_median_implementations_agree(app):
    build_kpi_dataset()
    for period, expected in ((dashboard.Period.of(2568), 8.5), (dashboard.Period.of(2568, 10), 12.0),
                             (dashboard.Period.of(2568, 12), 2.0)):
        assert dashboard.median_days_ordered(period, "all") == pytest.approx(expected)
        if db.engine.dialect.name == "postgresql":
            assert dashboard.median_days_percentile(period, "all") == pytest.approx(expected)
    assert dashboard.median_days_ordered(dashboard.Period.of(2566), "all") is None


def test_nothing_closed_gives_no_rate_rather_than_zero(app):
    build_kpi_dataset()
    got = dashboard.closed_summary(dashboard.Period.of(2568, 3), "all")
    assert got.closed == 0 and got.sla_percent is None and got.avg_days is None and got.median_days is None


def test_overdue_by_unit(app):
    data = build_kpi_dataset()
    rows = dashboard.overdue_by_unit("all", NOW)
    got = {(r.unit_id, r.unit_name): r.by_channel for r in rows}
    assert got == {
        (data["works"].id, "กองช่าง"): {"general": 2, "corruption": 0},   # H, I
        (data["finance"].id, "กองคลัง"): {"general": 2, "corruption": 0},  # K, and L from FY 2567
        (None, ""): {"general": 0, "corruption": 1},                        # J, no unit yet
    }
    assert rows[-1].unit_id is None  # "no unit" sorts last among equals
    assert sum(r.total for r in rows) == 5
    # Before K fell due (25 March 2025), only H, I, J and L were overdue.
    assert sum(r.total for r in dashboard.overdue_by_unit("all", bkk(2025, 3, 20))) == 4
    assert [r.total for r in dashboard.overdue_by_unit("corruption", NOW)] == [1]


def test_received_by_source_and_category(app):
    data = build_kpi_dataset()
    period = dashboard.Period.of(2568)
    sources = {c.key: c.count for c in dashboard.received_by_source(period, "all")}
    assert sources == {"web": 5, "phone": 2, "letter": 1, "walk_in": 1, "box": 1, "api": 0,
                       "social_media": 0, "damrongdham": 0, "hotline_1111": 0}
    categories = [(c.key, c.label, c.count) for c in dashboard.received_by_category(period, "all")]
    assert categories == [(data["road"].id, data["road"].name, 4), (None, "", 3),
                          (data["light"].id, data["light"].name, 2), (data["bribery"].id, data["bribery"].name, 1)]


def test_year_on_year_whole_year(app):
    build_kpi_dataset()
    got = dashboard.year_on_year(dashboard.Period.of(2568), 2567, "all", NOW)
    assert (got.current, got.baseline, got.partial) == (10, 4, False)  # baseline: G L N O
    assert got.change_percent == pytest.approx(150.0)
    assert got.baseline_span == (date(2023, 10, 1), date(2024, 9, 30))


def test_year_on_year_zero_baseline(app):
    build_kpi_dataset()
    got = dashboard.year_on_year(dashboard.Period.of(2568), 2566, "all", NOW)
    assert (got.current, got.baseline) == (10, 0)
    assert got.change_percent is None


def test_year_on_year_while_the_year_is_running_compares_the_same_span(app):
    build_kpi_dataset()
    mid_march = bkk(2025, 3, 15, 12)
    got = dashboard.year_on_year(dashboard.Period.of(2568), 2567, "all", mid_march)
    # Up to 15 March 2025: A B C D E H I J K (M is later); baseline up to 15 March 2024: N only.
    assert (got.current, got.baseline, got.partial) == (9, 1, True)
    assert got.current_span == (date(2024, 10, 1), date(2025, 3, 15))
    assert got.baseline_span == (date(2023, 10, 1), date(2024, 3, 15))
    assert got.change_percent == pytest.approx(800.0)
    month = dashboard.year_on_year(dashboard.Period.of(2568, 3), 2567, "all", mid_march)
    assert (month.current, month.baseline, month.change_percent) == (1, 1, 0.0)  # K against N


def test_monthly_series_uses_bangkok_months_and_the_fiscal_year_boundary(app):
    make_case(bkk(2024, 9, 30, 23, 30))                      # FY 2567 (16:30 UTC, 30 Sep)
    make_case(bkk(2024, 10, 1, 0, 30), closed=bkk(2024, 10, 5))  # FY 2568, Oct (still 30 Sep in UTC)
    make_case(bkk(2024, 10, 31, 23, 59), closed=bkk(2024, 12, 1))  # Oct; closed in Dec, late
    make_case(bkk(2024, 11, 1, 0, 0))                         # Nov
    make_case(bkk(2025, 9, 30, 23, 0), channel="corruption")  # Sep 2025, last day of FY 2568
    make_case(bkk(2025, 10, 1, 0, 10))                        # FY 2569
    db.session.commit()
    months = dashboard.monthly_series(2568, "all")
    assert [(m.year_ce, m.month) for m in months] == thai.fiscal_months(2568)
    received = {(m.year_ce, m.month): m.received for m in months}
    assert received[(2024, 10)] == {"general": 2, "corruption": 0}
    assert received[(2024, 11)] == {"general": 1, "corruption": 0}
    assert received[(2025, 9)] == {"general": 0, "corruption": 1}
    assert sum(m.received_total for m in months) == 4
    closed = {(m.year_ce, m.month): (m.closed, m.on_time) for m in months if m.closed}
    assert closed == {(2024, 10): (1, 1), (2024, 12): (1, 0)}
    assert [m.received_total for m in dashboard.monthly_series(2568, "corruption")] == [0] * 11 + [1]
    assert dashboard.received_summary(dashboard.Period.of(2567), "all", NOW).total == 1
    assert dashboard.received_summary(dashboard.Period.of(2569), "all", NOW).total == 1


def test_period_bounds_are_bangkok_midnights():
    period = dashboard.Period.of(2568, 2)
    assert (period.first_day, period.last_day) == (date(2025, 2, 1), date(2025, 2, 28))
    assert period.start == datetime(2025, 1, 31, 17, tzinfo=timezone.utc)
    assert period.end == datetime(2025, 2, 28, 17, tzinfo=timezone.utc)
    assert dashboard.Period.of(2568, 10).first_day == date(2024, 10, 1)
    with pytest.raises(ValueError):
        dashboard.Period.of(2568, 13)


def test_overview_puts_it_together(app):
    build_kpi_dataset()
    board = dashboard.overview(2568, NOW)
    assert board.received.total == 10 and board.closed.closed == 6 and board.overdue_now == 5
    assert board.year_on_year.baseline_fiscal_year == 2567 and board.year_on_year.change_percent == pytest.approx(150)
    assert board.satisfaction_percent is None
    assert len(board.months) == 12
    with pytest.raises(ValueError):
        dashboard.overview(2568, NOW, channel="nope")


def test_closed_summary_from_the_monthly_series_matches_the_direct_query(app):
    build_kpi_dataset()
    months = dashboard.monthly_series(2568, "all")
    for month in (None, 10, 11, 12, 3):
        period = dashboard.Period.of(2568, month)
        direct, derived = dashboard.closed_summary(period, "all"), dashboard.closed_summary(period, "all", months)
        assert (direct.closed, direct.on_time, direct.median_days) == (derived.closed, derived.on_time,
                                                                       derived.median_days)
        assert direct.avg_days == pytest.approx(derived.avg_days) if direct.avg_days else derived.avg_days is None
