"""Spreadsheet files (XLSX and CSV): the one place where a cell's text is made safe.

No live formulas: text that starts with ``= + - @``, a tab or a carriage return gets a single quote in
front (the plan import takes it off again), and XLSX text cells are written with the string data type,
so a spreadsheet never evaluates what a citizen or an officer typed.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl.styles import Alignment, Font, PatternFill

#: Characters that make a spreadsheet treat a cell's text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters that XML 1.0 (so XLSX) cannot hold; Word pastes \x0b for a line break.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Heading cells' fill.
HEADING_FILL = PatternFill("solid", fgColor="E2E8F0")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text: control characters dropped, a leading = + - @ tab or CR quoted.

    A lone "-" is no formula (the plan file's "no budget" mark), so it stays as typed.
    """
    text = _CONTROL_CHARS.sub("", text)
    return "'" + text if text.startswith(FORMULA_START) and text != "-" else text


def put(sheet, row: int, column: int, value, *, font: Font | None = None, fill: PatternFill | None = None,
        alignment: Alignment | None = None):
    """Write one XLSX cell: text as a string that is never a formula, numbers as numbers; returns the cell."""
    target = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        target.value = safe_text(value)
        target.data_type = "s"  # never a formula, whatever the text
        if target.value.startswith("'") and not value.startswith("'"):
            target.quotePrefix = True
    else:
        target.value = value
    if font is not None:
        target.font = font
    if fill is not None:
        target.fill = fill
    if alignment is not None:
        target.alignment = alignment
    return target


def xlsx_bytes(book) -> bytes:
    """The workbook as XLSX file bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """Rows as CSV in UTF-8 with a byte-order mark, so Excel opens the Thai correctly; text made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
