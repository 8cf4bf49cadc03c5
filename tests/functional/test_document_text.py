"""Every document the project prints, filled with long Thai text from the shipped plans, read back as a reader's
tools read it: no invisible characters, no line end inside a dictionary word (a handful at most, listed), and the
organisation's name and "ตำบล" come back exactly as they went in.

The fonTools-style noise check rides along: rendering writes nothing to the log below WARNING.
"""
from __future__ import annotations

import csv
import logging
from datetime import timedelta

import pytest

from app.documents import handbook as handbook_document
from app.documents import letters as letter_documents
from app.documents import measure_report, receipt, stats as stats_files, summary_report as summary_files
from app.extensions import db
from app.models.base import utcnow
from app.models.letters import ACKNOWLEDGEMENT, COMPLETION, EXPLANATION, FORWARD
from app.services import casework, exports, handbooks, intake, measure_reports, plans, receipts_view
from app.services import summary_report
from app.services.casework import Action
from app.services.letters import compose, settings
from app.services.report_periods import ReportPeriod
from tests import pdftools
from tests.factories import approval, make_user, seed_categories

ORG = "องค์การบริหารส่วนตำบลบ้านโป่ง"
ADDRESS = "หมู่ 1 ตำบลบ้านโป่ง อำเภอบ้านโป่ง จังหวัดราชบุรี 70110"
FY = 2569


