"""Forms of the administrator's screens (CSRF through Flask-WTF, Thai messages beside each field)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, EmailField, IntegerField, SelectField, StringField, TelField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, ValidationError, Email, Length, NumberRange, Optional, Regexp, URL

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms
    def _Choice(value, label):  # noqa: N802
        return (value, label)

from ...labels import CHANNEL_LABELS, ORG_TYPE_LABELS, ROLE_LABELS
from ...models import Unit
from ...models.org import ORG_TYPES
from ...models.people import ROLES
from ...services import settings as settings_service
from ...services.categories import CATEGORY_CHANNELS
from ...services.organisation import active_units

class ThaiIntegerField(IntegerField):
    """An integer field whose "not a number" message is Thai (WTForms ships no Thai catalogue)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("กรุณากรอกเป็นตัวเลข"))) from exc


class ThaiDateField(DateField):
    """A date box (YYYY-MM-DD, as browsers send it) whose "not a date" message is Thai."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("กรุณาระบุวันที่ให้ถูกต้อง"))) from exc


class ThaiSelectField(SelectField):
    """A select whose "not a valid choice" messages are Thai."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("กรุณาเลือกจากรายการ"))) from exc

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(str(_l("กรุณาเลือกจากรายการ"))) from exc


_EMAIL = [Optional(), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร")),
          Email(message=_l("รูปแบบอีเมลไม่ถูกต้อง"))]
_SORT = [Optional(), NumberRange(min=0, max=9999, message=_l("กรุณากรอกตัวเลข 0 ถึง 9999"))]
_SORT_HINT = _l("ตัวเลขน้อยแสดงก่อน")


def unit_choices(blank: str, current: Unit | None = None) -> list:
    """Active units for a select, plus the current one if it has been retired; 0 means none."""
    units = active_units()
    if current is not None and current not in units:
        units.append(current)
    return [_Choice(0, blank)] + [
        _Choice(u.id, u.name if u.active else f"{u.name} ({_l('ปิดใช้งาน')})") for u in units]


class _RoleFieldsMixin:
    """One checkbox per role; a user may hold several."""

    def role_fields(self) -> list:
        """The role checkboxes in the order screens list roles."""
        return [getattr(self, f"role_{role}") for role in ROLES]

    def chosen_roles(self) -> list[str]:
        """Names of the ticked roles."""
        return [role for role in ROLES if getattr(self, f"role_{role}").data]

    def tick_roles(self, roles: set[str]) -> None:
        """Pre-tick the boxes of the roles a user holds."""
        for role in ROLES:
            getattr(self, f"role_{role}").data = role in roles


