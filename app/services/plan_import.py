"""Plan measures as a spreadsheet: reading and checking a CSV/XLSX file, and writing a plan back out.

One row per measure, a header row of Thai column names (English aliases accepted); the format is
described in ``docs/plan-import.md``. Reading never touches the plan: :func:`parse` checks every row and
either returns the rows or raises :class:`PlanImportError` listing every problem with its row number,
so an import is all-or-nothing. Applying the rows is ``app.services.plans.import_file``.

``table`` gives a plan back as rows in the same format (Thai headers, Thai link words) for
app/documents/plan_export.py, so export -> import gives the same plan. Text that a spreadsheet would take
for a formula gets a leading quote on the way out, which reading takes off again.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..documents.sheets import FORMULA_START
from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Category, Measure, MeasureLink, Plan, PlanMission, Unit
from ..models.case import CORRUPTION, GENERAL
from ..models.plan import METRIC_RECEIVED, METRICS

#: Largest file accepted.
MAX_BYTES = 2 * 1024 * 1024
#: Largest an XLSX may unpack to.
MAX_UNPACKED = 50 * 1024 * 1024
#: Most measure rows accepted (a real plan has 15-60).
MAX_ROWS = 1000
#: Longest texts the columns hold (the model's limits).
MAX_RESPONSIBLE = 300
MAX_DUE = 200
MAX_CODE = 20
#: Percent metrics cannot aim above 100; counts can be anything sensible.
PERCENT_METRICS = tuple(m for m in METRICS if m != METRIC_RECEIVED)
MAX_TARGET = Decimal("99999999")
MAX_AMOUNT = Decimal("999999999999")

#: Words for a whole channel in the links column; a category is "category:<code>" / "ประเภท:<code>".
LINK_WORDS = {
    "general": GENERAL,
    "corruption": CORRUPTION,
    "เรื่องร้องเรียนทั่วไป": GENERAL,
    "เรื่องร้องเรียนการทุจริต": CORRUPTION,
}
#: The words export writes.
LINK_EXPORT_WORDS = {GENERAL: "เรื่องร้องเรียนทั่วไป", CORRUPTION: "เรื่องร้องเรียนการทุจริต"}
CATEGORY_PREFIXES = ("category", "ประเภท")
CATEGORY_EXPORT_PREFIX = "ประเภท"


@dataclass(frozen=True)
class Column:
    """A column of the file: its key, Thai header and English alias."""

    key: str
    thai: str
    english: str


#: Every column in export order; budget columns ("งบประมาณ 2566", ...) go after ``monitoring``.
COLUMNS = (
    Column("dimension", "มิติ", "dimension"),
    Column("dimension_title", "ชื่อมิติ", "dimension_title"),
    Column("mission", "ภารกิจ", "mission"),
    Column("mission_title", "ชื่อภารกิจ", "mission_title"),
    Column("running_no", "ลำดับ", "running_no"),
    Column("codes", "รหัสมาตรการ", "codes"),
    Column("title", "โครงการ/กิจกรรม/มาตรการ", "title"),
    Column("steps", "ขั้นตอนหรือวิธีการปฏิบัติ", "steps"),
    Column("responsible", "ผู้รับผิดชอบ", "responsible"),
    Column("unit", "หน่วยงาน", "unit"),
    Column("due", "กำหนดแล้วเสร็จ", "due"),
    Column("monitoring", "การกำกับติดตาม", "monitoring"),
    Column("kpis", "ตัวชี้วัด", "kpis"),
    Column("links", "เชื่อมโยงเรื่องร้องเรียน", "links"),
    Column("note", "หมายเหตุ", "note"),
)
BUDGETS_AFTER = "monitoring"
REQUIRED = ("dimension", "mission", "running_no", "title")
BUDGET_THAI = "งบประมาณ"
_BUDGET_HEADER = re.compile(r"^(?:งบประมาณ|budget)[\s_]*(?:ปี\s*)?(?:พ\.ศ\.\s*)?(\d{4})$")

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MISSION_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}$")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
_CODE_SPLIT = re.compile(r"[,\s;]+")
_KPI_MACHINE = re.compile(r"^(?P<label>.*?)\s*\{(?P<body>[^{}]*)\}\s*$", re.S)
_KPI_BODY = re.compile(r"^\s*(?P<metric>[A-Za-z_]+)\s*(?:>=\s*(?P<target>\S+?))?\s*$")


class PlanImportError(Exception):
    """The file was refused; ``errors`` lists every problem (in Thai, with row numbers)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class KpiSpec:
    """A KPI line: the plan's words, and optionally a computed metric with its target."""

    label: str
    metric: str | None = None
    target: Decimal | None = None


