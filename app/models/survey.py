"""Satisfaction surveys: one invitation and at most one answer per completed case."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

#: The 5-point scale: 5 มากที่สุด ... 1 น้อยที่สุด.
RATINGS = (5, 4, 3, 2, 1)
#: How the answer arrived.
VIA = ("tracking", "link")


class SurveyInvite(db.Model):
    """The survey link of a completed case: a random token that can only answer that case's survey.

    The token is stored as a keyed hash for lookup and encrypted (case uid as associated data) so that
    staff can reprint the completion notice with its QR code; it reveals nothing about the case.
    """

    __tablename__ = "survey_invites"

    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    case = db.relationship("Case")
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    token_enc = db.Column(db.Text, nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class SurveyResponse(db.Model):
    """A complainant's rating of how their case was handled; the unique case_id makes it once per case."""

    __tablename__ = "survey_responses"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, unique=True)
    case = db.relationship("Case")
    #: Copied from the case so per-channel figures need no join.
    channel = db.Column(db.String(20), nullable=False)
    rating = db.Column(db.Integer, nullable=False)
    #: Free comment, encrypted with the case's uid as associated data (people write names in comments).
    comment_enc = db.Column(db.Text, nullable=True)
    #: "tracking" (tracking page) or "link" (e-mail link or QR code of the completion notice).
    via = db.Column(db.String(20), nullable=False, default="tracking")
    submitted_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        db.Index("ix_survey_responses_submitted", "submitted_at", "channel"),
    )
