"""The case core: categories, cases of both channels, their events, attachments and number counters."""
from __future__ import annotations

import uuid

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
    #: Random public identity, bound into every encrypted value of the case as associated data.
    uid = db.Column(db.String(32), nullable=False, unique=True, default=lambda: uuid.uuid4().hex)
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
    #: General complaints only (plaintext, searchable by staff); corruption text lives in content_enc.
    subject = db.Column(db.String(300), nullable=True)
    details = db.Column(db.Text, nullable=True)
    location = db.Column(db.String(500), nullable=True)
    #: Corruption reports: the whole report (subject, details, accused, when, where, evidence,
    #: witnesses) as encrypted JSON.
    content_enc = db.Column(db.Text, nullable=True)
    #: Reporter identity and contact (name, national id, phone, e-mail, address) as encrypted JSON.
    reporter_enc = db.Column(db.Text, nullable=True)
    #: True when the reporter left no identity or contact at all.
    is_anonymous = db.Column(db.Boolean, nullable=False, default=True)
    #: When the organisation actually received it (offline cases may predate entry).
    received_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Fixed at receipt: received_at + the channel's SLA.
    due_at = db.Column(UTCDateTime, nullable=False)
    closed_at = db.Column(UTCDateTime, nullable=True)
    #: When an explanation (คำชี้แจง) was last posted after the due date; null = none yet.
    explained_at = db.Column(UTCDateTime, nullable=True)
    #: Rejection reason code (outside_authority, insufficient_detail, duplicate) when rejected.
    rejection_reason = db.Column(db.String(40), nullable=True)
    #: Case this one duplicates, when rejected as a duplicate.
    duplicate_of_id = db.Column(db.Integer, db.ForeignKey("cases.id"), nullable=True)
    #: Receiving agency code (nacc, pacc, damrongdham, district, other) when forwarded.
    forwarded_to = db.Column(db.String(40), nullable=True)
    #: Free-text agency name when forwarded to "other".
    forwarded_to_other = db.Column(db.String(200), nullable=True)
    #: Corruption reports: encrypted JSON of the investigation outcome (substantiated, unsubstantiated,
    #: insufficient_evidence), the findings and the disciplinary referral. Who is accused is in CaseExclusion.
    outcome_enc = db.Column(db.Text, nullable=True)
    #: General complaints: the analysis that keeps the problem from recurring (สาเหตุ / แนวทางป้องกัน),
    #: drafted into the summary report to executives and the public. Staff words, no personal data.
    root_cause = db.Column(db.Text, nullable=True)
    prevention = db.Column(db.Text, nullable=True)
    #: Set when a general complaint was moved into the protected channel.
    moved_from_general_at = db.Column(UTCDateTime, nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    category = db.relationship("Category")
    unit = db.relationship("Unit")
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    duplicate_of = db.relationship("Case", remote_side=[id])
    events = db.relationship("CaseEvent", back_populates="case", order_by="CaseEvent.id",
                             cascade="all, delete-orphan")
    attachments = db.relationship("Attachment", back_populates="case", order_by="Attachment.id",
                                  cascade="all, delete-orphan")
    exclusions = db.relationship("CaseExclusion", back_populates="case", order_by="CaseExclusion.id",
                                 cascade="all, delete-orphan")

    __table_args__ = (
        db.UniqueConstraint("channel", "fiscal_year", "sequence", name="uq_cases_channel_year_seq"),
        # Statistics group by channel and month of receipt; inboxes sort by due date.
        # Status is in the key so the public monthly statistics read only the index; the deadline and
        # category columns so the plan KPIs and the summary's repeat categories do too (bench/README.md).
        db.Index("ix_cases_channel_received", "channel", "received_at", "status", "due_at", "closed_at", "category_id"),
        # The summary report reads the few general complaints that carry analysis notes.
        db.Index("ix_cases_analysis", "channel", "received_at",
                 sqlite_where=db.text("root_cause IS NOT NULL OR prevention IS NOT NULL"),
                 postgresql_where=db.text("root_cause IS NOT NULL OR prevention IS NOT NULL")),
        # Closed-case figures (SLA compliance, days to close) select by closing time.
        db.Index("ix_cases_closed", "closed_at", "channel", "due_at", "received_at"),
        db.Index("ix_cases_channel_status_due", "channel", "status", "due_at"),
        db.Index("ix_cases_unit_status_due", "unit_id", "status", "due_at"),
    )

    @property
    def is_closed(self) -> bool:
        """True once the case has reached a final status."""
        return self.status in CLOSED_STATUSES


class CaseEvent(db.Model):
    """One entry of a case's timeline: a status change, an assignment, a message."""

    __tablename__ = "case_events"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Staff member who acted; null for the citizen or the system.
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    #: What happened, e.g. "received", "accepted", "assigned", "progress", "completed".
    kind = db.Column(db.String(40), nullable=False)
    from_status = db.Column(db.String(20), nullable=True)
    to_status = db.Column(db.String(20), nullable=True)
    #: Shown to the citizen on the tracking page (encrypted for corruption cases).
    public_message = db.Column(db.Text, nullable=True)
    #: Staff only (encrypted for corruption cases).
    internal_note = db.Column(db.Text, nullable=True)
    #: True when the two messages above are encrypted with the case's uid as associated data.
    encrypted = db.Column(db.Boolean, nullable=False, default=False)

    case = db.relationship("Case", back_populates="events")
    actor = db.relationship("User")


class Attachment(db.Model):
    """A file attached to a case, stored encrypted outside the web root."""

    __tablename__ = "attachments"

    id = db.Column(db.Integer, primary_key=True)
    #: Random identity, bound into the encrypted file and filename as associated data.
    uid = db.Column(db.String(32), nullable=False, unique=True, default=lambda: uuid.uuid4().hex)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The timeline entry it came with (e.g. a reporter's answer), if any.
    event_id = db.Column(db.Integer, db.ForeignKey("case_events.id"), nullable=True)
    #: "citizen" or "staff".
    source = db.Column(db.String(20), nullable=False, default="citizen")
    #: Original file name, encrypted (names often carry people's names).
    filename_enc = db.Column(db.Text, nullable=False)
    #: Type detected from the content, never from the name.
    mimetype = db.Column(db.String(100), nullable=False)
    size_bytes = db.Column(db.Integer, nullable=False)
    #: Random file name inside the attachment store.
    storage_name = db.Column(db.String(64), nullable=False, unique=True)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    case = db.relationship("Case", back_populates="attachments")


class CaseCounter(db.Model):
    """The last case number issued per channel and fiscal year."""

    __tablename__ = "case_counters"

    channel = db.Column(db.String(20), primary_key=True)
    fiscal_year = db.Column(db.Integer, primary_key=True)
    last_value = db.Column(db.Integer, nullable=False, default=0)


class Reminder(db.Model):
    """A scheduled SLA reminder for one case; claimed by setting sent_at with a conditional UPDATE."""

    __tablename__ = "reminders"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    #: When to send it.
    due_at = db.Column(UTCDateTime, nullable=False)
    #: "before" (N days before the due date), "due" (on it) or "overdue" (daily after it).
    kind = db.Column(db.String(20), nullable=False)
    #: Days before the due date (positive), on it (0) or after it (negative).
    days_offset = db.Column(db.Integer, nullable=False, default=0)
    #: Set when a scheduler process claims it; a claimed reminder is never sent again.
    sent_at = db.Column(UTCDateTime, nullable=True)
    #: Set instead of sending when the case closed before the reminder was due.
    cancelled_at = db.Column(UTCDateTime, nullable=True)

    case = db.relationship("Case")

    __table_args__ = (db.Index("ix_reminders_pending", "sent_at", "due_at"),)


class CaseExclusion(db.Model):
    """A staff member a protected-channel report names (or likely names): they never see the report.

    Stored as a keyed hash of the staff id, so a copy of the database does not say who is accused; the
    details (the id, why they were matched) are encrypted for the people who handle the report.
    """

    __tablename__ = "case_exclusions"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    #: HMAC (index key) of the staff id, compared with the hash of whoever asks for the case.
    user_hash = db.Column(db.String(64), nullable=False)
    #: Encrypted JSON: user id, how the match was made ("directory", "name", "position", "confirmed").
    details_enc = db.Column(db.Text, nullable=False)
    #: False for a likely match found at intake, True once two people confirmed it.
    confirmed = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    case = db.relationship("Case", back_populates="exclusions")

    __table_args__ = (db.UniqueConstraint("case_id", "user_hash", name="uq_case_exclusions_case_user"),)


#: Actions on a protected-channel report that narrow its oversight and so need a second person.
REQUEST_KINDS = ("accused", "reject", "forward", "complete", "reveal")


class CaseRequest(db.Model):
    """One integrity officer's request to do something that needs a second person's approval."""

    __tablename__ = "case_requests"

    id = db.Column(db.Integer, primary_key=True)
    #: Random identity used in URLs and bound into the encrypted payload.
    uid = db.Column(db.String(32), nullable=False, unique=True, default=lambda: uuid.uuid4().hex)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    #: One of REQUEST_KINDS.
    kind = db.Column(db.String(20), nullable=False)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    requested_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    #: Encrypted JSON: the action's details (messages, reason, agency, the staff to name as accused).
    payload_enc = db.Column(db.Text, nullable=False)
    #: pending, approved, refused, cancelled (expiry is read from expires_at).
    status = db.Column(db.String(20), nullable=False, default="pending")
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    decided_at = db.Column(UTCDateTime, nullable=True)

    case = db.relationship("Case")
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])


class ReceiptHold(db.Model):
    """A receipt kept on the server for the browser that filed the case, for a short window.

    The browser holds only a random receipt id in its session; the tracking code stays here, encrypted,
    and the row is deleted when the window ends or the citizen clears it.
    """

    __tablename__ = "receipt_holds"

    #: SHA-256 of the random receipt id the browser holds.
    id = db.Column(db.String(64), primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    #: The tracking code, encrypted with this row's id as associated data.
    code_enc = db.Column(db.Text, nullable=False)
    expires_at = db.Column(UTCDateTime, nullable=False, index=True)

    case = db.relationship("Case")
