"""Admin: the anti-corruption plans (list, create, import, export, activate) and their measures."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, Form, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ... import thai
from ...documents import plan_export as plan_files
from ...extensions import db
from ...models import Plan, User
from ...models.base import utcnow
from ...models.case import CORRUPTION, GENERAL
from ...models.people import ADMIN
from ...security.access import roles_required
from ...services import categories as category_service
from ...services import plan_import, plans
from ...services.plan_import import METRIC_NAMES, KpiSpec, PlanImportError
from ...services.plans import MeasureInput, PlanError, TargetInput
from ..downloads import file_response
from . import bp
from .forms import ConfirmForm, ThaiIntegerField, ThaiSelectField, _Choice, unit_choices

#: Target rows the plan form offers at least (a plan usually runs five years).
TARGET_ROWS = 5
#: Blank KPI rows offered under a measure's existing ones.
SPARE_KPI_ROWS = 2
_YEAR = [Optional(), NumberRange(min=plans.MIN_YEAR, max=plans.MAX_YEAR,
                                 message=_l("กรุณากรอกปี พ.ศ. เช่น 2566"))]
#: What the link words mean on screen.
LINK_LABELS = {GENERAL: _l("เรื่องร้องเรียนทั่วไป"), CORRUPTION: _l("เรื่องร้องเรียนการทุจริต")}


def _actor() -> User:
    return current_user._get_current_object()


def _plan_or_404(plan_id: int) -> Plan:
    plan = plans.get_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


def _percent_check(form, field) -> None:
    try:
        plan_import.parse_target(field.data or "", "reduction_vs_baseline")
    except ValueError as exc:
        raise ValidationError(_("กรุณากรอกตัวเลข 0 ถึง 100")) from exc


def _decimal(text: str) -> Decimal | None:
    return plan_import.parse_target(text or "", "reduction_vs_baseline")


# ---------------------------------------------------------------- forms


class TargetRowForm(Form):
    """One fiscal year's goal (a sub-form: the outer form carries the CSRF token)."""

    fiscal_year = ThaiIntegerField(_l("ปีงบประมาณ พ.ศ."), validators=_YEAR)
    reduction_percent = StringField(_l("จำนวนคดีทุจริตลดลง (ร้อยละ)"), validators=[_percent_check])
    ita_score = StringField(_l("คะแนน ITA"), validators=[_percent_check])


class PlanForm(FlaskForm):
    """A plan's title, years, baseline and yearly targets."""

    title = StringField(_l("ชื่อแผน"), validators=[
        DataRequired(_l("กรุณากรอกชื่อแผน")), Length(max=plans.MAX_TITLE, message=_l("ยาวได้ไม่เกิน 300 ตัวอักษร"))])
    start_year = ThaiIntegerField(_l("ปีงบประมาณเริ่มต้น (พ.ศ.)"), validators=[
        InputRequired(_l("กรุณากรอกปี พ.ศ. เช่น 2566"))] + _YEAR[1:])
    end_year = ThaiIntegerField(_l("ปีงบประมาณสิ้นสุด (พ.ศ.)"), validators=[
        InputRequired(_l("กรุณากรอกปี พ.ศ. เช่น 2570"))] + _YEAR[1:])
    baseline_year = ThaiIntegerField(_l("ปีฐานสำหรับคำนวณการลดลง (พ.ศ.)"), validators=_YEAR)
    targets = FieldList(FormField(TargetRowForm), min_entries=TARGET_ROWS)

    baseline_hint = _l("เช่น 2565 ตามที่แผนเขียนว่า “จำนวนคดีทุจริตลดลง (คำนวณจากปี 2565)”")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: Problems of the target rows as a whole.
        self.target_errors: list[str] = []

    def chosen_targets(self) -> dict[int, TargetInput] | None:
        """The filled target rows by year; None (with target_errors set) when they contradict."""
        out: dict[int, TargetInput] = {}
        for entry in self.targets:
            row = entry.form
            year = row.fiscal_year.data
            reduction, ita = _decimal(row.reduction_percent.data), _decimal(row.ita_score.data)
            if year is None:
                if reduction is not None or ita is not None:
                    self.target_errors.append(_("กรุณากรอกปีของค่าเป้าหมายทุกแถวที่มีตัวเลข"))
                    return None
                continue
            if year in out:
                self.target_errors.append(_("ปี %(year)s มีค่าเป้าหมายซ้ำกัน", year=year))
                return None
            out[year] = TargetInput(reduction, ita)
        return out


