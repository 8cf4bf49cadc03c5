"""Admin: how official letters are headed and signed (letter code, address, owners of the matter, signatories)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...extensions import db
from ...models import Signatory
from ...models.base import utcnow
from ...models.people import ADMIN
from ...security.access import roles_required
from ...services.admin import AdminError
from ...services.letters import settings
from . import bp


def _limit(name: str, limits: dict[str, int] = settings.LIMITS):
    return [Optional(), Length(max=limits[name], message=_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=limits[name]))]


class LetterSettingsForm(FlaskForm):
    """The letter code, the sender's address and the owners of the matter per channel."""

    prefix = StringField(_l("รหัสหนังสือ (ที่)"), validators=_limit("prefix"))
    address = TextAreaField(_l("ที่อยู่ผู้ส่งบนหนังสือ"), validators=_limit("address"))
    general_owner = StringField(_l("ส่วนราชการเจ้าของเรื่อง: เรื่องร้องเรียนทั่วไป"), validators=_limit("general_owner"))
    general_phone = StringField(_l("โทรศัพท์: เรื่องร้องเรียนทั่วไป"), validators=_limit("general_phone"))
    corruption_owner = StringField(_l("ส่วนราชการเจ้าของเรื่อง: เรื่องร้องเรียนการทุจริต"),
                                   validators=_limit("corruption_owner"))
    corruption_phone = StringField(_l("โทรศัพท์: เรื่องร้องเรียนการทุจริต"), validators=_limit("corruption_phone"))
    memo_unit = StringField(_l("ส่วนราชการของบันทึกข้อความ"), validators=_limit("memo_unit"))


class SignatoryForm(FlaskForm):
    """One signatory."""

    name = StringField(_l("ชื่อผู้ลงนาม"), validators=[DataRequired(_l("กรุณากรอกชื่อผู้ลงนาม")),
                                                      *_limit("name", settings.SIGNATORY_LIMITS)[1:]])
    position = StringField(_l("ตำแหน่ง"), validators=[DataRequired(_l("กรุณากรอกตำแหน่ง")),
                                                      *_limit("position", settings.SIGNATORY_LIMITS)[1:]])
    acting_for = StringField(_l("บรรทัดปฏิบัติราชการแทน (ถ้ามี)"),
                             validators=_limit("acting_for", settings.SIGNATORY_LIMITS))
    is_default = BooleanField(_l("ผู้ลงนามหลัก (หนังสือใหม่ใช้ผู้ลงนามนี้)"))
    active = BooleanField(_l("ใช้งานอยู่"), default=True)


@bp.route("/letters", methods=["GET", "POST"])
@roles_required(ADMIN)
def letter_settings():
    """The letter settings and the list of signatories."""
    current = settings.get()
    form = LetterSettingsForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = settings.save({name: getattr(form, name).data for name in settings.LIMITS},
                                    actor=current_user, now=utcnow())
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("บันทึกการตั้งค่าหนังสือราชการแล้ว") if changed else _("ไม่มีการเปลี่ยนแปลง"), "success")
            return redirect(url_for("admin.letter_settings"))
    return render_template("admin/letters.html", form=form, signatories=settings.signatories())


@bp.route("/letters/signatories/new", methods=["GET", "POST"])
@bp.route("/letters/signatories/<int:signatory_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def signatory_form(signatory_id: int | None = None):
    """Add or change a signatory."""
    signatory = db.session.get(Signatory, signatory_id) if signatory_id else None
    if signatory_id and signatory is None:
        abort(404)
    form = SignatoryForm(obj=signatory if request.method == "GET" else None)
    if form.validate_on_submit():
        data = settings.SignatoryInput(name=form.name.data, position=form.position.data,
                                       acting_for=form.acting_for.data or "", is_default=form.is_default.data,
                                       active=form.active.data)
        try:
            settings.save_signatory(data, signatory=signatory, actor=current_user, now=utcnow())
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("บันทึกผู้ลงนามแล้ว"), "success")
            return redirect(url_for("admin.letter_settings"))
    return render_template("admin/signatory_form.html", form=form, signatory=signatory)
