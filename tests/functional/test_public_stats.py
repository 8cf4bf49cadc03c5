"""The public statistics pages: every cell, the half-year view, "no complaints", the small-count
threshold, the ITA code from settings, digits, the year picker, the admin settings screen, and that
general-complaint staff see no corruption counts beyond the public page."""
from __future__ import annotations

import re
from html import unescape
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Case
from app.models.base import utcnow
from app.services import exports, stats_settings
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_unit, make_user
from tests.stats_data import (GENERAL_2569, GENERAL_2569_HALF_TOTAL, GENERAL_2569_TOTAL,
                              MONTH_KEYS, NOW, add_case, build_fy2569, page_tables, utc)

TITLE = "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบของเจ้าหน้าที่"
NO_COMPLAINTS = "ไม่มีเรื่องร้องเรียน"


@pytest.fixture
def fixed_now(monkeypatch):
    """Pages and the API think it is 23 Nov 2026 (FY2570)."""
    import app.blueprints.api.routes as api_routes
    import app.blueprints.public.stats as public_stats

    monkeypatch.setattr(public_stats, "utcnow", lambda: NOW)
    monkeypatch.setattr(api_routes, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture
def data(app, fixed_now):
    return build_fy2569()


def _settings(threshold=0, digits="arabic", codes=None):
    stats_settings.update(small_count_threshold=threshold, digits=digits, actor=None, now=utcnow())
    for (fy, channel), code in (codes or {}).items():
        stats_settings.set_ita_code(fy, channel, code, actor=None, now=utcnow())
    db.session.commit()


def _numbers(row: tuple[int, ...]) -> list[str]:
    return [str(v) for v in row]


def test_general_page_shows_every_cell_and_total(client, data):
    response = client.get("/stats/general?fy=2569")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "สถิติเรื่องร้องเรียน/ร้องทุกข์ทั่วไป" in html
    assert "ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)" in html
    assert "นับตามเดือนที่รับเรื่อง สถานะ ณ วันที่แสดงผล" in html
    months = page_tables(html)["stats-months"]
    assert list(months) == [*MONTH_KEYS, "total"]
    labels = ["ต.ค. 2568", "พ.ย. 2568", "ธ.ค. 2568", "ม.ค. 2569", "ก.พ. 2569", "มี.ค. 2569", "เม.ย. 2569",
              "พ.ค. 2569", "มิ.ย. 2569", "ก.ค. 2569", "ส.ค. 2569", "ก.ย. 2569"]
    for (key, expected), label in zip(GENERAL_2569.items(), labels):
        row = months[key]
        assert row[0] == label
        if expected[0] == 0:
            assert row[1:] == [NO_COMPLAINTS], key
        else:
            assert row[1:] == _numbers(expected), key
    totals = page_tables(html)["stats-months"]  # the <tfoot> row is keyed "total"
    assert totals["total"] == ["รวม", *_numbers(GENERAL_2569_TOTAL)]
    assert "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้" not in html


def test_half_year_view(client, data):
    html = client.get("/stats/general?fy=2569&view=half").get_data(as_text=True)
    tables = page_tables(html)
    assert list(tables["stats-months"]) == [*MONTH_KEYS[:6], "total"]
    assert tables["stats-months"]["total"] == ["รวม", *_numbers(GENERAL_2569_HALF_TOTAL)]
    assert "รอบ 6 เดือนแรก ปีงบประมาณ พ.ศ. 2569 (1 ต.ค. 2568 – 31 มี.ค. 2569)" in html
    # By category follows the view: "light" was received in April, after the first half.
    assert tables["stats-categories"]["light"][1:] == [NO_COMPLAINTS]
    assert tables["stats-categories"]["total"] == ["รวม", *_numbers(GENERAL_2569_HALF_TOTAL)]
    assert 'aria-current="page">รอบ 6 เดือน' in html


def test_by_category_table(client, data):
    tables = page_tables(client.get("/stats/general?fy=2569").get_data(as_text=True))
    cats = tables["stats-categories"]
    assert cats["road"] == ["ถนน ทางเท้า", "2", "1", "1", "0", "0"]
    assert cats["f0"][0] == '=HYPERLINK("http://evil.example","คลิก")'  # plain text on a web page
    assert cats[""] == ["ไม่ระบุประเภท", "1", "0", "1", "0", "0"]
    assert cats["total"] == ["รวม", *_numbers(GENERAL_2569_TOTAL)]


def test_corruption_page_title_and_no_complaints_for_an_empty_year(client, data):
    html = client.get("/stats/corruption?fy=2568").get_data(as_text=True)
    assert f"<h1>{TITLE}</h1>" in html
    assert "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้" in html
    months = page_tables(html)["stats-months"]
    assert len(months) == 13 and all(row[1:] == [NO_COMPLAINTS] for key, row in months.items() if key != "total")
    assert months["total"] == ["รวม", NO_COMPLAINTS]


def test_months_not_yet_begun_are_not_called_empty(client, data):
    html = client.get("/stats/general?fy=2570").get_data(as_text=True)
    months = page_tables(html)["stats-months"]
    assert months["2026-10"][1:] == ["1", "0", "1", "0", "0"]
    assert months["2026-11"][1:] == [NO_COMPLAINTS]  # this month so far
    assert months["2026-12"][1:] == ["ยังไม่ถึงช่วงเวลานี้"]
    assert months["2027-09"][1:] == ["ยังไม่ถึงช่วงเวลานี้"]


def test_corruption_cells_without_threshold(client, data):
    months = page_tables(client.get("/stats/corruption?fy=2569").get_data(as_text=True))["stats-months"]
    assert months["2025-10"][1:] == ["1", "0", "1", "0", "0"]
    assert months["2025-11"][1:] == ["3", "2", "0", "0", "1"]
    assert months["total"][1:] == ["4", "2", "1", "0", "1"]
    assert "เพื่อคุ้มครองผู้แจ้งเบาะแส" not in client.get("/stats/corruption?fy=2569").get_data(as_text=True)


def test_small_count_threshold_masks_corruption_cells_only(client, data):
    _settings(threshold=3)
    html = client.get("/stats/corruption?fy=2569").get_data(as_text=True)
    tables = page_tables(html)
    months = tables["stats-months"]
    assert months["2025-10"][1:] == ["< 3", "0", "< 3", "0", "0"]
    assert months["2025-11"][1:] == ["3", "< 3", "0", "0", "< 3"]
    assert months["total"][1:] == ["4", "< 3", "< 3", "0", "< 3"]
    assert months["2026-01"][1:] == [NO_COMPLAINTS]  # zero is not hidden
    cats = tables["stats-categories"]
    assert cats["bribery"][1:] == ["3", "< 3", "< 3", "0", "0"]
    assert cats[""][1:] == ["< 3", "0", "0", "0", "< 3"]
    assert 'แสดงเป็น "< 3" เพื่อคุ้มครองผู้แจ้งเบาะแส' in unescape(html)
    # The general page is never masked.
    general = page_tables(client.get("/stats/general?fy=2569").get_data(as_text=True))["stats-months"]
    assert general["2025-11"][1:] == ["1", "0", "0", "1", "0"]


def test_thai_digits_setting(client, data):
    _settings(digits="thai", threshold=3, codes={(2569, "corruption"): "O29"})
    html = client.get("/stats/corruption?fy=2569").get_data(as_text=True)
    months = page_tables(html)["stats-months"]
    assert months["2025-11"] == ["พ.ย. ๒๕๖๘", "๓", "< ๓", "๐", "๐", "< ๓"]
    assert months["total"][1:] == ["๔", "< ๓", "< ๓", "๐", "< ๓"]
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙ (๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙)" in html
    assert "ข้อ O29" in html  # the ITA code is an identifier: never re-digitised
    assert '<option value="2569" selected>๒๕๖๙</option>' in html


def test_ita_code_comes_from_settings_per_year(client, data):
    assert "ITA" not in client.get("/stats/corruption?fy=2569").get_data(as_text=True)
    _settings(codes={(2566, "corruption"): "O29", (2569, "corruption"): "O31", (2569, "general"): "O27"})
    assert "การประเมินคุณธรรมและความโปร่งใส (ITA) ข้อ O31" in client.get("/stats/corruption?fy=2569").get_data(
        as_text=True)
    assert "ข้อ O27" in client.get("/stats/general?fy=2569").get_data(as_text=True)
    assert "ข้อ O29" in client.get("/stats/corruption?fy=2566").get_data(as_text=True)
    assert "ITA" not in client.get("/stats/corruption?fy=2568").get_data(as_text=True)


def test_year_picker_lists_years_with_data_and_the_current_one(client, data):
    html = client.get("/stats/corruption").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?>', html)
    assert options == [("2570", " selected"), ("2569", "")]
    general = client.get("/stats/general").get_data(as_text=True)
    assert re.findall(r'<option value="(\d+)"', general) == ["2570", "2569", "2568"]


@pytest.mark.parametrize("url", ["/stats/secret", "/stats/general?fy=abc", "/stats/general?fy=1999",
                                 "/stats/general?fy=2572"])
def test_unknown_channel_or_year_is_404(client, data, url):
    assert client.get(url).status_code == 404


def test_links_from_every_page_and_to_the_downloads(client, data):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/stats/corruption"' in home and 'href="/stats/general"' in home
    html = client.get("/stats/corruption?fy=2569").get_data(as_text=True)
    for kind in ("monthly", "category"):
        for fmt in ("csv", "xlsx", "pdf"):
            assert f'href="/stats/corruption/2569/{kind}.{fmt}"' in html
    half = client.get("/stats/corruption?fy=2569&view=half").get_data(as_text=True)
    assert 'href="/stats/corruption/2569/half-year.pdf"' in half
    assert 'href="/stats/corruption/2569/category-half-year.xlsx"' in half
    assert client.get("/stats").headers["Location"].endswith("/stats/corruption")


def test_page_never_shows_case_details(client, data):
    html = client.get("/stats/corruption?fy=2569").get_data(as_text=True)
    for case in db.session.scalars(select(Case)):
        assert case.case_number not in html and case.uid not in html


def test_build_marks_future_months_from_today(app):
    table = exports.build("general", 2569, "monthly", today=date(2025, 12, 10))
    notes = [r.note for r in table.rows]
    assert notes[:3] == ["ไม่มีเรื่องร้องเรียน"] * 3 and set(notes[3:]) == {"ยังไม่ถึงช่วงเวลานี้"}


# ---------------------------------------------------------------- admin settings


def _admin(client, auth):
    make_user("admin", username="boss")
    auth.login("boss", PASSWORD)


def test_admin_sets_threshold_and_digits_with_audit(client, auth, data):
    _admin(client, auth)
    page = client.get("/admin/statistics")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/admin/statistics", data={"csrf_token": token, "display-csrf_token": token,
                                                      "display-small_count_threshold": "3",
                                                      "display-digits": "thai"})
    assert response.status_code == 303
    assert stats_settings.get() == stats_settings.PublicSettings(3, "thai")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.statistics"))
    assert entry.detail == "small_count_threshold: 0 -> 3; digits: arabic -> thai"
    assert entry.actor.username == "boss"
    bad = client.post("/admin/statistics", data={"display-csrf_token": token,
                                                 "display-small_count_threshold": "99", "display-digits": "thai"})
    assert bad.status_code == 400 and "ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 20" in bad.get_data(as_text=True)


