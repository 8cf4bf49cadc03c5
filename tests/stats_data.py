"""Cases for the statistics tests: months, the fiscal-year and Bangkok-midnight boundaries, every status.

Cases are inserted as rows (the statistics read rows, not events), with a few filed through the intake
service to show both paths count alike. All instants are UTC; Bangkok is UTC+7.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

from app import thai
from app.extensions import db
from app.models import Case, Category
from app.models.case import CLOSED_STATUSES

_seq = itertools.count(1)

#: A fixed "today" for pages and exports: 23 Nov 2026 (Bangkok), FY2570; all of FY2569 is past.
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)

#: The dangerous category names of the formula-injection tests.
FORMULA_NAMES = ['=HYPERLINK("http://evil.example","คลิก")', "+1", "-2", "@SUM(1)"]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def category(code: str, name: str, channel: str = "general", order: int = 0) -> Category:
    cat = Category(code=code, name=name, channel=channel, sort_order=order, active=True)
    db.session.add(cat)
    db.session.flush()
    return cat


def add_case(channel: str, received_at: datetime, status: str = "received",
             category: Category | None = None) -> Case:
    """One case row as the intake service would leave it, then moved to ``status``."""
    n = next(_seq)
    case = Case(channel=channel, status=status, source="web", fiscal_year=thai.fiscal_year(received_at),
                sequence=n, case_number=f"T-{channel[0]}-{n}", received_at=received_at,
                due_at=received_at + timedelta(days=15), category=category, is_anonymous=True,
                closed_at=received_at + timedelta(days=3) if status in CLOSED_STATUSES else None)
    db.session.add(case)
    db.session.flush()
    return case


def build_fy2569() -> dict:
    """The shared dataset; returns the categories by code.

    General, FY2569 (1 Oct 2025 – 30 Sep 2026, Bangkok):

    ======  ========  =========  ===========  ========  =========
    month   received  completed  in_progress  rejected  forwarded
    ======  ========  =========  ===========  ========  =========
    Oct 68  3         1          2            0         0
    Nov 68  1         0          0            1         0
    Dec 68  1         0          0            0         1
    Mar 69  1         1          0            0         0
    Apr 69  1         1          0            0         0
    Sep 69  1         0          1            0         0
    total   8         3          3            1         1
    Oct–Mar 6         2          2            1         1
    ======  ========  =========  ===========  ========  =========

    Corruption, FY2569: Oct 68 one open report; Nov 68 three (two completed, one forwarded).
    """
    road = category("road", "ถนน ทางเท้า", order=1)
    light = category("light", "ไฟฟ้าสาธารณะ", order=2)
    formula = [category(f"f{i}", name, order=10 + i) for i, name in enumerate(FORMULA_NAMES)]
    bribery = category("bribery", "การเรียกรับสินบน", "corruption", order=1)
    category("procurement", "การจัดซื้อจัดจ้าง", "corruption", order=2)
    # Last minute of 30 Sep 2025 in Bangkok: September of FY2568, not FY2569.
    add_case("general", utc(2025, 9, 30, 16, 59), "completed", road)
    # 00:30 on 1 Oct 2025 in Bangkok (still 30 Sep in UTC): October 2025, FY2569.
    add_case("general", utc(2025, 9, 30, 17, 30), "completed", road)
    add_case("general", utc(2025, 10, 15, 3), "in_progress", road)
    add_case("general", utc(2025, 10, 20, 3), "received", formula[0])
    # 00:10 on 1 Nov in Bangkok: November.
    add_case("general", utc(2025, 10, 31, 17, 10), "rejected", formula[1])
    add_case("general", utc(2025, 12, 5, 3), "forwarded", formula[2])
    # 23:59:59 on 31 Mar in Bangkok: March, inside the first half-year.
    add_case("general", utc(2026, 3, 31, 16, 59, 59), "completed", formula[3])
    # Midnight starting 1 Apr in Bangkok: April, outside the first half-year.
    add_case("general", utc(2026, 3, 31, 17, 0), "completed", light)
    # 23:59 on 30 Sep 2026 in Bangkok: the last minute of FY2569; no category.
    add_case("general", utc(2026, 9, 30, 16, 59), "in_progress")
    # Midnight starting 1 Oct 2026 in Bangkok: FY2570.
    add_case("general", utc(2026, 9, 30, 17, 0), "received", road)
    add_case("corruption", utc(2025, 10, 2, 3), "received", bribery)
    add_case("corruption", utc(2025, 11, 3, 3), "completed", bribery)
    add_case("corruption", utc(2025, 11, 4, 3), "completed", bribery)
    add_case("corruption", utc(2025, 11, 5, 3), "forwarded")
    db.session.commit()
    return {"road": road, "light": light, "bribery": bribery}


#: Expected FY2569 general rows (received, completed, in_progress, rejected, forwarded) by "YYYY-MM".
GENERAL_2569 = {
    "2025-10": (3, 1, 2, 0, 0), "2025-11": (1, 0, 0, 1, 0), "2025-12": (1, 0, 0, 0, 1),
    "2026-01": (0, 0, 0, 0, 0), "2026-02": (0, 0, 0, 0, 0), "2026-03": (1, 1, 0, 0, 0),
    "2026-04": (1, 1, 0, 0, 0), "2026-05": (0, 0, 0, 0, 0), "2026-06": (0, 0, 0, 0, 0),
    "2026-07": (0, 0, 0, 0, 0), "2026-08": (0, 0, 0, 0, 0), "2026-09": (1, 0, 1, 0, 0),
}
GENERAL_2569_TOTAL = (8, 3, 3, 1, 1)
GENERAL_2569_HALF_TOTAL = (6, 2, 2, 1, 1)
CORRUPTION_2569 = {key: (0, 0, 0, 0, 0) for key in GENERAL_2569} | {
    "2025-10": (1, 0, 1, 0, 0), "2025-11": (3, 2, 0, 0, 1)}
CORRUPTION_2569_TOTAL = (4, 2, 1, 0, 1)
MONTH_KEYS = list(GENERAL_2569)


class TableRows(HTMLParser):
    """Rows of the statistics tables of a page: {table id: {data-key: [label, cell, cell, …]}}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id")
            self.tables[self._table] = {}
        elif tag == "tr" and self._table and "data-key" in attrs:
            self._row = attrs["data-key"]
            self.tables[self._table][self._row] = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self.tables[self._table][self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, dict[str, list[str]]]:
    parser = TableRows()
    parser.feed(html)
    return parser.tables
