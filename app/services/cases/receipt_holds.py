"""Receipts held on the server for the browser that filed a case: the tracking code never sits in a cookie.

The browser's session holds only a random receipt id; the code is kept here, encrypted, under the hash of
that id, and the row is gone when the window ends or the citizen (or officer) clears it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete

from ...extensions import db
from ...models import Case, ReceiptHold
from ...security import crypto
from ...security.columns import receipt_aad

#: How long the receipt stays viewable in the browser that submitted it.
RECEIPT_TTL = timedelta(hours=2)


def _key(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def hold(case: Case, code: str, *, now: datetime) -> str:
    """Keep the receipt of a just-filed case; returns the random id for the browser's session."""
    token = secrets.token_urlsafe(24)
    row = ReceiptHold(id=_key(token), case=case, code_enc="", expires_at=now + RECEIPT_TTL)
    row.code_enc = crypto.encrypt_text(code, receipt_aad(row))
    db.session.add(row)
    return token


def read(token: str | None, *, now: datetime) -> tuple[Case, str] | None:
    """The case and tracking code held under ``token``, while the window lasts.

    An expired row is not returned (and housekeeping deletes it: a page view never writes).
    """
    row = db.session.get(ReceiptHold, _key(token)) if token else None
    if row is None or row.expires_at <= now:
        return None
    return row.case, crypto.decrypt_text(row.code_enc, receipt_aad(row))


def drop(token: str | None) -> None:
    """Forget a receipt now (the caller commits)."""
    if token:
        db.session.execute(delete(ReceiptHold).where(ReceiptHold.id == _key(token)))


def purge(now: datetime) -> int:
    """Delete every receipt whose window has ended (housekeeping); returns how many."""
    return db.session.execute(delete(ReceiptHold).where(ReceiptHold.expires_at <= now)).rowcount
