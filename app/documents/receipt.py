"""The citizen's written acknowledgement (ใบรับเรื่อง): print view and one-page A4 PDF, one template."""
from __future__ import annotations

from datetime import datetime, time

from .. import thai
from ..services.receipts_view import ReceiptView
from . import render

TEMPLATE = "documents/receipt.html"
TITLES = {
    "general": "ใบรับเรื่องร้องเรียน/ร้องทุกข์",
    "corruption": "ใบรับแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
}


def _context(receipt: ReceiptView) -> dict:
    return {"r": receipt, "title": TITLES[receipt.channel], "qr": render.qr_data_uri(receipt.tracking_url)}


def html(receipt: ReceiptView, *, toolbar: list[tuple[str, str]] = ()) -> str:
    """The print view."""
    return render.html(TEMPLATE, screen=True, toolbar=toolbar, **_context(receipt))


def pdf(receipt: ReceiptView, digits: thai.Digits = "arabic") -> bytes:
    """The PDF; dated the day the case was received (never the day it was downloaded)."""
    day = thai.to_local(receipt.received_at).date()
    return render.pdf(TEMPLATE, digits=digits, created=datetime.combine(day, time.min, tzinfo=thai.BANGKOK),
                      **_context(receipt))
