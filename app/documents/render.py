"""One template, two outputs: the print view (HTML in the browser) and the PDF (Chromium, engine.py).

Documents are official Thai papers, so they render in Thai whatever the reader's screen language.
The PDF is self-contained: the stylesheet is inlined, and the fonts, logo and QR codes are data: URIs.
The print view links the same stylesheet and fonts from this site (the pages' CSP allows no inline CSS).
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import fontpkg_sarabun
import qrcode
import qrcode.constants
from flask import current_app, render_template, url_for
from flask_babel import force_locale

from .. import thai
from ..services.organisation import get_profile
from . import engine, thai_lines

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
#: The faces documents use: (CSS weight, file).
FONTS = {"400": "Sarabun-Regular.ttf", "700": "Sarabun-Bold.ttf"}
ORIENTATIONS = ("portrait", "landscape")
DIGITS = ("arabic", "thai")


@dataclass(frozen=True)
class Letterhead:
    """The organisation as a document prints it."""

    name: str
    short_name: str
    address: str
    phone: str
    #: data: URI of the logo, or "" when none is set.
    logo: str


def letterhead() -> Letterhead:
    """The organisation's name, address, telephone and logo, read now."""
    org = get_profile()
    logo = ""
    if org.id is not None and org.logo_mimetype in ("image/png", "image/jpeg") and org.logo:
        logo = f"data:{org.logo_mimetype};base64,{base64.b64encode(org.logo).decode('ascii')}"
    return Letterhead(org.name, org.short_name, org.address or "", org.phone or "", logo)


def qr_png(url: str) -> bytes:
    """A black-on-white QR code PNG for url (error correction M, 8-pixel modules, 4-module quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    """The QR code of url as a data: URI for an <img>."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


@lru_cache(maxsize=None)
def _font_data_uri(weight: str) -> str:
    return "data:font/ttf;base64," + base64.b64encode((FONT_DIR / FONTS[weight]).read_bytes()).decode("ascii")


def font_file(name: str) -> Path | None:
    """The font file a print view asks for by name, or None when it is not one of ours."""
    return FONT_DIR / name if name in FONTS.values() else None


def stylesheet(*, embedded: bool, footer: str) -> str:
    """The documents' CSS; ``embedded`` puts the fonts in as data: URIs (PDF), else links them (print view)."""
    if embedded:
        fonts = {w: _font_data_uri(w) for w in FONTS}
    else:
        fonts = {w: url_for("public.document_font", name=f) for w, f in FONTS.items()}
    return render_template("documents/document.css", fonts=fonts, footer=_css_string(footer),
                           orientations=ORIENTATIONS, digits_options=DIGITS)


def _css_string(text: str) -> str:
    """Text as the inside of a double-quoted CSS string."""
    return "".join(ch if ch.isalnum() or ch in " .,-()/:" or ord(ch) > 127 else f"\\{ord(ch):x} " for ch in text)


def html(template: str, *, screen: bool, digits: str = "arabic", orientation: str = "portrait",
         title: str, **context) -> str:
    """The document as HTML: a print view (``screen=True``, linked stylesheet) or the PDF's source."""
    if digits not in DIGITS or orientation not in ORIENTATIONS:
        raise ValueError(f"digits {digits!r} / orientation {orientation!r}")
    head = letterhead()
    num = thai.thai_digits if digits == "thai" else str
    with force_locale("th"):
        css = None if screen else stylesheet(embedded=True, footer=head.short_name)
        page = render_template(template, screen=screen, css=css, digits=digits, orientation=orientation,
                               title=title, head=head, num=num,
                               date=lambda d, style="full": thai.format_date(d, style, digits) if d else "",
                               **context)
    return thai_lines.protect(page)


def pdf(template: str, *, created: datetime | None = None, **context) -> bytes:
    """The document as PDF bytes (see ``html`` for the arguments).

    :raise engine.EngineUnavailable: the browser is missing or failed; the caller shows a clear error.
    """
    source = html(template, screen=False, **context)
    config = current_app.config
    return engine.html_to_pdf(source, executable=config.get("CHROMIUM_PATH"),
                              timeout=float(config.get("PDF_TIMEOUT_SECONDS", 30)), created=created)
