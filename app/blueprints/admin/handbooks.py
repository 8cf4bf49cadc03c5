"""Admin: the words of the two public handbooks (the facts in them come from the other settings)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from ...extensions import db
from ...labels import ROLE_LABELS
from ...models.base import utcnow
from ...models.handbook import KINDS
from ...models.people import ADMIN
from ...security.access import roles_required
from ...services import handbooks
from ...services.admin import AdminError
from . import bp
from .forms import ThaiSelectField, unit_choices

_TEXT = [Optional(), Length(max=handbooks.MAX_TEXT,
                            message=_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=handbooks.MAX_TEXT))]

#: Where the facts of each part come from: (label, admin endpoint) pairs shown beside the part.
SOURCES = {
    "how_to": ((_l("ข้อมูลองค์กร (ชื่อ ที่อยู่ โทรศัพท์)"), "admin.organisation"),
               (_l("ผู้ใช้งาน (หน่วยงานของเจ้าหน้าที่รับเรื่อง)"), "admin.users")),
    "steps": ((_l("ผู้ใช้งาน (หน่วยงานของเจ้าหน้าที่รับเรื่อง)"), "admin.users"),),
    "responsible": ((_l("หน่วยงาน"), "admin.units"), (_l("ประเภทเรื่องและหน่วยงานที่รับผิดชอบ"), "admin.categories"),
                    (_l("ผู้ใช้งาน (ตำแหน่งและหน่วยงานของเจ้าหน้าที่)"), "admin.users"),
                    (_l("ข้อมูลองค์กร (โทรศัพท์ อีเมล)"), "admin.organisation")),
    "time_frame": ((_l("กำหนดเวลาและวันหยุด"), "admin.sla"),),
}


class HandbookForm(FlaskForm):
    """The admin's words for one handbook: an introduction, extra text per part, and part 3's details."""

    intro = TextAreaField(_l("คำนำ"), validators=_TEXT)
    how_to = TextAreaField(_l("ข้อความเพิ่มเติม: ช่องทางและวิธีการร้องเรียน"), validators=_TEXT)
    steps = TextAreaField(_l("ข้อความเพิ่มเติม: ขั้นตอนการจัดการเรื่องร้องเรียน"), validators=_TEXT)
    responsible = TextAreaField(_l("ข้อความเพิ่มเติม: หน่วยงานและเจ้าหน้าที่ผู้รับผิดชอบ"), validators=_TEXT)
    time_frame = TextAreaField(_l("ข้อความเพิ่มเติม: ระยะเวลาดำเนินการ"), validators=_TEXT)
    unit_id = ThaiSelectField(_l("หน่วยงานที่รับผิดชอบ"), coerce=int, validate_choice=True)
    officer_title = StringField(_l("ตำแหน่งเจ้าหน้าที่ผู้รับผิดชอบ"), validators=[
        Optional(), Length(max=handbooks.MAX_TITLE, message=_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=handbooks.MAX_TITLE))])
    contact = StringField(_l("ช่องทางติดต่อผู้รับผิดชอบ"), validators=[
        Optional(), Length(max=handbooks.MAX_CONTACT,
                           message=_l("ยาวได้ไม่เกิน %(n)s ตัวอักษร", n=handbooks.MAX_CONTACT))])


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


@bp.route("/handbooks")
@roles_required(ADMIN)
def handbook_list():
    """Both handbooks: whether the admin has added words, and links to edit, preview and PDF."""
    rows = [(kind, handbooks.TITLES[kind], handbooks.get(kind)) for kind in KINDS]
    return render_template("admin/handbooks.html", rows=rows)


@bp.route("/handbooks/<kind>", methods=["GET", "POST"])
@roles_required(ADMIN)
def handbook_edit(kind: str):
    """Edit one handbook's words beside the facts that the settings put in it."""
    kind = _kind(kind)
    saved = handbooks.get(kind)
    form = HandbookForm(obj=saved)
    form.unit_id.choices = unit_choices(_("— ตามหน่วยงานของเจ้าหน้าที่ (คำนวณอัตโนมัติ) —"),
                                        saved.unit if saved is not None else None)
    if form.validate_on_submit():
        data = handbooks.HandbookInput(
            intro=form.intro.data, how_to=form.how_to.data, steps=form.steps.data,
            responsible=form.responsible.data, time_frame=form.time_frame.data, unit_id=form.unit_id.data,
            officer_title=form.officer_title.data, contact=form.contact.data)
        try:
            changed = handbooks.save(kind, data, actor=current_user._get_current_object(), now=utcnow())
        except AdminError as exc:
            db.session.rollback()
            field = getattr(form, exc.field, None) if exc.field else None
            if field is not None:
                field.errors = list(field.errors) + [str(exc)]
            else:
                form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("บันทึกคู่มือแล้ว") if changed else _("ไม่มีการเปลี่ยนแปลง"), "success")
            return redirect(url_for("admin.handbook_edit", kind=kind), code=303)
    page = handbooks.view(kind)
    who = handbooks.from_settings(kind)
    return render_template("admin/handbook_form.html", form=form, kind=kind, page=page, who=who,
                           role_label=ROLE_LABELS[handbooks.default_role(kind)], sources=SOURCES,
                           fields={key: getattr(form, key) for key in handbooks.PART_FIELDS}), \
        400 if form.errors or form.form_errors else 200
