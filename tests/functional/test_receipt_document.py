"""The citizen's receipt as a document: the PDF's text layer, its metadata, and the print view of the same template."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import pytest
from PIL import Image

from app.documents import receipt
from app.documents.render import qr_png
from app.services.receipts_view import ReceiptView
from tests import pdftools

CODE = "K7M2-QX9P-4TZD-HB3N-8WCE"
URL = "https://sujarit.example.go.th/track/K7M2QX9P4TZDHB3N8WCE"
GENERAL_TITLE = "ใบรับเรื่องร้องเรียน/ร้องทุกข์"
CORRUPTION_TITLE = "ใบรับแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"


def _receipt(channel: str = "general", **changes) -> ReceiptView:
    values = dict(channel=channel, tracking_code=CODE, case_number="ร. 12/2569" if channel == "general" else None,
                  # 2026-04-13 10:00 and 2026-04-28 10:00 in Asia/Bangkok.
                  received_at=datetime(2026, 4, 13, 3, 0, tzinfo=timezone.utc),
                  due_at=datetime(2026, 4, 28, 3, 0, tzinfo=timezone.utc), sla_days=15,
                  source_label="เว็บไซต์", tracking_url=URL)
    values.update(changes)
    return ReceiptView(**values)


@pytest.fixture
def org(app):
    from app.extensions import db
    from app.services import seed
    from app.models.base import utcnow

    with app.test_request_context():
        seed.ensure_organisation(name="องค์การบริหารส่วนตำบลสุจริตธรรม", short_name="อบต.สุจริตธรรม",
                                 org_type="sao", now=utcnow())
        db.session.commit()
        yield


def test_general_receipt_shows_title_number_code_and_be_dates(app, org) -> None:
    with app.test_request_context():
        pdf = receipt.pdf(_receipt())
    assert pdf.startswith(b"%PDF-")
    text = pdftools.flat(pdf)
    for phrase in (GENERAL_TITLE, "องค์การบริหารส่วนตำบลสุจริตธรรม", "เลขที่รับเรื่อง", "ร. 12/2569", CODE,
                   "13 เมษายน 2569", "28 เมษายน 2569", "เว็บไซต์", "หน้า 1/1",
                   "เจ้าหน้าที่จะดำเนินการภายใน 15 วัน นับจากวันที่รับเรื่อง"):
        assert phrase in text, phrase
    assert CORRUPTION_TITLE not in text


def test_corruption_receipt_has_no_case_number_and_warns_to_keep_the_code_secret(app, org) -> None:
    with app.test_request_context():
        text = pdftools.flat(receipt.pdf(_receipt("corruption", case_number="ท. 3/2569")))
    assert CORRUPTION_TITLE in text and CODE in text
    assert "เลขที่รับเรื่อง" not in text and "3/2569" not in text
    assert not re.search(r"\S+\.\s*\d+/\d{4}", text)
    assert "เก็บรหัสนี้ไว้เป็นความลับ" in text
    assert "ไม่มีการเก็บข้อมูลตัวตนของท่าน" in text


def test_thai_digits_for_dates_and_numbers_but_not_the_code(app, org) -> None:
    with app.test_request_context():
        text = pdftools.flat(receipt.pdf(_receipt(), digits="thai"))
    for phrase in ("๑๓ เมษายน ๒๕๖๙", "๒๘ เมษายน ๒๕๖๙", "ร. ๑๒/๒๕๖๙", "ภายใน ๑๕ วัน", "หน้า ๑/๑", CODE):
        assert phrase in text, phrase
    assert "13 เมษายน" not in text


def test_receipt_is_one_a4_page_with_sarabun_embedded_and_no_author_or_print_time(app, org) -> None:
    with app.test_request_context():
        pdf = receipt.pdf(_receipt())
    fonts = pdftools.run("pdffonts", pdf)
    rows = fonts.splitlines()[2:]
    assert rows and all("Sarabun" in row for row in rows), fonts
    assert all(re.search(r"\syes\s+yes\s", row) for row in rows), fonts  # embedded, subset
    info = pdftools.run("pdfinfo", pdf)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    assert re.search(r"^Creator:\s+Sujarit$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(GENERAL_TITLE)}$", info, re.M)
    assert "Author:" not in info and "Chrome" not in info
    # Dated the day the case was received (00:00 Bangkok), not the moment it was printed.
    assert re.search(r"^CreationDate:\s+Sun Apr 12 17:00:00 2026 UTC$", info, re.M), info


def test_the_print_view_is_the_same_document_with_linked_fonts(client, app, org) -> None:
    with app.test_request_context():
        page = receipt.html(_receipt(), toolbar=[("กลับ", "/receipt")])
    assert GENERAL_TITLE in page and CODE in page and "data:font" not in page
    assert 'href="/documents/document.css"' in page
    css = client.get("/documents/document.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "/documents/fonts/Sarabun-Regular.ttf" in css.get_data(as_text=True)
    assert client.get("/documents/fonts/Sarabun-Bold.ttf").status_code == 200
    assert client.get("/documents/fonts/..%2Fsecret").status_code == 404


def test_qr_png_is_a_square_png() -> None:
    png = qr_png(URL)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width == image.height
        # 8-pixel modules with a 4-module quiet zone: at least a version-1 code (21 modules).
        assert image.width >= (21 + 8) * 8 and image.width % 8 == 0
