"""Staff forms: one small form per case action, the offline entry and the notifications button.

The rules (what is required for which action, what a valid date or phone is) live in the services;
these forms only carry the values and the CSRF token, so the same Thai messages reach every screen.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, EmailField, MultipleFileField, SelectField, SelectMultipleField, StringField,
                     TelField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


class ActionForm(FlaskForm):
    """The two messages every action may carry."""

    public_message = TextAreaField(_l("ข้อความถึงผู้ร้องเรียน (แสดงในหน้าติดตามเรื่อง)"))
    internal_note = TextAreaField(_l("บันทึกภายใน (เห็นเฉพาะเจ้าหน้าที่)"))


class RejectForm(ActionForm):
    """Not accepted for consideration, with the reason."""

    reason = SelectField(_l("เหตุผลที่ไม่รับพิจารณา"), choices=choices([
        ("", _l("— เลือกเหตุผล —")),
        ("outside_authority", _l("ไม่อยู่ในอำนาจหน้าที่")),
        ("insufficient_detail", _l("ข้อมูลไม่เพียงพอ")),
        ("duplicate", _l("เรื่องซ้ำ")),
    ]), validate_choice=False)
    duplicate_number = StringField(_l("เลขที่รับเรื่องของเรื่องเดิม (กรณีเรื่องซ้ำ)"))


class ForwardForm(ActionForm):
    """Sent on to another agency."""

    agency = SelectField(_l("ส่งต่อไปยัง"), choices=choices([
        ("", _l("— เลือกหน่วยงาน —")),
        ("nacc", _l("สำนักงาน ป.ป.ช.")),
        ("pacc", _l("สำนักงาน ป.ป.ท.")),
        ("damrongdham", _l("ศูนย์ดำรงธรรม")),
        ("district", _l("อำเภอ")),
        ("province", _l("จังหวัด")),
        ("other", _l("อื่น ๆ")),
    ]), validate_choice=False)
    agency_other = StringField(_l("ชื่อหน่วยงานที่รับเรื่อง (จำเป็นเมื่อเลือก “อื่น ๆ”)"))


class AssignForm(ActionForm):
    """The responsible unit and officer."""

    unit = SelectField(_l("หน่วยงานผู้รับผิดชอบ"), choices=[], validate_choice=False)
    officer = SelectField(_l("เจ้าหน้าที่ผู้รับผิดชอบ"), choices=[], validate_choice=False)


class AccusedForm(FlaskForm):
    """Which staff members a corruption report names (none, one or several)."""

    accused = SelectMultipleField(_l("เจ้าหน้าที่ที่ถูกร้องเรียน"), choices=[], validate_choice=False)


class OutcomeForm(FlaskForm):
    """The investigation outcome of a corruption report."""

    outcome = SelectField(_l("ผลการตรวจสอบ"), choices=choices([
        ("", _l("— เลือกผลการตรวจสอบ —")),
        ("substantiated", _l("มีมูล")),
        ("unsubstantiated", _l("ไม่มีมูล")),
        ("insufficient_evidence", _l("หลักฐานไม่เพียงพอ")),
    ]), validate_choice=False)
    findings = TextAreaField(_l("ข้อเท็จจริงที่พบ"))
    referral = TextAreaField(_l("การส่งดำเนินการทางวินัย/อาญา (จำเป็นเมื่อมีมูล)"))


class MoveForm(FlaskForm):
    """Why a general complaint belongs in the protected channel."""

    reason = TextAreaField(_l("เหตุผลที่ย้าย"))


class NewCaseForm(FlaskForm):
    """A complaint or report that arrived by phone, letter, box, walk-in, social media or referral."""

    channel = SelectField(_l("ประเภทเรื่อง"), choices=[], validate_choice=False)
    source = SelectField(_l("ช่องทางที่รับเรื่อง"), choices=[], validate_choice=False)
    received_at = DateField(_l("วันที่รับเรื่อง"), validators=[Optional()])
    subject = StringField(_l("เรื่อง"))
    details = TextAreaField(_l("รายละเอียด"))
    category = SelectField(_l("ประเภทเรื่อง/ลักษณะการกระทำ"), choices=[], validate_choice=False)
    location = StringField(_l("สถานที่"))
    # Corruption reports only.
    accused_name = StringField(_l("ชื่อผู้ถูกร้องเรียน"))
    accused_position = StringField(_l("ตำแหน่ง"))
    accused_unit = StringField(_l("สังกัด กอง/สำนัก"))
    accused_directory = SelectField(_l("หรือเลือกตำแหน่งจากโครงสร้างองค์กร"), choices=[], validate_choice=False)
    incident_date = StringField(_l("วันที่เกิดเหตุ"))
    evidence = TextAreaField(_l("พยานหลักฐาน"))
    witnesses = TextAreaField(_l("พยานบุคคล"))
    # The complainant, all optional.
    name = StringField(_l("ชื่อ-นามสกุล"))
    phone = TelField(_l("หมายเลขโทรศัพท์"))
    email = EmailField(_l("อีเมล"))
    address = TextAreaField(_l("ที่อยู่"))
    national_id = StringField(_l("เลขประจำตัวประชาชน"))
    files = MultipleFileField(_l("ไฟล์ประกอบ (ภาพถ่าย/สำเนาหนังสือ)"))


class ButtonForm(FlaskForm):
    """A button that only needs the CSRF token (mark all read, forget the receipt)."""
