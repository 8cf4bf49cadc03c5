"""The two handbooks as A4 PDFs with the organisation's letterhead, for publishing on the main website."""
from __future__ import annotations

from datetime import datetime

from ..services.handbooks import HandbookView
from . import render


def to_pdf(page: HandbookView, *, today: datetime) -> bytes:
    """The handbook as PDF; call it with the Thai locale forced (the document is Thai whatever the screen)."""
    return render.pdf("documents/handbook.html", title=str(page.title), page=page, today=today)
