"""Admin views: users, units, categories, organisation profile, audit log (thin: form → service → redirect)."""
from __future__ import annotations

import hashlib
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import get_locale, pgettext
from flask_login import current_user

from ...extensions import db
from ...models import Organisation, User
from ...models.base import utcnow
from ...labels import CHANNEL_LABELS
from ...models.people import ADMIN
from ...security.access import public, roles_required
from ...services import admin as admin_service
from ...services import categories as category_service
from ...services import settings as settings_service
from ...services import units as unit_service
from ...services.admin import AdminError
from . import bp
from .forms import (
    CATEGORY_CHANNEL_LABELS,
    AuditFilterForm,
    DAY_MODE_LABELS,
    CategoryForm,
    ConfirmForm,
    HolidayForm,
    OrganisationForm,
    SlaForm,
    UnitEditForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
    head_choices,
    unit_choices,
)

def _target_labels() -> dict[str, str]:
    """Names of the records the audit log points at, in the visitor's language."""
    return {
        "user": _("ผู้ใช้"),
        "unit": _("หน่วยงาน"),
        "category": _("ประเภทเรื่อง"),
        "organisation": _("ข้อมูลองค์กร"),
        "case": pgettext("audit log target", "เรื่อง"),  # "Case" (elsewhere เรื่อง is a subject)
        "sla": _("กำหนดเวลาดำเนินการ"),
        "holiday": _("วันหยุดขององค์กร"),
        "outbox": _("อีเมลขาออก"),
        "statistics_settings": _("การเผยแพร่สถิติ"),
        "ita_code": _("รหัสตัวชี้วัด ITA"),
        "plan": _("แผนปฏิบัติการป้องกันการทุจริต"),
        "handbook": _("คู่มือการร้องเรียน"),
        "summary_report": _("รายงานสรุปผลการดำเนินการเรื่องร้องเรียน"),
        "letter": _("ทะเบียนหนังสือส่ง"),
        "letter_settings": _("หนังสือราชการ"),
        "signatory": _("ผู้ลงนาม"),
    }


def _actor() -> User:
    return current_user._get_current_object()


def _show_error(form, exc: AdminError) -> None:
    """Put a service's refusal next to the field it concerns (or at the top of the form)."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if exc.field == "roles" and hasattr(form, "role_errors"):
        form.role_errors.append(str(exc))
    elif field is not None:
        field.errors = list(field.errors) + [str(exc)]
    else:
        form.form_errors.append(str(exc))


def _load(getter, object_id: int):
    obj = getter(object_id)
    if obj is None:
        abort(404)
    return obj


def _logo_version(org: Organisation | None) -> str | None:
    if org is None or org.id is None or not org.logo_mimetype or org.updated_at is None:
        return None
    return str(int(org.updated_at.timestamp()))


@bp.app_template_global()
def org_logo_url(org: Organisation | None) -> str | None:
    """URL of the organisation's logo, versioned so browsers may cache it for a year; None if no logo."""
    version = _logo_version(org)
    return url_for("admin.logo", v=version) if version else None