def _plan_texts() -> list[str]:
    """The long Thai texts of the Tak Bai plan (steps of each measure), longest first."""
    from app.services.plans import PLANS_DIR

    with open(PLANS_DIR / "takbai_2566_2570.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    texts = [" ".join((row.get("ขั้นตอนหรือวิธีการปฏิบัติ") or "").split()) for row in rows]
    return sorted((t for t in texts if t), key=len, reverse=True)


@pytest.fixture
def documents(app):
    """name -> PDF bytes of every kind of document, each carrying long plan text where staff or admins write."""
    from app.services import seed

    texts = _plan_texts()
    long_text, other_text = texts[0], texts[1]
    now = utcnow()
    seed.ensure_organisation(name=ORG, short_name="อบต.บ้านโป่ง", org_type="sao", now=now)
    from app.services.organisation import get_profile

    get_profile().address = ADDRESS
    seed_categories()
    admin = make_user("admin", username="admin1")
    officer = make_user("intake", username="rub")
    integrity = make_user("integrity", username="niti")
    settings.save({"prefix": "บป 77301", "address": ADDRESS, "general_owner": "สำนักปลัด ศูนย์รับเรื่องราวร้องทุกข์",
                   "general_phone": "0 3220 0000", "corruption_owner": "สำนักปลัด งานนิติการ",
                   "corruption_phone": "0 3220 0001", "memo_unit": "สำนักปลัด งานนิติการ"}, actor=admin, now=now)
    settings.save_signatory(settings.SignatoryInput(name="นายสมชาย ใจดี", position="ปลัดองค์การบริหารส่วนตำบลบ้านโป่ง",
                                                    acting_for="ปฏิบัติราชการแทนนายกองค์การบริหารส่วนตำบลบ้านโป่ง",
                                                    is_default=True), signatory=None, actor=admin, now=now)
    plan = plans.load_shipped("takbai_2566_2570", now=now, activate=True)
    db.session.commit()

    def complaint(source="web", name="", received=None, channel="general"):
        reporter = intake.Reporter(name=name)
        if channel == "general":
            data = intake.ComplaintInput(subject=long_text[:280], details=other_text, reporter=reporter)
            sub = intake.submit_complaint(data, now=received or now, source=source)
        else:
            sub = intake.submit_report(intake.ReportInput(subject=long_text[:280], details=other_text,
                                                          reporter=reporter), now=received or now)
        db.session.commit()
        return sub.case, sub.tracking_code

    acknowledged, _ = complaint("letter", "นางสาวมาลี ศรีสุข")
    completed, code = complaint("walk_in", "นายประยุทธ มั่นคง")
    casework.transition(officer, completed, "accept", now=now)
    casework.transition(officer, completed, "complete", now=now, message=Action(public_message=long_text))
    late, _ = complaint(received=now - timedelta(days=40))
    casework.transition(officer, late, "explain", now=now, message=Action(public_message=other_text))
    forwarded, _ = complaint()
    casework.transition(officer, forwarded, "forward", now=now, message=Action(public_message=other_text),
                        agency="district")
    report, report_code = complaint(channel="corruption", name="นายผู้แจ้ง ลับมาก")
    casework.transition(integrity, report, "accept", now=now)
    casework.transition(integrity, report, "complete", now=now, message=Action(public_message=long_text),
                        **approval(report, "complete", integrity))
    db.session.commit()

    out: dict[str, bytes] = {}
    with app.test_request_context():
        out["receipt (general)"] = receipt.pdf(receipts_view.build(completed, code))
        out["receipt (corruption, Thai digits)"] = receipt.pdf(receipts_view.build(report, report_code), "thai")
        for case, kind in ((acknowledged, ACKNOWLEDGEMENT), (completed, COMPLETION), (late, EXPLANATION),
                           (forwarded, FORWARD), (report, COMPLETION)):
            letter = compose.issue_for_case(case, kind, signatory=None, actor=officer, now=now)
            out[f"letter {kind} ({case.channel})"] = letter_documents.letter_pdf(compose.external(letter))
        memo = compose.issue_memo("report:2569:year", subject="รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต",
                                  salutation="นายกองค์การบริหารส่วนตำบลบ้านโป่ง", signatory=None, actor=admin, now=now)
        out["memo"] = letter_documents.memo_pdf(compose.memo(memo, [long_text, other_text]))
        for kind in ("general", "corruption"):
            handbooks.save(kind, handbooks.HandbookInput(intro=long_text, how_to=other_text, steps=long_text,
                                                         responsible=other_text, time_frame=long_text),
                           actor=admin, now=now)
            out[f"handbook {kind}"] = handbook_document.to_pdf(handbooks.view(kind), today=now)
        for channel in ("general", "corruption"):
            for kind in ("monthly", "category-half-year"):
                table = exports.build(channel, FY, kind, today=now.date())
                out[f"statistics {channel} {kind}"] = stats_files.to_pdf(table)
        period = ReportPeriod.of(FY, "year")
        report_data = measure_reports.build(plan, period, now)
        out["measure report (Tak Bai, annual, 5 columns)"] = measure_report.to_pdf(report_data, 5)
        out["measure report (Tak Bai, annual, 4 columns, Thai digits)"] = measure_report.to_pdf(report_data, 4, "thai")
        summary_report.save(period, problems=long_text, solutions=other_text, publish=True, actor=admin, now=now)
        out["summary report"] = summary_files.to_pdf(summary_report.build(period, now))
    db.session.commit()
    return out


def test_every_document_reads_back_whole_thai_words_without_invisible_characters(documents, caplog):
    problems = {}
    for name, pdf in documents.items():
        bad = pdftools.check_text_layer(pdf, must_contain=(ORG, "ตำบล"))
        if len(bad) > pdftools.MAX_BAD_BREAKS:
            problems[name] = [str(b) for b in bad]
        for b in bad:
            print(f"{name}: line break inside a word: {b}")  # shown with -s: the handful allowed
    assert not problems, problems
    assert len(documents) == 17


def test_rendering_writes_no_noise_to_the_log(app, caplog):
    """fontTools subsetting and the browser say nothing at INFO and below (about 55 lines per PDF with fpdf2)."""
    caplog.set_level(logging.DEBUG)
    with app.test_request_context():
        receipt.pdf(receipts_view.ReceiptView("general", "K7M2-QX9P-4TZD-HB3N", "ร. 1/2569", utcnow(), utcnow(), 15,
                                              "เว็บไซต์", "https://example.go.th/track/K7M2"))
    noisy = [r for r in caplog.records if r.name.startswith(("fontTools", "playwright", "asyncio", "app.documents"))]
    assert noisy == []


def test_the_break_check_catches_a_word_split_across_lines():
    """The check above can fail: a word cut in two is reported, a compound cut between its words is not."""
    assert [b.word for b in pdftools.bad_breaks("เปิดเว็บไซต์ แล้วก\nรอกรหัสติดตามเรื่อง")] == ["กรอก"]
    assert [b.word for b in pdftools.bad_breaks("ตามหลักธร\nรมาภิบาล")] == ["ธรรมาภิบาล"]
    assert pdftools.bad_breaks("องค์การบริหาร\nส่วนตำบลบ้านโป่ง") == []
    assert pdftools.bad_breaks("ดำเนินการแล้ว\nเสร็จ 12 เรื่อง") == []
