"""The 6-month and annual reports on the plan's measures, in the 5-column and 4-column formats.

5 columns (seed 003): มาตรการ | ขั้นตอนหรือวิธีการปฏิบัติ | ผู้รับผิดชอบ | กำหนดแล้วเสร็จ | ผลการดำเนินการ.
4 columns (seed 001): มาตรการ | ขั้นตอนหรือวิธีการ | ผู้รับผิดชอบ | การกำกับติดตาม, the result under the
monitoring arrangement. Measures linked to cases get their result computed (plan_kpis); every other row
shows the words staff entered for the period (MeasureResult). The report is an official Thai document, so
its text is Thai whatever the reader's screen language; digits are Arabic or Thai on request.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from .. import thai
from ..extensions import db
from ..models import Measure, MeasureResult, Plan
from ..models.people import User
from . import audit, letterhead, plan_kpis
from .exports import FORMULA_START, safe_text
from .organisation import get_profile
from .pdf import FONT_FAMILY, new_document, table as pdf_table, to_bytes
from .report_periods import ReportPeriod

#: Report layouts: columns -> headings.
HEADINGS = {
    5: ("มาตรการ", "ขั้นตอนหรือวิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ"),
    4: ("มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "การกำกับติดตาม"),
}
LAYOUTS = tuple(HEADINGS)
#: Room a dimension heading needs below it (heading, table heading, a first row), in mm.
KEEP_WITH_HEADING_MM = 45
#: Where the narrow columns' headings break in the PDF (between words, never inside one).
PDF_HEADING_BREAKS = {"กำหนดแล้วเสร็จ": "กำหนด\nแล้วเสร็จ", "ผู้รับผิดชอบ": "ผู้รับ\nผิดชอบ"}
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


# ---------------------------------------------------------------- rendering


def _cells(row: ReportRow, layout: int) -> list[str]:
    if layout == 5:
        return [row.label, row.steps, row.responsible, row.due, row.result]
    fourth = "\n".join(part for part in (row.monitoring, f"ผลการดำเนินการ: {row.result}" if row.result else "") if part)
    return [row.label, row.steps, row.responsible, fourth]


def _dimension_heading(block: DimensionBlock) -> str:
    return f"มิติที่ {block.number} {block.title}".strip() if block.number else "มาตรการอื่น"


def _as_of(report: MeasureReport) -> str:
    return f"ข้อมูล ณ วันที่ {thai.format_date(report.now)}"


def to_pdf(report: MeasureReport, layout: int = 5, digits: str = "arabic") -> bytes:
    """The report as a landscape A4 PDF in Sarabun with the organisation's letterhead."""
    pdf = new_document(report.title, orientation="landscape", digits=digits)
    letterhead.apply(pdf)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(0, 8, pdf.num(report.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=13)
    for line in (report.plan_title, report.period.title(digits), _as_of(report)):
        pdf.multi_cell(0, 6.5, pdf.num(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    # The steps are the longest text of a real plan: they get the widest column.
    widths = (26, 38, 12, 12, 32) if layout == 5 else (28, 40, 12, 40)
    for block in report.blocks:
        if pdf.will_page_break(KEEP_WITH_HEADING_MM):
            pdf.add_page()  # never leave a dimension's heading alone at the foot of a page
        pdf.set_font(FONT_FAMILY, "B", 13)
        pdf.multi_cell(0, 7, pdf.num(_dimension_heading(block)), align="L", new_x="LMARGIN", new_y="NEXT")
        headings = [PDF_HEADING_BREAKS.get(h, h) for h in HEADINGS[layout]]
        pdf_table(pdf, headings, [_cells(row, layout) for row in block.rows], widths, font_size=11)
        pdf.ln(3)
    return to_bytes(pdf)


def to_xlsx(report: MeasureReport, layout: int = 5, digits: str = "arabic") -> bytes:
    """The report as an Excel workbook: title lines, then per dimension a heading row and the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "half-year" if report.period.kind == "half" else "annual"
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(row: int, column: int, value: str, *, font=None):
        target = sheet.cell(row=row, column=column)
        text = thai.with_digits(value or "", digits)
        target.value = safe_text(text)
        target.data_type = "s"  # staff text is never a formula
        if text.startswith(FORMULA_START):
            target.quotePrefix = True
        target.alignment = wrap
        if font is not None:
            target.font = font
        return target

    line = 1
    for text, font in ((report.title, Font(bold=True, size=14)), (report.org_name, None),
                       (report.plan_title, None), (report.period.title(), None), (_as_of(report), None)):
        put(line, 1, text, font=font)
        line += 1
    line += 1
    fill = PatternFill("solid", fgColor="E2E8F0")
    bold = Font(bold=True)
    for column, text in enumerate(HEADINGS[layout], start=1):
        put(line, column, text, font=bold).fill = fill
    header_row = line
    line += 1
    for block in report.blocks:
        put(line, 1, _dimension_heading(block), font=bold)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=layout)
        line += 1
        for row in block.rows:
            for column, value in enumerate(_cells(row, layout), start=1):
                put(line, column, value)
            line += 1
    widths = (45, 45, 18, 18, 60) if layout == 5 else (45, 45, 18, 60)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(report: MeasureReport, fmt: str, layout: int, digits: str) -> bytes:
    """The report file in ``fmt`` ("pdf" or "xlsx")."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    if fmt == "pdf":
        return to_pdf(report, layout, digits)
    if fmt == "xlsx":
        return to_xlsx(report, layout, digits)
    raise ValueError(f"format must be one of {FORMATS}")


def filename(report: MeasureReport, fmt: str, layout: int) -> str:
    """e.g. ``measures-2569-half-5col.pdf`` (ASCII)."""
    return f"measures-{report.period.fiscal_year}-{report.period.kind}-{layout}col.{fmt}"


__all__ = ["FORMATS", "HEADINGS", "LAYOUTS", "MAX_RESULT", "DimensionBlock", "MeasureReport", "ReportRow",
           "build", "entered_results", "filename", "measure_label", "render", "save_results", "to_pdf", "to_xlsx"]
