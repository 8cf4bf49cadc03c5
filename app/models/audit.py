"""The audit log: who did what, when, to which record."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One security-relevant action; details never hold personal data in plaintext."""

    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    #: The staff member who acted; null for the system or an anonymous citizen.
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    #: Dotted action name, e.g. "auth.login", "user.create", "case.reveal_identity".
    action = db.Column(db.String(60), nullable=False)
    #: Kind and id of the record acted on.
    target_type = db.Column(db.String(40), nullable=True)
    target_id = db.Column(db.Integer, nullable=True)
    #: Free text such as the reason given for revealing an identity; encrypted when ``protected``.
    detail = db.Column(db.Text, nullable=False, default="")
    #: About a protected-channel report: kept out of the administrator's log, shown in the access log.
    protected = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    actor = db.relationship("User")

    __table_args__ = (db.Index("ix_audit_log_target", "target_type", "target_id"),
                      db.Index("ix_audit_log_protected_at", "protected", "at"))
