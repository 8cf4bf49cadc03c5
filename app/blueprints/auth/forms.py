"""Forms of the sign-in pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("ชื่อผู้ใช้"), validators=[DataRequired(_l("กรุณากรอกชื่อผู้ใช้")), Length(max=80)])
    password = PasswordField(_l("รหัสผ่าน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่าน")), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    """Current password and the new one twice."""

    current = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านปัจจุบัน"))])
    new = PasswordField(_l("รหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่")), Length(max=256)])
    confirm = PasswordField(_l("ยืนยันรหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่อีกครั้ง"))])


class SetPasswordForm(FlaskForm):
    """The new password twice, through a one-time link (no current password: the owner may not know one)."""

    new = PasswordField(_l("รหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่")), Length(max=256)])
    confirm = PasswordField(_l("ยืนยันรหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่อีกครั้ง"))])
