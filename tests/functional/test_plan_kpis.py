"""KPIs of the plan's measures computed from a constructed set of cases (figures in tests/plan_data.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import thai
from app.models import Measure
from app.services import plan_kpis
from app.services.report_periods import ReportPeriod
from tests.plan_data import NOW, build_cases, build_plan
from tests.stats_data import utc


@pytest.fixture
def plan(app):
    plan = build_plan()
    build_cases()
    return plan


def _measure(plan, running_no: int) -> Measure:
    return next(m for m in plan.measures if m.running_no == running_no)


def _values(plan, running_no, period, now=NOW):
    return {v.kpi.metric: v for v in plan_kpis.compute(_measure(plan, running_no), period, now)}


def test_half_year_complaint_kpis(plan):
    values = _values(plan, 13, ReportPeriod.of(2569, "half"))
    assert values["received_count"].value == 12
    on_time = values["on_time_rate"]
    assert on_time.details == {"received": 12, "on_time": 10, "pending": 0, "late_open": 1}
    assert round(on_time.value, 1) == 83.3
    assert on_time.target == 100 and on_time.met is False
    satisfaction = values["satisfaction_rate"]
    assert satisfaction.details["responses"] == 4
    assert satisfaction.value == pytest.approx(80.0)
    assert satisfaction.met is True


def test_annual_complaint_kpis_include_the_second_half(plan):
    values = _values(plan, 13, ReportPeriod.of(2569, "year"))
    assert values["on_time_rate"].details["received"] == 13
    assert values["on_time_rate"].details["on_time"] == 11
    assert values["satisfaction_rate"].details["responses"] == 5
    assert values["satisfaction_rate"].value == pytest.approx(68.0)
    assert values["satisfaction_rate"].met is False


def test_result_sentence_reads_like_the_plan_report_in_thai_digits(plan):
    text = plan_kpis.result_sentence(_measure(plan, 13), ReportPeriod.of(2569, "half"), NOW)
    assert text.startswith("ดำเนินการแล้วเสร็จ ")
    assert "ได้รับเรื่อง ๑๒ เรื่อง แล้วเสร็จ ๑๐ เรื่อง ภายใน ๑๕ วัน ร้อยละ ๘๓.๓" in thai.thai_digits(text)
    # The on-time sentence already says how many were received: no second count of the same cases.
    assert text.count("12 เรื่อง") == 1
    assert "ร้อยละ 80.0" in text and "ผ่านเป้าหมาย" in text


def test_corruption_reports_against_the_baseline_and_the_plans_yearly_target(plan):
    values = _values(plan, 16, ReportPeriod.of(2569, "half"))
    assert values["received_count"].value == 3
    reduction = values["reduction_vs_baseline"]
    assert {k: reduction.details[k] for k in ("current", "baseline", "baseline_year")} == {
        "current": 3, "baseline": 5, "baseline_year": 2565}
    assert reduction.value == pytest.approx(40.0)
    assert reduction.target == 40 and reduction.met is True
    assert "ลดลงร้อยละ 40.0" in reduction.sentence and "เป้าหมายปี 2569 ลดลงร้อยละ 40" in reduction.sentence


def test_the_corruption_row_states_its_count_once(plan):
    text = plan_kpis.result_sentence(_measure(plan, 16), ReportPeriod.of(2569, "half"), NOW)
    assert text == ("ดำเนินการแล้วเสร็จ ได้รับเรื่องร้องเรียนการทุจริตและเบาะแส 3 เรื่อง เทียบกับปีฐาน พ.ศ. 2565 "
                    "ช่วงเดียวกัน 5 เรื่อง ลดลงร้อยละ 40.0 (เป้าหมายปี 2569 ลดลงร้อยละ 40 ผ่านเป้าหมาย)")


def test_a_missed_reduction_target_is_reported_as_missed(app):
    plan = build_plan(targets={2569: 50})
    build_cases()
    reduction = _values(plan, 16, ReportPeriod.of(2569, "year"))["reduction_vs_baseline"]
    assert reduction.met is False and "ไม่ผ่านเป้าหมาย" in reduction.sentence


def test_zero_baseline_gives_no_percentage_rather_than_a_made_up_one(app):
    plan = build_plan(baseline_year=2560)
    build_cases()
    reduction = _values(plan, 16, ReportPeriod.of(2569, "half"))["reduction_vs_baseline"]
    assert reduction.value is None and reduction.met is None
    assert "คำนวณร้อยละไม่ได้" in reduction.sentence


def test_open_cases_not_yet_due_are_pending_not_failures(plan):
    now = utc(2026, 3, 20, 3)  # inside the half; the 1 March case is already late (due 16 March)
    from tests.stats_data import add_case

    add_case("general", now - timedelta(days=2), "received")
    values = _values(plan, 13, ReportPeriod.of(2569, "half"), now)
    on_time = values["on_time_rate"].details
    assert on_time == {"received": 13, "on_time": 10, "pending": 1, "late_open": 1}
    assert values["on_time_rate"].value == pytest.approx(100.0 * 10 / 12)
    assert "ยังไม่ครบกำหนด 1 เรื่อง" in values["on_time_rate"].sentence
    assert plan_kpis.result_sentence(_measure(plan, 13), ReportPeriod.of(2569, "half"), now).startswith(
        "อยู่ระหว่างดำเนินการ")


def test_a_measure_without_links_or_metrics_is_not_computed(plan):
    training = _measure(plan, 1)
    assert plan_kpis.compute(training, ReportPeriod.of(2569, "half"), NOW) == []
    assert plan_kpis.result_sentence(training, ReportPeriod.of(2569, "half"), NOW) == ""
    assert not plan_kpis.is_computed(training)


def test_links_decide_the_evidence_not_the_code(plan):
    """Swap the codes: the figures follow the links, whatever the codes say."""
    complaints, corruption = _measure(plan, 13), _measure(plan, 16)
    complaints.codes[0].code, corruption.codes[0].code = "9.9.9", "3.2.1"
    values = _values(plan, 13, ReportPeriod.of(2569, "half"))
    assert values["received_count"].value == 12
    assert _values(plan, 16, ReportPeriod.of(2569, "half"))["received_count"].value == 3


def test_a_category_link_counts_only_that_category(plan):
    from app.extensions import db
    from app.models import MeasureLink
    from tests.stats_data import add_case, category

    roads = category("road", "ถนน")
    for day in (3, 4):
        add_case("general", utc(2025, 11, day, 3), "received", category=roads)
    measure = _measure(plan, 13)
    measure.links.clear()
    db.session.add(MeasureLink(measure_id=measure.id, category_id=roads.id))
    db.session.commit()
    db.session.refresh(measure)
    assert _values(plan, 13, ReportPeriod.of(2569, "half"))["received_count"].value == 2


# ---------------------------------------------------------------- the shipped plans


@pytest.mark.parametrize("key, complaints_no, corruption_nos, target_2569", [
    ("banpong_2566_2570", 13, (16, 17), 40),
    ("takbai_2566_2570", 42, (48, 49), 9),
])
def test_shipped_plans_compute_their_complaint_kpis_from_the_cases(app, key, complaints_no, corruption_nos,
                                                                   target_2569):
    """Import a shipped plan as an organisation would, then the same constructed cases give the same figures."""
    from app.services import plans

    plan = plans.load_shipped(key, now=NOW, activate=True)
    build_cases()
    half = ReportPeriod.of(2569, "half")
    complaints = _values(plan, complaints_no, half)
    assert set(complaints) == {"on_time_rate", "satisfaction_rate", "received_count"}
    assert complaints["on_time_rate"].details["received"] == 12
    assert complaints["on_time_rate"].details["on_time"] == 10
    assert complaints["on_time_rate"].target == 100 and complaints["on_time_rate"].met is False
    assert complaints["satisfaction_rate"].value == pytest.approx(80.0) and complaints["satisfaction_rate"].met
    assert "ได้รับเรื่อง ๑๒ เรื่อง แล้วเสร็จ ๑๐ เรื่อง ภายใน ๑๕ วัน ร้อยละ ๘๓.๓" in thai.thai_digits(
        plan_kpis.result_sentence(_measure(plan, complaints_no), half, NOW))
    for number in corruption_nos:
        values = _values(plan, number, half)
        assert values["received_count"].value == 3
        reduction = values["reduction_vs_baseline"]
        assert (reduction.details["current"], reduction.details["baseline"]) == (3, 5)
        assert reduction.target == target_2569 and reduction.met is True
    # Every other measure of the plan is reported in words: nothing computed for it.
    linked = {complaints_no, *corruption_nos}
    assert all(not plan_kpis.is_computed(m) for m in plan.measures if m.running_no not in linked)
