"""The 6-month and annual reports on the plan's measures, in the 5-column and 4-column formats.

5 columns (seed 003): มาตรการ | ขั้นตอนหรือวิธีการปฏิบัติ | ผู้รับผิดชอบ | กำหนดแล้วเสร็จ | ผลการดำเนินการ.
4 columns (seed 001): มาตรการ | ขั้นตอนหรือวิธีการ | ผู้รับผิดชอบ | การกำกับติดตาม, the result under the
monitoring arrangement. Measures linked to cases get their result computed (plan_kpis); every other row
shows the words staff entered for the period (MeasureResult). The report is an official Thai document, so
its text is Thai whatever the reader's screen language; digits are Arabic or Thai on request.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from .. import thai
from ..extensions import db
from ..models import Measure, MeasureResult, Plan
from ..models.people import User
from . import audit, plan_kpis
from .organisation import get_profile
from .report_periods import ReportPeriod

#: Report layouts: columns -> headings.
HEADINGS = {
    5: ("มาตรการ", "ขั้นตอนหรือวิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ"),
    4: ("มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "การกำกับติดตาม"),
}
LAYOUTS = tuple(HEADINGS)
FORMATS = ("pdf", "xlsx")
#: Longest result text staff may enter for one measure and period.
MAX_RESULT = 4000


@dataclass(frozen=True)
class ReportRow:
    """One measure's line of the report."""

    measure_id: int
    label: str
    steps: str
    responsible: str
    due: str
    monitoring: str
    #: The computed part (empty for measures without linked cases).
    computed: str
    #: What staff entered for this period.
    entered: str
    kpis: list = field(default_factory=list)

    @property
    def result(self) -> str:
        """The result column: computed figures, then the staff's words."""
        return "\n".join(part for part in (self.computed, self.entered) if part)


@dataclass(frozen=True)
class DimensionBlock:
    """The rows of one dimension of the plan."""

    number: int
    title: str
    rows: list[ReportRow]


@dataclass(frozen=True)
class MeasureReport:
    """A measure report ready to render."""

    plan_title: str
    org_name: str
    period: ReportPeriod
    now: datetime
    blocks: list[DimensionBlock]

    @property
    def title(self) -> str:
        kind = "รอบ 6 เดือน" if self.period.kind == "half" else "ประจำปี"
        return f"รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต {kind} ปีงบประมาณ พ.ศ. {self.period.fiscal_year}"

    @property
    def rows(self) -> list[ReportRow]:
        return [row for block in self.blocks for row in block.rows]


def measure_label(measure: Measure) -> str:
    """"4.3.1 มาตรการ..." with its codes, or "16. มาตรการ..." by running number when it has none."""
    return f"{measure.code_text} {measure.title}" if measure.codes else f"{measure.running_no}. {measure.title}"


def entered_results(plan: Plan, period: ReportPeriod) -> dict[int, str]:
    """Staff text per measure id for the period."""
    rows = db.session.scalars(
        select(MeasureResult).join(Measure, Measure.id == MeasureResult.measure_id)
        .where(Measure.plan_id == plan.id, MeasureResult.fiscal_year == period.fiscal_year,
               MeasureResult.period == period.kind))
    return {r.measure_id: r.text for r in rows}


def build(plan: Plan, period: ReportPeriod, now: datetime) -> MeasureReport:
    """The report of ``plan`` for ``period`` with results as of ``now`` (Arabic digits; see render)."""
    entered = entered_results(plan, period)
    blocks: dict[int, DimensionBlock] = {}
    for measure in plan.measures:
        dimension = measure.mission.dimension if measure.mission else None
        number = dimension.number if dimension else 0
        block = blocks.setdefault(number, DimensionBlock(number, dimension.title if dimension else "", []))
        kpis = plan_kpis.compute(measure, period, now)
        block.rows.append(ReportRow(
            measure_id=measure.id, label=measure_label(measure), steps=measure.steps or "",
            responsible=measure.responsible or (measure.unit.name if measure.unit else ""),
            due=measure.due_text or "", monitoring=measure.monitoring or "",
            computed=plan_kpis.result_sentence(measure, period, now, values=kpis),
            entered=entered.get(measure.id, ""), kpis=kpis))
    return MeasureReport(plan.title, get_profile().name, period, now, [blocks[k] for k in sorted(blocks)])


def save_results(plan: Plan, period: ReportPeriod, texts: dict[int, str], *, actor: User, now: datetime) -> int:
    """Store the staff's result text per measure for the period; returns how many changed."""
    measures = {m.id for m in plan.measures}
    changed = 0
    for measure_id, text in texts.items():
        if measure_id not in measures:
            continue
        text = (text or "").strip()[:MAX_RESULT]
        row = db.session.get(MeasureResult, (measure_id, period.fiscal_year, period.kind))
        if row is None:
            if not text:
                continue
            row = MeasureResult(measure_id=measure_id, fiscal_year=period.fiscal_year, period=period.kind)
            db.session.add(row)
        elif row.text == text:
            continue
        row.text = text
        row.updated_by_id = actor.id
        row.updated_at = now
        changed += 1
    if changed:
        audit.record("plan.results", actor=actor, now=now, target_type="plan", target_id=plan.id,
                     detail=f"{period.fiscal_year}/{period.kind}: {changed}")
    return changed


def cells(row: ReportRow, layout: int) -> list[str]:
    """A row's cells in the layout's column order (the 4-column layout puts the result under the monitoring)."""
    if layout == 5:
        return [row.label, row.steps, row.responsible, row.due, row.result]
    fourth = "\n".join(part for part in (row.monitoring, f"ผลการดำเนินการ: {row.result}" if row.result else "") if part)
    return [row.label, row.steps, row.responsible, fourth]


def dimension_heading(block: DimensionBlock) -> str:
    """"มิติที่ 2 การบริหารราชการ…", or "มาตรการอื่น" for measures outside the dimensions."""
    return f"มิติที่ {block.number} {block.title}".strip() if block.number else "มาตรการอื่น"


def as_of(report: MeasureReport) -> str:
    """"ข้อมูล ณ วันที่ …" of the report."""
    return f"ข้อมูล ณ วันที่ {thai.format_date(report.now)}"


def filename(report: MeasureReport, fmt: str, layout: int) -> str:
    """e.g. ``measures-2569-half-5col.pdf`` (ASCII)."""
    return f"measures-{report.period.fiscal_year}-{report.period.kind}-{layout}col.{fmt}"


__all__ = ["FORMATS", "HEADINGS", "LAYOUTS", "MAX_RESULT", "DimensionBlock", "MeasureReport", "ReportRow",
           "as_of", "build", "cells", "dimension_heading", "entered_results", "filename", "measure_label",
           "save_results"]
