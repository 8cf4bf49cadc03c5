"""Keyed hashes (HMAC-SHA256) for values that must be looked up but never stored."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from .keyring import Keyring


def keyring() -> Keyring:
    """The application's keyring, loaded at start-up."""
    return current_app.extensions["sujarit_keyring"]


def keyed_hash(purpose: str, value: str) -> str:
    """Return a hex HMAC of ``value``, separated by ``purpose`` so hashes never cross uses."""
    message = f"{purpose}\x00{value}".encode("utf-8")
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()
