"""The completion notice (หนังสือแจ้งผลการดำเนินการ): the result, and a QR code to the satisfaction survey."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from .. import thai
from ..models import Case
from ..models.case import COMPLETED, CORRUPTION, GENERAL
from . import letterhead
from .surveys import ensure_invite, short_url, survey_url

NOTICE_TITLE = "หนังสือแจ้งผลการดำเนินการ"
SCAN_TEXT = "สแกนเพื่อประเมินความพึงพอใจ"


@dataclass
class CompletionNotice:
    """What the completion notice prints: the result and the survey link; nothing about the complainant."""

    channel: str
    #: General complaints only; a corruption notice prints no number.
    case_number: str | None
    subject: str
    received_at: datetime
    completed_at: datetime
    #: The public message of the event that completed the case.
    result: str
    survey_url: str

    @property
    def survey_short_url(self) -> str:
        return short_url(self.survey_url)


def completion_notice(case: Case, *, now: datetime) -> CompletionNotice:
    """The notice of a completed case (the caller checked access, and commits when an invitation had to be made)."""
    from . import intake
    from .tracking import event_public_message

    if case.status != COMPLETED:
        raise ValueError("only a completed case has a completion notice")
    token = ensure_invite(case, now=now)  # cases completed before surveys existed get one now
    completing = [e for e in case.events if e.kind == "complete" and e.to_status == COMPLETED]
    event = completing[-1] if completing else None
    subject = intake.read_content(case).get("subject", "") if case.channel == CORRUPTION else case.subject or ""
    return CompletionNotice(
        channel=case.channel,
        case_number=case.case_number if case.channel == GENERAL else None,
        subject=subject,
        received_at=case.received_at,
        completed_at=case.closed_at or (event.at if event else now),
        result=event_public_message(case, event) if event else "",
        survey_url=survey_url(token),
    )


def notice_pdf(notice: CompletionNotice, *, today: datetime, digits: thai.Digits = "arabic") -> bytes:
    """The completion notice as a one-page A4 PDF with the letterhead and a QR code to the survey."""
    from .pdf import FONT_FAMILY, MUTED, TEXT, new_document, qr_png, to_bytes
    from .receipts import PANEL_FILL, QR_SIZE, _details, _heading

    pdf = new_document(NOTICE_TITLE, digits=digits, creation_date=notice.completed_at)
    org = letterhead.apply(pdf)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 20)
    pdf.multi_cell(0, 10, NOTICE_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=14)
    date = lambda d: thai.format_date(d, "full", digits)  # noqa: E731
    pdf.multi_cell(0, 7, f"วันที่ {date(today)}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 7, "เรียน ผู้ร้องเรียน", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, f"{org.name} ขอแจ้งผลการดำเนินการเรื่องของท่าน ดังนี้",
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows = [("เลขที่รับเรื่อง", pdf.num(notice.case_number))] if notice.case_number else []
    rows += [("เรื่อง", notice.subject or "-"), ("วันที่รับเรื่อง", date(notice.received_at)),
             ("วันที่แล้วเสร็จ", date(notice.completed_at))]
    _details(pdf, rows)
    pdf.ln(3)
    _heading(pdf, "ผลการดำเนินการ", pdf.epw)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(0, 7, notice.result or "-", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    # The survey panel: the QR code on the left, what it is for and the link to type on the right.
    pad, top = 4.0, pdf.get_y()
    height = QR_SIZE + 2 * pad
    if top + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        top = pdf.get_y()
    pdf.set_fill_color(*PANEL_FILL)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F", round_corners=True, corner_radius=2.5)
    pdf.image(io.BytesIO(qr_png(notice.survey_url)), x=pdf.l_margin + pad, y=top + pad, w=QR_SIZE, h=QR_SIZE)
    text_x = pdf.l_margin + QR_SIZE + 3 * pad
    width = pdf.w - pdf.r_margin - pad - text_x
    pdf.set_xy(text_x, top + pad + 2)
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(width, 8, SCAN_TEXT, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=13)
    pdf.multi_cell(width, 6.5, "ความเห็นของท่านช่วยให้เราปรับปรุงการจัดการเรื่องร้องเรียน "
                   "ใช้เวลาไม่ถึงหนึ่งนาที และไม่ต้องระบุชื่อ", align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.multi_cell(width, 7, "หรือพิมพ์ที่อยู่นี้ในเว็บเบราว์เซอร์", align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*TEXT)
    # The link stays on one line (a break inside it would be typed as part of it): smaller type if needed.
    size = 13.0
    pdf.set_font(FONT_FAMILY, "B", size)
    while size > 8 and pdf.get_string_width(notice.survey_short_url) > width - 1:
        size -= 0.5
        pdf.set_font(FONT_FAMILY, "B", size)
    pdf.cell(width, 7, notice.survey_short_url, align="L")
    pdf.set_xy(pdf.l_margin, top + height + 4)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(0, 7, org.name, align="R", new_x="LMARGIN", new_y="NEXT")
    return to_bytes(pdf)


__all__ = ["NOTICE_TITLE", "SCAN_TEXT", "CompletionNotice", "completion_notice", "notice_pdf"]
