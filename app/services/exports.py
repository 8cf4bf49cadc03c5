"""Public statistics as shown to everyone: the page tables and their CSV, XLSX and PDF files.

This is the presentation layer over ``app.services.stats``. It is where the public rules apply:

* **Small-count protection** (corruption channel only): a cell with ``0 < count < N`` becomes
  "< N" (totals too), N being the admin's threshold; 0 turns it off. Raw statistics never hide
  anything; only what leaves for the public is masked.
* **Digits**: the page and the PDF follow the digit setting (Thai or Arabic). CSV and XLSX are data
  files for spreadsheets, so their counts stay numbers (Arabic digits) whatever the setting.
* **"ไม่มีเรื่องร้องเรียน"** for a month, category or period in which nothing was received; months
  that have not begun yet say so instead.
* **No live formulas**: spreadsheet text that starts with ``= + - @``, a tab or a carriage return is
  prefixed with a single quote; XLSX text cells are also written with the string data type.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import has_request_context
from flask_babel import pgettext
from flask_babel.speaklater import LazyString

from .. import thai
from ..labels import lazy_text as _l
from ..models.case import CHANNELS, CORRUPTION, GENERAL
from . import letterhead, stats, stats_settings
from .organisation import get_profile
from .pdf import FONT_FAMILY, MUTED, TEXT, new_document, to_bytes
from .pdf import table as pdf_table

#: The tables a page shows and a visitor can download.
KINDS = ("monthly", "half-year", "category", "category-half-year")
#: Download formats: extension -> MIME type.
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

TITLES = {
    CORRUPTION: _l("สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่"),
    GENERAL: _l("สถิติเรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
}
HEADERS = {
    "received": _l("จำนวนเรื่องที่ได้รับ"),
    "completed": _l("ดำเนินการแล้วเสร็จ"),
    "in_progress": _l("อยู่ระหว่างดำเนินการ"),
    "rejected": _l("ไม่รับพิจารณา"),
    # The same Thai words are an action elsewhere ("Forward to…"); here they head a column of counts.
    "forwarded": LazyString(lambda: pgettext("statistics column", "ส่งต่อหน่วยงานอื่น")
                            if has_request_context() else "ส่งต่อหน่วยงานอื่น"),
}
CAPTIONS = {
    "monthly": _l("รายเดือน"),
    "half-year": _l("รอบ 6 เดือน (ต.ค. – มี.ค.)"),
    "category": _l("แยกตามประเภทเรื่อง"),
    "category-half-year": _l("แยกตามประเภทเรื่อง รอบ 6 เดือน (ต.ค. – มี.ค.)"),
}
MONTH_HEADER = _l("เดือน")
CATEGORY_HEADER = _l("ประเภทเรื่อง")
NOTE_HEADER = _l("หมายเหตุ")
TOTAL_LABEL = _l("รวม")
UNSPECIFIED = _l("ไม่ระบุประเภท")
NO_COMPLAINTS = _l("ไม่มีเรื่องร้องเรียน")
NO_COMPLAINTS_PERIOD = _l("ไม่มีเรื่องร้องเรียนในช่วงเวลานี้")
NOT_YET = _l("ยังไม่ถึงช่วงเวลานี้")
COUNTING_RULE = _l("นับตามเดือนที่รับเรื่อง สถานะ ณ วันที่แสดงผล")
IN_PROGRESS_RULE = _l("อยู่ระหว่างดำเนินการ หมายถึง เรื่องที่รับแล้วและยังไม่แล้วเสร็จ")

#: Characters that make a spreadsheet treat a cell's text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters that XML 1.0 (so XLSX) cannot hold; Word pastes \x0b for a line break.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


# ---------------------------------------------------------------- the public table


@dataclass(frozen=True)
class Cell:
    """One number as the public sees it."""

    #: The count, or None when it is hidden by small-count protection.
    value: int | None
    #: What is printed: digits per the setting, or "< N".
    text: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    """A month, a category or the total."""

    label: str
    cells: tuple[Cell, ...]
    #: "" or why the row has no numbers to speak of (ไม่มีเรื่องร้องเรียน / ยังไม่ถึงช่วงเวลานี้).
    note: str = ""
    key: str = ""

    @property
    def blank(self) -> bool:
        """True when the page prints the note across the row instead of zeros."""
        return bool(self.note)


@dataclass(frozen=True)
class PublicTable:
    """Everything one published table prints, already masked and in the chosen digits."""

    kind: str
    channel: str
    fiscal_year: int
    title: str
    caption: str
    first_header: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    total: Row
    #: Small-count threshold applied (0 = none).
    threshold: int
    digits: str
    ita_code: str | None
    #: e.g. "ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)".
    period_label: str
    #: The day the figures were taken ("ข้อมูล ณ วันที่").
    as_of: date
    as_of_label: str

    @property
    def empty(self) -> bool:
        """True when nothing was received in the whole period."""
        return self.total.cells[0].value == 0

    @property
    def suppression_note(self) -> str:
        if self.threshold < 2:
            return ""
        n = self.num(self.threshold)
        return str(_l("ช่องที่มีจำนวนน้อยกว่า %(n)s เรื่อง แสดงเป็น \"< %(n)s\" เพื่อคุ้มครองผู้แจ้งเบาะแส", n=n))

    def num(self, value) -> str:
        return thai.thai_digits(value) if self.digits == "thai" else str(value)


def cell(count: int, threshold: int, digits: str) -> Cell:
    """One count for the public: "< N" when ``0 < count < threshold``."""
    num = thai.thai_digits if digits == "thai" else str
    if 0 < count < threshold:
        return Cell(None, f"< {num(threshold)}")
    return Cell(count, num(count))


def api_value(count: int, threshold: int) -> int | None:
    """One count for the API: None (JSON null) when hidden by small-count protection."""
    return None if 0 < count < threshold else count


def _cells(counts: stats.Counts, threshold: int, digits: str) -> tuple[Cell, ...]:
    return tuple(cell(getattr(counts, c), threshold, digits) for c in stats.COLUMNS)


def _month_label(year: int, month: int, digits: str) -> str:
    return thai.with_digits(f"{thai.month_abbr(month)} {thai.be_year(year)}", digits)


def _span(first: date, last: date) -> str:
    def one(d: date) -> str:
        return f"{d.day} {thai.month_abbr(d.month)} {thai.be_year(d.year)}"

    return f"{one(first)} – {one(last)}"


def period_label(fiscal_year: int, half: bool, digits: str) -> str:
    """The period a table covers, in the glossary's words."""
    if not half:
        return thai.fiscal_year_label(fiscal_year, digits)
    first, last = thai.fiscal_half_range(fiscal_year, 1)
    text = str(_l("รอบ 6 เดือนแรก ปีงบประมาณ พ.ศ. %(year)s (%(span)s)", year=fiscal_year, span=_span(first, last)))
    return thai.with_digits(text, digits)


