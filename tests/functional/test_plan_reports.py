"""The measure reports (5- and 4-column, PDF and XLSX), staff result text, and who may see and write them."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import MeasureResult
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_user
from tests.plan_data import build_cases, build_plan

pdftotext = shutil.which("pdftotext")
HALF = "/executive/reports/measures?fy=2569&period=half"


@pytest.fixture
def plan(app, monkeypatch):
    # Reports are "as of now"; pin now after the whole fiscal year so the figures are those worked out.
    from tests.plan_data import NOW
    monkeypatch.setattr("app.blueprints.executive.reports.utcnow", lambda: NOW)
    plan = build_plan()
    build_cases()
    return plan


def _login(client, auth, *roles):
    make_user(*roles, username="u_" + "_".join(roles))
    assert auth.login("u_" + "_".join(roles), PASSWORD).status_code == 302


def _pdf_text(data: bytes) -> str:
    """The PDF's text with every space and line-break hint removed: table cells wrap wherever they must."""
    assert data.startswith(b"%PDF")
    assert pdftotext, "pdftotext (poppler-utils) is needed for the PDF checks"
    out = subprocess.run([pdftotext, "-raw", "-", "-"], input=data, capture_output=True, check=True)
    return _squash(out.stdout.decode("utf-8"))


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b]", "", text)


def test_executive_sees_the_half_year_report_with_computed_rows(client, auth, plan):
    _login(client, auth, "executive")
    page = client.get(HALF)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for heading in ("มาตรการ", "ขั้นตอนหรือวิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ"):
        assert f">{heading}</th>" in html
    assert "3.2.1 มาตรการจัดการเรื่องราวร้องทุกข์/ร้องเรียน" in html
    assert "ได้รับเรื่อง 12 เรื่อง แล้วเสร็จ 10 เรื่อง ภายใน 15 วัน ร้อยละ 83.3" in html
    assert "ยังไม่ได้รายงานผล" in html  # the training measure: nobody has written its result yet


def test_pdf_five_columns_contains_the_rows_and_figures(client, auth, plan):
    _login(client, auth, "executive")
    response = client.get(HALF.replace("measures?", "measures.pdf?") + "&layout=5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.get_data())
    for expected in ("รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2569",
                     "ขั้นตอนหรือวิธีการปฏิบัติ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ", "มิติที่ 3",
                     "3.2.1 มาตรการจัดการเรื่องราวร้องทุกข์/ร้องเรียน",
                     "ดำเนินการแล้วเสร็จ ได้รับเรื่อง 12 เรื่อง แล้วเสร็จ 10 เรื่อง ภายใน 15 วัน ร้อยละ 83.3",
                     "ความพึงพอใจของผู้ร้องเรียน ร้อยละ 80.0", "ลดลงร้อยละ 40.0"):
        assert _squash(expected) in text, expected


def test_pdf_four_columns_in_thai_digits(client, auth, plan):
    _login(client, auth, "executive")
    response = client.get(HALF.replace("measures?", "measures.pdf?") + "&layout=4&digits=thai")
    text = _pdf_text(response.get_data())
    assert "การกำกับติดตาม" in text and "กำหนดแล้วเสร็จ" not in text
    assert _squash("รายงานความก้าวหน้าและสรุปผลให้ผู้บริหารทราบรอบ ๖ เดือนและประจำปี") in text
    assert _squash("ได้รับเรื่อง ๑๒ เรื่อง แล้วเสร็จ ๑๐ เรื่อง ภายใน ๑๕ วัน ร้อยละ ๘๓.๓") in text
    assert "83.3" not in text
    assert "ผลการดำเนินการ:" in text


def _sheet_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_xlsx_cells_hold_the_measure_rows(client, auth, plan):
    _login(client, auth, "executive")
    response = client.get(HALF.replace("measures?", "measures.xlsx?") + "&layout=5")
    assert response.status_code == 200
    rows = _sheet_rows(response.get_data())
    header = next(r for r in rows if r[0] == "มาตรการ")
    assert header[:5] == ["มาตรการ", "ขั้นตอนหรือวิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "ผลการดำเนินการ"]
    complaints = next(r for r in rows if (r[0] or "").startswith("3.2.1 "))
    assert complaints[2] == "สำนักปลัด" and complaints[3] == "ปีงบประมาณ 2566-2570"
    assert complaints[4].startswith("ดำเนินการแล้วเสร็จ ได้รับเรื่อง 12 เรื่อง แล้วเสร็จ 10 เรื่อง ภายใน 15 วัน ร้อยละ 83.3")
    corruption = next(r for r in rows if (r[0] or "").startswith("4.3.1 "))
    assert "3 เรื่อง" in corruption[4] and "ลดลงร้อยละ 40.0" in corruption[4]
    assert any(r[0] == "มิติที่ 4 การยกระดับกลไกการตรวจสอบ" for r in rows)


def test_annual_report_covers_the_whole_year(client, auth, plan):
    _login(client, auth, "executive")
    rows = _sheet_rows(client.get("/executive/reports/measures.xlsx?fy=2569&period=year").get_data())
    complaints = next(r for r in rows if (r[0] or "").startswith("3.2.1 "))
    assert "ได้รับเรื่อง 13 เรื่อง แล้วเสร็จ 11 เรื่อง" in complaints[4]
    assert rows[0][0].endswith("ประจำปี ปีงบประมาณ พ.ศ. 2569")


def test_integrity_officer_enters_results_that_appear_in_the_report(client, auth, plan):
    _login(client, auth, "integrity")
    page = client.get("/executive/reports/measures/results?fy=2569&period=half")
    assert page.status_code == 200
    training = next(m for m in plan.measures if m.running_no == 1)
    response = client.post("/executive/reports/measures/results", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "fy": "2569", "period": "half",
        f"result-{training.id}": "ดำเนินการแล้วเสร็จ จัดอบรมเมื่อ 24 ม.ค. 2569 ผู้เข้าร่วม 45 คน"})
    assert response.status_code == 303
    row = db.session.get(MeasureResult, (training.id, 2569, "half"))
    assert row.text.startswith("ดำเนินการแล้วเสร็จ จัดอบรม")
    rows = _sheet_rows(client.get(HALF.replace("measures?", "measures.xlsx?")).get_data())
    assert next(r for r in rows if (r[0] or "").startswith("1.1.1 "))[4] == row.text
    # The annual report is another period: the half-year words do not leak into it.
    rows = _sheet_rows(client.get("/executive/reports/measures.xlsx?fy=2569&period=year").get_data())
    assert next(r for r in rows if (r[0] or "").startswith("1.1.1 "))[4] in (None, "")


def test_result_text_that_looks_like_a_formula_stays_text(client, auth, plan):
    _login(client, auth, "admin")
    page = client.get("/executive/reports/measures/results?fy=2569&period=half")
    training = next(m for m in plan.measures if m.running_no == 1)
    client.post("/executive/reports/measures/results", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "fy": "2569", "period": "half",
        f"result-{training.id}": '=HYPERLINK("http://evil.example","x")'})
    sheet = load_workbook(io.BytesIO(client.get(HALF.replace("measures?", "measures.xlsx?")).get_data())).active
    cell = next(row[4] for row in sheet.iter_rows() if (row[0].value or "").startswith("1.1.1 "))
    assert cell.data_type == "s" and not str(cell.value).startswith("=")