def test_admin_sets_ita_codes_per_year_with_audit(client, auth, data):
    _admin(client, auth)
    token = csrf_from(client.get("/admin/statistics").get_data(as_text=True))
    response = client.post("/admin/statistics/ita", data={
        "ita-csrf_token": token, "ita-fiscal_year": "2566", "ita-corruption_code": "O29",
        "ita-general_code": "O27"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/statistics?fy=2566")
    assert stats_settings.ita_codes() == {2566: {"corruption": "O29", "general": "O27"}}
    edit = client.get("/admin/statistics?fy=2566").get_data(as_text=True)
    assert 'value="O29"' in edit
    # Clearing a code removes it; a malformed one is refused beside its field.
    client.post("/admin/statistics/ita", data={"ita-csrf_token": token, "ita-fiscal_year": "2566",
                                               "ita-corruption_code": "", "ita-general_code": "O27"})
    assert stats_settings.ita_codes() == {2566: {"general": "O27"}}
    bad = client.post("/admin/statistics/ita", data={"ita-csrf_token": token, "ita-fiscal_year": "2569",
                                                     "ita-corruption_code": "=1+1", "ita-general_code": ""})
    assert bad.status_code == 400 and "รหัสข้อ ITA ใช้ได้เฉพาะ" in bad.get_data(as_text=True)
    details = list(db.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "settings.ita_code")
                                      .order_by(AuditEntry.id)))
    assert details == ["2566 corruption: - -> O29", "2566 general: - -> O27", "2566 corruption: O29 -> -"]