@dataclass
class MeasureInput:
    """Every field of a measure, as a file row or the edit form gives it (checked by the reader)."""

    dimension: int
    mission: str
    running_no: int
    title: str
    #: Titles of a new dimension/mission (the form); a file's titles are in ParsedPlan.
    dimension_title: str = ""
    mission_title: str = ""
    codes: list[str] = field(default_factory=list)
    steps: str = ""
    responsible: str = ""
    #: The matching unit; from a file without a unit column it is guessed later (ParsedPlan.has_unit).
    unit_id: int | None = None
    due_text: str = ""
    monitoring: str = ""
    note: str = ""
    #: Fiscal year -> amount; None is "-" (no budget line).
    budgets: dict[int, Decimal | None] = field(default_factory=dict)
    kpis: list[KpiSpec] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)


@dataclass
class ParsedPlan:
    """Everything a file says, checked: measures and the dimension/mission titles."""

    rows: list[MeasureInput]
    dimension_titles: dict[int, str]
    mission_titles: dict[str, str]
    mission_dimensions: dict[str, int]
    has_links: bool
    has_unit: bool


# ---------------------------------------------------------------- small parsers (shared with the forms)


def normalise_digits(text: str) -> str:
    """Thai digits to Arabic ones."""
    return text.translate(_THAI_DIGITS)


def parse_int(text: str) -> int | None:
    """An integer written as "4", "๔" or "4.0" (as spreadsheets store numbers); None if it is not one."""
    cleaned = normalise_digits(text).strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(value)


def parse_codes(text: str) -> list[str]:
    """Codes separated by commas or spaces, duplicates dropped, order kept.

    :raise ValueError: with the first code that is not a code (letters, digits, dots, dashes).
    """
    codes: list[str] = []
    for code in _CODE_SPLIT.split(normalise_digits(text or "").strip()):
        if not code:
            continue
        if len(code) > MAX_CODE or not _CODE.match(code):
            raise ValueError(code)
        if code not in codes:
            codes.append(code)
    return codes


def parse_amount(text: str) -> Decimal | None:
    """A budget: "20,000", "20000.50", "30,000.- บาท"; "-" or "" is no budget line (None).

    :raise ValueError: when it is neither.
    """
    cleaned = normalise_digits(text or "").strip()
    cleaned = re.sub(r"\s*บาท\s*$", "", cleaned).replace(",", "").replace(" ", "")
    cleaned = re.sub(r"\.-$", "", cleaned)
    if cleaned in ("", "-"):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value


def parse_target(text: str, metric: str | None) -> Decimal | None:
    """A KPI target ("80", "๘๐", "99.5"); "" is none.

    :raise ValueError: not a number, negative, or over 100 for a percentage.
    """
    cleaned = normalise_digits(text or "").strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    limit = Decimal(100) if metric in PERCENT_METRICS else MAX_TARGET
    if not value.is_finite() or value < 0 or value > limit or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value


class KpiLineError(ValueError):
    """A KPI line that cannot be read: ``kind`` is "format", "metric" or "target"."""

    def __init__(self, kind: str, value: str):
        super().__init__(value)
        self.kind = kind
        self.value = value


#: Thai names of the computed metrics (labels of KPIs written as just "{metric}", and the edit form).
METRIC_NAMES = {
    "on_time_rate": _l("ร้อยละของเรื่องที่ดำเนินการแล้วเสร็จภายในกำหนด"),
    "satisfaction_rate": _l("ร้อยละความพึงพอใจของผู้ร้องเรียน"),
    "received_count": _l("จำนวนเรื่องที่ได้รับ"),
    "reduction_vs_baseline": _l("ร้อยละของจำนวนเรื่องที่ลดลงเทียบกับปีฐาน"),
}


def metric_name_thai(metric: str) -> str:
    """The metric's Thai name whatever the visitor's language (it is stored as the plan's words)."""
    with force_locale("th"):
        return str(METRIC_NAMES[metric])


