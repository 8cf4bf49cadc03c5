"""Thai line breaking that never splits a word: each Thai word becomes one unbreakable unit of the page.

Thai has no spaces between words, so a browser breaks lines with a dictionary of its own (Chromium: ICU),
which cuts compounds officers read as one word ("ดำเนิน/การ", "เจ้า/หน้าที่", "แล้วก/รอก"). Here the text
of a rendered document is segmented with PyThaiNLP's dictionary (newmm) and every word that touches
another Thai word is wrapped in ``<span class="w">``, an inline-block: lines break only between words.
A word wider than its column still wraps inside (the box cannot be wider than the line), so a narrow
table cell never overflows. Nothing is added to the text: no zero-width or invisible characters.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

_THAI = re.compile(r"[\u0e01-\u0e4e]")
_TAG = re.compile(r"(<[^>]*>)")
#: Elements whose text is not page text.
_RAW = ("style", "script", "title")
#: Marks that belong to the word before them, never start a line.
_TRAILING = "ๆฯ"


@lru_cache(maxsize=1)
def _tokenizer():
    # Only the dictionary bundled with the package is used: PyThaiNLP must neither create a data folder in
    # the service user's home nor try to download anything.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import Tokenizer

    return Tokenizer(engine="newmm", keep_whitespace=True)


def _words(text: str) -> str:
    """One text run (already HTML-escaped) with its Thai words wrapped."""
    out: list[str] = []
    word = ""

    def flush() -> None:
        nonlocal word
        if word:
            out.append(f'<span class="w">{word}</span>' if _THAI.search(word) else word)
            word = ""

    for token in _tokenizer().word_tokenize(text):
        if token.isspace():
            flush()
            out.append(token)
        elif word and _THAI.match(word[-1]) and _THAI.match(token[0]) and token[0] not in _TRAILING:
            flush()
            word = token
        else:
            word += token
    flush()
    return "".join(out)


def protect(html: str) -> str:
    """The document with every Thai word of its text made unbreakable (see the module docstring)."""
    parts = _TAG.split(html)
    raw = None
    for index, part in enumerate(parts):
        if index % 2:
            name = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if raw is None and name in _RAW:
                raw = name
            elif raw is not None and name == f"/{raw}":
                raw = None
        elif raw is None and _THAI.search(part):
            parts[index] = _words(part)
    return "".join(parts)
