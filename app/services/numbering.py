"""Case numbers for letters: running per channel and Thai fiscal year."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CaseCounter
from ..models.case import GENERAL

#: Prefix of the printed number: ร. for general complaints, ท. (staff only) for corruption reports.
PREFIX = {GENERAL: "ร.", "corruption": "ท."}


def next_sequence(channel: str, fiscal_year: int) -> int:
    """Take the next number for (channel, year) inside the current transaction.

    The UPDATE locks the counter row (PostgreSQL) or runs under BEGIN IMMEDIATE (SQLite),
    so concurrent submissions never get the same number.
    """
    for _attempt in range(3):
        result = db.session.execute(
            update(CaseCounter)
            .where(CaseCounter.channel == channel, CaseCounter.fiscal_year == fiscal_year)
            .values(last_value=CaseCounter.last_value + 1)
        )
        if result.rowcount:
            return db.session.scalar(
                select(CaseCounter.last_value).where(
                    CaseCounter.channel == channel, CaseCounter.fiscal_year == fiscal_year)
            )
        try:
            with db.session.begin_nested():
                db.session.add(CaseCounter(channel=channel, fiscal_year=fiscal_year, last_value=1))
            return 1
        except IntegrityError:  # another writer created the row first: take the UPDATE path
            continue
    raise RuntimeError("could not allocate a case number")


def format_number(channel: str, sequence: int, fiscal_year: int) -> str:
    """The printed number, e.g. ``ร. 12/2569``."""
    return f"{PREFIX.get(channel, '')} {sequence}/{fiscal_year}"
