"""The citizen's written acknowledgement (ใบรับเรื่อง) as a one-page A4 PDF.

The receipt carries what the citizen needs to follow the case and nothing about who they are:
``ReceiptData`` has no field for personal data, and a corruption receipt prints no case number
(the number would tie the paper to the staff register).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit

from .. import thai
from .pdf import FONT_FAMILY, MUTED, RULE, TEXT, ThaiPDF, new_document, qr_png, to_bytes

GENERAL = "general"
CORRUPTION = "corruption"

TITLES = {
    GENERAL: "ใบรับเรื่องร้องเรียน/ร้องทุกข์",
    CORRUPTION: "ใบรับแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
}

SECRET_HEADING = "เก็บรหัสนี้ไว้เป็นความลับ"
SECRET_TEXT = (
    "รหัสติดตามเรื่องเป็นกุญแจเดียวที่ใช้ติดตามเรื่องและตอบคำถามของเจ้าหน้าที่ "
    "หากทำหาย ระบบไม่สามารถออกรหัสใหม่ให้ได้ เพราะไม่มีการเก็บข้อมูลตัวตนของท่าน"
)

KEEP_NOTE = {
    GENERAL: "โปรดเก็บใบรับเรื่องนี้ไว้เป็นหลักฐาน",
    CORRUPTION: "โปรดเก็บใบรับเรื่องนี้ไว้ในที่ปลอดภัย และอย่าให้ผู้อื่นเห็นรหัสติดตามเรื่อง",
}

PANEL_FILL = (241, 245, 249)
WARNING_BORDER = (185, 28, 28)
WARNING_FILL = (254, 242, 242)
QR_SIZE = 40.0


@dataclass
class ReceiptData:
    """Everything a receipt prints; deliberately no personal data of the complainant."""

    org_name: str
    org_short_name: str
    org_address: str
    org_phone: str
    org_logo_png: bytes | None
    #: "general" or "corruption".
    channel: str
    #: Already grouped, e.g. "K7M2-QX9P-4TZD-HB3N".
    tracking_code: str
    #: General complaints only, e.g. "ร. 12/2569"; never printed on a corruption receipt.
    case_number: str | None
    #: Aware UTC instants; printed as Bangkok dates.
    received_at: datetime
    due_at: datetime
    #: Absolute URL that opens the tracking page for this code; encoded in the QR code.
    tracking_url: str
    sla_days: int
    #: Channel of entry in Thai, e.g. "เว็บไซต์".
    source_label: str


def receipt_pdf(data: ReceiptData, digits: thai.Digits = "arabic") -> bytes:
    """Return the receipt as PDF bytes; ``digits="thai"`` prints dates and numbers in Thai digits.

    The tracking code and the web address stay in Latin letters and Arabic digits, since the
    citizen types them.
    """
    if data.channel not in TITLES:
        raise ValueError(f"channel must be 'general' or 'corruption', got {data.channel!r}")
    corruption = data.channel == CORRUPTION
    title = TITLES[data.channel]
    received_day = thai.to_local(data.received_at).date()
    pdf = new_document(
        title,
        digits=digits,
        creation_date=datetime.combine(received_day, time.min, tzinfo=thai.BANGKOK),
    )
    phone = f"โทรศัพท์ {data.org_phone}" if data.org_phone else ""
    pdf.set_letterhead(
        data.org_name,
        data.org_short_name,
        logo_png=data.org_logo_png,
        lines=[data.org_address, phone],
    )
    pdf.add_page()

    # Title and opening line.
    pdf.set_font(FONT_FAMILY, "B", 20)
    pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(
        0, 7, f"{data.org_name} ได้รับเรื่องของท่านแล้ว ตามรายละเอียดดังนี้",
        align="L", new_x="LMARGIN", new_y="NEXT",
    )
    pdf.ln(2)

    # Details.
    date = lambda d: thai.format_date(d, "full", digits)  # noqa: E731
    details: list[tuple[str, str]] = []
    if not corruption and data.case_number:
        details.append(("เลขที่รับเรื่อง", pdf.num(data.case_number)))
    details += [
        ("วันที่รับเรื่อง", date(data.received_at)),
        ("ช่องทางการร้องเรียน", data.source_label),
        ("กำหนดแล้วเสร็จ", f"{date(data.due_at)}  (ภายใน {pdf.num(data.sla_days)} วัน นับจากวันที่รับเรื่อง)"),
    ]
    _details(pdf, details)
    pdf.ln(4)

    _code_panel(pdf, data.tracking_code)
    if corruption:
        pdf.ln(3)
        _secret_warning(pdf)
    pdf.ln(6)

    _next_steps(pdf, data)

    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, KEEP_NOTE[data.channel], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    return to_bytes(pdf)


# ---------------------------------------------------------------- blocks


def _details(pdf: ThaiPDF, rows: list[tuple[str, str]]) -> None:
    """Label/value lines, labels in bold in a fixed column."""
    label_width = 48.0
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_font(FONT_FAMILY, "B", 14)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width, 8, label)
        pdf.set_font(FONT_FAMILY, size=14)
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.multi_cell(pdf.epw - label_width, 8, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _code_panel(pdf: ThaiPDF, code: str) -> None:
    """The tracking code, large, letter-spaced and centred in a tinted panel."""
    x, y, height = pdf.l_margin, pdf.get_y(), 28.0
    pdf.set_fill_color(*PANEL_FILL)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, pdf.epw, height, style="DF", round_corners=True, corner_radius=2.5)
    pdf.set_xy(x, y + 3)
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.set_text_color(*MUTED)
    pdf.cell(pdf.epw, 6, "รหัสติดตามเรื่อง", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    size = 26 if len(code) <= 20 else 20
    pdf.set_font(FONT_FAMILY, "B", size)
    # Letter-spaced for reading aloud, but below the gap text extraction would take for a space.
    pdf.set_char_spacing(1.2)
    pdf.set_xy(x, y + 11)
    pdf.cell(pdf.epw, 13, code, align="C")
    pdf.set_char_spacing(0)
    pdf.set_xy(x, y + height)


def _secret_warning(pdf: ThaiPDF) -> None:
    """The boxed warning of corruption receipts: the code is the only key and cannot be reissued."""
    x, y = pdf.l_margin, pdf.get_y()
    pad = 4.0
    inner = pdf.epw - 2 * pad
    # Measure first (dry run), then draw the box under the text.
    pdf.set_font(FONT_FAMILY, size=13)
    body_lines = pdf.multi_cell(inner, 6.5, SECRET_TEXT, align="L", dry_run=True, output="LINES")
    height = pad + 8 + len(body_lines) * 6.5 + pad
    pdf.set_fill_color(*WARNING_FILL)
    pdf.set_draw_color(*WARNING_BORDER)
    pdf.set_line_width(0.6)
    pdf.rect(x, y, pdf.epw, height, style="DF", round_corners=True, corner_radius=2.5)
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.set_text_color(*WARNING_BORDER)
    pdf.cell(inner, 8, SECRET_HEADING, new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    pdf.set_font(FONT_FAMILY, size=13)
    pdf.multi_cell(inner, 6.5, SECRET_TEXT, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, y + height)


def _next_steps(pdf: ThaiPDF, data: ReceiptData) -> None:
    """What happens next and how to follow the case on the left; the QR code on the right."""
    top = pdf.get_y()
    text_width = pdf.epw - QR_SIZE - 10
    qr_x = pdf.w - pdf.r_margin - QR_SIZE
    pdf.image(io.BytesIO(qr_png(data.tracking_url)), x=qr_x, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(qr_x - 5, top + QR_SIZE + 1)
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(QR_SIZE + 10, 5, "สแกนเพื่อติดตามเรื่อง", align="C")
    pdf.set_text_color(*TEXT)
    qr_bottom = pdf.get_y()

    days = pdf.num(data.sla_days)
    pdf.set_xy(pdf.l_margin, top)
    _heading(pdf, "ขั้นตอนต่อไป", text_width)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(
        text_width, 7,
        f"เจ้าหน้าที่จะดำเนินการภายใน {days} วัน นับจากวันที่รับเรื่อง "
        "หากไม่แล้วเสร็จภายในกำหนด จะชี้แจงเหตุผลให้ท่านทราบทางหน้าติดตามเรื่อง",
        align="L", new_x="LMARGIN", new_y="NEXT",
    )
    pdf.ln(3)
    _heading(pdf, "วิธีติดตามเรื่อง", text_width)
    steps = [
        "สแกนคิวอาร์โค้ดด้วยกล้องโทรศัพท์มือถือ ระบบจะเปิดหน้าติดตามเรื่องของท่าน หรือ",
        f"เปิดเว็บไซต์ {tracking_page(data.tracking_url, data.tracking_code)} "
        "แล้วกรอกรหัสติดตามเรื่องข้างต้น",
    ]
    for number, step in enumerate(steps, start=1):
        y = pdf.get_y()
        pdf.set_font(FONT_FAMILY, size=14)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(7, 7, pdf.num(f"{number}."))
        pdf.set_xy(pdf.l_margin + 7, y)
        pdf.multi_cell(text_width - 7, 7, step, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), qr_bottom))


def _heading(pdf: ThaiPDF, text: str, width: float) -> None:
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.cell(width, 8, text, new_x="LMARGIN", new_y="NEXT")


def tracking_page(url: str, code: str) -> str:
    """The address to type by hand: the tracking URL without its query, fragment, scheme or code."""
    parts = urlsplit(url)
    plain = {code.upper(), code.replace("-", "").upper()}
    segments = []
    for segment in parts.path.split("/"):
        if segment.upper() in plain:
            break
        segments.append(segment)
    path = "/".join(segments).rstrip("/")
    host = parts.netloc if parts.scheme in ("https", "") else f"{parts.scheme}://{parts.netloc}"
    return f"{host}{path}"


__all__ = ["ReceiptData", "TITLES", "receipt_pdf", "tracking_page"]
