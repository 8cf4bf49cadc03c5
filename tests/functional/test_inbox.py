"""Inboxes: tabs with counts, filters, due-date order and the SLA badges, for a constructed set of cases."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Category
from app.models.base import utcnow
from app.services import casework, inbox, intake, sla
from app.services.casework import Action
from app.services.intake import ComplaintInput
from tests.factories import PASSWORD, file_report, make_unit, make_user

_ROW = re.compile(r'data-case="([^"]+)"')
_TAB = re.compile(r'data-tab="(\w+)">[^<]*<span class="count">(\d+)</span>')


def _file(subject: str, days_ago: float, source: str = "phone", category: str = "") -> Case:
    now = utcnow()
    sub = intake.submit_complaint(ComplaintInput(subject=subject, details="รายละเอียด", category_code=category),
                                  now=now, source=source, received_at=now - timedelta(days=days_ago))
    db.session.commit()
    return sub.case


@pytest.fixture
def world(app):
    """Six general complaints in every SLA situation, and the people who see them.

    due dates relative to now: E -7 (closed on time), F -6 (closed late), A -5 (open, overdue),
    B -4 (overdue, explained), C +2 (letter), D +15 (web, category "road").
    """
    roads = make_unit("กองช่าง")
    db.session.add(Category(code="road", name="ถนนชำรุด", channel="general"))
    db.session.commit()
    officer = make_user("intake", username="rub")
    now = utcnow()
    cases = {
        "E": _file("อี ปิดทันเวลา", 22), "F": _file("เอฟ ปิดช้า", 21), "A": _file("เอ เกินกำหนด", 20),
        "B": _file("บี ชี้แจงแล้ว", 19), "C": _file("ซี ใกล้ครบ", 13, source="letter"),
        "D": _file("ดี ใหม่", 0, source="web", category="road"),
    }
    for key in "EFB":
        item = cases[key]
        casework.transition(officer, item, "accept", now=item.received_at + timedelta(days=1))
    casework.transition(officer, cases["E"], "complete", now=cases["E"].received_at + timedelta(days=3),
                        message=Action("เสร็จแล้ว"))
    casework.transition(officer, cases["F"], "complete", now=now, message=Action("เสร็จแล้วแต่ช้า"))
    casework.transition(officer, cases["B"], "explain", now=now, message=Action("รออนุมัติงบประมาณ"))
    casework.assign(officer, cases["A"], unit=roads, officer=None, now=now)
    db.session.commit()
    return {"cases": cases, "roads": roads, "officer": officer}


def _rows(html: str) -> list[str]:
    return _ROW.findall(html)


def _numbers(world, *keys) -> list[str]:
    return [world["cases"][k].case_number for k in keys]


def _tabs(html: str) -> dict[str, int]:
    return {tab: int(n) for tab, n in _TAB.findall(html)}


def test_tabs_count_each_situation_and_open_cases_come_soonest_due_first(client, auth, world):
    auth.login("rub", PASSWORD)
    html = client.get("/staff/cases").get_data(as_text=True)
    assert _tabs(html) == {"all": 6, "received": 3, "in_progress": 1, "overdue": 2, "unexplained": 2, "closed": 2}
    assert _rows(html) == _numbers(world, "A", "B", "C", "D", "E", "F")  # open work first


@pytest.mark.parametrize(("query", "expected"), [
    ("tab=overdue", "AB"),
    ("tab=unexplained", "AF"),
    ("tab=closed", "EF"),
    ("tab=received", "ACD"),
    ("overdue=1", "AB"),
    ("unexplained=1", "AF"),
    ("due_within=3", "C"),
    ("due_within=20", "CD"),
    ("source=letter", "C"),
    ("status=completed", "EF"),
    ("overdue=1&unexplained=1", "A"),
    ("tab=closed&unexplained=1", "F"),
])
def test_filters_and_tabs_select_the_right_cases(client, auth, world, query, expected):
    auth.login("rub", PASSWORD)
    html = client.get(f"/staff/cases?{query}").get_data(as_text=True)
    assert _rows(html) == _numbers(world, *expected)


def test_category_and_unit_filters(client, auth, world):
    auth.login("rub", PASSWORD)
    category = db.session.scalar(select(Category).where(Category.code == "road"))
    assert _rows(client.get(f"/staff/cases?category={category.id}").get_data(as_text=True)) == _numbers(world, "D")
    assert _rows(client.get(f"/staff/cases?unit={world['roads'].id}").get_data(as_text=True)) == _numbers(world, "A")


def test_tab_counts_follow_the_filters(client, auth, world):
    auth.login("rub", PASSWORD)
    html = client.get("/staff/cases?source=phone").get_data(as_text=True)
    assert _tabs(html) == {"all": 4, "received": 1, "in_progress": 1, "overdue": 2, "unexplained": 2, "closed": 2}


def test_rows_show_badges_countdown_and_responsible_unit(client, auth, world):
    auth.login("rub", PASSWORD)
    html = client.get("/staff/cases").get_data(as_text=True)
    rows = {number: chunk for number, chunk in
            zip(_rows(html), html.split('data-case="')[1:])}
    a, b, c, d, f = (rows[world["cases"][k].case_number] for k in "ABCDF")
    assert "เกินกำหนด" in a and "ยังไม่ชี้แจง" in a and "เกิน 5 วัน" in a and "กองช่าง" in a
    assert "เกินกำหนด" in b and "ยังไม่ชี้แจง" not in b
    assert "เหลือ 2 วัน" in c and "หนังสือ/จดหมาย" in c
    assert "เหลือ 15 วัน" in d and "ยังไม่ได้มอบหมาย" in d
    assert "ยังไม่ชี้แจง" in f and "status-overdue" not in f  # closed late: no longer overdue, still owes an explanation


def test_explanation_missing_in_sql_matches_the_sla_rule(world):
    now = utcnow()
    flagged = set(db.session.scalars(select(Case.id).where(inbox.explanation_missing_condition(now))))
    for item in db.session.scalars(select(Case)):
        assert (item.id in flagged) == sla.explanation_missing(item, now), item.subject


def test_paging_keeps_the_filters(client, auth, world, monkeypatch):
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    auth.login("rub", PASSWORD)
    first = client.get("/staff/cases?source=phone").get_data(as_text=True)
    assert _rows(first) == _numbers(world, "A", "B")
    link = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "source=phone" in link
    assert _rows(client.get(link).get_data(as_text=True)) == _numbers(world, "E", "F")


def test_nonsense_filters_are_ignored(client, auth, world):
    auth.login("rub", PASSWORD)
    response = client.get("/staff/cases?status=evil&due_within=-4&page=x&tab=nope&category=abc")
    assert response.status_code == 200 and len(_rows(response.get_data(as_text=True))) == 6


def test_unit_officer_inbox_holds_only_their_units_cases_and_no_unit_filter(client, auth, world):
    make_user("unit_officer", username="chang", unit=world["roads"])
    auth.login("chang", PASSWORD)
    html = client.get("/staff/cases").get_data(as_text=True)
    assert _rows(html) == _numbers(world, "A") and _tabs(html)["all"] == 1
    assert 'name="unit"' not in html
    other = db.session.scalar(select(Case).where(Case.id == world["cases"]["D"].id))
    assert _rows(client.get(f"/staff/cases?unit={other.id}").get_data(as_text=True)) == _numbers(world, "A")


def test_reports_inbox_decrypts_subjects_and_counts_only_reports(client, auth, world):
    make_user("integrity", username="niti")
    file_report(subject="ยักยอกเงินกองทุน")
    auth.login("niti", PASSWORD)
    html = client.get("/staff/reports").get_data(as_text=True)
    assert "ยักยอกเงินกองทุน" in html and _tabs(html)["all"] == 1
    assert "เอ เกินกำหนด" not in html
