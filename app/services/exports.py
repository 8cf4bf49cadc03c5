"""Public statistics as shown to everyone: the tables of the page and of its CSV, XLSX and PDF files.

This is the public face of ``app.services.stats`` (the files are written by app/documents/stats.py). It
is where the public rules apply:

* **Small-count protection** (corruption channel only): a cell with ``0 < count < N`` becomes
  "< N" (totals too), N being the admin's threshold; 0 turns it off. Raw statistics never hide
  anything; only what leaves for the public is masked.
* **Digits**: the page and the PDF follow the digit setting (Thai or Arabic). CSV and XLSX are data
  files for spreadsheets, so their counts stay numbers (Arabic digits) whatever the setting.
* **"ไม่มีเรื่องร้องเรียน"** for a month, category or period in which nothing was received; months
  that have not begun yet say so instead.
* **No live formulas**: see app/documents/sheets.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import has_request_context
from flask_babel import pgettext
from flask_babel.speaklater import LazyString

from .. import thai
from ..labels import lazy_text as _l
from ..models.case import CHANNELS, CORRUPTION, GENERAL
from . import stats, stats_settings

#: The tables a page shows and a visitor can download.
KINDS = ("monthly", "half-year", "category", "category-half-year")
#: Download formats a visitor can choose (app/documents/stats.py writes them).
FORMATS = ("csv", "xlsx", "pdf")

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


__all__ = ["FORMATS", "KINDS", "Cell", "PublicTable", "Row", "api_value", "build", "cell", "ita_line",
           "period_label"]
