"""The 6-month and annual measure reports as files: landscape A4 PDF and XLSX, 5- or 4-column layout.

The report is an official Thai document: its text is Thai whatever the reader's screen language; digits
are Arabic or Thai on request (codes such as i30 or O29 stay as they are).
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import thai
from ..services.measure_reports import FORMATS, HEADINGS, LAYOUTS, MeasureReport, as_of, cells, dimension_heading
from . import render
from .sheets import BOLD, HEADING_FILL, WRAP, put, xlsx_bytes

#: Column widths in percent of the page (PDF) and in characters (XLSX); the steps get the widest column.
PDF_WIDTHS = {5: (21, 32, 11, 10, 26), 4: (23, 33, 11, 33)}
XLSX_WIDTHS = {5: (45, 45, 18, 18, 60), 4: (45, 45, 18, 60)}


def to_pdf(report: MeasureReport, layout: int = 5, digits: thai.Digits = "arabic") -> bytes:
    """The report as a landscape A4 PDF with the organisation's letterhead."""
    blocks = [(dimension_heading(block), [cells(row, layout) for row in block.rows]) for block in report.blocks]
    lines = (report.plan_title, report.period.title(digits), as_of(report))
    return render.pdf("documents/measure_report.html", digits=digits, orientation="landscape",
                      title=report.title, report=report, lines=lines, blocks=blocks,
                      columns=HEADINGS[layout], widths=PDF_WIDTHS[layout])


def to_xlsx(report: MeasureReport, layout: int = 5, digits: thai.Digits = "arabic") -> bytes:
    """The report as an Excel workbook: title lines, then per dimension a heading row and the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = "half-year" if report.period.kind == "half" else "annual"

    def text(row: int, column: int, value: str, **style):
        return put(sheet, row, column, thai.with_digits(value or "", digits), alignment=WRAP, **style)

    line = 1
    for value, font in ((report.title, Font(bold=True, size=14)), (report.org_name, None),
                        (report.plan_title, None), (report.period.title(), None), (as_of(report), None)):
        text(line, 1, value, font=font)
        line += 1
    line += 1
    for column, value in enumerate(HEADINGS[layout], start=1):
        text(line, column, value, font=BOLD, fill=HEADING_FILL)
    header_row = line
    line += 1
    for block in report.blocks:
        text(line, 1, dimension_heading(block), font=BOLD)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=layout)
        line += 1
        for row in block.rows:
            for column, value in enumerate(cells(row, layout), start=1):
                text(line, column, value)
            line += 1
    for column, width in enumerate(XLSX_WIDTHS[layout], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return xlsx_bytes(book)


def render_file(report: MeasureReport, fmt: str, layout: int, digits: thai.Digits) -> bytes:
    """The report file in ``fmt`` ("pdf" or "xlsx")."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    if fmt == "pdf":
        return to_pdf(report, layout, digits)
    if fmt == "xlsx":
        return to_xlsx(report, layout, digits)
    raise ValueError(f"format must be one of {FORMATS}")
