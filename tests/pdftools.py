"""Reading PDFs as a reader's tools do (poppler's pdftotext, pdfinfo, pdffonts) and checking Thai line breaks.

CI installs poppler-utils (see the Makefile), so a missing tool is a failure, not a skip.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

#: Characters that must never reach a text layer: zero-width space/non-joiner/joiner, word joiner,
#: byte-order mark, soft hyphen.
INVISIBLE = {"\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM", "\u00ad": "SHY"}
#: Line breaks inside dictionary words a document may have before the test fails (the issue allows a handful).
MAX_BAD_BREAKS = 3
_THAI = re.compile(r"[\u0e01-\u0e4e]")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install poppler-utils (apt-get install -y poppler-utils)", pytrace=False)
    return path


def run(tool: str, pdf: bytes, *args: str) -> str:
    """The output of a poppler tool on ``pdf``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([_tool(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                                capture_output=True, check=True, text=True, timeout=120)
    return result.stdout


def text(pdf: bytes, *, layout: bool = False) -> str:
    """The text layer as pdftotext reads it (UTF-8; ``layout`` keeps columns apart)."""
    return run("pdftotext", pdf, *(["-layout"] if layout else []), "-enc", "UTF-8")


def flat(pdf: bytes) -> str:
    """The text layer as one line: a wrapped line joins the next with a space, or with nothing between
    two Thai letters (Thai puts no space between words, so a line end there is no space)."""
    return squeeze(text(pdf))


def squeeze(layer: str) -> str:
    """Text as one line (see ``flat``)."""
    joined = re.sub(r"(?<=[\u0e01-\u0e4e])[ \t]*[\n\f]+[ \t]*(?=[\u0e01-\u0e4e])", "", layer)
    return " ".join(joined.split())


def pages(pdf: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", pdf), re.M).group(1))


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _tokens(text_: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text_, engine="newmm", keep_whitespace=False)


def _all_words(piece: str) -> bool:
    """True when ``piece`` is dictionary words of two or more letters end to end (a compound's parts)."""
    words = _dictionary()
    tokens = _tokens(piece)
    return bool(tokens) and all(len(t) >= 2 and t in words for t in tokens)


@dataclass(frozen=True)
class BadBreak:
    """A line end that falls inside a word: the word, and the two line pieces around the break."""

    word: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.word}: …{self.before[-12:]}⏎{self.after[:12]}…"


def bad_breaks(layer: str) -> list[BadBreak]:
    """Line ends between two Thai letters that fall inside a dictionary word of 3+ characters.

    The text on both sides of each break is joined and segmented (pythainlp, newmm); a break inside a
    token counts unless both halves are themselves dictionary words (องค์การ⏎บริหาร is how a compound
    breaks, ก⏎รอก is not).
    """
    found = []
    lines = [line.strip() for line in layer.replace("\f", "\n").split("\n")]
    for before, after in zip(lines, lines[1:]):
        if not before or not after or not (_THAI.match(before[-1]) and _THAI.match(after[0])):
            continue
        left = before.split()[-1]
        right = after.split()[0]
        position = 0
        for token in _tokens(left + right):
            start, end = position, position + len(token)
            position = end
            if start < len(left) < end and len(token) >= 3:
                cut = len(left) - start
                if not (_all_words(token[:cut]) and _all_words(token[cut:])):
                    found.append(BadBreak(token, before, after))
    return found


def check_text_layer(pdf: bytes, *, must_contain: tuple[str, ...] = ()) -> list[BadBreak]:
    """Fail on invisible characters or missing phrases; return the line breaks inside words (for the caller)."""
    layer = text(pdf)
    invisible = {name: layer.count(ch) for ch, name in INVISIBLE.items() if ch in layer}
    assert not invisible, f"invisible characters in the text layer: {invisible}"
    squeezed = squeeze(layer)
    for phrase in must_contain:
        assert phrase in squeezed, f"{phrase!r} is not in the text layer"
    return bad_breaks(layer)
