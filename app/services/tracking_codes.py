"""Tracking codes: random, 80 bits, grouped for reading aloud, stored only as a keyed hash."""
from __future__ import annotations

import secrets

from ..security.hashing import keyed_hash

#: Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 16 symbols x 5 bits = 80 bits of randomness.
LENGTH = 16
GROUP = 4
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    """Return a fresh code, grouped like ``K7M2-QX9P-4TZD-HB3N``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return group(raw)


def group(raw: str) -> str:
    """Insert hyphens every four symbols."""
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(text: str) -> str:
    """Upper-case, drop spaces and hyphens, and read look-alike letters as digits."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())
    return cleaned.translate(_CONFUSABLE)[:64]


def code_hash(text: str) -> str:
    """The keyed hash stored for a code; computed the same way for any input, valid or not."""
    return keyed_hash("tracking-code", normalise(text))
