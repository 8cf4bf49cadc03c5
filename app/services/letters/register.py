"""The register of letters sent (ทะเบียนหนังสือส่ง): one number per letter and fiscal year, voided with a reason.

A letter is named by a key (e.g. "case:12:completion"). The first print takes the next number of the
fiscal year and the day's date; every reprint finds the same row, so the number and date never change.
Concurrent prints (any number of processes) serialise on the year's counter row, so no number is taken
twice and no two rows stand for one letter. Voiding keeps the row (the number is never reused) and frees
the key, so the next print takes a new number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ... import thai
from ...extensions import db
from ...labels import lazy_text as _l
from ...models import Case, Letter, LetterCounter, Signatory, User
from ...models.case import CORRUPTION
from ...models.people import EXECUTIVE, INTEGRITY
from ...security import crypto
from ...security.columns import letter_void_aad
from .. import audit, case_access, numbering

#: Longest void reason.
MAX_REASON = 500


class LetterError(ValueError):
    """A refused change, with a message for the screen."""


@dataclass(frozen=True)
class Entry:
    """A line of the register: the letter, or None when the reader may not see it (the number shows as used)."""

    number: int
    letter: Letter | None


@dataclass(frozen=True)
class Heading:
    """What the register lists for a letter: its subject and recipient (never a citizen's name)."""

    subject: str
    recipient: str


def case_key(case: Case, kind: str) -> str:
    """The key of a case's letter of one kind."""
    return f"case:{case.id}:{kind}"


def find(key: str) -> Letter | None:
    """The standing (not voided) letter of a key."""
    return db.session.scalar(select(Letter).where(Letter.key == key))


def record(action: str, letter: Letter, *, actor: User | None, now: datetime) -> None:
    """Audit an action on a letter; about a protected-channel report's letter it is a protected entry of the report."""
    detail = f"{letter.kind} {letter.number}/{letter.fiscal_year}"
    if letter.case is not None and letter.case.channel == CORRUPTION:
        audit.record_case(action, letter.case, actor=actor, now=now, detail=detail)
    else:
        audit.record(action, actor=actor, now=now, target_type="letter", target_id=letter.id, detail=detail)


def void_reason(letter: Letter) -> str:
    """Why the letter's number was voided ("" while it stands)."""
    return crypto.decrypt_text(letter.void_reason_enc, letter_void_aad(letter)) if letter.void_reason_enc else ""


def _give_back(fiscal_year: int) -> None:
    # The counter row is locked by this transaction, so the number goes back unseen by anyone.
    db.session.execute(update(LetterCounter).where(LetterCounter.fiscal_year == fiscal_year)
                       .values(last_value=LetterCounter.last_value - 1))


def issue(kind: str, key: str, heading: Heading, *, case: Case | None, signatory: Signatory | None,
          actor: User | None, now: datetime) -> Letter:
    """The letter of ``key``: the standing one, or a new one with the next number of the fiscal year."""
    existing = find(key)
    if existing is not None:
        return existing
    fiscal_year = thai.fiscal_year(now)
    # Taking the number locks the year's counter row first: a concurrent print of the same letter
    # waits here, then finds the row this one committed.
    number = numbering.take_next(LetterCounter, fiscal_year=fiscal_year)
    existing = find(key)
    if existing is not None:
        _give_back(fiscal_year)
        return existing
    letter = Letter(fiscal_year=fiscal_year, number=number, kind=kind, case=case, key=key,
                    issued_on=thai.to_local(now).date(), subject=heading.subject[:300],
                    recipient=heading.recipient[:300], created_by_id=actor.id if actor else None, created_at=now,
                    signatory_name=signatory.name if signatory else "",
                    signatory_position=signatory.position if signatory else "",
                    signatory_acting_for=signatory.acting_for if signatory else "")
    try:
        with db.session.begin_nested():
            db.session.add(letter)
    except IntegrityError:  # the first letter of a year, printed twice at once: the other print won
        _give_back(fiscal_year)
        existing = find(key)
        if existing is None:
            raise
        return existing
    record("letter.issue", letter, actor=actor, now=now)
    return letter


def void(letter: Letter, reason: str, *, actor: User, now: datetime) -> None:
    """Void a number with a reason (audited); the number stays in the register and is never reused.

    :raise LetterError: already void, or no reason given.
    """
    reason = " ".join((reason or "").split())
    if letter.voided:
        raise LetterError(_l("หนังสือฉบับนี้ถูกยกเลิกแล้ว"))
    if len(reason) < 5 or len(reason) > MAX_REASON:
        raise LetterError(_l("กรุณาระบุเหตุผลที่ยกเลิกเลขที่หนังสือ (5 ถึง %(n)s ตัวอักษร)", n=MAX_REASON))
    letter.voided_at, letter.voided_by_id, letter.key = now, actor.id, None
    letter.void_reason_enc = crypto.encrypt_text(reason, letter_void_aad(letter))
    record("letter.void", letter, actor=actor, now=now)


def can_view(user: User, letter: Letter) -> bool:
    """A case's letter follows the case's boundary; a memo (no case) is for integrity officers and executives."""
    if letter.case is not None:
        return case_access.can_view(user, letter.case)
    return user.has_role(INTEGRITY, EXECUTIVE)


def visible_by_uid(user: User, uid: str) -> Letter | None:
    """The letter with this random identifier if ``user`` may see it; None otherwise."""
    letter = db.session.scalar(select(Letter).where(Letter.uid == uid)) if uid else None
    return letter if letter is not None and can_view(user, letter) else None


def entries(user: User, fiscal_year: int) -> list[Entry]:
    """The register of a fiscal year as ``user`` may see it.

    A letter of a case the reader may not open keeps its line (the register runs without gaps) but shows
    only its number: no date, kind, recipient or case, so nobody learns what it was or whom it concerns.
    """
    rows = db.session.scalars(select(Letter).options(selectinload(Letter.case))
                              .where(Letter.fiscal_year == fiscal_year).order_by(Letter.number))
    return [Entry(row.number, row if can_view(user, row) else None) for row in rows]


def years() -> list[int]:
    """Fiscal years that have letters, newest first."""
    return list(db.session.scalars(select(LetterCounter.fiscal_year).order_by(LetterCounter.fiscal_year.desc())))
