"""The statistics queries: Bangkok month buckets, fiscal-year edges, status columns, categories, the index."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text

from app import thai
from app.extensions import db
from app.services import stats
from app.services.stats import Counts
from tests.factories import file_complaint
from tests.stats_data import (CORRUPTION_2569, CORRUPTION_2569_TOTAL, GENERAL_2569, GENERAL_2569_HALF_TOTAL,
                              GENERAL_2569_TOTAL, MONTH_KEYS, add_case, build_fy2569, utc)


def _row(counts: Counts) -> tuple[int, ...]:
    return tuple(counts.as_dict().values())


def test_month_bounds_are_bangkok_midnights_in_utc():
    bounds = stats.month_bounds_utc(2569)
    assert len(bounds) == 13
    assert bounds[0] == datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc)
    assert bounds[3] == datetime(2025, 12, 31, 17, 0, tzinfo=timezone.utc)  # 1 Jan 2026, Bangkok
    assert bounds[-1] == datetime(2026, 9, 30, 17, 0, tzinfo=timezone.utc)
    assert (bounds[0].replace(tzinfo=None), bounds[-1].replace(tzinfo=None)) == thai.fiscal_year_bounds_utc(2569)
    half = stats.month_bounds_utc(2569, 6)
    assert half[-1] == datetime(2026, 3, 31, 17, 0, tzinfo=timezone.utc)  # 1 Apr 2026, Bangkok
    with pytest.raises(ValueError):
        stats.month_bounds_utc(2569, 13)


def test_counts_from_statuses_put_open_cases_in_progress():
    counts = Counts.from_statuses({"received": 2, "in_progress": 3, "completed": 4, "rejected": 1,
                                   "forwarded": 5})
    assert counts == Counts(received=15, completed=4, in_progress=5, rejected=1, forwarded=5)
    assert Counts().empty and not counts.empty
    assert counts + counts == Counts(30, 8, 10, 2, 10)


def test_every_cell_of_the_monthly_table(app):
    build_fy2569()
    table = stats.monthly("general", 2569)
    assert [m.key for m in table.months] == MONTH_KEYS
    assert {m.key: _row(m.counts) for m in table.months} == GENERAL_2569
    assert _row(table.totals) == GENERAL_2569_TOTAL
    for month in table.months:  # the columns add up to what was received
        c = month.counts
        assert c.received == c.completed + c.in_progress + c.rejected + c.forwarded
    corruption = stats.monthly("corruption", 2569)
    assert {m.key: _row(m.counts) for m in corruption.months} == CORRUPTION_2569
    assert _row(corruption.totals) == CORRUPTION_2569_TOTAL


def test_fiscal_year_edges_fall_in_the_right_years(app):
    build_fy2569()
    before = stats.monthly("general", 2568)
    assert before.months[-1].key == "2025-09" and before.months[-1].counts.received == 1
    assert before.totals.received == 1
    after = stats.monthly("general", 2570)
    assert after.months[0].key == "2026-10" and after.months[0].counts.received == 1
    assert after.totals.received == 1


def test_half_year_is_october_to_march(app):
    build_fy2569()
    half = stats.half_year("general", 2569)
    assert half.half and [m.key for m in half.months] == MONTH_KEYS[:6]
    assert {m.key: _row(m.counts) for m in half.months} == {k: GENERAL_2569[k] for k in MONTH_KEYS[:6]}
    assert _row(half.totals) == GENERAL_2569_HALF_TOTAL
    assert (half.first_day, half.last_day) == (date(2025, 10, 1), date(2026, 3, 31))


def test_by_category_lists_offered_categories_and_the_unspecified(app):
    cats = build_fy2569()
    table = stats.by_category("general", 2569)
    rows = {(r.code or "-"): _row(r.counts) for r in table.rows}
    assert rows == {"road": (2, 1, 1, 0, 0), "light": (1, 1, 0, 0, 0), "f0": (1, 0, 1, 0, 0),
                    "f1": (1, 0, 0, 1, 0), "f2": (1, 0, 0, 0, 1), "f3": (1, 1, 0, 0, 0), "-": (1, 0, 1, 0, 0)}
    assert [r.code for r in table.rows][:2] == ["road", "light"]  # admin's order
    assert _row(table.totals) == GENERAL_2569_TOTAL
    half = stats.by_category("general", 2569, half=True)
    half_rows = {(r.code or "-"): _row(r.counts) for r in half.rows}
    assert half_rows["light"] == (0, 0, 0, 0, 0) and "-" not in half_rows
    assert _row(half.totals) == GENERAL_2569_HALF_TOTAL
    corruption = stats.by_category("corruption", 2569)
    by_code = {(r.code or "-"): _row(r.counts) for r in corruption.rows}
    assert by_code == {"bribery": (3, 2, 1, 0, 0), "procurement": (0, 0, 0, 0, 0), "-": (1, 0, 0, 0, 1)}
    # A retired category still shows its cases.
    cats["light"].active = False
    db.session.commit()
    assert "light" in {r.code for r in stats.by_category("general", 2569).rows}
    assert "light" not in {r.code for r in stats.by_category("general", 2570).rows}


def test_years_with_data_newest_first(app):
    build_fy2569()
    assert stats.years_with_data("general") == [2570, 2569, 2568]
    assert stats.years_with_data("corruption") == [2569]


def test_a_case_filed_through_intake_counts_in_its_bangkok_month(app):
    case, _ = file_complaint(now=utc(2026, 1, 31, 18, 0))  # 01:00 on 1 Feb in Bangkok
    assert case.fiscal_year == 2569
    table = stats.monthly("general", 2569)
    assert {m.key: m.counts.received for m in table.months if m.counts.received} == {"2026-02": 1}
    assert table.totals.in_progress == 1


def test_empty_year_is_all_zero(app):
    table = stats.monthly("corruption", 2560)
    assert table.totals.empty and all(m.counts.empty for m in table.months)
    assert stats.by_category("corruption", 2560).totals.empty


def test_unknown_channel_is_refused(app):
    with pytest.raises(ValueError):
        stats.monthly("secret", 2569)


def test_monthly_query_uses_the_channel_received_index(app):
    add_case("general", utc(2025, 10, 1, 3))
    db.session.commit()
    stmt = stats.monthly_statement("general", stats.month_bounds_utc(2569))
    compiled = stmt.compile(dialect=db.engine.dialect)
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled), tuple(_params(compiled, conn.dialect))))
        else:
            # Ten years of cases, so that one year is a narrow range the planner sees as such.
            conn.execute(text(
                "INSERT INTO cases (uid, channel, status, source, fiscal_year, sequence, case_number, received_at,"
                " due_at, created_at, updated_at, is_anonymous)"
                " SELECT 'b' || i, CASE WHEN i % 10 = 0 THEN 'corruption' ELSE 'general' END,"
                " (ARRAY['received','in_progress','completed','rejected','forwarded'])[i % 5 + 1], 'web', 2500, i,"
                " 'B-' || i, timestamptz '2016-10-01' + i * interval '1 hour', timestamptz '2030-01-01',"
                " now(), now(), true FROM generate_series(1, 90000) AS i"))
            conn.execute(text("ANALYZE cases"))
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + str(stmt.compile(
                dialect=conn.dialect, compile_kwargs={"literal_binds": True})))))
    assert "ix_cases_channel_received" in plan, plan


def _params(compiled, dialect):
    """Positional parameters of a compiled statement, processed as the column types bind them."""
    processors = compiled._bind_processors
    out = []
    for name in compiled.positiontup:
        value = compiled.params[name]
        processor = processors.get(name)
        out.append(processor(value) if processor else value)
    return out