def _plan_form(plan: Plan | None) -> PlanForm:
    if request.method == "POST":
        return PlanForm()
    if plan is None:
        first = thai.fiscal_year(utcnow())
        years = list(range(first, first + TARGET_ROWS))
        data = {"start_year": first, "end_year": years[-1], "baseline_year": first - 1,
                "targets": [{"fiscal_year": y} for y in years]}
    else:
        by_year = {t.fiscal_year: t for t in plan.targets}
        years = sorted(set(plans.plan_years(plan)) | set(by_year))
        rows = []
        for year in years:
            target = by_year.get(year)
            rows.append({"fiscal_year": year,
                         "reduction_percent": _number(target.reduction_percent) if target else "",
                         "ita_score": _number(target.ita_score) if target else ""})
        rows += [{}] * max(0, TARGET_ROWS - len(rows))
        data = {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
                "baseline_year": plan.baseline_year, "targets": rows}
    return PlanForm(data=data)


def _number(value) -> str:
    return "" if value is None else plan_import.format_number(value)


class ImportForm(FlaskForm):
    """Upload a CSV/XLSX file of measures."""

    file = FileField(_l("ไฟล์มาตรการ (CSV หรือ XLSX)"), render_kw={
        "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    default_links = BooleanField(
        _l("เชื่อมโยงเรื่องร้องเรียนให้อัตโนมัติเมื่อไฟล์ไม่มีคอลัมน์ “เชื่อมโยงเรื่องร้องเรียน”"), default=True)

    default_links_hint = _l("รหัสที่ขึ้นต้นด้วย 3.2. เชื่อมกับเรื่องร้องเรียนทั่วไป รหัส 4.3.1 และ 4.3.2 "
                            "เชื่อมกับเรื่องร้องเรียนการทุจริต ตรวจสอบและแก้ไขได้ที่หน้ามาตรการ")


class ShippedForm(FlaskForm):
    """Load one of the ready-made plans."""

    activate = BooleanField(_l("ใช้เป็นแผนปัจจุบันทันที"))


class KpiRowForm(Form):
    """One KPI of a measure."""

    label = TextAreaField(_l("ตัวชี้วัด"), validators=[Length(max=2000, message=_l("ยาวได้ไม่เกิน 2000 ตัวอักษร"))],
                          render_kw={"rows": 2})
    metric = ThaiSelectField(_l("คำนวณจากเรื่องร้องเรียน"), default="")
    target = StringField(_l("ค่าเป้าหมาย"))

    def validate_target(self, field) -> None:
        """A number; at most 100 for a percentage."""
        try:
            plan_import.parse_target(field.data or "", self.metric.data or None)
        except ValueError as exc:
            raise ValidationError(_("ค่าเป้าหมายต้องเป็นตัวเลข 0 ขึ้นไป (ร้อยละไม่เกิน 100)")) from exc

    def validate_label(self, field) -> None:
        """The braces belong to the file format's machine part."""
        if "{" in (field.data or "") or "}" in (field.data or ""):
            raise ValidationError(_("ข้อความตัวชี้วัดต้องไม่มีวงเล็บปีกกา { }"))


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (usable on a phone, no JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(str(_l("กรุณาเลือกจากรายการ"))) from exc


class MeasureForm(FlaskForm):
    """Every field of a measure; budget fields (``budget_<year>``) are added per plan."""

    running_no = ThaiIntegerField(_l("ลำดับ"), validators=[
        InputRequired(_l("กรุณากรอกลำดับ")), NumberRange(min=1, max=99999, message=_l("ลำดับต้องเป็นจำนวนเต็มบวก"))])
    codes = StringField(_l("รหัสมาตรการ"), validators=[Length(max=200, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    title = TextAreaField(_l("โครงการ/กิจกรรม/มาตรการ"), validators=[
        DataRequired(_l("กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ")),
        Length(max=2000, message=_l("ยาวได้ไม่เกิน 2000 ตัวอักษร"))], render_kw={"rows": 3})
    dimension = ThaiIntegerField(_l("มิติ"), validators=[
        InputRequired(_l("กรุณากรอกมิติ")), NumberRange(min=1, max=99, message=_l("มิติต้องเป็นจำนวนเต็ม เช่น 4"))])
    dimension_title = StringField(_l("ชื่อมิติ"), validators=[
        Length(max=500, message=_l("ยาวได้ไม่เกิน 500 ตัวอักษร"))])
    mission = StringField(_l("ภารกิจ"), validators=[DataRequired(_l("กรุณากรอกรหัสภารกิจ เช่น 4.3"))])
    mission_title = StringField(_l("ชื่อภารกิจ"), validators=[
        Length(max=1000, message=_l("ยาวได้ไม่เกิน 1000 ตัวอักษร"))])
    steps = TextAreaField(_l("ขั้นตอนหรือวิธีการปฏิบัติ"), validators=[
        Length(max=20000, message=_l("ยาวได้ไม่เกิน 20000 ตัวอักษร"))])
    responsible = StringField(_l("ผู้รับผิดชอบ"), validators=[
        Length(max=plan_import.MAX_RESPONSIBLE, message=_l("ยาวได้ไม่เกิน 300 ตัวอักษร"))])
    unit_id = ThaiSelectField(_l("หน่วยงานในระบบ"), coerce=int)
    due_text = StringField(_l("กำหนดแล้วเสร็จ"), validators=[
        Length(max=plan_import.MAX_DUE, message=_l("ยาวได้ไม่เกิน 200 ตัวอักษร"))])
    monitoring = TextAreaField(_l("การกำกับติดตาม"), validators=[
        Length(max=5000, message=_l("ยาวได้ไม่เกิน 5000 ตัวอักษร"))], render_kw={"rows": 3})
    note = TextAreaField(_l("หมายเหตุ"), validators=[Length(max=5000, message=_l("ยาวได้ไม่เกิน 5000 ตัวอักษร"))],
                         render_kw={"rows": 3})
    kpis = FieldList(FormField(KpiRowForm))
    link_general = BooleanField(LINK_LABELS[GENERAL])
    link_corruption = BooleanField(LINK_LABELS[CORRUPTION])
    category_ids = MultiCheckboxField(_l("เฉพาะประเภทเรื่อง"), coerce=int)

    codes_hint = _l("คั่นหลายรหัสด้วยจุลภาค เช่น 3.2.1, 3.2.2 รหัสเป็นเพียงป้ายกำกับตามแผนขององค์กร")
    mission_hint = _l("รหัสภารกิจ เช่น 4.3 ถ้าเป็นภารกิจใหม่ระบบจะสร้างให้ "
                      "ชื่อมิติและชื่อภารกิจใช้ร่วมกับมาตรการอื่นในภารกิจเดียวกัน")
    unit_hint = _l("เลือกหน่วยงานที่ตรงกับผู้รับผิดชอบ (ถ้ามี)")
    links_hint = _l("เรื่องร้องเรียนที่เชื่อมโยงเป็นหลักฐานของมาตรการ ใช้คำนวณตัวชี้วัดจากเรื่องร้องเรียนจริง")
    budget_hint = _l("จำนวนเงิน (บาท) เว้นว่างหรือ - ถ้าไม่มีงบประมาณ")

    def budget_fields(self) -> list:
        """The budget boxes, one per year."""
        return [f for f in self if f.name.startswith("budget_")]


def _budget_check(form, field) -> None:
    try:
        plan_import.parse_amount(field.data or "")
    except ValueError as exc:
        raise ValidationError(_("กรุณากรอกจำนวนเงินเป็นตัวเลข เช่น 20,000 หรือเว้นว่าง")) from exc


def _measure_form(plan: Plan, measure=None) -> MeasureForm:
    years = plans.plan_years(plan)
    if measure is not None:
        years = sorted(set(years) | {b.fiscal_year for b in measure.budgets})
    form_class = type("PlanMeasureForm", (MeasureForm,), {
        f"budget_{y}": StringField(_l("ปี %(year)s", year=y), validators=[_budget_check]) for y in years})
    form = form_class() if request.method == "POST" else form_class(data=_measure_data(plan, measure))
    metric_choices = [_Choice("", _l("— ไม่คำนวณ (รายงานเป็นข้อความ) —"))] + [
        _Choice(m, METRIC_NAMES[m]) for m in METRIC_NAMES]
    for entry in form.kpis:
        entry.form.metric.choices = metric_choices
    form.unit_id.choices = unit_choices(_("— ไม่ระบุ —"), current=measure.unit if measure else None)
    categories = category_service.list_categories()
    form.category_ids.choices = [_Choice(c.id, c.name if c.active else f"{c.name} ({_('ปิดใช้งาน')})")
                                 for c in categories]
    return form


def _measure_data(plan: Plan, measure) -> dict:
    """What the measure form shows first: the measure's values, or the next running number."""
    if measure is None:
        last = max((m.running_no for m in plan.measures), default=0)
        return {"running_no": last + 1, "unit_id": 0, "kpis": [{} for _ in range(SPARE_KPI_ROWS)]}
    mission = measure.mission
    data = {
        "running_no": measure.running_no, "codes": measure.code_text, "title": measure.title,
        "dimension": mission.dimension.number, "dimension_title": mission.dimension.title,
        "mission": mission.code, "mission_title": mission.title, "steps": measure.steps,
        "responsible": measure.responsible, "unit_id": measure.unit_id or 0, "due_text": measure.due_text,
        "monitoring": measure.monitoring, "note": measure.note,
        "kpis": [{"label": k.label, "metric": k.metric or "", "target": _number(k.target)} for k in measure.kpis]
                + [{} for _ in range(SPARE_KPI_ROWS)],
        "link_general": any(link.channel == GENERAL for link in measure.links),
        "link_corruption": any(link.channel == CORRUPTION for link in measure.links),
        "category_ids": [link.category_id for link in measure.links if link.category_id],
    }
    for budget in measure.budgets:
        data[f"budget_{budget.fiscal_year}"] = "" if budget.amount is None else plan_import.format_number(budget.amount)
    return data


def _measure_input(form: MeasureForm) -> MeasureInput | None:
    """The form as service input; None (with the error beside the codes) when the codes are not codes."""
    try:
        codes = plan_import.parse_codes(form.codes.data or "")
    except ValueError as exc:
        form.codes.errors = list(form.codes.errors) + [
            _("รหัส “%(code)s” ไม่ถูกต้อง ใช้ตัวเลขคั่นด้วยจุด เช่น 4.3.1", code=str(exc))]
        return None
    kpis = []
    for row in (entry.form for entry in form.kpis):
        label = " ".join((row.label.data or "").split())
        metric = row.metric.data or None
        if not label and not metric:
            continue
        target = plan_import.parse_target(row.target.data or "", metric)
        kpis.append(KpiSpec(label=label or plan_import.metric_name_thai(metric), metric=metric, target=target))
    budgets = {int(f.name.split("_", 1)[1]): plan_import.parse_amount(f.data or "") for f in form.budget_fields()}
    channels = [c for c, f in ((GENERAL, form.link_general), (CORRUPTION, form.link_corruption)) if f.data]
    return MeasureInput(
        dimension=form.dimension.data, mission=plan_import.normalise_digits((form.mission.data or "").strip()),
        running_no=form.running_no.data, title=(form.title.data or "").strip(),
        dimension_title=form.dimension_title.data or "", mission_title=form.mission_title.data or "",
        codes=codes, steps=(form.steps.data or "").strip(), responsible=" ".join((form.responsible.data or "").split()),
        unit_id=form.unit_id.data or None, due_text=" ".join((form.due_text.data or "").split()),
        monitoring=(form.monitoring.data or "").strip(), note=(form.note.data or "").strip(), budgets=budgets,
        kpis=kpis, channels=channels, category_ids=list(form.category_ids.data or []))


def _show_error(form, exc: PlanError) -> None:
    """The service's refusal beside its field, or at the top of the form."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if exc.field == "targets" and hasattr(form, "target_errors"):
        form.target_errors.append(str(exc.message))
    elif field is not None and exc.field != "kpis":
        field.errors = list(field.errors) + [str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))


# ---------------------------------------------------------------- plans


@bp.route("/plans", endpoint="plans")
@roles_required(ADMIN)
def plans_list():
    """Every plan with its years, number of measures and the active badge; the shipped plans to load."""
    has_active = plans.active_plan() is not None
    return render_template("admin/plans.html", rows=plans.list_plans(), shipped=plans.SHIPPED,
                           shipped_form=ShippedForm(formdata=None, activate=not has_active))


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def plan_new():
    """Create an empty plan with its yearly targets."""
    form = _plan_form(None)
    if form.validate_on_submit():
        targets = form.chosen_targets()
        if targets is not None:
            try:
                plan = plans.create_plan(form.title.data, form.start_year.data, form.end_year.data,
                                         form.baseline_year.data, targets, utcnow(), actor=_actor())
            except PlanError as exc:
                _show_error(form, exc)
            else:
                db.session.commit()
                flash(_("สร้างแผนแล้ว นำเข้ามาตรการจากไฟล์หรือเพิ่มทีละมาตรการได้ที่หน้านี้"), "success")
                return redirect(url_for("admin.plan_detail", plan_id=plan.id), code=303)
    return render_template("admin/plan_form.html", form=form, plan=None), 400 if request.method == "POST" else 200


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def plan_edit(plan_id: int):
    """Change a plan's title, years, baseline and targets."""
    plan = _plan_or_404(plan_id)
    form = _plan_form(plan)
    if form.validate_on_submit():
        targets = form.chosen_targets()
        if targets is not None:
            try:
                plans.update_plan(plan, title=form.title.data, start_year=form.start_year.data,
                                  end_year=form.end_year.data, baseline_year=form.baseline_year.data,
                                  targets=targets, actor=_actor(), now=utcnow())
            except PlanError as exc:
                _show_error(form, exc)
            else:
                db.session.commit()
                flash(_("บันทึกแผนแล้ว"), "success")
                return redirect(url_for("admin.plan_detail", plan_id=plan.id), code=303)
    return render_template("admin/plan_form.html", form=form, plan=plan), 400 if request.method == "POST" else 200


@bp.route("/plans/shipped/<key>", methods=["POST"])
@roles_required(ADMIN)
def plan_load_shipped(key: str):
    """Create a plan from one of the ready-made files."""
    if key not in {s.key for s in plans.SHIPPED}:
        abort(404)
    form = ShippedForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan = plans.load_shipped(key, now=utcnow(), activate=form.activate.data, actor=_actor())
    except PlanError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("admin.plans"), code=303)
    db.session.commit()
    flash(_("นำเข้าแผน %(title)s แล้ว %(n)s มาตรการ", title=plan.title, n=len(plan.measures)), "success")
    return redirect(url_for("admin.plan_detail", plan_id=plan.id), code=303)


def _render_plan(plan: Plan, import_form: ImportForm | None = None, import_errors: list[str] | None = None,
                 status: int = 200):
    return render_template(
        "admin/plan.html", plan=plan, groups=plans.structure(plan), years=plans.plan_years(plan),
        import_form=import_form or ImportForm(formdata=None), import_errors=import_errors or [],
        action_form=ConfirmForm(), metric_names=METRIC_NAMES, link_labels=LINK_LABELS,
        measure_count=len(plan.measures)), status


@bp.route("/plans/<int:plan_id>")
@roles_required(ADMIN)
def plan_detail(plan_id: int):
    """The plan: targets, then dimension -> mission -> measures with codes, KPIs and links."""
    return _render_plan(_plan_or_404(plan_id))


@bp.route("/plans/<int:plan_id>/import", methods=["POST"])
@roles_required(ADMIN)
def plan_import_file(plan_id: int):
    """Replace the plan's measures with those of an uploaded file; on any error nothing changes."""
    plan = _plan_or_404(plan_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_plan(plan, form, [_("แบบฟอร์มหมดอายุ กรุณาลองอีกครั้ง")], 400)
    upload = form.file.data
    if not upload or not upload.filename:
        return _render_plan(plan, form, [_("กรุณาเลือกไฟล์ CSV หรือ XLSX")], 400)
    # One byte past the limit is enough to refuse an oversized file without reading it all.
    data = upload.read(plan_import.MAX_BYTES + 1)
    try:
        summary = plans.import_file(plan, upload.filename, data, default_links=form.default_links.data,
                                    actor=_actor(), now=utcnow())
    except PlanImportError as exc:
        db.session.rollback()
        return _render_plan(plan, form, exc.errors, 400)
    db.session.commit()
    flash(_("นำเข้าแล้ว %(n)s มาตรการ (เพิ่ม %(created)s แก้ไข %(updated)s ลบ %(deleted)s)", n=summary.measures,
            created=summary.created, updated=summary.updated, deleted=summary.deleted), "success")
    if summary.default_links:
        linked = ", ".join(f"{no} ({' + '.join(str(LINK_LABELS[c]) for c in channels)})"
                           for no, channels in summary.default_links)
        flash(_("เชื่อมโยงเรื่องร้องเรียนให้อัตโนมัติตามรหัสมาตรการ: ลำดับ %(list)s ตรวจสอบและแก้ไขได้ที่แต่ละมาตรการ",
                list=linked), "warning")
    return redirect(url_for("admin.plan_detail", plan_id=plan.id), code=303)


@bp.route("/plans/<int:plan_id>/activate", methods=["POST"])
@roles_required(ADMIN)
def plan_activate(plan_id: int):
    """Make this the plan that reports and the dashboard use."""
    plan = _plan_or_404(plan_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    plans.activate(plan, actor=_actor(), now=utcnow())
    db.session.commit()
    flash(_("ตั้ง %(title)s เป็นแผนปัจจุบันแล้ว", title=plan.title), "success")
    return redirect(url_for("admin.plan_detail", plan_id=plan.id), code=303)


@bp.route("/plans/<int:plan_id>/export.<fmt>")
@roles_required(ADMIN)
def plan_export(plan_id: int, fmt: str):
    """The plan's measures as CSV or XLSX in the import format."""
    plan = _plan_or_404(plan_id)
    writers = {"csv": plan_files.to_csv, "xlsx": plan_files.to_xlsx}
    if fmt not in writers:
        abort(404)
    return file_response(writers[fmt](plan), plan_import.filename(plan, fmt), private=True)


@bp.route("/plans/<int:plan_id>/delete", methods=["GET", "POST"])
@roles_required(ADMIN)
def plan_delete(plan_id: int):
    """Ask, then delete a plan with all its measures."""
    plan = _plan_or_404(plan_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        title = plan.title
        plans.delete_plan(plan, actor=_actor(), now=utcnow())
        db.session.commit()
        flash(_("ลบแผน %(title)s แล้ว", title=title), "success")
        return redirect(url_for("admin.plans"), code=303)
    return render_template("admin/plan_confirm.html", form=form, plan=plan, measure=None,
                           action=url_for("admin.plan_delete", plan_id=plan.id),
                           back=url_for("admin.plan_detail", plan_id=plan.id))


# ---------------------------------------------------------------- measures


def _measure_or_404(plan: Plan, measure_id: int):
    measure = plans.get_measure(plan, measure_id)
    if measure is None:
        abort(404)
    return measure


def _save_measure(plan: Plan, measure, form: MeasureForm) -> bool:
    data = _measure_input(form)
    if data is None:
        return False
    try:
        if measure is None:
            plans.add_measure(plan, data, actor=_actor(), now=utcnow())
        else:
            plans.update_measure(measure, data, actor=_actor(), now=utcnow())
    except PlanError as exc:
        _show_error(form, exc)
        return False
    db.session.commit()
    return True


@bp.route("/plans/<int:plan_id>/measures/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def measure_new(plan_id: int):
    """Add a measure to the plan."""
    plan = _plan_or_404(plan_id)
    form = _measure_form(plan)
    if form.validate_on_submit() and _save_measure(plan, None, form):
        flash(_("เพิ่มมาตรการแล้ว"), "success")
        return redirect(url_for("admin.plan_detail", plan_id=plan_id), code=303)
    return (render_template("admin/plan_measure.html", form=form, plan=plan, measure=None),
            400 if request.method == "POST" else 200)


@bp.route("/plans/<int:plan_id>/measures/<int:measure_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def measure_edit(plan_id: int, measure_id: int):
    """Edit every field of a measure: codes, budgets, KPIs and links included."""
    plan = _plan_or_404(plan_id)
    measure = _measure_or_404(plan, measure_id)
    form = _measure_form(plan, measure)
    if form.validate_on_submit() and _save_measure(plan, measure, form):
        flash(_("บันทึกมาตรการลำดับที่ %(no)s แล้ว", no=form.running_no.data), "success")
        return redirect(url_for("admin.plan_detail", plan_id=plan_id) + f"#measure-{measure_id}", code=303)
    return (render_template("admin/plan_measure.html", form=form, plan=plan, measure=measure),
            400 if request.method == "POST" else 200)


@bp.route("/plans/<int:plan_id>/measures/<int:measure_id>/delete", methods=["GET", "POST"])
@roles_required(ADMIN)
def measure_delete(plan_id: int, measure_id: int):
    """Ask, then delete one measure."""
    plan = _plan_or_404(plan_id)
    measure = _measure_or_404(plan, measure_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        no = measure.running_no
        plans.delete_measure(measure, actor=_actor(), now=utcnow())
        db.session.commit()
        flash(_("ลบมาตรการลำดับที่ %(no)s แล้ว", no=no), "success")
        return redirect(url_for("admin.plan_detail", plan_id=plan_id), code=303)
    return render_template("admin/plan_confirm.html", form=form, plan=plan, measure=measure,
                           action=url_for("admin.measure_delete", plan_id=plan_id, measure_id=measure_id),
                           back=url_for("admin.measure_edit", plan_id=plan_id, measure_id=measure_id))


@bp.app_template_filter("plan_amount")
def plan_amount(value) -> str:
    """A budget as the plan prints it: 20,000 (or - when there is none)."""
    if value is None:
        return "-"
    value = Decimal(value)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"