def parse_kpi_line(line: str) -> KpiSpec:
    """One KPI line: words, optionally ending in ``{metric}`` or ``{metric>=target}``.

    A KPI with a metric but no words is labelled with the metric's Thai name.

    :raise KpiLineError: the braces are malformed, the metric unknown or the target bad.
    """
    text = " ".join(line.split())
    if "{" not in text and "}" not in text:
        return KpiSpec(label=text)
    match = _KPI_MACHINE.match(text)
    body = _KPI_BODY.match(match.group("body")) if match else None
    if match is None or body is None or "{" in match.group("label") or "}" in match.group("label"):
        raise KpiLineError("format", text)
    metric = body.group("metric").lower()
    if metric not in METRICS:
        raise KpiLineError("metric", body.group("metric"))
    try:
        target = parse_target(body.group("target") or "", metric)
    except ValueError as exc:
        raise KpiLineError("target", body.group("target") or "") from exc
    label = match.group("label").strip() or metric_name_thai(metric)
    return KpiSpec(label=label, metric=metric, target=target)


def format_number(value: Decimal | int) -> str:
    """A number without trailing zeros: 80, 99.5, 20000."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def format_kpi_line(label: str, metric: str | None, target: Decimal | None) -> str:
    """The KPI as one line of the file (the inverse of :func:`parse_kpi_line`)."""
    if not metric:
        return label
    machine = metric if target is None else f"{metric}>={format_number(target)}"
    return f"{label} {{{machine}}}"


# ---------------------------------------------------------------- reading a file


def _msg(text: str, **variables) -> str:
    return str(_l(text, **variables))


def _row_msg(row: int, text: str, **variables) -> str:
    return _msg("แถวที่ %(row)s: ", row=row) + _msg(text, **variables)


def _clean_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    # Export quotes text that a spreadsheet would run as a formula; take the quote off again.
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def _read_rows(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows as lists of text.

    :raise PlanImportError: too big, empty, or neither a UTF-8 CSV nor an XLSX workbook.
    """
    if len(data) > MAX_BYTES:
        raise PlanImportError([_msg("ไฟล์มีขนาดเกิน 2 MB")])
    if not data or not data.strip():
        raise PlanImportError([_msg("ไฟล์ว่างเปล่า ไม่มีข้อมูล")])
    name = (filename or "").lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx"):
        if not is_zip:
            raise PlanImportError([_msg("ไฟล์ XLSX อ่านไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ Excel (.xlsx)")])
        return _read_xlsx(data)
    if name.endswith(".csv"):
        if is_zip or b"\x00" in data:
            raise PlanImportError([_msg("ไฟล์นี้ไม่ใช่ไฟล์ CSV")])
        return _read_csv(data)
    raise PlanImportError([_msg("รองรับเฉพาะไฟล์ CSV (UTF-8) หรือ XLSX")])


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanImportError([_msg("ไฟล์ CSV ต้องบันทึกเป็น UTF-8 (ใน Excel เลือกบันทึกเป็น “CSV UTF-8”)")]) from exc
    try:
        return [[_clean_cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise PlanImportError([_msg("ไฟล์ CSV อ่านไม่ได้ รูปแบบไม่ถูกต้อง")]) from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    unreadable = _msg("ไฟล์ XLSX อ่านไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ Excel (.xlsx)")
    try:
        # A small zip can unpack to gigabytes; a real plan workbook unpacks to a few megabytes.
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as exc:
        raise PlanImportError([unreadable]) from exc
    if unpacked > MAX_UNPACKED:
        raise PlanImportError([_msg("ไฟล์ XLSX มีข้อมูลมากเกินไป")])
    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            rows.append([_clean_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 50:  # far past any real plan: stop reading a sheet of junk
                break
        return rows
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        raise PlanImportError([unreadable]) from exc
    finally:
        if book is not None:
            book.close()


def _header_key(text: str) -> str:
    return " ".join(normalise_digits(text).split()).lower()


_HEADER_KEYS = {}
for _column in COLUMNS:
    _HEADER_KEYS[_header_key(_column.thai)] = _column.key
    _HEADER_KEYS[_header_key(_column.english)] = _column.key
_COLUMN_NAMES = {c.key: c.thai for c in COLUMNS}


def _map_header(row_no: int, header: list[str], rows: list[list[str]], errors: list[str]) -> dict:
    """Column index -> key (or ("budget", year)); unknown, duplicate and missing columns are errors."""
    mapping: dict[int, object] = {}
    seen: dict[object, int] = {}
    for index, raw in enumerate(header):
        text = raw.strip()
        if not text:
            if any(index < len(r) and r[index].strip() for r in rows):
                errors.append(_row_msg(row_no, "คอลัมน์ที่ %(n)s ไม่มีชื่อหัวคอลัมน์", n=index + 1))
            continue
        key = _HEADER_KEYS.get(_header_key(text))
        if key is None:
            budget = _BUDGET_HEADER.match(_header_key(text))
            if budget and 2400 <= int(budget.group(1)) <= 2800:
                key = ("budget", int(budget.group(1)))
        if key is None:
            errors.append(_row_msg(row_no, "ไม่รู้จักคอลัมน์ “%(name)s”", name=text))
            continue
        if key in seen:
            errors.append(_row_msg(row_no, "คอลัมน์ “%(name)s” ซ้ำกัน", name=text))
            continue
        seen[key] = index
        mapping[index] = key
    for key in REQUIRED:
        if key not in seen:
            errors.append(_row_msg(row_no, "ไม่มีคอลัมน์ “%(name)s” ซึ่งต้องมี", name=_COLUMN_NAMES[key]))
    return mapping


def parse(filename: str, data: bytes) -> ParsedPlan:
    """Read and check a whole file.

    :raise PlanImportError: listing every problem found, file-level or per row.
    """
    rows = _read_rows(filename, data)
    # Rows past the last non-blank one (and blank rows in between) carry nothing.
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(v.strip() for v in r)]
    if not numbered:
        raise PlanImportError([_msg("ไฟล์ว่างเปล่า ไม่มีข้อมูล")])
    header_no, header = numbered[0]
    body = numbered[1:]
    errors: list[str] = []
    mapping = _map_header(header_no, header, [r for _, r in body], errors)
    if errors:
        raise PlanImportError(errors)
    if not body:
        raise PlanImportError([_msg("ไม่มีแถวข้อมูลมาตรการ (มีเพียงแถวหัวคอลัมน์)")])
    if len(body) > MAX_ROWS:
        raise PlanImportError([_msg("ไฟล์มีมาตรการเกิน %(max)s แถว", max=MAX_ROWS)])

    units = {u.name: u.id for u in db.session.scalars(select(Unit))}
    categories = {c.code.lower(): c.id for c in db.session.scalars(select(Category))}
    keys = set(mapping.values())
    parsed = ParsedPlan(rows=[], dimension_titles={}, mission_titles={}, mission_dimensions={},
                        has_links="links" in keys, has_unit="unit" in keys)
    dimension_title_rows: dict[int, int] = {}
    mission_title_rows: dict[str, int] = {}
    mission_rows: dict[str, int] = {}
    running_rows: dict[int, int] = {}
    for row_no, values in body:
        cells = {key: (values[i] if i < len(values) else "") for i, key in mapping.items()}
        row = _parse_row(row_no, cells, units, categories, errors)
        if row is None:
            continue
        dim_title = " ".join(cells.get("dimension_title", "").split())
        mission_title = " ".join(cells.get("mission_title", "").split())
        if not _title(parsed.dimension_titles, dimension_title_rows, row.dimension, dim_title, row_no):
            errors.append(_row_msg(row_no, "ชื่อมิติ %(key)s ไม่ตรงกับแถวที่ %(other)s", key=row.dimension,
                                   other=dimension_title_rows[row.dimension]))
        if not _title(parsed.mission_titles, mission_title_rows, row.mission, mission_title, row_no):
            errors.append(_row_msg(row_no, "ชื่อภารกิจ %(key)s ไม่ตรงกับแถวที่ %(other)s", key=row.mission,
                                   other=mission_title_rows[row.mission]))
        known = parsed.mission_dimensions.get(row.mission)
        if known is None:
            parsed.mission_dimensions[row.mission] = row.dimension
            mission_rows[row.mission] = row_no
        elif known != row.dimension:
            errors.append(_row_msg(row_no, "ภารกิจ %(code)s อยู่ในมิติ %(dim)s ตามแถวที่ %(other)s แล้ว",
                                   code=row.mission, dim=known, other=mission_rows[row.mission]))
        if row.running_no in running_rows:
            errors.append(_row_msg(row_no, "ลำดับ %(no)s ซ้ำกับแถวที่ %(other)s", no=row.running_no,
                                   other=running_rows[row.running_no]))
        else:
            running_rows[row.running_no] = row_no
        parsed.rows.append(row)
    if errors:
        raise PlanImportError(errors)
    parsed.rows.sort(key=lambda r: r.running_no)
    return parsed


def _title(titles: dict, rows: dict, key, title: str, row_no: int) -> bool:
    """Note a dimension/mission title; False when it contradicts the one given before.

    Titles may be given on a group's first row and left empty after.
    """
    titles.setdefault(key, "")
    if title and not titles[key]:
        titles[key], rows[key] = title, row_no
    return not title or titles[key] == title


def _parse_row(row_no: int, cells: dict, units: dict[str, int], categories: dict[str, int],
               errors: list[str]) -> MeasureInput | None:
    """Check one row; append its problems to ``errors`` and return None when there were any."""
    before = len(errors)

    def err(text: str, **variables) -> None:
        errors.append(_row_msg(row_no, text, **variables))

    def text_of(key: str) -> str:
        return cells.get(key, "").strip()

    dimension = parse_int(text_of("dimension"))
    if not text_of("dimension"):
        err("ไม่ได้กรอกมิติ")
    elif dimension is None or not 1 <= dimension <= 99:
        err("มิติต้องเป็นจำนวนเต็ม เช่น 4 (พบ “%(value)s”)", value=text_of("dimension"))
    mission = normalise_digits(text_of("mission"))
    if not mission:
        err("ไม่ได้กรอกภารกิจ")
    elif not MISSION_RE.match(mission):
        err("รหัสภารกิจต้องเป็นตัวเลขคั่นด้วยจุด เช่น 4.3 (พบ “%(value)s”)", value=text_of("mission"))
    running_no = parse_int(text_of("running_no"))
    if not text_of("running_no"):
        err("ไม่ได้กรอกลำดับ")
    elif running_no is None or not 1 <= running_no <= 99999:
        err("ลำดับต้องเป็นจำนวนเต็มบวก (พบ “%(value)s”)", value=text_of("running_no"))
    title = text_of("title")
    if not title:
        err("ไม่ได้กรอกชื่อโครงการ/กิจกรรม/มาตรการ")
    try:
        codes = parse_codes(cells.get("codes", ""))
    except ValueError as exc:
        err("รหัสมาตรการ “%(code)s” ไม่ถูกต้อง (ใช้ตัวเลขคั่นด้วยจุด เช่น 4.3.1 คั่นหลายรหัสด้วยจุลภาค)",
            code=str(exc))
        codes = []
    responsible = " ".join(text_of("responsible").split())
    if len(responsible) > MAX_RESPONSIBLE:
        err("ผู้รับผิดชอบยาวเกิน %(max)s ตัวอักษร", max=MAX_RESPONSIBLE)
    due = " ".join(text_of("due").split())
    if len(due) > MAX_DUE:
        err("กำหนดแล้วเสร็จยาวเกิน %(max)s ตัวอักษร", max=MAX_DUE)
    unit_id = None
    unit_name = " ".join(text_of("unit").split())
    if unit_name:
        unit_id = units.get(unit_name)
        if unit_id is None:
            err("ไม่พบหน่วยงานชื่อ “%(name)s” ในระบบ", name=unit_name)
    budgets: dict[int, Decimal | None] = {}
    for key, value in cells.items():
        if isinstance(key, tuple):
            try:
                budgets[key[1]] = parse_amount(value)
            except ValueError:
                err("งบประมาณปี %(year)s “%(value)s” ไม่ใช่จำนวนเงิน", year=key[1], value=value.strip())
    kpis = []
    for line in cells.get("kpis", "").split("\n"):
        if not line.strip():
            continue
        try:
            kpis.append(parse_kpi_line(line))
        except KpiLineError as exc:
            if exc.kind == "metric":
                err("ไม่รู้จักตัวชี้วัด “%(metric)s” (ใช้ได้: %(known)s)", metric=exc.value, known=", ".join(METRICS))
            elif exc.kind == "target":
                err("ค่าเป้าหมาย “%(value)s” ของตัวชี้วัดไม่ถูกต้อง (ตัวเลข 0 ขึ้นไป ร้อยละไม่เกิน 100)",
                    value=exc.value)
            else:
                err("ตัวชี้วัด “%(line)s” เขียนส่วนในวงเล็บปีกกาไม่ถูกต้อง ต้องอยู่ท้ายบรรทัด เช่น "
                    "{satisfaction_rate>=80} หรือ {received_count}", line=exc.value)
    channels, category_ids = _parse_links(cells.get("links", ""), categories, err)
    if len(errors) > before:
        return None
    return MeasureInput(dimension=dimension, mission=mission, running_no=running_no, title=title, codes=codes,
                        steps=text_of("steps"), responsible=responsible, unit_id=unit_id, due_text=due,
                        monitoring=text_of("monitoring"), note=text_of("note"), budgets=budgets, kpis=kpis,
                        channels=channels, category_ids=category_ids)


def _parse_links(text: str, categories: dict[str, int], err) -> tuple[list[str], list[int]]:
    channels: list[str] = []
    category_ids: list[int] = []
    for token in re.split(r"[,\n;]+", text or ""):
        token = " ".join(token.split())
        if not token:
            continue
        channel = LINK_WORDS.get(token.lower())
        if channel is not None:
            if channel not in channels:
                channels.append(channel)
            continue
        prefix, sep, code = token.partition(":")
        if sep and prefix.strip().lower() in CATEGORY_PREFIXES:
            category_id = categories.get(code.strip().lower())
            if category_id is None:
                err("ไม่พบประเภทเรื่องรหัส “%(code)s”", code=code.strip())
            elif category_id not in category_ids:
                category_ids.append(category_id)
            continue
        err("ไม่รู้จักการเชื่อมโยง “%(token)s” (ใช้ได้: เรื่องร้องเรียนทั่วไป, เรื่องร้องเรียนการทุจริต, "
            "ประเภท:<รหัสประเภทเรื่อง>)", token=token)
    return channels, category_ids


# ---------------------------------------------------------------- writing a plan out


def measures_of(plan: Plan) -> list[Measure]:
    """The plan's measures in running order with everything a page or a file shows, in a few queries."""
    return list(db.session.scalars(
        select(Measure).where(Measure.plan_id == plan.id).order_by(Measure.running_no)
        .options(selectinload(Measure.mission).selectinload(PlanMission.dimension), selectinload(Measure.codes),
                 selectinload(Measure.budgets), selectinload(Measure.kpis), selectinload(Measure.unit),
                 selectinload(Measure.links).selectinload(MeasureLink.category))))


def _links_text(measure: Measure) -> str:
    words = [LINK_EXPORT_WORDS[link.channel] for link in measure.links if link.channel in LINK_EXPORT_WORDS]
    words += [f"{CATEGORY_EXPORT_PREFIX}:{link.category.code}" for link in measure.links if link.category]
    return ", ".join(words)


def _amount_cell(amount: Decimal | None):
    if amount is None:
        return "-"
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def table(plan: Plan) -> tuple[list[str], list[str], list[list]]:
    """The export as (column keys, Thai header, one row of cell values per measure in running order).

    A budget column for each of the plan's years and any other year a measure has a budget for;
    dimension and mission titles only on the first row of each.
    """
    measures = measures_of(plan)
    years = sorted(set(range(plan.start_year, plan.end_year + 1))
                   | {b.fiscal_year for m in measures for b in m.budgets})
    keys, names = [], []
    for column in COLUMNS:
        keys.append(column.key)
        names.append(column.thai)
        if column.key == BUDGETS_AFTER:
            keys.extend(("budget", year) for year in years)
            names.extend(f"{BUDGET_THAI} {year}" for year in years)
    seen_dims: set[int] = set()
    seen_missions: set[str] = set()
    out = []
    for measure in measures:
        mission = measure.mission
        dimension = mission.dimension
        budgets = {b.fiscal_year: b.amount for b in measure.budgets}
        values = {
            "dimension": dimension.number,
            "dimension_title": "" if dimension.number in seen_dims else dimension.title,
            "mission": mission.code,
            "mission_title": "" if mission.code in seen_missions else mission.title,
            "running_no": measure.running_no,
            "codes": ", ".join(c.code for c in measure.codes),
            "title": measure.title,
            "steps": measure.steps,
            "responsible": measure.responsible,
            "unit": measure.unit.name if measure.unit else "",
            "due": measure.due_text,
            "monitoring": measure.monitoring,
            "kpis": "\n".join(format_kpi_line(k.label, k.metric, k.target) for k in measure.kpis),
            "links": _links_text(measure),
            "note": measure.note,
        }
        seen_dims.add(dimension.number)
        seen_missions.add(mission.code)
        out.append([_amount_cell(budgets.get(key[1])) if isinstance(key, tuple) else values[key] for key in keys])
    return keys, names, out


def filename(plan: Plan, fmt: str) -> str:
    """e.g. ``plan-3-2566-2570.csv`` (ASCII, safe in every browser)."""
    return f"plan-{plan.id}-{plan.start_year}-{plan.end_year}.{fmt}"
