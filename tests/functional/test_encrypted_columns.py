"""Every encrypted column is in the one registry that key rotation walks, and a database copy holds nothing
readable about who is accused, what was found, or why a reporter was revealed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import User
from app.models.letters import COMPLETION
from app.models.people import EXECUTIVE, INTEGRITY, OVERSIGHT
from app.security.columns import REGISTRY, registered
from app.services import audit, casework, intake
from app.services.cases import approvals
from app.services.casework import Action
from app.services.letters import compose, register
from tests.factories import make_user

ACCUSED_ID = 48151
ACCUSED_NAME = "นายพิสุทธิ์ ฉ้อราษฎร์บังหลวง"
#: How the reporter typed it (a spelling variant): found only in the report, unlike the account's own name.
TYPED_NAME = "คุณพิสุทธิ ฉ้อราษฎบังหลวง"
FINDINGS = "พบหลักฐานการโอนเงินเข้าบัญชีญาติสามครั้ง"
REFERRAL = "ส่งคณะกรรมการสอบสวนวินัยอย่างร้ายแรงตามคำสั่งที่ ๑๒/๒๕๖๙"
REVEAL_REASON = "ต้องเชิญผู้แจ้งมาให้ถ้อยคำเพิ่มเติมเรื่องบัญชีธนาคาร"
MOVE_REASON = "ผู้ร้องกล่าวหาว่าเจ้าหน้าที่เรียกรับเงินค่าดำเนินการ"
VOID_REASON = "ระบุชื่อผู้ถูกร้องในหนังสือผิดคน ต้องออกใหม่"


def _handled_report() -> tuple:
    """A report that names a staff member, handled to a substantiated outcome with a revealed reporter."""
    from app.security.passwords import hash_password

    # A distinctive staff id, so a dump can be searched for it.
    accused = User(id=ACCUSED_ID, username="pisut", full_name=ACCUSED_NAME, position="นิติกร",
                   password_hash=hash_password("correct-horse-battery"))
    accused.set_roles([INTEGRITY])
    db.session.add(accused)
    db.session.commit()
    niti, niti2 = make_user(INTEGRITY), make_user(INTEGRITY)
    make_user(OVERSIGHT), make_user(EXECUTIVE)
    sub = intake.submit_report(intake.ReportInput(
        subject="เรียกรับเงิน", details="รายละเอียด", accused=intake.Accused(name=TYPED_NAME),
        reporter=intake.Reporter(name="ผู้แจ้ง ลับ", email="w@example.org")), now=_now())
    case = sub.case
    db.session.commit()
    assert case.exclusions  # a likely match at intake
    # Two people confirm the accused, reveal the reporter, record the outcome and complete the report.
    now = _now()
    request = approvals.ask(niti, case, "accused", now=now, accused=[db.session.get(User, ACCUSED_ID)])
    approvals.decide(request, niti2, approve=True, now=now)
    request = approvals.ask(niti, case, "reveal", now=now, reveal_reason=REVEAL_REASON)
    approvals.decide(request, niti2, approve=True, now=now)
    audit.record_case("case.reveal_identity", case, actor=niti, now=now, detail=REVEAL_REASON)
    casework.transition(niti, case, "accept", now=now)
    casework.record_outcome(niti, case, outcome="substantiated", findings=FINDINGS, referral=REFERRAL, now=now)
    request = approvals.ask(niti, case, "complete", now=now, message=Action(public_message="ดำเนินการแล้วเสร็จ"))
    approvals.decide(request, niti2, approve=True, now=now)
    # The completion letter's number is voided with a free-text reason.
    letter = compose.issue_for_case(case, COMPLETION, signatory=None, actor=niti, now=now)
    register.void(letter, VOID_REASON, actor=niti, now=now)
    db.session.commit()
    # A general complaint moved into the protected channel carries a free-text reason into the log.
    from tests.factories import file_complaint

    moved, _ = file_complaint(subject="ท่อแตก")
    casework.move_to_corruption(make_user("intake"), moved, reason=MOVE_REASON, now=_now())
    db.session.commit()
    return case, moved


def _now():
    from app.models.base import utcnow

    return utcnow()


def _text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text)):
                yield table, column


def test_every_column_that_holds_ciphertext_is_registered(app):
    """Walk every text column after a full protected-channel scenario: ciphertext only where registered."""
    _handled_report()
    models = {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}
    found = set()
    for table, column in _text_columns():
        values = db.session.execute(select(column).where(column.is_not(None))).scalars().all()
        if any(re.match(r"^v1:[A-Za-z0-9_-]+:", v or "") for v in values):
            found.add((table.name, column.name))
            assert registered(models[table.name], column.name), f"{table.name}.{column.name} is not registered"
    # Each registered column was actually exercised (the scenario covers the protected channel's columns).
    for name in ("case_exclusions.details_enc", "case_requests.payload_enc", "audit_log.detail", "cases.outcome_enc",
                 "letters.void_reason_enc"):
        assert tuple(name.split(".")) in found, name


def test_columns_named_as_encrypted_are_all_registered(app):
    models = {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}
    for table, column in _text_columns():
        if column.name.endswith("_enc"):
            assert registered(models[table.name], column.name), f"{table.name}.{column.name} is not registered"
    assert len({(e.model, e.column) for e in REGISTRY}) == len(REGISTRY)


def _secrets() -> list[str]:
    return [TYPED_NAME, FINDINGS, REFERRAL, REVEAL_REASON, MOVE_REASON, VOID_REASON, "substantiated"]


def _assert_no_accused_id_next_to_the_report(case_id: int) -> None:
    """No row about the report (the case, its events, exclusions, requests, notes, mails, log) holds the staff id."""
    for table in db.metadata.sorted_tables:
        if table.name == "cases":
            where = table.c.id == case_id
        elif "case_id" in table.c:
            where = table.c.case_id == case_id
        elif table.name == "audit_log":
            where = (table.c.target_type == "case") & (table.c.target_id == case_id)
        else:
            continue
        for row in db.session.execute(select(table).where(where)).all():
            assert ACCUSED_ID not in tuple(row), f"{table.name}: {row}"
            assert str(ACCUSED_ID) not in " ".join(str(v) for v in row), f"{table.name}: {row}"


def test_a_sqlite_file_and_wal_hold_no_accused_outcome_or_reveal_reason(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite file copy; PostgreSQL is checked with pg_dump below")
    case, _moved = _handled_report()
    path = Path(db.engine.url.database)
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for secret in _secrets():
        assert secret.encode("utf-8") not in raw, secret
    _assert_no_accused_id_next_to_the_report(case.id)


def test_a_pg_dump_holds_no_accused_outcome_or_reveal_reason(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL; the SQLite file is checked above")
    case, _moved = _handled_report()
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    assert os.path.exists(pg_dump), "pg_dump is required for this test (postgresql-15)"
    url = make_url(str(db.engine.url.render_as_string(hide_password=False))).set(drivername="postgresql")
    dump = subprocess.run([pg_dump, "--data-only", "--no-owner", url.render_as_string(hide_password=False)],
                          capture_output=True, check=True).stdout.decode("utf-8")
    for secret in _secrets():
        assert secret not in dump, secret
    assert "COPY public.case_exclusions" in dump
    _assert_no_accused_id_next_to_the_report(case.id)


def test_rotation_reencrypts_the_new_columns(app, runner):
    case, _moved = _handled_report()
    from app.models import AuditEntry, CaseExclusion, CaseRequest, Letter
    from app.security.crypto import key_id_of
    from app.security.hashing import keyring

    before = keyring().active
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    db.session.expire_all()
    after = keyring().active
    assert after != before
    for value in (db.session.scalar(select(CaseExclusion.details_enc)),
                  db.session.scalar(select(CaseRequest.payload_enc)),
                  db.session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "case.reveal_identity")),
                  db.session.scalar(select(Letter.void_reason_enc))):
        assert key_id_of(value) == after
    assert casework.read_outcome(case)["findings"] == FINDINGS
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.reveal_identity"))
    assert audit.read_detail(entry) == REVEAL_REASON
    assert register.void_reason(db.session.scalar(select(Letter))) == VOID_REASON
