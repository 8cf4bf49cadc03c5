"""Keyed hashes (HMAC-SHA256) for values that must be looked up but never stored."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from .keyring import Keyring, parse_keyring


def keyring() -> Keyring:
    """The application's keyring, reloaded when its file changes (after ``flask keys rotate``).

    A web worker started before a rotation must read values re-encrypted under the new key.
    """
    ring: Keyring = current_app.extensions["sujarit_keyring"]
    if ring.path is not None:
        try:
            mtime = ring.path.stat().st_mtime_ns
        except OSError:
            return ring
        if ring.loaded_mtime is not None and mtime != ring.loaded_mtime:
            ring = parse_keyring(ring.path.read_text(encoding="utf-8"), ring.path)
            current_app.extensions["sujarit_keyring"] = ring
    return ring


def keyed_hash(purpose: str, value: str) -> str:
    """Return a hex HMAC of ``value``, separated by ``purpose`` so hashes never cross uses."""
    message = f"{purpose}\x00{value}".encode("utf-8")
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()