def build(channel: str, fiscal_year: int, kind: str, *, today: date,
          settings: stats_settings.PublicSettings | None = None, digits: str | None = None) -> PublicTable:
    """The public table ``kind`` of a channel's fiscal year (BE), as of ``today`` (a Bangkok date).

    ``digits`` overrides the setting (CSV and XLSX ask for Arabic digits).
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, got {channel!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    settings = settings or stats_settings.get()
    digits = digits or settings.digits
    threshold = settings.threshold_for(channel)
    half = kind.endswith("half-year")
    rows: list[Row] = []
    if kind in ("monthly", "half-year"):
        data = stats.monthly(channel, fiscal_year, half=half)
        first_header = str(MONTH_HEADER)
        for month in data.months:
            note = ""
            if month.first_day > today:
                note = str(NOT_YET)
            elif month.counts.empty:
                note = str(NO_COMPLAINTS)
            rows.append(Row(_month_label(month.year, month.month, digits),
                            _cells(month.counts, threshold, digits), note, month.key))
        totals = data.totals
    else:
        data = stats.by_category(channel, fiscal_year, half=half)
        first_header = str(CATEGORY_HEADER)
        for item in data.rows:
            rows.append(Row(item.name if item.name is not None else str(UNSPECIFIED),
                            _cells(item.counts, threshold, digits),
                            str(NO_COMPLAINTS) if item.counts.empty else "", item.code or ""))
        totals = data.totals
    total = Row(str(TOTAL_LABEL), _cells(totals, threshold, digits),
                str(NO_COMPLAINTS) if totals.empty else "", "total")
    as_of_text = str(_l("ข้อมูล ณ วันที่ %(date)s", date=thai.format_date(today, "full", digits)))
    return PublicTable(
        kind=kind, channel=channel, fiscal_year=fiscal_year, title=str(TITLES[channel]),
        caption=thai.with_digits(str(CAPTIONS[kind]), digits), first_header=first_header,
        headers=tuple(str(HEADERS[c]) for c in stats.COLUMNS), rows=tuple(rows), total=total,
        threshold=threshold, digits=digits, ita_code=stats_settings.ita_code(fiscal_year, channel),
        period_label=period_label(fiscal_year, half, digits), as_of=today, as_of_label=as_of_text,
    )


def ita_line(table: PublicTable) -> str:
    """"ตัวชี้วัด ITA ข้อ O29" or "" when no code is set for the year."""
    if not table.ita_code:
        return ""
    return str(_l("ตอบตัวชี้วัดการประเมินคุณธรรมและความโปร่งใส (ITA) ข้อ %(code)s", code=table.ita_code))


# ---------------------------------------------------------------- spreadsheets


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text: control characters dropped, a leading = + - @ tab or CR quoted."""
    text = _CONTROL_CHARS.sub("", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _sheet_rows(table: PublicTable) -> tuple[list[str], list[list]]:
    """Header and body rows (numbers stay numbers; hidden counts are "< N" text)."""
    header = [table.first_header, *table.headers, str(NOTE_HEADER)]
    body = []
    for row in (*table.rows, table.total):
        values = [c.value if c.value is not None else c.text for c in row.cells]
        body.append([row.label, *values, row.note])
    return header, body


def to_csv(table: PublicTable) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, so Excel opens the Thai correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header, body = _sheet_rows(table)
    writer.writerow([safe_text(h) for h in header])
    for values in body:
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: PublicTable, org_name: str = "") -> bytes:
    """The table as an Excel workbook: title lines, the table, then the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = {"monthly": "monthly", "half-year": "half-year", "category": "category",
                   "category-half-year": "category-half"}[table.kind]
    bold = Font(bold=True)

    def put(row: int, column: int, value, *, font=None):
        target = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            target.value = safe_text(value)
            target.data_type = "s"  # never a formula, whatever the text
            if value.startswith(FORMULA_START):
                target.quotePrefix = True
        else:
            target.value = value
        if font is not None:
            target.font = font
        return target

    line = 1
    for text, font in ((table.title, Font(bold=True, size=14)), (org_name, None),
                       (table.period_label, None), (ita_line(table), None), (table.as_of_label, None)):
        if text:
            put(line, 1, text, font=font)
            line += 1
    line += 1
    header, body = _sheet_rows(table)
    fill = PatternFill("solid", fgColor="E2E8F0")
    for column, text in enumerate(header, start=1):
        put(line, column, text, font=bold).fill = fill
        sheet.cell(row=line, column=column).alignment = Alignment(wrap_text=True, vertical="center")
    first_body = line + 1
    for offset, values in enumerate(body):
        is_total = offset == len(body) - 1
        for column, value in enumerate(values, start=1):
            put(first_body + offset, column, value, font=bold if is_total else None)
    line = first_body + len(body) + 1
    for text in (str(COUNTING_RULE), str(IN_PROGRESS_RULE), table.suppression_note):
        if text:
            put(line, 1, text)
            line += 1
    sheet.column_dimensions["A"].width = 34 if table.kind.startswith("category") else 14
    for column in range(2, len(header)):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions[get_column_letter(len(header))].width = 24
    sheet.freeze_panes = sheet.cell(row=first_body, column=2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


#: Where the column headings break onto a second line in the PDF (between words, never inside one).
_PDF_BREAKS = {"จำนวนเรื่องที่ได้รับ": "จำนวนเรื่อง\nที่ได้รับ", "ดำเนินการแล้วเสร็จ": "ดำเนินการ\nแล้วเสร็จ",
               "อยู่ระหว่างดำเนินการ": "อยู่ระหว่าง\nดำเนินการ", "ไม่รับพิจารณา": "ไม่รับ\nพิจารณา",
               "ส่งต่อหน่วยงานอื่น": "ส่งต่อ\nหน่วยงานอื่น"}


def _pdf_header(text: str) -> str:
    return _PDF_BREAKS.get(text, text)


def to_pdf(table: PublicTable) -> bytes:
    """The table as an A4 PDF in Sarabun with the organisation's letterhead, period and ITA code."""
    pdf = new_document(f"{table.title} {table.period_label}", digits=table.digits,
                       creation_date=datetime.combine(table.as_of, datetime.min.time(), tzinfo=thai.BANGKOK))
    letterhead.apply(pdf)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(0, 9, table.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(0, 7, table.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(0, 7, table.period_label, align="C", new_x="LMARGIN", new_y="NEXT")
    ita = ita_line(table)
    if ita:
        pdf.multi_cell(0, 7, ita, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, f"{table.as_of_label} ({COUNTING_RULE})", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    pdf.ln(3)
    if table.empty:
        pdf.set_font(FONT_FAMILY, "B", 14)
        pdf.multi_cell(0, 7, str(NO_COMPLAINTS_PERIOD), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    header = [table.first_header, *(_pdf_header(h) for h in table.headers), str(NOTE_HEADER)]
    body = [[row.label, *(c.text for c in row.cells), row.note] for row in (*table.rows, table.total)]
    # Millimetres of the 170 mm text width, so every heading word and note fits its column unbroken.
    if table.kind.startswith("category"):
        widths, size = (39, 21, 20, 20, 18, 23, 29), 10
    else:
        widths, size = (24, 23, 21, 22, 19, 25, 36), 11
    pdf_table(pdf, header, body, widths, align=("L", "R", "R", "R", "R", "R", "L"), font_size=size)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_text_color(*MUTED)
    for text in (str(IN_PROGRESS_RULE), table.suppression_note):
        if text:
            pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    return to_bytes(pdf)


def render(table: PublicTable, fmt: str) -> bytes:
    """The file of ``table`` in ``fmt`` ("csv", "xlsx" or "pdf")."""
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table, get_profile().name)
    if fmt == "pdf":
        return to_pdf(table)
    raise ValueError(f"format must be one of {tuple(FORMATS)}, got {fmt!r}")


def filename(table: PublicTable, fmt: str) -> str:
    """e.g. ``stats-corruption-2569-monthly.xlsx`` (ASCII, safe in every browser)."""
    return f"stats-{table.channel}-{table.fiscal_year}-{table.kind}.{fmt}"


__all__ = ["FORMATS", "KINDS", "Cell", "PublicTable", "Row", "api_value", "build", "cell", "filename",
           "ita_line", "period_label", "render", "safe_text", "to_csv", "to_pdf", "to_xlsx"]
