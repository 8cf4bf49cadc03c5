"""Moving a complaint into the protected channel: it takes a free number and leaves no plaintext behind."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Case
from tests.factories import PASSWORD, file_complaint, file_report, make_user
from tests.functional.test_casework_views import act


def test_move_takes_a_number_of_the_protected_channel_even_when_a_report_already_holds_the_same_one(client, auth):
    make_user("intake", username="rub")
    held, _ = file_report()            # ท. 1/<year>
    case, code = file_complaint(subject="ปลัดเรียกรับเงินค่าขออนุญาต")   # ร. 1/<year>: the same sequence
    assert (held.channel, held.sequence) == ("corruption", case.sequence)

    auth.login("rub", PASSWORD)
    response = act(client, case, "move", reason="เนื้อหาเป็นการกล่าวหาเจ้าหน้าที่ทุจริต")

    assert response.status_code == 303
    db.session.expire_all()
    moved = db.session.get(Case, case.id)
    assert moved.channel == "corruption" and moved.sequence == held.sequence + 1
    assert client.get(f"/staff/cases/{case.uid}").status_code == 404  # intake has lost it
    numbers = db.session.scalars(select(Case.case_number).where(Case.channel == "corruption")).all()
    assert len(set(numbers)) == 2


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="SQLite's file and WAL; PostgreSQL's storage is the server's")
def test_moved_complaint_leaves_no_plaintext_in_the_sqlite_file_or_its_wal(client, auth, app):
    engine = db.engine
    make_user("intake", username="rub")
    secret = "นายกเรียกรับเงินสามหมื่นบาทแลกสัญญาก่อสร้างถนน"
    case, _ = file_complaint(subject="เรื่องย้ายช่องทาง", details=secret)
    auth.login("rub", PASSWORD)

    assert act(client, case, "move", reason="เนื้อหาเป็นการกล่าวหาเจ้าหน้าที่ทุจริต").status_code == 303

    path = engine.url.database
    needle = secret.encode("utf-8")
    for suffix in ("", "-wal"):
        try:
            with open(path + suffix, "rb") as fh:
                assert needle not in fh.read(), f"plaintext left in {suffix or 'the database file'}"
        except FileNotFoundError:
            pass
