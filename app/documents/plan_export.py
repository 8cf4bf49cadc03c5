"""A plan's measures written out as CSV or XLSX in the import format (export -> import gives the same plan)."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..models import Plan
from ..services.plan_import import table
from .sheets import BOLD, HEADING_FILL, WRAP, csv_bytes, put, xlsx_bytes

#: Column widths of the XLSX by column key (budget columns 12, others 14).
WIDTHS = {"title": 50, "steps": 60, "kpis": 50, "responsible": 30, "note": 30, "mission_title": 30,
          "dimension_title": 24}


def to_csv(plan: Plan) -> bytes:
    """The plan's measures as CSV, UTF-8 with a byte-order mark so Excel shows the Thai."""
    _keys, names, lines = table(plan)
    return csv_bytes([names, *lines])


def to_xlsx(plan: Plan) -> bytes:
    """The plan's measures as an Excel workbook: the import format on the first sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "measures"
    keys, names, lines = table(plan)
    for column, name in enumerate(names, start=1):
        put(sheet, 1, column, name, font=BOLD, fill=HEADING_FILL)
    for row_no, line in enumerate(lines, start=2):
        for column, value in enumerate(line, start=1):
            put(sheet, row_no, column, value, alignment=WRAP if isinstance(value, str) else None)
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14) if isinstance(key, str) else 12
    sheet.freeze_panes = "A2"
    return xlsx_bytes(book)