class _UserFields(_RoleFieldsMixin, FlaskForm):
    full_name = StringField(_l("ชื่อ-นามสกุล"), validators=[
        DataRequired(_l("กรุณากรอกชื่อ-นามสกุล")), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    position = StringField(_l("ตำแหน่ง"), validators=[
        Optional(), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    email = EmailField(_l("อีเมล"), validators=_EMAIL)
    unit_id = ThaiSelectField(_l("สังกัดหน่วยงาน"), coerce=int, validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: Messages about the role checkboxes as a group.
        self.role_errors: list[str] = []


class UserCreateForm(_UserFields):
    """A new staff account; the password is generated, never typed."""

    username = StringField(_l("ชื่อผู้ใช้"), validators=[
        DataRequired(_l("กรุณากรอกชื่อผู้ใช้")),
        Length(min=3, max=80, message=_l("ชื่อผู้ใช้ต้องยาว 3 ถึง 80 ตัวอักษร")),
        Regexp(r"^\s*[A-Za-z0-9._-]+\s*$",
               message=_l("ชื่อผู้ใช้ใช้ได้เฉพาะอักษรภาษาอังกฤษ ตัวเลข จุด ขีดกลาง และขีดล่าง")),
    ])


class UserEditForm(_UserFields):
    """Details, roles and the active flag of an existing account."""

    active = BooleanField(_l("เปิดใช้งานบัญชีนี้"))


for _role in ROLES:
    setattr(_UserFields, f"role_{_role}", BooleanField(ROLE_LABELS[_role]))


class ConfirmForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


class UnitForm(FlaskForm):
    """Name and display order of a unit."""

    name = StringField(_l("ชื่อหน่วยงาน"), validators=[
        DataRequired(_l("กรุณากรอกชื่อหน่วยงาน")), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    sort_order = ThaiIntegerField(_l("ลำดับการแสดง"), default=0, validators=_SORT)

    sort_hint = _SORT_HINT


class UnitEditForm(UnitForm):
    """An existing unit: also its head, chosen among the unit's active staff."""

    #: Checked by the service (an active member of the unit); absent from the POST means "unchanged".
    head_id = ThaiSelectField(_l("หัวหน้าหน่วยงาน"), coerce=int, validate_choice=False)

    head_hint = _l("หัวหน้าหน่วยงานได้รับการแจ้งเตือนเมื่อเรื่องของหน่วยงานเกินกำหนด "
                   "เลือกได้จากเจ้าหน้าที่ที่สังกัดหน่วยงานนี้และยังใช้งานอยู่")


def head_choices(candidates, current=None) -> list:
    """The unit's active staff for the head select (plus the current head if no longer eligible)."""
    people = list(candidates)
    if current is not None and current not in people:
        people.append(current)
    return [_Choice(0, _l("— ยังไม่ระบุ —"))] + [
        _Choice(u.id, f"{u.full_name}{' · ' + u.position if u.position else ''}") for u in people]


#: Day modes of the SLA settings, in Thai.
DAY_MODE_LABELS = {
    "calendar": _l("วันตามปฏิทิน"),
    "working": _l("วันทำการ (ไม่นับเสาร์-อาทิตย์ วันหยุดราชการ และวันหยุดขององค์กร)"),
}


class SlaForm(FlaskForm):
    """One channel's deadline rule (each channel has its own form, told apart by its prefix)."""

    days = ThaiIntegerField(_l("จำนวนวันที่ต้องดำเนินการให้แล้วเสร็จ"), validators=[
        InputRequired(_l("กรุณากรอกจำนวนวัน")),
        NumberRange(min=1, max=90, message=_l("จำนวนวันต้องเป็นตัวเลข 1 ถึง 90"))])
    mode = ThaiSelectField(_l("วิธีนับวัน"), choices=[_Choice(k, v) for k, v in DAY_MODE_LABELS.items()])
    reminder_days = StringField(_l("แจ้งเตือนเจ้าหน้าที่ก่อนครบกำหนด (วัน)"), validators=[
        Length(max=50, message=_l("ยาวได้ไม่เกิน 50 ตัวอักษร"))])

    def validate_reminder_days(self, field) -> None:
        """Checked here too, so every mistake on the form shows at once (the service checks again)."""
        problem = settings_service.reminder_days_problem(field.data or "")
        if problem:
            raise ValidationError(str(problem))

    reminder_hint = _l("ตัวเลขคั่นด้วยจุลภาค เช่น 5,2,0 คือแจ้งเตือนก่อนครบกำหนด 5 วัน 2 วัน และในวันครบกำหนด "
                       "หลังเกินกำหนดระบบแจ้งเตือนทุกวันโดยอัตโนมัติ")


class HolidayForm(FlaskForm):
    """An organisation holiday."""

    day = ThaiDateField(_l("วันที่"), validators=[InputRequired(_l("กรุณาระบุวันที่"))])
    name = StringField(_l("ชื่อวันหยุด"), validators=[
        DataRequired(_l("กรุณากรอกชื่อวันหยุด")), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])

    day_hint = _l("เลือกจากปฏิทิน (หรือพิมพ์ปี-เดือน-วัน เช่น 2569-05-15 ใช้ปี พ.ศ. หรือ ค.ศ. ก็ได้) "
                  "วันเสาร์-อาทิตย์และวันหยุดราชการระบบข้ามให้แล้ว ไม่ต้องเพิ่ม")


#: Which form offers a category, in Thai.
CATEGORY_CHANNEL_LABELS = {
    "general": CHANNEL_LABELS["general"],
    "corruption": CHANNEL_LABELS["corruption"],
    "both": _l("ทั้งสองช่องทาง"),
}


class CategoryForm(FlaskForm):
    """A case category."""

    code = StringField(_l("รหัส"), validators=[
        DataRequired(_l("กรุณากรอกรหัส")),
        Regexp(r"^[a-z0-9_-]{1,40}$",
               message=_l("รหัสต้องเป็นอักษรภาษาอังกฤษตัวเล็ก ตัวเลข _ หรือ - เท่านั้น (ไม่เกิน 40 ตัว)")),
    ])
    name = StringField(_l("ชื่อประเภทเรื่อง"), validators=[
        DataRequired(_l("กรุณากรอกชื่อประเภทเรื่อง")), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    channel = ThaiSelectField(_l("ใช้กับช่องทาง"), default="general",
                              choices=[_Choice(c, CATEGORY_CHANNEL_LABELS[c]) for c in CATEGORY_CHANNELS])
    default_unit_id = ThaiSelectField(_l("หน่วยงานที่รับผิดชอบโดยปกติ"), coerce=int)
    sort_order = ThaiIntegerField(_l("ลำดับการแสดง"), default=0, validators=_SORT)
    active = BooleanField(_l("เปิดใช้งาน (แสดงในแบบฟอร์ม)"), default=True)

    code_hint = _l("ใช้ในระบบที่เชื่อมต่อผ่าน API เช่น road หากเปลี่ยน ระบบเหล่านั้นต้องปรับตาม")
    sort_hint = _SORT_HINT


class OrganisationForm(FlaskForm):
    """The organisation profile and its logo."""

    name = StringField(_l("ชื่อองค์กร"), validators=[
        DataRequired(_l("กรุณากรอกชื่อองค์กร")), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    short_name = StringField(_l("ชื่อย่อ"), validators=[
        DataRequired(_l("กรุณากรอกชื่อย่อ")), Length(max=100, message=_l("ยาวได้ไม่เกิน 100 ตัวอักษร"))])
    org_type = ThaiSelectField(_l("ประเภทองค์กร"),
                               choices=[_Choice(k, ORG_TYPE_LABELS.get(k, v)) for k, v in ORG_TYPES.items()])
    address = TextAreaField(_l("ที่อยู่"), validators=[
        Optional(), Length(max=1000, message=_l("ยาวได้ไม่เกิน 1000 ตัวอักษร"))])
    phone = TelField(_l("โทรศัพท์"), validators=[
        Optional(), Length(max=50, message=_l("ยาวได้ไม่เกิน 50 ตัวอักษร"))])
    email = EmailField(_l("อีเมล"), validators=_EMAIL)
    website = StringField(_l("เว็บไซต์"), validators=[
        Optional(), Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร")),
        URL(message=_l("กรุณากรอกที่อยู่เว็บไซต์ให้ครบ เช่น https://www.example.go.th"))])
    logo = FileField(_l("โลโก้"), render_kw={"accept": "image/png,image/jpeg"})
    remove_logo = BooleanField(_l("ลบโลโก้ปัจจุบัน"))

    short_name_hint = _l("ใช้ที่หัวเว็บไซต์และเอกสาร เช่น อบต.บ้านโป่ง")
    logo_hint = _l("ไฟล์ PNG หรือ JPEG ขนาดไม่เกิน 1 MB ระบบจะย่อให้ไม่เกิน 512 พิกเซลและลบข้อมูลแฝงในภาพออก")


class AuditFilterForm(FlaskForm):
    """Filter of the audit log (a GET form: reading changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    action = StringField(_l("ประเภทการกระทำ (ขึ้นต้นด้วย)"), validators=[
        Optional(), Length(max=60, message=_l("ยาวได้ไม่เกิน 60 ตัวอักษร"))])
