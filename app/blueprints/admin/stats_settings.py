"""Admin: settings of the public statistics (ITA item codes per fiscal year, small-count threshold, digits)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from ... import thai
from ...extensions import db
from ...models.base import utcnow
from ...models.case import CORRUPTION, GENERAL
from ...models.people import ADMIN
from ...security.access import roles_required
from ...services import stats, stats_settings
from ...services.stats_settings import SettingsError
from . import bp
from .forms import ThaiIntegerField, ThaiSelectField

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms
    def _Choice(value, label):  # noqa: N802
        return (value, label)

#: How many past fiscal years the ITA-code form offers besides those with data or codes.
PAST_YEARS = 5


class DisplayForm(FlaskForm):
    """Small-count threshold and digits."""

    small_count_threshold = ThaiIntegerField(
        _l("เกณฑ์จำนวนน้อย (หน้าสถิติเรื่องร้องเรียนการทุจริต)"),
        validators=[InputRequired(message=_l("กรุณากรอกเป็นตัวเลข")),
                    NumberRange(min=0, max=stats_settings.MAX_THRESHOLD,
                                message=_l("ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง %(max)s",
                                           max=stats_settings.MAX_THRESHOLD))])
    digits = RadioField(_l("รูปแบบตัวเลขบนหน้าสถิติและไฟล์ PDF"),
                        choices=[_Choice("arabic", _l("เลขอารบิก (0 1 2 3)")), _Choice("thai", _l("เลขไทย (๐ ๑ ๒ ๓)"))],
                        validators=[InputRequired(message=_l("กรุณาเลือกจากรายการ"))])


class ItaForm(FlaskForm):
    """The ITA item codes of one fiscal year."""

    fiscal_year = ThaiSelectField(_l("ปีงบประมาณ พ.ศ."), coerce=int)
    corruption_code = StringField(_l("รหัสข้อ ITA ของหน้าสถิติเรื่องร้องเรียนการทุจริต"),
                                  validators=[Length(max=20, message=_l("ยาวได้ไม่เกิน 20 ตัวอักษร"))])
    general_code = StringField(_l("รหัสข้อ ITA ของหน้าสถิติเรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
                               validators=[Length(max=20, message=_l("ยาวได้ไม่เกิน 20 ตัวอักษร"))])


def _years(codes: dict[int, dict[str, str]]) -> list[int]:
    current = thai.fiscal_year(utcnow())
    years = set(range(current - PAST_YEARS, current + 2)) | set(codes)
    for channel in (CORRUPTION, GENERAL):
        years |= set(stats.years_with_data(channel))
    return sorted(years, reverse=True)


def _field_error(form, exc: SettingsError) -> None:
    db.session.rollback()
    field = getattr(form, exc.field or "", None)
    if field is not None:
        field.errors = list(field.errors) + [str(exc.message)]
    else:
        flash(str(exc.message), "error")


@bp.route("/statistics", methods=["GET", "POST"])
@roles_required(ADMIN)
def statistics_settings():
    """Show and save the statistics settings; the ITA form posts to its own URL."""
    settings = stats_settings.get()
    codes = stats_settings.ita_codes()
    display = DisplayForm(prefix="display", data=None if request.method == "POST" else {
        "small_count_threshold": settings.small_count_threshold, "digits": settings.digits})
    current = thai.fiscal_year(utcnow())
    chosen = request.args.get("fy", type=int) or current
    ita = ItaForm(prefix="ita", formdata=None, data={
        "fiscal_year": chosen, "corruption_code": codes.get(chosen, {}).get(CORRUPTION, ""),
        "general_code": codes.get(chosen, {}).get(GENERAL, "")})
    ita.fiscal_year.choices = [_Choice(y, str(y)) for y in _years(codes)]
    status = 200
    if request.method == "POST":
        if display.validate_on_submit():
            try:
                changed = stats_settings.update(small_count_threshold=display.small_count_threshold.data,
                                                digits=display.digits.data,
                                                actor=current_user._get_current_object(), now=utcnow())
            except SettingsError as exc:
                _field_error(display, exc)
            else:
                db.session.commit()
                flash(_("บันทึกการตั้งค่าแล้ว") if changed else _("ไม่มีการเปลี่ยนแปลง"), "success")
                return redirect(url_for("admin.statistics_settings"), code=303)
        status = 400
    return _render(display, ita, codes, status)


@bp.route("/statistics/ita", methods=["POST"])
@roles_required(ADMIN)
def statistics_ita():
    """Save the ITA item codes of one fiscal year (an empty code removes it)."""
    codes = stats_settings.ita_codes()
    settings = stats_settings.get()
    ita = ItaForm(prefix="ita")
    ita.fiscal_year.choices = [_Choice(y, str(y)) for y in _years(codes)]
    display = DisplayForm(prefix="display", formdata=None, data={
        "small_count_threshold": settings.small_count_threshold, "digits": settings.digits})
    if ita.validate_on_submit():
        actor, now = current_user._get_current_object(), utcnow()
        try:
            changed = False
            for channel, field in ((CORRUPTION, ita.corruption_code), (GENERAL, ita.general_code)):
                changed |= stats_settings.set_ita_code(ita.fiscal_year.data, channel, field.data or "",
                                                       actor=actor, now=now)
        except SettingsError as exc:
            _field_error(ita, exc)
        else:
            db.session.commit()
            flash(_("บันทึกรหัสข้อ ITA ของปีงบประมาณ %(year)s แล้ว", year=ita.fiscal_year.data) if changed
                  else _("ไม่มีการเปลี่ยนแปลง"), "success")
            return redirect(url_for("admin.statistics_settings", fy=ita.fiscal_year.data), code=303)
    return _render(display, ita, codes, 400)


def _render(display: DisplayForm, ita: ItaForm, codes: dict, status: int):
    return render_template("stats/admin_settings.html", display=display, ita=ita, codes=codes,
                           max_threshold=stats_settings.MAX_THRESHOLD, CORRUPTION=CORRUPTION,
                           GENERAL=GENERAL), status
