"""Complainant satisfaction surveys: one invitation and at most one answer per completed case.

A case that becomes completed gets a survey invitation: a random token that can only answer that
case's survey, reached from the completion e-mail or the QR code of the printed completion notice
(หนังสือแจ้งผลการดำเนินการ). The tracking page offers the same survey to whoever holds the tracking
code. The token is stored as a keyed hash for lookup and encrypted (so staff can reprint the notice);
comments are encrypted because people write names in them.

Satisfaction of a period is the mean rating as a share of the 5-point scale (ร้อยละความพึงพอใจ =
mean / 5 x 100), against the plan's target of at least 80%.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Case, SurveyInvite, SurveyResponse
from ..models.case import COMPLETED
from ..models.survey import RATINGS, VIA
from ..security import columns, crypto
from ..security.hashing import keyed_hash
from . import links
from .tracking_codes import ALPHABET, normalise

#: The plan's target: satisfaction of at least 80% (002 L1215; 004 L2716).
TARGET_PERCENT = 80
#: Ratings at or above this count as "satisfied" (มาก / มากที่สุด).
SATISFIED_FROM = 4
MAX_COMMENT = 2000
#: 26 symbols of Crockford's base32 (the tracking codes' alphabet) = 130 bits: URL-safe, short enough for
#: a QR code, and typed from paper without confusing 0/O or 1/I/L (lower case works too).
TOKEN_LENGTH = 26

#: The question and the labels of the 5-point scale (form, dashboard, reports).
QUESTION = _l("ท่านพึงพอใจต่อการจัดการเรื่องร้องเรียนของท่านเพียงใด")
RATING_LABELS = {
    5: _l("๕ มากที่สุด"),
    4: _l("๔ มาก"),
    3: _l("๓ ปานกลาง"),
    2: _l("๒ น้อย"),
    1: _l("๑ น้อยที่สุด"),
}


class SurveyError(ValueError):
    """A survey answer that cannot be accepted; the message is for the complainant (Thai).

    ``field`` names the form field the message belongs next to ("rating", "comment"), or None.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- invitations


token_aad = columns.survey_token_aad
comment_aad = columns.survey_comment_aad


def new_token() -> str:
    """A fresh random survey token."""
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def token_hash(token: str) -> str:
    """The keyed hash stored for a token; computed the same way (on a bounded length) for any input.

    The token is read like a tracking code: case, hyphens and look-alike letters do not matter.
    """
    return keyed_hash("survey-token", normalise(token))


def _invite(case: Case) -> SurveyInvite | None:
    return db.session.get(SurveyInvite, case.id)


def ensure_invite(case: Case, *, now: datetime) -> str:
    """The case's survey token, creating the invitation the first time (a reopened case keeps its token)."""
    token = invite_token(case)
    if token is not None:
        return token
    token = new_token()
    db.session.add(SurveyInvite(case_id=case.id, token_hash=token_hash(token),
                                token_enc=crypto.encrypt_text(token, token_aad(case)), created_at=now))
    db.session.flush()
    return token


def invite_token(case: Case) -> str | None:
    """The plaintext token of the case's invitation (for printing the notice), or None."""
    invite = _invite(case)
    return crypto.decrypt_text(invite.token_enc, token_aad(case)) if invite is not None else None


def find_case_by_token(token: str) -> Case | None:
    """The case a survey token belongs to; the same work is done for any input."""
    return db.session.scalar(select(Case).join(SurveyInvite, SurveyInvite.case_id == Case.id)
                             .where(SurveyInvite.token_hash == token_hash(token)))


def survey_url(token: str) -> str:
    """Absolute link to the survey page of a token (e-mail, QR code)."""
    return links.survey(token)


# ---------------------------------------------------------------- answering


def has_response(case: Case) -> bool:
    """True once the case's survey was answered."""
    return bool(db.session.scalar(select(exists().where(SurveyResponse.case_id == case.id))))


def can_answer(case: Case) -> bool:
    """True when the case is completed and its survey has not been answered yet."""
    return case.status == COMPLETED and not has_response(case)


def _rating(value) -> int:
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise SurveyError(_l("กรุณาเลือกระดับความพึงพอใจ ตั้งแต่ ๑ (น้อยที่สุด) ถึง ๕ (มากที่สุด)"), "rating")
    return rating


