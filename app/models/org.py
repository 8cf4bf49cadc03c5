"""The organisation profile and its units."""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

#: Organisation types, with the Thai names staff use.
ORG_TYPES = {
    "sao": "องค์การบริหารส่วนตำบล",
    "tambon_municipality": "เทศบาลตำบล",
    "town_municipality": "เทศบาลเมือง",
    "city_municipality": "เทศบาลนคร",
}


class Organisation(db.Model):
    """The local government body that runs this deployment (one row)."""

    __tablename__ = "organisation"

    id = db.Column(db.Integer, primary_key=True)
    #: Full name, e.g. องค์การบริหารส่วนตำบลบ้านโป่ง.
    name = db.Column(db.String(200), nullable=False)
    #: Short name used in headers and case numbers, e.g. อบต.บ้านโป่ง.
    short_name = db.Column(db.String(100), nullable=False)
    #: One of ORG_TYPES.
    org_type = db.Column(db.String(40), nullable=False, default="sao")
    address = db.Column(db.Text, nullable=False, default="")
    phone = db.Column(db.String(50), nullable=False, default="")
    email = db.Column(db.String(200), nullable=False, default="")
    website = db.Column(db.String(200), nullable=False, default="")
    #: The logo image bytes (PNG/JPEG), shown on pages and receipts.
    logo = db.deferred(db.Column(db.LargeBinary, nullable=True))  # loaded only when served
    logo_mimetype = db.Column(db.String(50), nullable=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    @property
    def type_label(self) -> str:
        """Thai name of the organisation type."""
        return ORG_TYPES.get(self.org_type, self.org_type)


class Unit(db.Model):
    """A division of the organisation (สำนักปลัด, กองคลัง, กองช่าง, ...)."""

    __tablename__ = "units"

    id = db.Column(db.Integer, primary_key=True)
    #: Thai name shown everywhere, unique within the organisation.
    name = db.Column(db.String(200), nullable=False, unique=True)
    #: The unit head (หัวหน้าหน่วยงาน), who also receives overdue reminders.
    head_id = db.Column(db.Integer, db.ForeignKey("users.id", use_alter=True), nullable=True)
    #: Inactive units keep their history but get no new cases.
    active = db.Column(db.Boolean, nullable=False, default=True)
    sort_order = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    head = db.relationship("User", foreign_keys=[head_id], post_update=True)

    def __repr__(self) -> str:
        return f"<Unit {self.id}>"


class ChannelSetting(db.Model):
    """SLA settings of one channel: how many days, counted how, and when to remind."""

    __tablename__ = "channel_settings"

    #: "general" or "corruption".
    channel = db.Column(db.String(20), primary_key=True)
    #: Days allowed (the plans say 15).
    sla_days = db.Column(db.Integer, nullable=False, default=15)
    #: "calendar" or "working" (weekdays that are not Thai public or organisation holidays).
    day_mode = db.Column(db.String(20), nullable=False, default="calendar")
    #: Comma-separated days before the due date to remind, e.g. "5,2,0" (0 = on the due date).
    reminder_days = db.Column(db.String(50), nullable=False, default="5,2,0")


class Holiday(db.Model):
    """An organisation holiday added by the admin, on top of the Thai public holidays."""

    __tablename__ = "holidays"

    day = db.Column(db.Date, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
