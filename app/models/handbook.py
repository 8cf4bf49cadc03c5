"""The two public handbooks (คู่มือ): general complaints and, separately, corruption complaints."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

#: The handbook kinds, one per channel.
KINDS = ("general", "corruption")


class Handbook(db.Model):
    """The admin's words for one handbook; the facts (channels, steps, SLA days, unit) come from settings.

    A missing row means "settings only": the page is complete without any admin text.
    """

    __tablename__ = "handbooks"

    #: "general" or "corruption".
    kind = db.Column(db.String(20), primary_key=True)
    intro = db.Column(db.Text, nullable=False, default="")
    #: Extra words for each of the four required parts.
    how_to = db.Column(db.Text, nullable=False, default="")
    steps = db.Column(db.Text, nullable=False, default="")
    responsible = db.Column(db.Text, nullable=False, default="")
    time_frame = db.Column(db.Text, nullable=False, default="")
    #: The responsible unit and the officer's position and contact, as printed in part 3.
    unit_id = db.Column(db.Integer, db.ForeignKey("units.id", ondelete="SET NULL"), nullable=True)
    officer_title = db.Column(db.String(200), nullable=False, default="")
    contact = db.Column(db.String(300), nullable=False, default="")
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    unit = db.relationship("Unit")
