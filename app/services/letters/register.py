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

from ... import thai
from ...extensions import db
from ...labels import lazy_text as _l
from ...models import Case, Letter, LetterCounter, Signatory, User
from ...models.people import EXECUTIVE, INTEGRITY
from .. import audit, case_access, numbering

#: Longest void reason.
MAX_REASON = 500


class LetterError(ValueError):
    """A refused change, with a message for the screen."""


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
    letter = Letter(fiscal_year=fiscal_year, number=number, kind=kind, case_id=case.id if case else None, key=key,
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
    audit.record("letter.issue", actor=actor, now=now, target_type="letter", target_id=letter.id,
                 detail=f"{kind} {number}/{fiscal_year}")
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
    letter.voided_at, letter.voided_by_id, letter.void_reason, letter.key = now, actor.id, reason, None
    audit.record("letter.void", actor=actor, now=now, target_type="letter", target_id=letter.id,
                 detail=f"{letter.kind} {letter.number}/{letter.fiscal_year}")


def can_view(user: User, letter: Letter) -> bool:
    """A case's letter follows the case's boundary; a memo (no case) is for integrity officers and executives."""
    if letter.case is not None:
        return case_access.can_view(user, letter.case)
    return user.has_role(INTEGRITY, EXECUTIVE)


def entries(user: User, fiscal_year: int) -> list[Letter]:
    """The register of a fiscal year as ``user`` may see it (letters of cases they cannot open are left out)."""
    rows = db.session.scalars(select(Letter).where(Letter.fiscal_year == fiscal_year).order_by(Letter.number))
    return [row for row in rows if can_view(user, row)]


def years() -> list[int]:
    """Fiscal years that have letters, newest first."""
    return list(db.session.scalars(select(LetterCounter.fiscal_year).order_by(LetterCounter.fiscal_year.desc())))
