"""Field and file encryption with AES-256-GCM, keys from the keyring, the row's identity as associated data."""
from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .hashing import keyring
from .keyring import Keyring

#: Prefix of every encrypted text value: format version, then key id.
_PREFIX = "v1"
_NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A value could not be decrypted: wrong key, tampered, or copied from another row."""


def _ring(ring: Keyring | None) -> Keyring:
    return ring if ring is not None else keyring()


def encrypt_bytes(plaintext: bytes, aad: str, ring: Keyring | None = None) -> bytes:
    """Encrypt bytes; the result carries the key id so rotation can find old values.

    Layout: ``b"v1:" + kid + b":" + nonce(12) + ciphertext+tag``. A random nonce per value and
    no timestamp: nothing in the output reveals when it was written.
    """
    ring = _ring(ring)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(ring.active_key).encrypt(nonce, plaintext, aad.encode("utf-8"))
    return f"{_PREFIX}:{ring.active}:".encode("ascii") + nonce + sealed


def decrypt_bytes(blob: bytes, aad: str, ring: Keyring | None = None) -> bytes:
    """Decrypt what encrypt_bytes produced with the same associated data.

    :raise DecryptionError: unknown key, malformed value, or mismatched associated data.
    """
    ring = _ring(ring)
    try:
        version, kid, rest = blob.split(b":", 2)
        key = ring.keys[kid.decode("ascii")]
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        raise DecryptionError("malformed value or unknown key") from exc
    if version != _PREFIX.encode():
        raise DecryptionError("unsupported format version")
    nonce, sealed = rest[:_NONCE_BYTES], rest[_NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, sealed, aad.encode("utf-8"))
    except InvalidTag as exc:
        raise DecryptionError("value does not belong to this record or was altered") from exc


def key_id_of(blob: bytes | str) -> str:
    """The id of the key a value was encrypted with."""
    raw = blob.encode("ascii") if isinstance(blob, str) else blob
    return raw.split(b":", 2)[1].decode("ascii")


def encrypt_text(value: str, aad: str, ring: Keyring | None = None) -> str:
    """Encrypt a string for a text column (ASCII-safe)."""
    blob = encrypt_bytes(value.encode("utf-8"), aad, ring)
    version, kid, rest = blob.split(b":", 2)
    return f"{version.decode()}:{kid.decode()}:{base64.b64encode(rest).decode('ascii')}"


def decrypt_text(value: str, aad: str, ring: Keyring | None = None) -> str:
    """Decrypt a value made by encrypt_text."""
    try:
        version, kid, b64 = value.split(":", 2)
        rest = base64.b64decode(b64, validate=True)
    except (ValueError, TypeError) as exc:
        raise DecryptionError("malformed value") from exc
    return decrypt_bytes(f"{version}:{kid}:".encode("ascii") + rest, aad, ring).decode("utf-8")


def encrypt_json(data: dict, aad: str, ring: Keyring | None = None) -> str:
    """Encrypt a small JSON object (e.g. all reporter fields together)."""
    return encrypt_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), aad, ring)


def decrypt_json(value: str | None, aad: str, ring: Keyring | None = None) -> dict:
    """Decrypt a JSON object; an empty column reads as {}."""
    if not value:
        return {}
    return json.loads(decrypt_text(value, aad, ring))
