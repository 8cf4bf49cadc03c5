"""The secret key and the keyring (field-encryption keys and the index key), kept outside the database."""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


class KeyConfigError(RuntimeError):
    """Raised when keys are missing or malformed where they must be real."""


@dataclass
class Keyring:
    """Encryption keys by id (the active one encrypts new values) and the HMAC index key."""

    #: Key id -> 32-byte AES-256 key.
    keys: dict[str, bytes]
    #: Id of the key used for new values.
    active: str
    #: 32-byte key for keyed hashes (tracking codes, throttle keys); never rotated with the others.
    index_key: bytes
    #: Where the keyring was read from, so rotation can write it back.
    path: Path | None = field(default=None)
    #: The file's modification time when read, to notice a rotation by another process.
    loaded_mtime: int | None = field(default=None)

    def __post_init__(self) -> None:
        if self.path is not None and self.loaded_mtime is None and Path(self.path).exists():
            self.loaded_mtime = Path(self.path).stat().st_mtime_ns

    @property
    def active_key(self) -> bytes:
        """The key new values are encrypted with."""
        return self.keys[self.active]

    def to_json(self) -> str:
        """Serialise for the keyring file."""
        return json.dumps(
            {
                "active": self.active,
                "keys": {kid: _b64(k) for kid, k in self.keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )

    def save(self, path: Path | None = None) -> None:
        """Write the keyring atomically with owner-only permissions."""
        target = Path(path or self.path)
        tmp = target.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
        os.replace(tmp, target)
        self.path = target
        self.loaded_mtime = target.stat().st_mtime_ns

    def add_key(self) -> str:
        """Add a fresh key, make it active, and return its id."""
        n = 1 + max((int(k[1:]) for k in self.keys if k[1:].isdigit()), default=0)
        kid = f"k{n}"
        self.keys[kid] = secrets.token_bytes(32)
        self.active = kid
        return kid


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyConfigError(f"{what} is not valid base64") from exc
    if len(raw) != 32:
        raise KeyConfigError(f"{what} must be 32 bytes, got {len(raw)}")
    return raw


def new_keyring(path: Path | None = None) -> Keyring:
    """Create a keyring with one fresh encryption key and a fresh index key."""
    ring = Keyring(keys={}, active="", index_key=secrets.token_bytes(32), path=path)
    ring.add_key()
    return ring


def parse_keyring(text: str, path: Path | None = None) -> Keyring:
    """Parse keyring JSON, checking every key."""
    try:
        data = json.loads(text)
        keys = {kid: _unb64(v, f"key {kid}") for kid, v in data["keys"].items()}
        ring = Keyring(keys=keys, active=data["active"], index_key=_unb64(data["index_key"], "index_key"), path=path)
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise KeyConfigError("keyring file is malformed") from exc
    if ring.active not in ring.keys:
        raise KeyConfigError("keyring's active key id is not among its keys")
    return ring


def load_keyring(path: Path, generate: bool) -> Keyring:
    """Read the keyring file, creating it first when allowed (development, tests)."""
    if not path.exists():
        if not generate:
            raise KeyConfigError(
                f"keyring file {path} not found: create it with `python -m app.security init PATH` and set SUJARIT_KEYRING"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        ring = new_keyring(path)
        ring.save()
        return ring
    return parse_keyring(path.read_text(encoding="utf-8"), path)


#: Secret keys that must never run in production.
_WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}


def load_secret_key(configured: str | None, instance_path: Path, generate: bool) -> str:
    """Return SECRET_KEY, generating and keeping one in the instance folder when allowed."""
    if configured:
        if not generate and (configured.lower() in _WEAK_SECRETS or len(configured) < 32):
            raise KeyConfigError("SECRET_KEY must be a random value of at least 32 characters")
        return configured
    if not generate:
        raise KeyConfigError("SECRET_KEY is not set; production refuses to start without it")
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key

