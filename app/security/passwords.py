"""Password hashing with argon2id, and the password policy."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..labels import lazy_text as _l

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

#: Minimum length of a staff password.
MIN_LENGTH = 10
#: A hash verified against nothing, so unknown users cost the same time as known ones.
_DUMMY_HASH = _hasher.hash("sujarit-dummy-password")


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash in constant-ish time, also for a missing user."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def policy_problems(password: str, username: str = "") -> list[str]:
    """Return the reasons a new password is not acceptable (empty when fine).

    The reasons are lazy strings (Thai, translated when shown); join them with ``labels.lazy_join``
    or convert each with ``str()`` inside the request that shows them.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("รหัสผ่านต้องยาวอย่างน้อย %(n)s ตัวอักษร", n=MIN_LENGTH))
    if username and username.lower() in password.lower():
        problems.append(_l("รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น"))
    if password and len(set(password)) < 4:
        problems.append(_l("รหัสผ่านต้องมีตัวอักษรที่หลากหลายกว่านี้"))
    return problems
