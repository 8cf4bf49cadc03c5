"""Official letters as documents: the หนังสือภายนอก and the บันทึกข้อความ (print view and PDF, one template each).

Letters print Thai digits throughout (dates, numbers, the register number), except in web addresses,
which the reader types.
"""
from __future__ import annotations

import re
from datetime import datetime, time

from .. import thai
from ..services import links
from ..services.letters.compose import ExternalLetter, Memo
from . import render

LETTER_TEMPLATE = "documents/letter.html"
MEMO_TEMPLATE = "documents/memo.html"

#: A web address (host with a dot, optional port and path): its digits stay Arabic.
_ADDRESS = re.compile(r"(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/\S*)?")


def thai_text(text: str) -> str:
    """Text with Thai digits, except inside web addresses."""
    out, last = [], 0
    for match in _ADDRESS.finditer(text or ""):
        out += [thai.thai_digits(text[last:match.start()]), match.group(0)]
        last = match.end()
    out.append(thai.thai_digits((text or "")[last:]))
    return "".join(out)


def _created(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=thai.BANGKOK)


def _letter_context(letter: ExternalLetter) -> dict:
    return {"l": letter, "t": thai_text, "title": f"{letter.subject} ที่ {thai_text(letter.reference)}",
            "qr": render.qr_data_uri(letter.survey_url) if letter.survey_url else "", "digits": "thai",
            "survey_address": links.for_typing(letter.survey_url) if letter.survey_url else ""}


def letter_html(letter: ExternalLetter, *, toolbar: list[tuple[str, str]] = ()) -> str:
    """The print view of an external letter."""
    return render.html(LETTER_TEMPLATE, screen=True, toolbar=toolbar, **_letter_context(letter))


def letter_pdf(letter: ExternalLetter) -> bytes:
    """The external letter as A4 PDF, dated the day its number was taken."""
    return render.pdf(LETTER_TEMPLATE, created=_created(letter.issued_on), **_letter_context(letter))


def _memo_context(memo: Memo) -> dict:
    return {"m": memo, "t": thai_text, "title": f"บันทึกข้อความ เรื่อง {memo.subject}", "digits": "thai"}


def memo_html(memo: Memo, *, toolbar: list[tuple[str, str]] = ()) -> str:
    """The print view of a memo."""
    return render.html(MEMO_TEMPLATE, screen=True, toolbar=toolbar, **_memo_context(memo))


def memo_pdf(memo: Memo) -> bytes:
    """The memo as A4 PDF (issue 14's report covers use it)."""
    return render.pdf(MEMO_TEMPLATE, created=_created(memo.issued_on), **_memo_context(memo))