def test_too_long_result_changes_nothing(client, auth, plan):
    _login(client, auth, "integrity")
    page = client.get("/executive/reports/measures/results?fy=2569&period=half")
    training = next(m for m in plan.measures if m.running_no == 1)
    response = client.post("/executive/reports/measures/results", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "fy": "2569", "period": "half",
        f"result-{training.id}": "ก" * 4001})
    assert response.status_code == 400 and "ยาวเกิน" in response.get_data(as_text=True)
    assert db.session.get(MeasureResult, (training.id, 2569, "half")) is None


def test_results_form_without_csrf_is_refused(client, auth, plan):
    _login(client, auth, "integrity")
    training = next(m for m in plan.measures if m.running_no == 1)
    response = client.post("/executive/reports/measures/results",
                           data={"fy": "2569", "period": "half", f"result-{training.id}": "x"})
    assert response.status_code == 400
    assert db.session.get(MeasureResult, (training.id, 2569, "half")) is None


@pytest.mark.parametrize("role", ["intake", "unit_officer"])
def test_case_workers_cannot_open_the_reports(client, auth, plan, role):
    _login(client, auth, role)
    for url in ("/executive/reports", HALF, HALF.replace("measures?", "measures.pdf?"),
                "/executive/reports/measures/results?fy=2569&period=half", "/executive/reports/summary"):
        assert client.get(url).status_code == 403, url


def test_executives_read_but_do_not_write_results(client, auth, plan):
    _login(client, auth, "executive")
    assert client.get("/executive/reports/measures/results").status_code == 403
    page = client.get(HALF)
    training = next(m for m in plan.measures if m.running_no == 1)
    response = client.post("/executive/reports/measures/results", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), f"result-{training.id}": "x"})
    assert response.status_code == 403
    assert db.session.get(MeasureResult, (training.id, 2569, "half")) is None


def test_signed_out_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(HALF)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_without_an_active_plan_the_page_says_so(client, auth, app):
    _login(client, auth, "executive")
    page = client.get(HALF)
    assert page.status_code == 200
    assert "ยังไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ใช้งานอยู่" in page.get_data(as_text=True)
    assert client.get(HALF.replace("measures?", "measures.pdf?")).status_code == 404


def test_malformed_period_parameters_fall_back_instead_of_failing(client, auth, plan):
    _login(client, auth, "executive")
    for url in ("/executive/reports/measures?fy=abc&period=zzz", "/executive/reports/measures?fy=99999&layout=9",
                "/executive/reports/measures.doc?fy=2569", "/executive/reports/measures?plan=999999"):
        assert client.get(url).status_code in (200, 404), url


@pytest.mark.parametrize("key", ["banpong_2566_2570", "takbai_2566_2570"])
@pytest.mark.parametrize("layout", [5, 4])
def test_the_shipped_plans_print_whole_however_long_their_steps(client, auth, app, monkeypatch, key, layout):
    """Real plans carry pages of วิธีดำเนินการ: a row taller than a page continues on the next one, nothing lost."""
    from tests.plan_data import NOW
    from app.services import plans

    monkeypatch.setattr("app.blueprints.executive.reports.utcnow", lambda: NOW)
    plan = plans.load_shipped(key, now=NOW, activate=True)
    db.session.commit()
    _login(client, auth, "executive")
    files = {}
    for fmt in ("pdf", "xlsx"):
        response = client.get(f"/executive/reports/measures.{fmt}?fy=2569&period=year&layout={layout}")
        assert response.status_code == 200, (fmt, response.status_code)
        files[fmt] = response.get_data()
    text = _pdf_text(files["pdf"])
    longest = max(plan.measures, key=lambda m: len(m.steps))
    # The last words of the longest steps text are printed too.
    assert _squash(longest.steps.split("\n")[-1][-40:]) in text
    for measure in plan.measures:
        assert _squash(measure.title[:30]) in text, measure.running_no