def submit(case: Case, *, rating, comment: str | None, via: str, now: datetime) -> SurveyResponse:
    """Record the complainant's one answer for a completed case (the caller commits).

    :raise SurveyError: the case is not completed, was already rated, or the rating or comment is invalid.
    """
    if via not in VIA:
        raise ValueError(f"via must be one of {VIA}, got {via!r}")
    if case.status != COMPLETED:
        raise SurveyError(_l("ประเมินความพึงพอใจได้เมื่อเรื่องดำเนินการแล้วเสร็จเท่านั้น"))
    already = SurveyError(_l("เรื่องนี้ได้รับการประเมินความพึงพอใจแล้ว ประเมินได้เรื่องละหนึ่งครั้ง"))
    if has_response(case):
        raise already
    value = _rating(rating)
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise SurveyError(_l("ข้อเสนอแนะยาวเกิน %(n)s ตัวอักษร", n=f"{MAX_COMMENT:,}"), "comment")
    response = SurveyResponse(case_id=case.id, channel=case.channel, rating=value, via=via, submitted_at=now,
                              comment_enc=crypto.encrypt_text(text, comment_aad(case)) if text else None)
    # Two answers sent at the same moment both pass the check above; the unique case_id stops the
    # second, and the savepoint keeps the rest of the transaction usable.
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        raise already from None
    return response


def read_comment(case: Case, response: SurveyResponse) -> str:
    """The decrypted comment of a response ("" when none)."""
    return crypto.decrypt_text(response.comment_enc, comment_aad(case)) if response.comment_enc else ""


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Satisfaction:
    """The survey answers of a period: how many, the mean rating and the satisfaction percentage."""

    responses: int
    #: Mean rating 1..5, None when nobody answered.
    mean: float | None
    #: mean / 5 x 100 (ร้อยละความพึงพอใจ), None when nobody answered.
    percent: float | None
    #: Answers rated 4 or 5.
    satisfied: int
    #: Answers per rating, every rating present: {5: n, 4: n, 3: n, 2: n, 1: n}.
    by_rating: dict[int, int] = field(default_factory=dict)
    target: int = TARGET_PERCENT

    @property
    def meets_target(self) -> bool | None:
        """True when the percentage reaches the target; None when there is nothing to judge."""
        return None if self.percent is None else self.percent >= self.target

    @property
    def satisfied_percent(self) -> float | None:
        """Share of answers rated 4 or 5, in percent."""
        return 100.0 * self.satisfied / self.responses if self.responses else None


def satisfaction(start: datetime, end: datetime, *, channel: str | None = None,
                 condition: ColumnElement[bool] | None = None) -> Satisfaction:
    """Survey answers submitted in [start, end), optionally of one channel and/or cases matching ``condition``.

    ``condition`` is a SQLAlchemy condition on Case (e.g. a plan measure's channel or category), checked
    per answer only when it is given. One GROUP BY rating: five rows at most.
    """
    query = (select(SurveyResponse.rating, func.count(SurveyResponse.id))
             .where(SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
             .group_by(SurveyResponse.rating))
    if channel is not None:
        query = query.where(SurveyResponse.channel == channel)
    if condition is not None:
        # EXISTS, not a JOIN: the answers of the period (index on submitted_at) are few, the cases a
        # condition matches are many; with a JOIN SQLite walked every case of the channel (1M cases: 0.6 s).
        query = query.where(select(Case.id).where(Case.id == SurveyResponse.case_id, condition).exists())
    by_rating = {r: 0 for r in RATINGS}
    for rating, n in db.session.execute(query).all():  # one row per rating, never per answer
        by_rating[int(rating)] = int(n)
    n = sum(by_rating.values())
    total = sum(r * c for r, c in by_rating.items())
    satisfied = sum(c for r, c in by_rating.items() if r >= SATISFIED_FROM)
    if n == 0:
        return Satisfaction(0, None, None, 0, by_rating)
    return Satisfaction(n, total / n, total * 100 / (max(RATINGS) * n), satisfied, by_rating)


__all__ = [
    "MAX_COMMENT",
    "QUESTION",
    "RATING_LABELS",
    "Satisfaction",
    "SurveyError",
    "TARGET_PERCENT",
    "can_answer",
    "comment_aad",
    "ensure_invite",
    "find_case_by_token",
    "has_response",
    "invite_token",
    "read_comment",
    "satisfaction",
    "submit",
    "survey_url",
    "token_aad",
]
