"""The case core: categories and cases of both channels."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

GENERAL = "general"
CORRUPTION = "corruption"
CHANNELS = (GENERAL, CORRUPTION)

RECEIVED = "received"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
REJECTED = "rejected"
FORWARDED = "forwarded"
STATUSES = (RECEIVED, IN_PROGRESS, COMPLETED, REJECTED, FORWARDED)
#: Statuses that stop the 15-day clock.
CLOSED_STATUSES = (COMPLETED, REJECTED, FORWARDED)

#: How a case reached the organisation (ช่องทางการร้องเรียน).
SOURCES = ("web", "api", "phone", "letter", "box", "walk_in", "social_media", "damrongdham", "hotline_1111")


class Category(db.Model):
    """A case category (ประเภทเรื่อง), editable by the admin."""

    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    #: Short stable code used by the API, e.g. "road".
    code = db.Column(db.String(40), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    #: "general", "corruption" or "both": which form offers it.
    channel = db.Column(db.String(20), nullable=False, default=GENERAL)
    #: Unit that usually handles this category, suggested at triage.
    default_unit_id = db.Column(db.Integer, db.ForeignKey("units.id"), nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    sort_order = db.Column(db.Integer, nullable=False, default=0)

    default_unit = db.relationship("Unit")


class Case(db.Model):
    """A complaint or report of either channel; #3 and #4 extend it."""

    __tablename__ = "cases"

    id = db.Column(db.Integer, primary_key=True)
    #: "general" or "corruption"; corruption cases sit behind the integrity boundary.
    channel = db.Column(db.String(20), nullable=False, index=True)
    #: One of STATUSES.
    status = db.Column(db.String(20), nullable=False, default=RECEIVED)
    #: How it arrived: one of SOURCES.
    source = db.Column(db.String(30), nullable=False, default="web")
    #: Thai fiscal year (BE) of received_at; the case number runs per year.
    fiscal_year = db.Column(db.Integer, nullable=False)
    #: Running number within (channel, fiscal_year).
    sequence = db.Column(db.Integer, nullable=False)
    #: Printed number for letters, e.g. "ร. 12/2569"; never shown publicly for corruption cases.
    case_number = db.Column(db.String(40), nullable=False, unique=True)
    #: Keyed hash of the citizen's tracking code; the code itself is never stored.
    tracking_hash = db.Column(db.String(64), nullable=True, unique=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=True, index=True)
    #: Responsible unit and officer.
    unit_id = db.Column(db.Integer, db.ForeignKey("units.id"), nullable=True, index=True)
    assignee_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    #: When the organisation actually received it (offline cases may predate entry).
    received_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Fixed at receipt: received_at + the channel's SLA.
    due_at = db.Column(UTCDateTime, nullable=False)
    closed_at = db.Column(UTCDateTime, nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    category = db.relationship("Category")
    unit = db.relationship("Unit")
    assignee = db.relationship("User")

    __table_args__ = (
        db.UniqueConstraint("channel", "fiscal_year", "sequence", name="uq_cases_channel_year_seq"),
        # Statistics group by channel and month of receipt; inboxes sort by due date.
        db.Index("ix_cases_channel_received", "channel", "received_at"),
        db.Index("ix_cases_channel_status_due", "channel", "status", "due_at"),
    )

    @property
    def is_closed(self) -> bool:
        """True once the case has reached a final status."""
        return self.status in CLOSED_STATUSES
