"""The complaint summary: root-cause notes on cases, repeat categories, the draft, publishing to the public."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from app.extensions import db
from app.models import Case, SummaryReport
from app.services import stats_settings, summary_report
from app.services.report_periods import ReportPeriod
from tests.conftest import csrf_from
from tests.factories import PASSWORD, file_complaint, file_report, make_unit, make_user
from tests.plan_data import NOW
from tests.stats_data import add_case, category, utc

SUMMARY = "/executive/reports/summary?fy=2569&period=half"
PUBLIC = "/reports/summary/2569/half"
#: A root cause a staff member writes on a case; internal, never on the public page.
CAUSE = "ท่อระบายน้ำอุดตันจากเศษใบไม้หน้าตลาด"
PREVENTION = "ลอกท่อทุกเดือนก่อนฤดูฝน"


@pytest.fixture
def data(app, monkeypatch):
    """General complaints in two categories (roads repeat over 3 months, lights once) and 3 corruption reports."""
    monkeypatch.setattr("app.blueprints.executive.reports.utcnow", lambda: NOW)
    monkeypatch.setattr("app.blueprints.public.reports.utcnow", lambda: NOW)
    roads, lights = category("road", "ถนนและท่อระบายน้ำ"), category("light", "ไฟฟ้าสาธารณะ")
    road_cases = [add_case("general", utc(2025, month, 10, 3), "completed", category=roads) for month in (10, 11, 12)]
    add_case("general", utc(2024, 11, 10, 3), "completed", category=roads)  # the same half, a year before
    add_case("general", utc(2026, 1, 5, 3), "in_progress", category=lights)
    for day in (1, 2, 3):
        add_case("corruption", utc(2025, 11, day, 3))
    road_cases[0].root_cause, road_cases[0].prevention = CAUSE, PREVENTION
    road_cases[1].root_cause, road_cases[1].prevention = CAUSE, PREVENTION
    db.session.commit()
    return {"roads": roads, "lights": lights, "road_cases": road_cases}


def _login(client, auth, role):
    make_user(role, username=f"s_{role}")
    assert auth.login(f"s_{role}", PASSWORD).status_code == 302


def test_repeat_categories_and_grouped_notes(data):
    summary = summary_report.build(ReportPeriod.of(2569, "half"), NOW)
    roads = next(c for c in summary.categories if c.name == "ถนนและท่อระบายน้ำ")
    assert (roads.count, roads.months, roads.previous, roads.repeats) == (3, 3, 1, True)
    lights = next(c for c in summary.categories if c.name == "ไฟฟ้าสาธารณะ")
    assert (lights.count, lights.months, lights.repeats) == (1, 1, False)
    assert [(n.category, n.root_cause, n.prevention, n.cases) for n in summary.notes] == [
        ("ถนนและท่อระบายน้ำ", CAUSE, PREVENTION, 2)]
    problems, solutions = summary_report.draft(summary)
    assert f"- ถนนและท่อระบายน้ำ: มีเรื่องร้องเรียน 3 เรื่อง ใน 3 เดือน (ช่วงเดียวกันของปีก่อน 1 เรื่อง) สาเหตุที่พบ: {CAUSE}" in problems
    assert solutions == f"- ถนนและท่อระบายน้ำ: {PREVENTION}"
    assert summary.channels["corruption"].counts.received == 3


def test_staff_page_offers_the_draft_and_shows_internal_notes(client, auth, data):
    _login(client, auth, "integrity")
    html = client.get(SUMMARY).get_data(as_text=True)
    assert CAUSE in html and "เกิดซ้ำ" in html
    assert "ร่างจากประเภทเรื่องที่เกิดซ้ำ" in html


def test_publishing_makes_the_summary_public_without_the_case_notes(client, auth, data):
    assert client.get(PUBLIC).status_code == 404  # nothing is public before staff publish it
    _login(client, auth, "integrity")
    page = client.get(SUMMARY)
    response = client.post(SUMMARY, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "action": "publish",
                                          "problems": "ท่อระบายน้ำอุดตันซ้ำในเขตตลาด",
                                          "solutions": "จัดตารางลอกท่อรายเดือน"})
    assert response.status_code == 303
    assert db.session.get(SummaryReport, (2569, "half")).published_at is not None
    auth.logout()
    listing = client.get("/reports/summary").get_data(as_text=True)
    assert PUBLIC in listing
    html = client.get(PUBLIC).get_data(as_text=True)
    assert "ท่อระบายน้ำอุดตันซ้ำในเขตตลาด" in html and "จัดตารางลอกท่อรายเดือน" in html
    assert CAUSE not in html and PREVENTION not in html
    pdf = client.get(PUBLIC + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    out = subprocess.run([shutil.which("pdftotext"), "-raw", "-", "-"], input=pdf.get_data(), capture_output=True,
                         check=True).stdout.decode()
    squashed = "".join(out.split()).replace("\u200b", "")
    assert "ปัญหาและอุปสรรค" in squashed and "ท่อระบายน้ำอุดตันซ้ำในเขตตลาด" in squashed
    assert "".join(CAUSE.split()) not in squashed


def test_withdrawn_summary_is_no_longer_public(client, auth, data):
    _login(client, auth, "admin")
    page = client.get(SUMMARY)
    token = csrf_from(page.get_data(as_text=True))
    client.post(SUMMARY, data={"csrf_token": token, "action": "publish", "problems": "ก", "solutions": "ข"})
    assert client.get(PUBLIC).status_code == 200
    client.post(SUMMARY, data={"csrf_token": token, "action": "withdraw", "problems": "ก", "solutions": "ข"})
    assert client.get(PUBLIC).status_code == 404


def test_publishing_an_empty_summary_is_refused(client, auth, data):
    _login(client, auth, "integrity")
    page = client.get(SUMMARY)
    response = client.post(SUMMARY, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "action": "publish",
                                          "problems": " ", "solutions": ""})
    assert response.status_code == 400 and "กรุณากรอกปัญหาอุปสรรค" in response.get_data(as_text=True)
    assert db.session.get(SummaryReport, (2569, "half")) is None


def test_small_corruption_counts_are_hidden_on_the_public_summary(client, auth, data):
    stats_settings.update(small_count_threshold=5, digits="arabic", actor=None, now=NOW)
    summary_report.save(ReportPeriod.of(2569, "half"), problems="ก", solutions="ข", publish=True,
                        actor=make_user("admin"), now=NOW)
    db.session.commit()
    html = client.get(PUBLIC).get_data(as_text=True)
    row = html.split("เรื่องร้องเรียนการทุจริต", 1)[1].split("</tr>", 1)[0]
    assert "&lt; 5" in row and ">3<" not in row


def test_executives_read_the_summary_but_cannot_change_it(client, auth, data):
    _login(client, auth, "executive")
    page = client.get(SUMMARY)
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)
    response = client.post(SUMMARY, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                          "action": "publish", "problems": "x"})
    assert response.status_code == 403
    assert db.session.get(SummaryReport, (2569, "half")) is None


@pytest.mark.parametrize("url", ["/reports/summary/2569/bogus", "/reports/summary/99999/half",
                                 "/reports/summary/2569/year.pdf"])
def test_unknown_public_summaries_are_not_found(client, data, url):
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- notes on a case


@pytest.fixture
def officers(app):
    roads = make_unit("กองช่าง")
    return {"intake": make_user("intake", username="rub"), "other": make_user("unit_officer", username="other"),
            "integrity": make_user("integrity", username="nit"), "roads": roads}


def _post_notes(client, case, **fields):
    token = csrf_from(client.get(f"/staff/cases/{case.uid}").get_data(as_text=True))
    return client.post(f"/staff/cases/{case.uid}/analysis", data={"csrf_token": token, **fields})


def test_intake_records_root_cause_and_prevention(client, auth, officers):
    case, _code = file_complaint()
    auth.login("rub", PASSWORD)
    response = _post_notes(client, case, root_cause=CAUSE, prevention=PREVENTION)
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.root_cause, stored.prevention) == (CAUSE, PREVENTION)
    assert CAUSE in client.get(f"/staff/cases/{case.uid}").get_data(as_text=True)


def test_notes_cannot_be_written_on_a_case_one_cannot_see(client, auth, officers):
    case, _code = file_complaint()
    auth.login("other", PASSWORD)  # a unit officer of no unit that has this case
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post(f"/staff/cases/{case.uid}/analysis",
                       data={"csrf_token": token, "root_cause": "x"}).status_code == 404
    assert db.session.get(Case, case.id).root_cause is None


def test_corruption_reports_take_no_such_notes(client, auth, officers):
    report, _code = file_report()
    auth.login("nit", PASSWORD)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post(f"/staff/cases/{report.uid}/analysis",
                       data={"csrf_token": token, "root_cause": "x"}).status_code == 404
    auth.logout()
    auth.login("rub", PASSWORD)
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post(f"/staff/cases/{report.uid}/analysis",
                       data={"csrf_token": token, "root_cause": "x"}).status_code == 404
    assert db.session.get(Case, report.id).root_cause is None


def test_notes_without_csrf_or_too_long_change_nothing(client, auth, officers):
    case, _code = file_complaint()
    auth.login("rub", PASSWORD)
    assert client.post(f"/staff/cases/{case.uid}/analysis", data={"root_cause": "x"}).status_code == 400
    response = _post_notes(client, case, root_cause="ก" * 2001)
    assert response.status_code == 303
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ยาวเกิน" in follow
    db.session.expire_all()
    assert db.session.get(Case, case.id).root_cause is None
