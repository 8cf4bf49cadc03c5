"""Settings of the published statistics: ITA item codes per fiscal year, small-count protection, digits."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

#: Digit styles the public statistics can be printed in.
DIGIT_STYLES = ("arabic", "thai")


class StatisticsSettings(db.Model):
    """How the public statistics pages and their exports are shown (one row; absent = defaults)."""

    __tablename__ = "statistics_settings"

    id = db.Column(db.Integer, primary_key=True)
    #: Public cells of the corruption channel with 0 < count < N show "< N"; 0 turns it off.
    small_count_threshold = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    #: "arabic" or "thai": digits of the public pages and the PDF exports.
    digits = db.Column(db.String(10), nullable=False, default="arabic", server_default="arabic")
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class ItaCode(db.Model):
    """The ITA assessment item a statistics page answers to in one fiscal year, e.g. O29 in 2566.

    The ITA renumbers its items from year to year, so the code is data, never written in code.
    """

    __tablename__ = "ita_codes"

    #: Thai fiscal year (BE).
    fiscal_year = db.Column(db.Integer, primary_key=True)
    #: "general" or "corruption": which statistics page.
    channel = db.Column(db.String(20), primary_key=True)
    code = db.Column(db.String(20), nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