@pytest.mark.parametrize("role", ["intake", "unit_officer", "integrity", "executive"])
def test_only_admins_change_statistics_settings(client, auth, data, role):
    make_user(role, username=f"s_{role}")
    auth.login(f"s_{role}", PASSWORD)
    assert client.get("/admin/statistics").status_code == 403
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    assert client.post("/admin/statistics/ita", data={"ita-csrf_token": token, "ita-fiscal_year": "2569",
                                                      "ita-corruption_code": "O1"}).status_code == 403
    assert stats_settings.ita_codes() == {}


# ---------------------------------------------------------------- the staff boundary


_VOLATILE = [re.compile(r'name="csrf_token"[^>]*value="[^"]*"'), re.compile(r'value="[0-9a-f]{40,}[^"]*"'),
             re.compile(r"\d{1,2}:\d{2}")]


def _normalise(body: str) -> str:
    for pattern in _VOLATILE:
        body = pattern.sub("", body)
    return body


def _staff_get_pages(app):
    """Every staff GET page without URL arguments (lists, dashboards, settings, exports)."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if (rule.endpoint != "static" and not getattr(view, "is_public", False) and not rule.arguments
                and "GET" in rule.methods):
            yield rule.rule


@pytest.mark.parametrize("role", ["intake", "unit_officer"])
def test_general_staff_see_no_corruption_counts_beyond_the_public_page(app, client, auth, fixed_now, role):
    """Every staff page a general-complaint officer can open reads the same with or without corruption
    reports in the database: no count, category or unit of the protected channel adds detail for them."""
    data = build_fy2569()
    unit = make_unit("กองลับเฉพาะ")
    make_user(role, username=f"g_{role}", unit=unit)
    auth.login(f"g_{role}", PASSWORD)
    for _ in range(7):  # a distinctive number, in a category and unit of its own
        add_case("corruption", utc(2026, 11, 2, 3), "in_progress", data["bribery"]).unit_id = unit.id
    db.session.commit()
    pages = sorted(_staff_get_pages(app))
    assert "/staff/" in pages and "/staff/cases" in pages
    with_reports = {url: _normalise(client.get(url).get_data(as_text=True)) for url in pages}
    assert all("การเรียกรับสินบน" not in body for body in with_reports.values())
    for case in db.session.scalars(select(Case).where(Case.channel == "corruption")):
        db.session.delete(case)
    db.session.commit()
    without = {url: _normalise(client.get(url).get_data(as_text=True)) for url in pages}
    differing = [url for url in pages if with_reports[url] != without[url]]
    assert differing == [], f"{role} sees corruption-dependent content at {differing}"
