"""The citizen's receipt PDF and the Thai PDF base, checked through poppler (pdftotext, pdffonts).

CI installs poppler-utils (see the Makefile), so a missing tool is a failure, not a skip.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from app.services.pdf import new_document, qr_png, table, to_bytes
from app.services.receipts import ReceiptData, receipt_pdf, tracking_page

CODE = "K7M2-QX9P-4TZD-HB3N-8WCE"
URL = "https://sujarit.example.go.th/track?code=K7M2QX9P4TZDHB3N8WCE"
GENERAL_TITLE = "ใบรับเรื่องร้องเรียน/ร้องทุกข์"
CORRUPTION_TITLE = "ใบรับแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(
            f"{tool} not found: install poppler-utils (apt-get install -y poppler-utils); "
            "the PDF tests need it and CI installs it"
        )
    return path


def _run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"doc-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [_poppler(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True, check=True, text=True, timeout=60,
    )
    return result.stdout


def _text(pdf: bytes, tmp_path: Path) -> str:
    return _run("pdftotext", pdf, tmp_path, "-layout", "-enc", "UTF-8")


def _logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (20, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def _data(channel: str = "general", **changes) -> ReceiptData:
    data = ReceiptData(
        org_name="องค์การบริหารส่วนตำบลสุจริตธรรม",
        org_short_name="อบต.สุจริตธรรม",
        org_address="เลขที่ 99 หมู่ 4 ตำบลสุจริตธรรม อำเภอเมือง จังหวัดขอนแก่น 40000",
        org_phone="0 4300 0000",
        org_logo_png=_logo(),
        channel=channel,
        tracking_code=CODE,
        case_number="ร. 12/2569" if channel == "general" else None,
        # 2026-04-13 10:00 and 2026-04-28 10:00 in Asia/Bangkok.
        received_at=datetime(2026, 4, 13, 3, 0, tzinfo=timezone.utc),
        due_at=datetime(2026, 4, 28, 3, 0, tzinfo=timezone.utc),
        tracking_url=URL,
        sla_days=15,
        source_label="เว็บไซต์",
    )
    return replace(data, **changes)


@pytest.fixture(scope="module")
def general_pdf() -> bytes:
    return receipt_pdf(_data("general"))


@pytest.fixture(scope="module")
def corruption_pdf() -> bytes:
    return receipt_pdf(_data("corruption"))


def test_general_receipt_shows_title_number_code_and_be_dates(general_pdf, tmp_path) -> None:
    assert general_pdf.startswith(b"%PDF-")
    text = _text(general_pdf, tmp_path)
    assert GENERAL_TITLE in text
    assert CORRUPTION_TITLE not in text
    assert "องค์การบริหารส่วนตำบลสุจริตธรรม" in text
    assert "เลขที่รับเรื่อง" in text
    assert "ร. 12/2569" in text
    assert CODE in text
    assert "13 เมษายน 2569" in text
    assert "28 เมษายน 2569" in text
    assert "เว็บไซต์" in text
    assert "หน้า 1/1" in text


def test_corruption_receipt_has_no_case_number_and_warns_to_keep_the_code_secret(
    corruption_pdf, tmp_path
) -> None:
    text = _text(corruption_pdf, tmp_path)
    assert CORRUPTION_TITLE in text
    assert CODE in text
    assert "13 เมษายน 2569" in text and "28 เมษายน 2569" in text
    assert "เลขที่รับเรื่อง" not in text
    # No "ร. 12/2569"-like number of any prefix.
    assert not re.search(r"\S+\.\s*\d+/\d{4}", text)
    assert "เก็บรหัสนี้ไว้เป็นความลับ" in text
    assert "ไม่มีการเก็บข้อมูลตัวตนของท่าน" in " ".join(text.split())


def test_corruption_receipt_ignores_a_case_number_passed_by_mistake(tmp_path) -> None:
    text = _text(receipt_pdf(_data("corruption", case_number="ท. 3/2569")), tmp_path)
    assert "3/2569" not in text
    assert "เลขที่รับเรื่อง" not in text


def test_thai_digits_for_dates_and_numbers_but_not_the_code(tmp_path) -> None:
    text = _text(receipt_pdf(_data("general"), digits="thai"), tmp_path)
    assert "๑๓ เมษายน ๒๕๖๙" in text
    assert "๒๘ เมษายน ๒๕๖๙" in text
    assert "ร. ๑๒/๒๕๖๙" in text
    assert "ภายใน ๑๕ วัน" in text
    assert "หน้า ๑/๑" in text
    assert CODE in text
    assert "13 เมษายน" not in text


def test_next_steps_use_sla_days_and_thai_text_extracts_in_order(general_pdf, tmp_path) -> None:
    text = _text(receipt_pdf(_data("general", sla_days=30)), tmp_path)
    flat = " ".join(text.split())
    assert "เจ้าหน้าที่จะดำเนินการภายใน 30 วัน นับจากวันที่รับเรื่อง" in flat
    assert "จะชี้แจงเหตุผลให้ท่านทราบทางหน้าติดตามเรื่อง" in flat
    # Shaped Thai must come out in reading order: SARA AM, stacked tone marks, bold labels.
    general = _text(general_pdf, tmp_path)
    for word in ("ดำเนินการ", "วันที่รับเรื่อง", "กำหนดแล้วเสร็จ", "วิธีติดตามเรื่อง", "ช่องทางการร้องเรียน"):
        assert word in general, word
    assert "sujarit.example.go.th/track" in general


def test_receipt_is_one_a4_page_with_sarabun_embedded_and_no_author(general_pdf, tmp_path) -> None:
    fonts = _run("pdffonts", general_pdf, tmp_path)
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun, fonts
    # Columns: name type encoding emb sub uni ...; every Sarabun face is embedded.
    assert all(re.search(r"Identity-H\s+yes\s+yes", line) for line in sarabun), fonts
    assert not [line for line in fonts.splitlines()[2:] if "Sarabun" not in line]
    info = _run("pdfinfo", general_pdf, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    assert re.search(r"^Creator:\s+Sujarit$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(GENERAL_TITLE)}$", info, re.M)
    assert "Author:" not in info


def test_receipt_works_without_logo_and_with_a_broken_logo(tmp_path) -> None:
    for logo in (None, b"not an image"):
        text = _text(receipt_pdf(_data("general", org_logo_png=logo)), tmp_path)
        assert GENERAL_TITLE in text and CODE in text


def test_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError):
        receipt_pdf(_data("other"))


def test_tracking_page_strips_query_scheme_and_code() -> None:
    assert tracking_page(URL, CODE) == "sujarit.example.go.th/track"
    assert tracking_page(f"https://x.go.th/t/{CODE}", CODE) == "x.go.th/t"
    assert tracking_page("http://localhost:5000/track/", CODE) == "http://localhost:5000/track"


def test_qr_png_is_a_square_png() -> None:
    png = qr_png(URL)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == image.height
        # 8-pixel modules with a 4-module quiet zone: at least a version-1 code (21 modules).
        assert image.width >= (21 + 8) * 8
        assert image.width % 8 == 0


def test_table_repeats_headers_and_wraps_thai_without_splitting_marks(tmp_path) -> None:
    pdf = new_document("ข้อมูลเชิงสถิติ", digits="thai")
    pdf.set_letterhead("เทศบาลตำบลสุจริตธรรม", "ทต.สุจริตธรรม")
    pdf.add_page()
    long_name = "กองสาธารณสุขและสิ่งแวดล้อมประจำสำนักปลัดองค์การบริหารส่วนตำบล"
    rows = [[str(i), long_name if i % 2 else "กองช่าง", str(i * 2)] for i in range(1, 61)]
    table(pdf, ["ลำดับ", "หน่วยงาน", "จำนวนเรื่องที่ได้รับ"], rows, (1, 3, 1.5), align="CLR")
    document = to_bytes(pdf)
    info = _run("pdfinfo", document, tmp_path)
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    assert pages > 1
    text = _text(document, tmp_path)
    chunks = text.split("\f")
    for number, chunk in enumerate(chunks[:pages], start=1):
        assert "หน่วยงาน" in chunk, f"header row missing on page {number}"
        assert f"หน้า {number}/{pages}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in chunk
    # No line may start with a vowel or tone mark cut off from its consonant.
    marks = "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
    for line in text.splitlines():
        for piece in line.replace("\u200b", " ").split():
            assert piece[0] not in marks, line
    assert "๑๒๐" in text  # the last count, in Thai digits


def test_new_document_metadata_has_no_person_or_generation_time(tmp_path) -> None:
    pdf = new_document("รายงาน")
    pdf.add_page()
    pdf.cell(text="ทดสอบ")
    info = _run("pdfinfo", to_bytes(pdf), tmp_path)
    assert re.search(r"^Creator:\s+Sujarit$", info, re.M)
    assert "Author:" not in info
    assert "1969" in info or "1970" in info  # the fixed placeholder date, not the clock
