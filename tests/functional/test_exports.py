"""Statistics downloads: CSV (UTF-8 BOM), XLSX (read back with openpyxl), PDF (pdftotext), no formulas."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from app.documents.sheets import safe_text
from app.extensions import db
from app.models import Organisation
from app.models.base import utcnow
from app.services import exports, stats_settings
from tests import pdftools
from tests.pdftools import squeeze
from tests.stats_data import FORMULA_NAMES, GENERAL_2569, GENERAL_2569_HALF_TOTAL, GENERAL_2569_TOTAL, NOW, build_fy2569

HEADER = ["เดือน", "จำนวนเรื่องที่ได้รับ", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ", "ไม่รับพิจารณา",
          "ส่งต่อหน่วยงานอื่น", "หมายเหตุ"]
MONTH_LABELS = ["ต.ค. 2568", "พ.ย. 2568", "ธ.ค. 2568", "ม.ค. 2569", "ก.พ. 2569", "มี.ค. 2569", "เม.ย. 2569",
                "พ.ค. 2569", "มิ.ย. 2569", "ก.ค. 2569", "ส.ค. 2569", "ก.ย. 2569"]


@pytest.fixture
def data(app, monkeypatch):
    import app.blueprints.public.stats as public_stats

    monkeypatch.setattr(public_stats, "utcnow", lambda: NOW)
    db.session.add(Organisation(name="องค์การบริหารส่วนตำบลบ้านโป่ง", short_name="อบต.บ้านโป่ง",
                                address="หมู่ 1 ตำบลบ้านโป่ง", phone="032-000000"))
    db.session.commit()
    return build_fy2569()


def _settings(threshold=0, digits="arabic", code=None):
    stats_settings.update(small_count_threshold=threshold, digits=digits, actor=None, now=utcnow())
    if code:
        stats_settings.set_ita_code(2569, "corruption", code, actor=None, now=utcnow())
    db.session.commit()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


# ---------------------------------------------------------------- CSV


def _csv(client, url) -> list[list[str]]:
    response = _get(client, url)
    assert response.mimetype == "text/csv" and response.mimetype_params == {"charset": "utf-8"}
    assert response.headers["Content-Disposition"].startswith("attachment;")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8 Thai
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_monthly_csv_every_cell(client, data):
    rows = _csv(client, "/stats/general/2569/monthly.csv")
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == [*MONTH_LABELS, "รวม"]
    for row, expected in zip(rows[1:13], GENERAL_2569.values()):
        assert row[1:6] == [str(v) for v in expected]
        assert row[6] == ("ไม่มีเรื่องร้องเรียน" if expected[0] == 0 else "")
    assert rows[13][1:6] == [str(v) for v in GENERAL_2569_TOTAL]


def test_half_year_csv(client, data):
    rows = _csv(client, "/stats/general/2569/half-year.csv")
    assert [r[0] for r in rows[1:]] == [*MONTH_LABELS[:6], "รวม"]
    assert rows[-1][1:6] == [str(v) for v in GENERAL_2569_HALF_TOTAL]


def test_csv_never_holds_a_formula(client, data):
    rows = _csv(client, "/stats/general/2569/category.csv")
    names = [r[0] for r in rows[1:]]
    for name in FORMULA_NAMES:
        assert "'" + name in names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert rows[0][0] == "ประเภทเรื่อง"
    assert ["ถนน ทางเท้า", "2", "1", "1", "0", "0", ""] in rows


def test_safe_text_covers_every_formula_start():
    for text in ("=1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        assert safe_text(text) == "'" + text
    assert safe_text("ถนน") == "ถนน" and safe_text("< 3") == "< 3"


def test_csv_masks_small_corruption_counts(client, data):
    _settings(threshold=3, digits="thai")
    rows = _csv(client, "/stats/corruption/2569/monthly.csv")
    assert rows[1][:6] == ["ต.ค. 2568", "< 3", "0", "< 3", "0", "0"]  # Arabic digits in data files
    assert rows[2][:6] == ["พ.ย. 2568", "3", "< 3", "0", "0", "< 3"]
    assert rows[13][:6] == ["รวม", "4", "< 3", "< 3", "0", "< 3"]


# ---------------------------------------------------------------- XLSX


def _xlsx(client, url):
    response = _get(client, url)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.get_data())).active


def _table(sheet, first_header: str):
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    end = next(i for i, r in enumerate(rows) if r[0] == "รวม")
    return rows[:start], rows[start:end + 1]


def test_monthly_xlsx_reads_back_with_numbers(client, data):
    _settings(code="O29")
    sheet = _xlsx(client, "/stats/corruption/2569/monthly.xlsx")
    head, rows = _table(sheet, "เดือน")
    assert head[0][0] == "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่"
    texts = [r[0] for r in head if r[0]]
    assert "องค์การบริหารส่วนตำบลบ้านโป่ง" in texts
    assert "ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)" in texts
    assert any("ข้อ O29" in t for t in texts)
    assert rows[0] == HEADER
    assert rows[1] == ["ต.ค. 2568", 1, 0, 1, 0, 0, None]
    assert rows[2] == ["พ.ย. 2568", 3, 2, 0, 0, 1, None]
    assert rows[3] == ["ธ.ค. 2568", 0, 0, 0, 0, 0, "ไม่มีเรื่องร้องเรียน"]
    assert rows[-1] == ["รวม", 4, 2, 1, 0, 1, None]
    assert all(type(v) is int for r in rows[1:] for v in r[1:6])


def test_xlsx_formula_looking_names_are_strings(client, data):
    sheet = _xlsx(client, "/stats/general/2569/category.xlsx")
    found = {}
    for row in sheet.iter_rows():
        cell = row[0]
        if isinstance(cell.value, str) and cell.value.lstrip("'") in FORMULA_NAMES:
            found[cell.value.lstrip("'")] = cell
    assert set(found) == set(FORMULA_NAMES)
    for name, cell in found.items():
        assert cell.data_type == "s" and cell.value == "'" + name
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_masks_small_corruption_counts(client, data):
    _settings(threshold=3)
    sheet = _xlsx(client, "/stats/corruption/2569/category-half-year.xlsx")
    head, rows = _table(sheet, "ประเภทเรื่อง")
    by_name = {r[0]: r[1:6] for r in rows[1:]}
    assert by_name["การเรียกรับสินบน"] == [3, "< 3", "< 3", 0, 0]
    assert by_name["ไม่ระบุประเภท"] == ["< 3", 0, 0, 0, "< 3"]
    assert by_name["รวม"] == [4, "< 3", "< 3", 0, "< 3"]
    notes = [r[0] for r in sheet.iter_rows(values_only=True) if r[0]]
    assert any("เพื่อคุ้มครองผู้แจ้งเบาะแส" in n for n in notes)


# ---------------------------------------------------------------- PDF


pdftotext = shutil.which("pdftotext")


def _pdf_text(client, url) -> str:
    response = _get(client, url)
    assert response.mimetype == "application/pdf" and response.get_data().startswith(b"%PDF")
    assert pdftotext, "pdftotext (poppler-utils) is needed for the PDF checks"
    out = subprocess.run([pdftotext, "-layout", "-", "-"], input=response.get_data(), capture_output=True,
                         check=True)
    return out.stdout.decode("utf-8")


def _squash(text: str) -> str:
    """One line of words (Thai lines joined without a space); pdftotext may drop the narrow space after "<"."""
    return squeeze(text).replace("< ", "<")


def test_pdf_has_letterhead_title_period_code_and_numbers(client, data):
    _settings(code="O29")
    text = _pdf_text(client, "/stats/corruption/2569/monthly.pdf")
    flat = _squash(text)
    assert "องค์การบริหารส่วนตำบลบ้านโป่ง" in flat
    assert "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่" in flat
    assert "ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)" in flat
    assert "ข้อ O29" in flat
    assert "\u200b" not in text  # no invisible break hints in the text layer
    # Column headings wrap between words; pdftotext reads side-by-side cells line by line.
    headings = pdftools.text(_get(client, "/stats/corruption/2569/monthly.pdf").get_data())
    for word in ("จำนวนเรื่อง", "ที่ได้รับ", "ดำเนินการ", "แล้วเสร็จ", "อยู่ระหว่าง", "พิจารณา", "ส่งต่อ",
                 "หน่วยงานอื่น", "หมายเหตุ"):
        assert word in headings, word
    lines = [_squash(line) for line in text.splitlines()]
    assert "ต.ค. 2568 1 0 1 0 0" in lines
    assert "พ.ย. 2568 3 2 0 0 1" in lines
    assert "รวม 4 2 1 0 1" in lines
    assert any(line.startswith("ธ.ค. 2568 0 0 0 0 0 ไม่มีเรื่องร้องเรียน") for line in lines)


def test_pdf_in_thai_digits_with_small_counts_masked(client, data):
    _settings(threshold=3, digits="thai", code="O29")
    text = _pdf_text(client, "/stats/corruption/2569/monthly.pdf")
    flat = _squash(text)
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙ (๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙)" in flat
    assert "ข้อ O29" in flat
    lines = [_squash(line) for line in text.splitlines()]
    assert "ต.ค. ๒๕๖๘ <๓ ๐ <๓ ๐ ๐" in lines
    assert "รวม ๔ <๓ <๓ ๐ <๓" in lines
    assert "แสดงเป็น \"<๓\" เพื่อคุ้มครองผู้แจ้งเบาะแส" in flat


def test_half_year_and_category_pdfs(client, data):
    flat = _squash(_pdf_text(client, "/stats/general/2569/half-year.pdf"))
    assert "รอบ 6 เดือนแรก ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 31 มี.ค. 2569)" in flat
    assert "เม.ย. 2569" not in flat
    category = _pdf_text(client, "/stats/general/2569/category.pdf")
    assert "แยกตามประเภทเรื่อง" in _squash(category)
    assert "ถนน ทางเท้า 2 1 1 0 0" in [_squash(line) for line in category.splitlines()]


def test_empty_period_pdf_says_no_complaints(client, data):
    flat = _squash(_pdf_text(client, "/stats/corruption/2568/monthly.pdf"))
    assert "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้" in flat


@pytest.mark.parametrize("url", ["/stats/secret/2569/monthly.csv", "/stats/general/2569/weekly.csv",
                                 "/stats/general/2569/monthly.docx", "/stats/general/1999/monthly.csv",
                                 "/stats/general/2580/monthly.pdf"])
def test_unknown_exports_are_404(client, data, url):
    assert client.get(url).status_code == 404


def test_file_names(client, data):
    response = _get(client, "/stats/corruption/2569/category-half-year.pdf")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="stats-corruption-2569-category-half-year.pdf"'
