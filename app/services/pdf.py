"""A small base for Thai PDFs: Sarabun with HarfBuzz shaping, a letterhead, page numbers, tables, QR codes.

Every document Sujarit prints (receipts, statistics tables, six-month measure reports) starts from
``new_document()``. Text is shaped by HarfBuzz (``uharfbuzz``) so Thai vowels and tone marks stack
correctly, and the fonts are embedded, so a printout looks the same on any computer.

Thai is written without spaces between words. fpdf2 wraps lines at spaces, which is fine for
sentences written with the usual spaces between phrases; ``table()`` additionally inserts invisible
break hints into Thai runs that are too wide for their column, so a cell never splits a vowel or
tone mark from its consonant.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import fontpkg_sarabun
import qrcode
import qrcode.constants
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace, TTFFont

from .. import thai

log = logging.getLogger(__name__)

FONT_FAMILY = "Sarabun"
FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
FONT_FILES = {"": FONT_DIR / "Sarabun-Regular.ttf", "B": FONT_DIR / "Sarabun-Bold.ttf"}

CREATOR = "Sujarit"

#: Page geometry in millimetres (A4 portrait).
MARGIN_X = 20.0
MARGIN_TOP = 15.0
MARGIN_BOTTOM = 18.0
FOOTER_HEIGHT = 10.0

#: Body text size in points; Thai reads comfortably larger than Latin at the same size.
BODY_SIZE = 14

#: Colours (RGB).
TEXT = (33, 37, 41)
MUTED = (96, 104, 112)
RULE = (176, 184, 192)
HEADING_FILL = (226, 232, 240)

#: fpdf2 treats U+200B as a place it may break a line, and draws nothing there.
ZWSP = "\u200b"

#: Used as the PDF creation date when the caller gives none, so a file carries no generation time;
#: it is the instant fpdf2 itself uses for reproducible output.
NO_DATE = datetime(1969, 12, 31, 19, 0, 0, tzinfo=timezone.utc)


# ---------------------------------------------------------------- text extraction fix


class _ThaiShapedFont(TTFFont):
    """A TTF font whose shaped glyphs carry their text so that text extraction reads Thai correctly.

    fpdf2 gives each HarfBuzz cluster's text to the cluster's first glyph. Two things then go
    wrong when the PDF's text is extracted (copy-paste, search, screen readers, pdftotext):

    * SARA AM (ำ) is drawn as NIKHAHIT (a zero-width mark) then SARA AA; the text goes to the
      mark and the wide SARA AA is left without text, which reads as a gap: "ดำ เนินการ".
    * A vowel or tone mark is its own cluster, drawn as a zero-width glyph; where the font nudges
      it right of its consonant (Sarabun Bold does), extractors sort it after the next letter:
      "วันทีร่ บ ั เรื่อง".

    Here a cluster's text goes to its widest glyph, and the text of a cluster drawn only with
    zero-width glyphs goes with the letter before it, so each consonant carries its marks, as
    a reader sees them. Drawing is unchanged. Only ``shape_text`` differs from fpdf2 (2.8).
    """

    # No new state, so an fpdf2 TTFFont can be switched to this class after add_font().
    __slots__ = ()

    def shape_text(
        self,
        text: str,
        font_size_pt: float,
        text_shaping_params: dict[str, Any] | None,
    ) -> list[dict[str, Any]]:
        if not text:
            return []
        infos, positions = self.perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params)
        clusters = [int(gi.cluster) for gi in infos]
        # A cluster is named by the index of its first character; its text runs to the next cluster.
        starts = sorted(set(clusters))
        end_of = dict(zip(starts, [*starts[1:], len(text)]))
        # The glyph that carries each cluster's text: the widest, the first among equals.
        carrier: dict[int, int] = {}
        for index, cluster in enumerate(clusters):
            best = carrier.get(cluster)
            if best is None or positions[index].x_advance > positions[best].x_advance:
                carrier[cluster] = index
        # Left-to-right runs only (clusters never decrease): marks join the letter before them.
        if all(a <= b for a, b in zip(clusters, clusters[1:])):
            last_spacing = None
            for index, cluster in enumerate(clusters):
                if positions[index].x_advance > 0:
                    last_spacing = index
                elif carrier[cluster] == index and last_spacing is not None:
                    if positions[carrier[cluster]].x_advance == 0:
                        carrier[cluster] = last_spacing
        texts: dict[int, list[str]] = {}
        for cluster in starts:
            texts.setdefault(carrier[cluster], []).append(text[cluster:end_of[cluster]])
        shaped = []
        for index, gi in enumerate(infos):
            unicode = tuple(ord(ch) for ch in "".join(texts.get(index, ())))
            name = self.ttfont.getGlyphName(gi.codepoint)
            width = round(self.scale * self.ttfont["hmtx"].metrics[name][0])
            glyph = self.subset.get_glyph(
                glyph=gi.codepoint, unicode=unicode, glyph_name=name, glyph_width=width
            )
            if glyph is None:
                continue
            pos = positions[index]
            shaped.append(
                {
                    "mapped_char": self.subset.pick_glyph(glyph),
                    "x_advance": pos.x_advance,
                    "y_advance": pos.y_advance,
                    "x_offset": pos.x_offset,
                    "y_offset": pos.y_offset,
                    "force_positioning": bool(
                        width != pos.x_advance or pos.x_offset or pos.y_offset or pos.y_advance
                    ),
                }
            )
        return shaped


# ---------------------------------------------------------------- the document


class ThaiPDF(FPDF):
    """An A4 document in Sarabun with shaping, an optional letterhead and "หน้า X/Y" footers."""

    def __init__(
        self,
        title: str,
        *,
        orientation: str = "portrait",
        digits: thai.Digits = "arabic",
        creation_date: datetime | None = None,
    ) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        if digits not in ("arabic", "thai"):
            raise ValueError(f"digits must be 'arabic' or 'thai', got {digits!r}")
        self.digits: thai.Digits = digits
        for style, path in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style, str(path))
            font = self.fonts[f"{FONT_FAMILY.lower()}{style}"]
            if isinstance(font, TTFFont):
                font.__class__ = _ThaiShapedFont
        self.set_text_shaping(True)
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM + FOOTER_HEIGHT)
        # Document metadata: what it is and what made it, never who.
        self.set_title(title)
        self.set_creator(CREATOR)
        self.set_lang("th")
        self.set_creation_date(creation_date or NO_DATE)
        # Page numbers need the total, so they are stamped when the document is finished.
        self.alias_nb_pages(None)
        self._letterhead: dict[str, Any] | None = None
        self._numbered = False
        self.set_text_color(*TEXT)
        self.set_font(FONT_FAMILY, size=BODY_SIZE)

    # -- digits

    def num(self, text: str | int) -> str:
        """Return text with Thai digits when the document was asked for them."""
        return thai.thai_digits(text) if self.digits == "thai" else str(text)

    # -- letterhead

    def set_letterhead(
        self,
        org_name: str,
        short_name: str = "",
        *,
        logo_png: bytes | None = None,
        lines: Sequence[str] = (),
    ) -> None:
        """Print the organisation's letterhead at the top of every page from the next one on.

        ``lines`` are small lines under the name (address, telephone); digits in them follow
        the document's ``digits``. A logo that cannot be read is left out rather than failing.
        """
        self._letterhead = {
            "org_name": org_name,
            "short_name": short_name,
            "logo": logo_png,
            "lines": [line for line in lines if line],
        }

    def header(self) -> None:
        if self._letterhead is None:
            return
        head = self._letterhead
        top = self.t_margin
        logo_size = 20.0
        text_x = self.l_margin
        if head["logo"]:
            try:
                self.image(
                    io.BytesIO(head["logo"]),
                    x=self.l_margin,
                    y=top,
                    w=logo_size,
                    h=logo_size,
                    keep_aspect_ratio=True,
                )
                text_x = self.l_margin + logo_size + 4
            except Exception:  # a broken logo must not stop the document
                log.warning("organisation logo could not be drawn; printing without it", exc_info=True)
        width = self.w - self.r_margin - text_x
        self.set_xy(text_x, top)
        self.set_font(FONT_FAMILY, "B", 16)
        self.set_text_color(*TEXT)
        self.multi_cell(width, 7, head["org_name"], align="L", new_x="LEFT", new_y="NEXT")
        self.set_font(FONT_FAMILY, size=11)
        self.set_text_color(*MUTED)
        small = [head["short_name"], *(self.num(line) for line in head["lines"])]
        for line in filter(None, small):
            self.multi_cell(width, 5, line, align="L", new_x="LEFT", new_y="NEXT")
        bottom = max(self.get_y(), top + (logo_size if text_x > self.l_margin else 0)) + 3
        self.set_draw_color(*RULE)
        self.set_line_width(0.4)
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_text_color(*TEXT)
        self.set_font(FONT_FAMILY, size=BODY_SIZE)
        self.set_xy(self.l_margin, bottom + 5)

    # -- page numbers

    def _stamp_page_numbers(self) -> None:
        """Write "หน้า X/Y" at the foot of every page, once, when the document is complete."""
        if self._numbered or not self.pages_count:
            return
        self._numbered = True
        total = self.pages_count
        current = self.page
        auto, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)
        style = (self.font_family, self.font_style, self.font_size_pt)
        for number in range(1, total + 1):
            self.page = number
            self.set_font(FONT_FAMILY, size=10)
            self.set_text_color(*MUTED)
            y = self.h - MARGIN_BOTTOM
            self.set_draw_color(*RULE)
            self.set_line_width(0.2)
            self.line(self.l_margin, y, self.w - self.r_margin, y)
            self.set_xy(self.l_margin, y + 1)
            label = self._letterhead["short_name"] if self._letterhead else ""
            self.cell(self.epw / 2, 6, label, align="L")
            self.cell(self.epw / 2, 6, self.num(f"หน้า {number}/{total}"), align="R")
        self.page = current
        self.set_auto_page_break(auto, margin)
        self.set_font(style[0] or FONT_FAMILY, style[1], style[2])
        self.set_text_color(*TEXT)

    def output(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self._stamp_page_numbers()
        return super().output(*args, **kwargs)


def new_document(
    title: str,
    *,
    orientation: str = "portrait",
    digits: thai.Digits = "arabic",
    creation_date: datetime | None = None,
) -> ThaiPDF:
    """Return an empty Thai A4 document; call ``set_letterhead()`` then ``add_page()``.

    Metadata holds the title and creator "Sujarit" only: no author, and the creation date is
    ``creation_date`` if given (e.g. the day a case was received), else a fixed placeholder,
    so a file never reveals when, or by whom, it was generated.
    """
    return ThaiPDF(title, orientation=orientation, digits=digits, creation_date=creation_date)


def to_bytes(pdf: FPDF) -> bytes:
    """Finish the document and return the PDF file."""
    return bytes(pdf.output())


# ---------------------------------------------------------------- Thai line-break hints

_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"  # เ แ โ ใ ไ
#: Vowel signs and marks that belong to the character before them (above, below or after it).
_ATTACHED = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45") | {
    chr(c) for c in range(0x0E47, 0x0E4F)
}
#: Characters that end a syllable: SARA A, SARA AM, MAI YAMOK, THANTHAKHAT.
_SYLLABLE_END = "\u0e30\u0e33\u0e46\u0e4c"


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _cluster_breaks(word: str) -> list[int]:
    """Indexes where a line may break without separating a mark or vowel from its consonant."""
    return [
        i
        for i in range(1, len(word))
        if word[i] not in _ATTACHED and word[i - 1] not in _LEADING_VOWELS
    ]


def _syllable_breaks(word: str) -> list[int]:
    """Indexes that are very likely syllable boundaries in Thai (a subset of cluster breaks)."""
    result = []
    for i in _cluster_breaks(word):
        before, ch = word[i - 1], word[i]
        if (
            ch in _LEADING_VOWELS
            or before in _SYLLABLE_END
            or _is_thai(before) != _is_thai(ch)
        ):
            result.append(i)
    return result


def _insert(word: str, at: Sequence[int]) -> str:
    pieces, last = [], 0
    for i in sorted(at):
        pieces.append(word[last:i])
        last = i
    pieces.append(word[last:])
    return ZWSP.join(pieces)


def add_break_hints(pdf: FPDF, text: str, width: float) -> str:
    """Return text with invisible break hints in words wider than ``width`` (mm, current font).

    Words that fit are left alone, so ordinary text keeps breaking at its spaces. A word that does
    not fit gets hints at likely syllable boundaries, and, where a piece is still too wide, between
    every cluster, so the line never breaks inside a consonant's vowel and tone marks.
    """
    if width <= 0:
        return text
    lines = []
    for line in text.split("\n"):
        words = []
        for word in line.split(" "):
            if not word or pdf.get_string_width(word) <= width:
                words.append(word)
                continue
            cuts = _syllable_breaks(word)
            bounds = [0, *cuts, len(word)]
            extra = []
            for start, end in zip(bounds, bounds[1:]):
                if pdf.get_string_width(word[start:end]) > width:
                    extra += [start + i for i in _cluster_breaks(word[start:end])]
            words.append(_insert(word, [*cuts, *extra]))
        lines.append(" ".join(words))
    return "\n".join(lines)


# ---------------------------------------------------------------- tables

#: Page height a table row may not use: the letterhead, the repeated heading row and some margin (mm).
ROOM_ABOVE_TABLE_MM = 70


def table(
    pdf: FPDF,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None = None,
    *,
    align: Sequence[str] | None = None,
    font_size: float = 12,
    line_height: float | None = None,
) -> None:
    """Draw a bordered table that wraps Thai text in its cells and repeats the header row on each page.

    ``col_widths`` are relative (e.g. ``(3, 1, 1)``) across the usable page width; ``align`` is
    one of "L", "C", "R" per column (numbers read best right-aligned). Cell values are turned
    into text with ``str()``; ``None`` prints as an empty cell. Digits follow the document's
    ``digits`` when ``pdf`` is a ``ThaiPDF``.
    """
    columns = len(headers)
    widths = list(col_widths) if col_widths else [1.0] * columns
    if len(widths) != columns or any(len(row) != columns for row in rows):
        raise ValueError("every row and col_widths need one entry per header")
    aligns = list(align) if align else ["L"] * columns
    num = pdf.num if isinstance(pdf, ThaiPDF) else str
    pdf.set_font(FONT_FAMILY, size=font_size)
    padding = 1.5
    total = sum(widths)
    usable = [pdf.epw * w / total - 2 * padding - 1 for w in widths]
    line_height = line_height or font_size * 0.55

    def prepare(value: Any, column: int) -> str:
        text = "" if value is None else num(str(value))
        return add_break_hints(pdf, text, usable[column])

    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=widths,
        text_align=aligns,
        line_height=line_height,
        padding=padding,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
        repeat_headings=1,
        v_align="MIDDLE",
        width=pdf.epw,
    ) as tbl:
        heading = tbl.row()
        for column, text in enumerate(headers):
            pdf.set_font(FONT_FAMILY, "B", font_size)
            heading.cell(prepare(text, column), align="C")
        pdf.set_font(FONT_FAMILY, size=font_size)
        # fpdf2 cannot split a row across pages, so a row taller than a page goes as several rows.
        max_lines = max(4, int((pdf.eph - ROOM_ABOVE_TABLE_MM) / line_height))
        for values in rows:
            cells = [prepare(value, column) for column, value in enumerate(values)]
            for part in _split_tall_row(pdf, cells, usable, max_lines):
                row = tbl.row()
                for text in part:
                    row.cell(text)


def _split_tall_row(pdf: FPDF, cells: list[str], widths: list[float], max_lines: int) -> list[list[str]]:
    """The row as it is, or cut into rows of at most ``max_lines`` lines each (continuation rows)."""
    lines = [pdf.multi_cell(widths[i], 5, text, dry_run=True, output="LINES") if text else []
             for i, text in enumerate(cells)]
    tallest = max((len(cell) for cell in lines), default=0)
    if tallest <= max_lines:
        return [cells]
    parts = -(-tallest // max_lines)
    return [["\n".join(cell[k * max_lines:(k + 1) * max_lines]) for cell in lines] for k in range(parts)]


# ---------------------------------------------------------------- QR codes


def qr_png(url: str) -> bytes:
    """Return a black-on-white QR code PNG for url (error correction M, 8-pixel modules, 4-module quiet zone)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4
    )
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


__all__ = [
    "CREATOR",
    "FONT_FAMILY",
    "ThaiPDF",
    "add_break_hints",
    "new_document",
    "qr_png",
    "table",
    "to_bytes",
]
