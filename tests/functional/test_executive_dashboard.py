"""The executive dashboard page: executives only, the worked example's figures, SVG charts, no personal data."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models.people import ROLES
from app.services import intake
from tests.factories import PASSWORD, file_complaint, file_report, make_user
from tests.unit.test_dashboard_queries import NOW, bkk, build_kpi_dataset

DISTINCT_NAME = "ประภาพรรณ ตัวอย่างพิเศษ"
DISTINCT_PHONE = "0812345679"
DISTINCT_EMAIL = "prapa.unique@example.org"
DISTINCT_SUBJECT = "ท่อแตกหน้าบ้านเลขที่ 99/123 ซอยสุจริตพิเศษ"
DISTINCT_DETAILS = "รายละเอียดเฉพาะที่ไม่ควรปรากฏบนหน้าผู้บริหาร"
DISTINCT_REPORT = "ปลัดเรียกรับเงินงานถนนสายพิเศษ"
DISTINCT_LOCATION = "หมู่ 7 บ้านหนองพิเศษ"


@pytest.fixture
def fixed_now(monkeypatch):
    """The page computes 'now' itself; pin it to the worked example's."""
    monkeypatch.setattr("app.blueprints.executive.routes.utcnow", lambda: NOW)
    return NOW


def _sign_in_executive(auth):
    make_user("executive", username="boss")
    assert auth.login("boss", PASSWORD).status_code == 302


