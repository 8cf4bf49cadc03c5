"""A constructed set of cases for the plan KPIs and reports, with figures worked out by hand.

FY2569's first half (1 Oct 2025 – 31 Mar 2026, Bangkok); ``NOW`` (23 Nov 2026) is after all of it.

General complaints received in the half: 12 — 10 completed 3 days after receipt (on time), 1 completed
20 days after (late), 1 still in progress (overdue at NOW). So 10 of 12 on time: 83.3 %.
One more general complaint in April 2026 counts in the annual report only (completed on time: 11/13).
Corruption reports: 3 in the half of FY2569 and 5 in the half of the baseline year FY2565: 40 % fewer.
Survey answers about general complaints submitted in the half: 5, 4, 4, 3 → mean 4.0 = 80.0 %.
"""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import (Measure, MeasureCode, MeasureKpi, MeasureLink, Plan, PlanDimension, PlanMission,
                        PlanTarget, SurveyResponse)
from app.models.plan import METRIC_ON_TIME, METRIC_RECEIVED, METRIC_REDUCTION, METRIC_SATISFACTION
from tests.stats_data import NOW, add_case, utc

__all__ = ["NOW", "build_cases", "build_plan"]


def build_plan(*, baseline_year: int = 2565, targets: dict[int, int] | None = None) -> Plan:
    """A two-dimension plan: a general-complaint measure (3.2.1), a corruption one (4.3.1), one in words."""
    plan = Plan(title="แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. 2566 – 2570) ทดสอบ", start_year=2566, end_year=2570,
                baseline_year=baseline_year, active=True)
    db.session.add(plan)
    db.session.flush()
    for year, percent in (targets or {2566: 10, 2567: 20, 2568: 30, 2569: 40, 2570: 50}).items():
        db.session.add(PlanTarget(plan_id=plan.id, fiscal_year=year, reduction_percent=percent))
    d1 = PlanDimension(plan_id=plan.id, number=1, title="การสร้างวัฒนธรรมสุจริต")
    d3 = PlanDimension(plan_id=plan.id, number=3, title="การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน")
    d4 = PlanDimension(plan_id=plan.id, number=4, title="การยกระดับกลไกการตรวจสอบ")
    db.session.add_all([d1, d3, d4])
    db.session.flush()
    m11 = PlanMission(plan_id=plan.id, dimension_id=d1.id, code="1.1", title="การเสริมสร้างจิตสำนึก")
    m32 = PlanMission(plan_id=plan.id, dimension_id=d3.id, code="3.2", title="การรับและตอบสนองเรื่องร้องเรียน")
    m43 = PlanMission(plan_id=plan.id, dimension_id=d4.id, code="4.3", title="มาตรการจัดการเรื่องร้องเรียนการทุจริต")
    db.session.add_all([m11, m32, m43])
    db.session.flush()
    training = Measure(plan_id=plan.id, mission_id=m11.id, running_no=1, title="โครงการฝึกอบรมคุณธรรมจริยธรรม",
                       steps="จัดอบรมปีละ 1 ครั้ง", responsible="สำนักปลัด", due_text="ปีงบประมาณ 2566-2570",
                       monitoring="รายงานความก้าวหน้าและสรุปผลให้ผู้บริหารทราบรอบ 6 เดือนและประจำปี")
    complaints = Measure(plan_id=plan.id, mission_id=m32.id, running_no=13,
                         title="มาตรการจัดการเรื่องราวร้องทุกข์/ร้องเรียน", steps="แก้ไขภายใน 15 วัน แจ้งผลผู้ร้อง",
                         responsible="สำนักปลัด", due_text="ปีงบประมาณ 2566-2570")
    corruption = Measure(plan_id=plan.id, mission_id=m43.id, running_no=16,
                         title="มาตรการจัดการในกรณีได้ทราบ หรือรับแจ้ง หรือตรวจสอบพบการทุจริต",
                         steps="รับแจ้งเบาะแส ตรวจสอบ รายงานผล", responsible="สำนักปลัด",
                         due_text="ปีงบประมาณ 2566-2570")
    db.session.add_all([training, complaints, corruption])
    db.session.flush()
    db.session.add_all([
        MeasureCode(measure_id=training.id, code="1.1.1"),
        MeasureCode(measure_id=complaints.id, code="3.2.1"),
        MeasureCode(measure_id=corruption.id, code="4.3.1"),
        MeasureKpi(measure_id=training.id, label="บุคลากรผ่านการอบรมร้อยละ 80", sort_order=0),
        MeasureKpi(measure_id=complaints.id, label="แก้ไขภายใน 15 วัน", metric=METRIC_ON_TIME, target=100,
                   sort_order=0),
        MeasureKpi(measure_id=complaints.id, label="ความพึงพอใจไม่ต่ำกว่าร้อยละ 80", metric=METRIC_SATISFACTION,
                   target=80, sort_order=1),
        MeasureKpi(measure_id=complaints.id, label="จำนวนเรื่องร้องเรียน", metric=METRIC_RECEIVED, sort_order=2),
        MeasureKpi(measure_id=corruption.id, label="จำนวนเบาะแส", metric=METRIC_RECEIVED, sort_order=0),
        MeasureKpi(measure_id=corruption.id, label="จำนวนคดีทุจริตลดลง", metric=METRIC_REDUCTION, sort_order=1),
        MeasureLink(measure_id=complaints.id, channel="general"),
        MeasureLink(measure_id=corruption.id, channel="corruption"),
    ])
    db.session.commit()
    return plan


def _closed(case, days: float) -> None:
    case.closed_at = case.received_at + timedelta(days=days)


def build_cases() -> dict:
    """The cases and survey answers of the module docstring; returns some of them by name."""
    general = []
    for i in range(10):
        case = add_case("general", utc(2025, 10 + (i % 3), 5 + i, 3), "completed")
        _closed(case, 3)
        general.append(case)
    late = add_case("general", utc(2026, 1, 10, 3), "completed")
    _closed(late, 20)
    add_case("general", utc(2026, 3, 1, 3), "in_progress")
    april = add_case("general", utc(2026, 4, 2, 3), "completed")
    _closed(april, 2)
    for day in (1, 2, 3):
        add_case("corruption", utc(2025, 11, day, 3), "received")
    for day in (1, 2, 3, 4, 5):
        add_case("corruption", utc(2021, 12, day, 3), "completed")
    for case, rating, when in zip(general, (5, 4, 4, 3), (utc(2025, 10, 20), utc(2025, 12, 1), utc(2026, 2, 1),
                                                          utc(2026, 3, 30))):
        db.session.add(SurveyResponse(case_id=case.id, channel="general", rating=rating, via="tracking",
                                      submitted_at=when))
    # Submitted after the half: counts in the annual report only.
    db.session.add(SurveyResponse(case_id=general[4].id, channel="general", rating=1, via="link",
                                  submitted_at=utc(2026, 5, 1)))
    db.session.commit()
    return {"general": general, "late": late, "april": april}