@bp.route("/")
@roles_required(ADMIN)
def index():
    """The admin start page."""
    failed = settings_service.failed_count()
    tiles = [
        {"url": url_for("admin.users"), "title": _("ผู้ใช้งาน"),
         "text": _("เพิ่มเจ้าหน้าที่ กำหนดบทบาท ตั้งรหัสผ่านใหม่ และปิดการใช้งานบัญชี")},
        {"url": url_for("admin.units"), "title": pgettext("admin section", "หน่วยงาน"),
         "text": _("กอง สำนัก และงานที่รับผิดชอบเรื่องร้องเรียน")},
        {"url": url_for("admin.categories"), "title": pgettext("admin section", "ประเภทเรื่อง"),
         "text": _("ประเภทเรื่องร้องเรียนและหน่วยงานที่รับผิดชอบโดยปกติ")},
        {"url": url_for("admin.organisation"), "title": _("ข้อมูลองค์กร"),
         "text": _("ชื่อ ที่อยู่ ช่องทางติดต่อ และโลโก้")},
        {"url": url_for("admin.sla"), "title": _("กำหนดเวลาและวันหยุด"),
         "text": _("จำนวนวันที่ต้องดำเนินการให้แล้วเสร็จ วิธีนับวัน การแจ้งเตือน และวันหยุดขององค์กร")},
        {"url": url_for("admin.outbox"), "title": _("อีเมลขาออก"),
         "text": _("อีเมลที่ส่งไม่สำเร็จหรือรอส่ง และสั่งส่งใหม่"),
         "alert": _("ส่งไม่สำเร็จ %(n)s ฉบับ", n=failed) if failed else None},
        {"url": url_for("admin.statistics_settings"), "title": _("การเผยแพร่สถิติ"),
         "text": _("รหัสตัวชี้วัด ITA ของแต่ละปี การปกปิดจำนวนน้อย และรูปแบบตัวเลข")},
        {"url": url_for("admin.audit_log"), "title": _("บันทึกการใช้งาน"),
         "text": _("ใครทำอะไรในระบบ เมื่อใด")},
    ]
    return render_template("admin/index.html", admin_tiles=tiles)


# --- users ---------------------------------------------------------------------------------------------


