"""Official letters: their settings, signatories and the register of letters sent (ทะเบียนหนังสือส่ง)."""
from __future__ import annotations

import uuid

from ..extensions import db
from .base import UTCDateTime, utcnow

#: Letter kinds. External letters (หนังสือภายนอก) to a complainant or an agency; memo = บันทึกข้อความ.
ACKNOWLEDGEMENT = "acknowledgement"
COMPLETION = "completion"
EXPLANATION = "explanation"
FORWARD = "forward"
MEMO = "memo"
KINDS = (ACKNOWLEDGEMENT, COMPLETION, EXPLANATION, FORWARD, MEMO)


class LetterSettings(db.Model):
    """How the organisation's letters are headed and signed off (one row, id 1; the admin sets it)."""

    __tablename__ = "letter_settings"

    id = db.Column(db.Integer, primary_key=True)
    #: The organisation's letter code before the number, e.g. "บป ๗๗๓๐๑" (ที่ บป ๗๗๓๐๑/๑๒).
    prefix = db.Column(db.String(50), nullable=False, default="")
    #: The sender's address block at the top right of a letter; empty = the organisation's address.
    address = db.Column(db.Text, nullable=False, default="")
    #: ส่วนราชการเจ้าของเรื่อง and its telephone, per channel (printed at the foot of the letter).
    general_owner = db.Column(db.String(200), nullable=False, default="")
    general_phone = db.Column(db.String(100), nullable=False, default="")
    corruption_owner = db.Column(db.String(200), nullable=False, default="")
    corruption_phone = db.Column(db.String(100), nullable=False, default="")
    #: ส่วนราชการ of an internal memo (บันทึกข้อความ), e.g. "สำนักปลัด งานนิติการ โทร. ๐ ๓๔๒๐ ๐๐๐๐".
    memo_unit = db.Column(db.String(300), nullable=False, default="")
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Signatory(db.Model):
    """A person who signs letters: name, position and, when signing for the head, the ปฏิบัติราชการแทน line."""

    __tablename__ = "signatories"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    position = db.Column(db.String(300), nullable=False)
    #: e.g. "ปฏิบัติราชการแทนนายกองค์การบริหารส่วนตำบลบ้านโป่ง"; empty when signing in their own name.
    acting_for = db.Column(db.String(300), nullable=False, default="")
    #: The signatory a new letter gets unless staff choose another.
    is_default = db.Column(db.Boolean, nullable=False, default=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class LetterCounter(db.Model):
    """The last register number taken per fiscal year."""

    __tablename__ = "letter_counters"

    fiscal_year = db.Column(db.Integer, primary_key=True)
    last_value = db.Column(db.Integer, nullable=False, default=0)


class Letter(db.Model):
    """One number of the register: taken once per letter, kept across reprints, voided with a reason.

    Holds no personal data in the clear: the recipient is "ผู้ร้องเรียน" or an agency, never a citizen's name
    (the letter reads the name from the encrypted case each time it is printed), and the void reason is encrypted.
    """

    __tablename__ = "letters"
    __table_args__ = (db.UniqueConstraint("fiscal_year", "number", name="uq_letters_year_number"),)

    id = db.Column(db.Integer, primary_key=True)
    #: Random identifier for URLs (sequential ids would let anyone count letters).
    uid = db.Column(db.String(32), nullable=False, unique=True, default=lambda: uuid.uuid4().hex)
    #: Thai fiscal year (BE) of issued_on; numbers run per year.
    fiscal_year = db.Column(db.Integer, nullable=False)
    number = db.Column(db.Integer, nullable=False)
    #: One of KINDS.
    kind = db.Column(db.String(30), nullable=False)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id"), nullable=True, index=True)
    #: What the letter is for, e.g. "case:12:completion"; unique while the letter stands, NULL once voided,
    #: so a reprint finds its number and two concurrent prints cannot take two.
    key = db.Column(db.String(100), nullable=True, unique=True)
    #: The letter's date (Bangkok), printed on every reprint.
    issued_on = db.Column(db.Date, nullable=False)
    #: เรื่อง and the recipient as the register lists them.
    subject = db.Column(db.String(300), nullable=False)
    recipient = db.Column(db.String(300), nullable=False)
    #: The signatory as printed (kept, so a reprint is signed as the original was).
    signatory_name = db.Column(db.String(200), nullable=False, default="")
    signatory_position = db.Column(db.String(300), nullable=False, default="")
    signatory_acting_for = db.Column(db.String(300), nullable=False, default="")
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    voided_at = db.Column(UTCDateTime, nullable=True)
    voided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    #: Why the number was voided, encrypted (staff type it freely, and it may name people of a protected case).
    void_reason_enc = db.Column(db.Text, nullable=True)

    case = db.relationship("Case")
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    voided_by = db.relationship("User", foreign_keys=[voided_by_id])

    @property
    def voided(self) -> bool:
        return self.voided_at is not None
