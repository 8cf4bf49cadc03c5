"""Running numbers per Thai fiscal year: case numbers (per channel) and the letter register."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CaseCounter
from ..models.case import GENERAL

#: Prefix of the printed number: ร. for general complaints, ท. (staff only) for corruption reports.
PREFIX = {GENERAL: "ร.", "corruption": "ท."}


def next_sequence(channel: str, fiscal_year: int) -> int:
    """Take the next case number for (channel, year) inside the current transaction."""
    return take_next(CaseCounter, channel=channel, fiscal_year=fiscal_year)


def take_next(counter, **keys) -> int:
    """Take the next value of the counter row of ``counter`` (a model with ``last_value``) named by ``keys``.

    The UPDATE locks the counter row (PostgreSQL) or runs under BEGIN IMMEDIATE (SQLite),
    so concurrent writers never get the same number.
    """
    where = [getattr(counter, name) == value for name, value in keys.items()]
    for _attempt in range(3):
        result = db.session.execute(update(counter).where(*where).values(last_value=counter.last_value + 1))
        if result.rowcount:
            return db.session.scalar(select(counter.last_value).where(*where))
        try:
            with db.session.begin_nested():
                db.session.add(counter(last_value=1, **keys))
            return 1
        except IntegrityError:  # another writer created the row first: take the UPDATE path
            continue
    raise RuntimeError(f"could not take a number from {counter.__tablename__}")


def format_number(channel: str, sequence: int, fiscal_year: int) -> str:
    """The printed number, e.g. ``ร. 12/2569``."""
    return f"{PREFIX.get(channel, '')} {sequence}/{fiscal_year}"