@bp.route("/users")
@roles_required(ADMIN)
def users():
    """Every staff account with roles, unit and last sign-in."""
    return render_template("admin/users.html", users=admin_service.list_users(), action_form=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_new():
    """Create an account; the generated password is shown once, on the page this POST returns."""
    form = UserCreateForm()
    form.unit_id.choices = unit_choices(_("— ไม่สังกัดหน่วยงาน —"))
    if form.validate_on_submit():
        try:
            issued = admin_service.create_staff_user(
                username=form.username.data, full_name=form.full_name.data, position=form.position.data,
                email=form.email.data, unit_id=form.unit_id.data, roles=form.chosen_roles(),
                actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            # Rendered rather than redirected: the password must not travel in the (signed, unencrypted)
            # session cookie, and this response is no-store.
            return render_template("admin/user_password.html", user=issued.user, password=issued.password,
                                   created=True, waiting=sorted(issued.waiting_roles))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_edit(user_id: int):
    """Edit an account's details, roles and active flag."""
    user = _load(admin_service.get_user, user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.unit_id.choices = unit_choices(_("— ไม่สังกัดหน่วยงาน —"), current=user.unit)
    if request.method == "GET":
        form.unit_id.data = user.unit_id or 0
        form.tick_roles(user.roles)
    if form.validate_on_submit():
        try:
            result = admin_service.update_staff_user(
                user, full_name=form.full_name.data, position=form.position.data, email=form.email.data,
                unit_id=form.unit_id.data, roles=form.chosen_roles(), active=form.active.data,
                actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("บันทึกข้อมูลผู้ใช้ %(name)s แล้ว", name=user.full_name), "success")
            if result.waiting_roles or result.email_waits:
                flash(_("บทบาทหรืออีเมลที่เปลี่ยนจะมีผลเมื่อเจ้าหน้าที่งานนิติการ ผู้กำกับดูแล หรือผู้บริหารอนุมัติ"),
                      "warning")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action_form=ConfirmForm())


def _set_active(user_id: int, active: bool):
    user = _load(admin_service.get_user, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        admin_service.set_user_active(user, active, actor=_actor(), now=utcnow())
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if active:
            flash(_("เปิดใช้งานบัญชี %(name)s แล้ว", name=user.full_name), "success")
        else:
            flash(_("ปิดการใช้งานบัญชี %(name)s แล้ว และออกจากระบบทุกอุปกรณ์แล้ว", name=user.full_name),
                  "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required(ADMIN)
def user_deactivate(user_id: int):
    """Deactivate an account and end all of its sessions."""
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@roles_required(ADMIN)
def user_reactivate(user_id: int):
    """Allow a deactivated account to sign in again."""
    return _set_active(user_id, True)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(ADMIN)
def user_reset_password(user_id: int):
    """Issue a new password, shown once; the user must change it and is signed out everywhere."""
    user = _load(admin_service.get_user, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issued = admin_service.reset_user_password(user, actor=_actor(), now=utcnow())
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    db.session.commit()
    if issued.password is None:
        flash(_("ส่งลิงก์ตั้งรหัสผ่านไปยังอีเมลของเจ้าของบัญชีแล้ว ผู้ดูแลระบบไม่เห็นลิงก์นี้") if issued.link == "mailed"
              else _("บัญชีนี้ไม่มีอีเมล คำขอตั้งรหัสผ่านใหม่รอผู้อนุมัติ ซึ่งจะมอบลิงก์ให้เจ้าของบัญชีด้วยตนเอง"),
              "success")
        return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return render_template("admin/user_password.html", user=issued.user, password=issued.password,
                           created=False)


# --- units ---------------------------------------------------------------------------------------------


@bp.route("/units")
@roles_required(ADMIN)
def units():
    """Every unit, active first."""
    return render_template("admin/units.html", units=unit_service.list_units(), action_form=ConfirmForm())


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def unit_new():
    """Add a unit."""
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = unit_service.create_unit(name=form.name.data, sort_order=form.sort_order.data,
                                            actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("เพิ่มหน่วยงาน %(name)s แล้ว", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def unit_edit(unit_id: int):
    """Rename or reorder a unit and name its head."""
    unit = _load(unit_service.get_unit, unit_id)
    form = UnitEditForm(obj=unit if request.method == "GET" else None)
    form.head_id.choices = head_choices(unit_service.head_candidates(unit), current=unit.head)
    if request.method == "GET":
        form.head_id.data = unit.head_id or 0
    if form.validate_on_submit():
        try:
            unit_service.update_unit(unit, name=form.name.data, sort_order=form.sort_order.data,
                                     head_id=form.head_id.data if "head_id" in request.form
                                     else unit_service.KEEP_HEAD, actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("บันทึกหน่วยงาน %(name)s แล้ว", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit, action_form=ConfirmForm())


def _set_unit_active(unit_id: int, active: bool):
    unit = _load(unit_service.get_unit, unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unit_service.set_unit_active(unit, active, actor=_actor(), now=utcnow())
    db.session.commit()
    if active:
        flash(_("เปิดใช้งานหน่วยงาน %(name)s แล้ว", name=unit.name), "success")
    else:
        flash(_("ปิดใช้งานหน่วยงาน %(name)s แล้ว เรื่องเดิมยังอยู่ครบ แต่จะไม่รับเรื่องใหม่", name=unit.name),
              "success")
    return redirect(url_for("admin.units"))


@bp.route("/units/<int:unit_id>/deactivate", methods=["POST"])
@roles_required(ADMIN)
def unit_deactivate(unit_id: int):
    """Retire a unit; its history stays."""
    return _set_unit_active(unit_id, False)


@bp.route("/units/<int:unit_id>/reactivate", methods=["POST"])
@roles_required(ADMIN)
def unit_reactivate(unit_id: int):
    """Bring a retired unit back."""
    return _set_unit_active(unit_id, True)


# --- categories ----------------------------------------------------------------------------------------


@bp.route("/categories")
@roles_required(ADMIN)
def categories():
    """Every category, active first."""
    return render_template("admin/categories.html", categories=category_service.list_categories(),
                           channel_labels=CATEGORY_CHANNEL_LABELS)


@bp.route("/categories/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def category_new():
    """Add a category."""
    form = CategoryForm()
    form.default_unit_id.choices = unit_choices(_("— ไม่ระบุ —"))
    if form.validate_on_submit():
        try:
            category = category_service.create_category(
                code=form.code.data, name=form.name.data, channel=form.channel.data,
                default_unit_id=form.default_unit_id.data, active=form.active.data,
                sort_order=form.sort_order.data, actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("เพิ่มประเภทเรื่อง %(name)s แล้ว", name=category.name), "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/category_form.html", form=form, category=None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def category_edit(category_id: int):
    """Edit a category."""
    category = _load(category_service.get_category, category_id)
    form = CategoryForm(obj=category if request.method == "GET" else None)
    form.default_unit_id.choices = unit_choices(_("— ไม่ระบุ —"), current=category.default_unit)
    if request.method == "GET":
        form.default_unit_id.data = category.default_unit_id or 0
    if form.validate_on_submit():
        try:
            category_service.update_category(
                category, code=form.code.data, name=form.name.data, channel=form.channel.data,
                default_unit_id=form.default_unit_id.data, active=form.active.data,
                sort_order=form.sort_order.data, actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("บันทึกประเภทเรื่อง %(name)s แล้ว", name=category.name), "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/category_form.html", form=form, category=category)


# --- organisation profile ------------------------------------------------------------------------------


@bp.route("/organisation", methods=["GET", "POST"])
@roles_required(ADMIN)
def organisation():
    """Edit the organisation profile and logo."""
    from ...services.organisation import get_profile

    org = get_profile()
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    if form.validate_on_submit():
        upload = form.logo.data
        # Read one byte past the limit: enough to refuse an oversized file without reading all of it.
        logo = upload.read(admin_service.LOGO_MAX_BYTES + 1) if upload and upload.filename else None
        try:
            admin_service.update_organisation(
                name=form.name.data, short_name=form.short_name.data, org_type=form.org_type.data,
                address=form.address.data, phone=form.phone.data, email=form.email.data,
                website=form.website.data, logo=logo, remove_logo=form.remove_logo.data,
                actor=_actor(), now=utcnow())
        except AdminError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("บันทึกข้อมูลองค์กรแล้ว"), "success")
            return redirect(url_for("admin.organisation"))
    return render_template("admin/organisation.html", form=form, profile=org)


@bp.route("/logo")
@public
def logo():
    """The organisation's logo, open to everyone (pages and receipts show it); 404 when none is set."""
    found = admin_service.organisation_logo()
    if found is None:
        abort(404)
    data, mimetype, updated_at = found
    response = Response(data, mimetype=mimetype)
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    current = str(int(updated_at.timestamp())) if updated_at else None
    if current and request.args.get("v") == current:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response.make_conditional(request)


# --- audit log -----------------------------------------------------------------------------------------


@bp.route("/audit")
@roles_required(ADMIN)
def audit_log():
    """The audit log, newest first, 50 a page, optionally filtered by action prefix."""
    form = AuditFilterForm(request.args)
    prefix = form.action.data if form.validate() else ""
    page = request.args.get("page", 1, type=int)
    entries = admin_service.audit_page(action_prefix=prefix or "", page=page)
    return render_template("admin/audit.html", form=form, entries=entries, prefix=prefix or "",
                           case_numbers=admin_service.case_numbers(entries.items),
                           letter_numbers=admin_service.letter_numbers(entries.items),
                           prefixes=admin_service.AUDIT_PREFIXES + settings_service.AUDIT_PREFIXES + ("settings",),
                           target_labels=_target_labels())


# --- SLA settings and holidays -------------------------------------------------------------------------


def _sla_forms(failed: tuple[str, SlaForm] | None = None) -> dict[str, SlaForm]:
    forms = {}
    for channel in settings_service.CHANNELS:
        if failed and failed[0] == channel:
            forms[channel] = failed[1]
            continue
        rule = settings_service.current(channel)
        # formdata=None: a page re-shown after one channel's failed POST must not copy it into the other.
        forms[channel] = SlaForm(prefix=channel, formdata=None, days=rule.days, mode=rule.mode,
                                 reminder_days=settings_service.format_reminder_days(rule.reminder_days))
    return forms


def _render_sla(*, failed: tuple[str, SlaForm] | None = None, holiday_form: HolidayForm | None = None,
                status: int = 200):
    now = utcnow()
    year = settings_service.today(now).year
    return render_template(
        "admin/sla.html", forms=_sla_forms(failed), failed_channel=failed[0] if failed else None,
        policies={c: settings_service.current(c) for c in settings_service.CHANNELS},
        examples={c: settings_service.example_due(c, now) for c in settings_service.CHANNELS},
        now=now, day_mode_labels=DAY_MODE_LABELS,
        holiday_form=holiday_form or HolidayForm(formdata=None), action_form=ConfirmForm(),
        upcoming=settings_service.upcoming_holidays(now), past=settings_service.past_holidays(now),
        public_year=year, public_holidays=settings_service.public_holidays(year, str(get_locale() or "th")),
    ), status


@bp.route("/sla")
@roles_required(ADMIN)
def sla():
    """Deadline rules per channel, the organisation's holidays and this year's public holidays."""
    return _render_sla()


@bp.route("/sla/<channel>", methods=["POST"])
@roles_required(ADMIN)
def sla_update(channel: str):
    """Save one channel's deadline rule; it applies to cases received from now on."""
    if channel not in settings_service.CHANNELS:
        abort(404)
    form = SlaForm(prefix=channel)
    if not form.validate_on_submit():
        return _render_sla(failed=(channel, form), status=400)
    try:
        changed = settings_service.update_channel(channel, days=form.days.data, mode=form.mode.data,
                                                  reminder_days=form.reminder_days.data or "",
                                                  actor=_actor(), now=utcnow())
    except AdminError as exc:
        _show_error(form, exc)
        return _render_sla(failed=(channel, form), status=400)
    db.session.commit()
    if changed:
        flash(_("บันทึกกำหนดเวลาของ%(channel)sแล้ว มีผลกับเรื่องที่รับตั้งแต่นี้เป็นต้นไป",
                channel=CHANNEL_LABELS[channel]), "success")
    else:
        flash(_("ไม่มีการเปลี่ยนแปลง"), "success")
    return redirect(url_for("admin.sla"), code=303)


@bp.route("/holidays", methods=["POST"])
@roles_required(ADMIN)
def holiday_add():
    """Add an organisation holiday."""
    form = HolidayForm()
    if not form.validate_on_submit():
        return _render_sla(holiday_form=form, status=400)
    try:
        holiday = settings_service.add_holiday(form.day.data, form.name.data, actor=_actor(), now=utcnow())
    except AdminError as exc:
        _show_error(form, exc)
        return _render_sla(holiday_form=form, status=400)
    db.session.commit()
    flash(_("เพิ่มวันหยุด %(name)s แล้ว", name=holiday.name), "success")
    return redirect(url_for("admin.sla") + "#holidays", code=303)


@bp.route("/holidays/<day>/delete", methods=["POST"])
@roles_required(ADMIN)
def holiday_delete(day: str):
    """Remove an organisation holiday."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not settings_service.delete_holiday(parsed, actor=_actor(), now=utcnow()):
        abort(404)
    db.session.commit()
    flash(_("ลบวันหยุดแล้ว"), "success")
    return redirect(url_for("admin.sla") + "#holidays", code=303)


# --- outbox --------------------------------------------------------------------------------------------


@bp.route("/outbox")
@roles_required(ADMIN)
def outbox():
    """E-mails that failed or still wait to be sent, with masked recipients."""
    return render_template("admin/outbox.html", rows=settings_service.outbox_rows(),
                           counts=settings_service.outbox_counts(), limit=settings_service.OUTBOX_LIMIT,
                           action_form=ConfirmForm())


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@roles_required(ADMIN)
def outbox_retry(message_id: int):
    """Send a failed e-mail again (the sender picks it up on its next run)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        settings_service.retry_message(message_id, actor=_actor(), now=utcnow())
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("นำอีเมลกลับเข้าคิวแล้ว ระบบจะส่งใหม่ในรอบถัดไป"), "success")
    return redirect(url_for("admin.outbox"), code=303)


@bp.route("/outbox/retry-protected", methods=["POST"])
@roles_required(ADMIN)
def outbox_retry_protected():
    """Send the failed protected-channel e-mails again, without showing any of them."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = settings_service.retry_protected(actor=_actor(), now=utcnow())
    db.session.commit()
    flash(_("นำอีเมล %(n)s ฉบับกลับเข้าคิวแล้ว", n=count), "success")
    return redirect(url_for("admin.outbox"), code=303)
