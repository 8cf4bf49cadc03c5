"""The two intake forms; validation rules live in services.intake so the API shares them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, MultipleFileField, SelectField, StringField, TelField, TextAreaField


class _Required:
    """Marks a field as required for the label's asterisk; the intake service does the checking."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class _ReporterFields:
    """Identity and contact, all optional."""

    name = StringField(_l("ชื่อ-นามสกุล"))
    phone = TelField(_l("หมายเลขโทรศัพท์"))
    email = EmailField(_l("อีเมล"))
    address = TextAreaField(_l("ที่อยู่"))
    #: Honeypot: hidden from people by CSS; bots fill every field.
    website = StringField(_l("เว็บไซต์ (ไม่ต้องกรอก)"))


class ComplaintForm(_ReporterFields, FlaskForm):
    """General complaint (ร้องเรียน/ร้องทุกข์)."""

    subject = StringField(_l("เรื่องที่ร้องเรียน"), validators=[_Required()])
    category = SelectField(_l("ประเภทเรื่อง"), choices=[], validate_choice=False)
    details = TextAreaField(_l("รายละเอียด"), validators=[_Required()])
    location = StringField(_l("สถานที่"))
    files = MultipleFileField(_l("รูปภาพหรือเอกสารประกอบ"))


class ReportForm(_ReporterFields, FlaskForm):
    """Corruption / misconduct report (แจ้งเบาะแส), anonymous by default."""

    subject = StringField(_l("เรื่องที่แจ้ง"), validators=[_Required()])
    category = SelectField(_l("ลักษณะการกระทำ"), choices=[], validate_choice=False)
    details = TextAreaField(_l("เกิดอะไรขึ้น"), validators=[_Required()])
    accused_name = StringField(_l("ชื่อผู้ถูกร้องเรียน"))
    accused_position = StringField(_l("ตำแหน่ง"))
    accused_unit = StringField(_l("สังกัด กอง/สำนัก"))
    #: A position in a unit from the organisation's structure (positions only, never names).
    accused_directory = SelectField(_l("หรือเลือกตำแหน่งจากโครงสร้างองค์กร"), choices=[], validate_choice=False)
    incident_date = StringField(_l("วันที่เกิดเหตุ"))
    location = StringField(_l("สถานที่เกิดเหตุ"))
    evidence = TextAreaField(_l("พยานหลักฐาน"))
    witnesses = TextAreaField(_l("พยานบุคคล"))
    files = MultipleFileField(_l("ไฟล์หลักฐาน"))
    national_id = StringField(_l("เลขประจำตัวประชาชน"))