def _text(html: str) -> str:
    """The page's visible text with tags removed and whitespace squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_executive_sees_the_worked_example(client, auth, fixed_now):
    build_kpi_dataset()
    _sign_in_executive(auth)
    response = client.get("/executive/?fy=2568&baseline=2567")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "ปีงบประมาณ พ.ศ. 2568" in text
    assert "เรื่องที่ได้รับ 10" in text
    assert "ทั่วไป 9 · ทุจริต 1" in text
    assert "ปิดเรื่องแล้ว 6" in text
    assert "83.3%" in text and "5 จาก 6 เรื่องที่ปิด" in text
    assert "9.3" in text and "มัธยฐาน 8.5 วัน" in text
    assert "เกินกำหนด ณ ขณะนี้ 5" in text
    assert "ยังไม่ได้ชี้แจงผู้ร้องเรียน 4" in text
    assert "ส่งต่อหน่วยงานที่เกี่ยวข้อง 1" in text and "ไม่รับพิจารณา 1" in text
    assert "+150.0%" in text and "10 เรื่อง เทียบกับ 4 เรื่อง" in text
    assert "ยังไม่มีผลการประเมิน" in text  # no survey answers in the worked example
    # Overdue by unit, in the data table.
    assert re.search(r"กองช่าง</th><td class=\"num\">2</td>", html)
    assert "ยังไม่มอบหมายหน่วยงาน" in text


def test_month_filter_and_zero_baseline(client, auth, fixed_now):
    build_kpi_dataset()
    _sign_in_executive(auth)
    text = _text(client.get("/executive/?fy=2568&month=10&baseline=2566").get_data(as_text=True))
    assert "เดือน ต.ค. 2567" in text
    assert "ปิดเรื่องแล้ว 3" in text and "66.7%" in text and "มัธยฐาน 12.0 วัน" in text
    assert "ปีฐานไม่มีเรื่อง จึงคำนวณร้อยละไม่ได้" in text


def test_nonsense_parameters_fall_back(client, auth, fixed_now):
    _sign_in_executive(auth)
    for query in ("fy=abc", "fy=1", "month=13", "baseline=9999", "channel=secret", "fy=2568&baseline=2568"):
        assert client.get(f"/executive/?{query}").status_code == 200, query
    html = client.get("/executive/?fy=2568&baseline=2568").get_data(as_text=True)
    assert '<option value="2567" selected>' in html  # baseline falls back to the year before


def test_one_channel(client, auth, fixed_now):
    build_kpi_dataset()
    _sign_in_executive(auth)
    text = _text(client.get("/executive/?fy=2568&channel=corruption").get_data(as_text=True))
    assert "เรื่องที่ได้รับ 1" in text and "เกินกำหนด ณ ขณะนี้ 1" in text


def test_charts_are_accessible_svg_without_inline_styles(client, auth, fixed_now):
    build_kpi_dataset()
    _sign_in_executive(auth)
    response = client.get("/executive/?fy=2568")
    html = response.get_data(as_text=True)
    charts = re.findall(r"<svg class=\"chart[^\"]*\"[^>]*role=\"img\"[^>]*>\s*<title id=\"([^\"]+)\">", html)
    assert set(charts) == {"chart-months-title", "chart-source-title", "chart-category-title", "chart-units-title"}
    # One data table per chart, plus the satisfaction distribution (shown even before anyone answered).
    assert html.count("<details class=\"chart-data\">") == 5
    assert "style=" not in html and "<script" not in html
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "executive"])
def test_other_roles_are_refused(client, auth, role):
    make_user(role, username=f"x_{role}")
    auth.login(f"x_{role}", PASSWORD)
    assert client.get("/executive/").status_code == 403
    assert client.get("/executive/?fy=2568&month=10").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/executive/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_no_personal_data_or_case_content_on_any_executive_page(app, client, auth, fixed_now):
    build_kpi_dataset()
    reporter = intake.Reporter(name=DISTINCT_NAME, phone=DISTINCT_PHONE, email=DISTINCT_EMAIL,
                               address=DISTINCT_LOCATION)
    complaint, code = file_complaint(subject=DISTINCT_SUBJECT, details=DISTINCT_DETAILS,
                                     location=DISTINCT_LOCATION, reporter=reporter, now=bkk(2025, 1, 5))
    report, report_code = file_report(subject=DISTINCT_REPORT, details=DISTINCT_DETAILS, reporter=reporter)
    accused = make_user("integrity", username="accused_one")  # the only integrity officer, named by the report
    from app.services.cases import exclusions

    exclusions.exclude(report, accused, basis="name", confirmed=False, now=report.received_at)
    db.session.commit()
    secrets = [DISTINCT_NAME, DISTINCT_PHONE, DISTINCT_EMAIL, DISTINCT_SUBJECT, DISTINCT_DETAILS, DISTINCT_REPORT,
               DISTINCT_LOCATION, code, report_code, complaint.case_number, report.case_number, complaint.uid,
               report.uid, accused.full_name, accused.username]
    _sign_in_executive(auth)
    pages = [f"/executive/?fy={fy}" for fy in (2567, 2568, 2569, 2570, 2571)]
    pages += [f"/executive/?fy=2568&month={m}" for m in range(1, 13)]
    pages += [f"/executive/?fy=2568&channel={c}" for c in ("general", "corruption")]
    pages += ["/executive/", "/executive/?lang=en"]
    shown_flag = False
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        for secret in secrets:
            assert secret not in html, f"{secret!r} leaked on {url}"
        shown_flag |= "เรื่องที่ต้องมีผู้กำกับดูแล:" in _text(html) and "ยังไม่มีผู้กำกับดูแล" in _text(html)
    assert shown_flag  # the flagged report is listed with what to do, with no content


def test_every_executive_route_is_for_executives_only(app):
    """The dashboard is the executives'; the plan reports also serve integrity officers and admins, who
    write them. No case worker (intake, unit officer) reaches any of it."""
    from app.blueprints.executive import reports

    report_views = {name for name, value in vars(reports).items() if callable(value)}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("executive."):
            roles = app.view_functions[rule.endpoint].required_roles
            if rule.endpoint.split(".", 1)[1] in report_views:
                assert roles in (frozenset(reports.READERS), frozenset(reports.WRITERS)), rule.endpoint
            else:
                assert roles == frozenset({"executive"}), rule.endpoint
            assert not roles & {"intake", "unit_officer"}
