"""The public statistics tables as files: CSV and XLSX (data for spreadsheets) and PDF (for publishing).

CSV and XLSX keep counts as numbers (Arabic digits) whatever the digit setting; hidden small counts are
the text "< N". The PDF follows the setting, like the page.
"""
from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import thai
from ..services.exports import (COUNTING_RULE, FORMATS, IN_PROGRESS_RULE, NO_COMPLAINTS_PERIOD, NOTE_HEADER,
                                PublicTable, ita_line)
from ..services.organisation import get_profile
from . import render
from .sheets import BOLD, HEADING_FILL, csv_bytes, put, xlsx_bytes

SHEET_NAMES = {"monthly": "monthly", "half-year": "half-year", "category": "category",
               "category-half-year": "category-half"}


def _sheet_rows(table: PublicTable) -> tuple[list[str], list[list]]:
    """Header and body rows (numbers stay numbers; hidden counts are "< N" text)."""
    header = [table.first_header, *table.headers, str(NOTE_HEADER)]
    body = [[row.label, *(c.value if c.value is not None else c.text for c in row.cells), row.note]
            for row in (*table.rows, table.total)]
    return header, body


def to_csv(table: PublicTable) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, so Excel opens the Thai correctly."""
    header, body = _sheet_rows(table)
    return csv_bytes([header, *body])


def to_xlsx(table: PublicTable, org_name: str = "") -> bytes:
    """The table as an Excel workbook: title lines, the table, then the notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAMES[table.kind]
    line = 1
    for text, font in ((table.title, Font(bold=True, size=14)), (org_name, None),
                       (table.period_label, None), (ita_line(table), None), (table.as_of_label, None)):
        if text:
            put(sheet, line, 1, text, font=font)
            line += 1
    line += 1
    header, body = _sheet_rows(table)
    for column, text in enumerate(header, start=1):
        put(sheet, line, column, text, font=BOLD, fill=HEADING_FILL,
            alignment=Alignment(wrap_text=True, vertical="center"))
    first_body = line + 1
    for offset, values in enumerate(body):
        is_total = offset == len(body) - 1
        for column, value in enumerate(values, start=1):
            put(sheet, first_body + offset, column, value, font=BOLD if is_total else None)
    line = first_body + len(body) + 1
    for text in (str(COUNTING_RULE), str(IN_PROGRESS_RULE), table.suppression_note):
        if text:
            put(sheet, line, 1, text)
            line += 1
    sheet.column_dimensions["A"].width = 34 if table.kind.startswith("category") else 14
    for column in range(2, len(header)):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions[get_column_letter(len(header))].width = 24
    sheet.freeze_panes = sheet.cell(row=first_body, column=2)
    return xlsx_bytes(book)


def to_pdf(table: PublicTable) -> bytes:
    """The table as an A4 PDF with the organisation's letterhead, period and ITA code."""
    return render.pdf("documents/stats.html", digits=table.digits, title=f"{table.title} {table.period_label}",
                      created=datetime.combine(table.as_of, datetime.min.time(), tzinfo=thai.BANGKOK),
                      table=table, ita=ita_line(table), counting_rule=str(COUNTING_RULE),
                      in_progress_rule=str(IN_PROGRESS_RULE), no_complaints=str(NO_COMPLAINTS_PERIOD),
                      note_header=str(NOTE_HEADER))


def render_file(table: PublicTable, fmt: str) -> bytes:
    """The file of ``table`` in ``fmt`` ("csv", "xlsx" or "pdf")."""
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table, get_profile().name)
    if fmt == "pdf":
        return to_pdf(table)
    raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")


def filename(table: PublicTable, fmt: str) -> str:
    """e.g. ``stats-corruption-2569-monthly.xlsx`` (ASCII, safe in every browser)."""
    return f"stats-{table.channel}-{table.fiscal_year}-{table.kind}.{fmt}"
