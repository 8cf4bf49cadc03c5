"""The plan reports: measure reports (6-month and annual, 5- or 4-column) and the complaint summary.

Executives, integrity officers and admins read them; integrity officers and admins write the words
(measure results for the period, problems and solutions) and publish the summary.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import thai
from ...documents import measure_report as measure_files
from ...documents import summary_report as summary_files
from ...extensions import db
from ...labels import CHANNEL_LABELS
from ...models import Plan
from ...models.base import utcnow
from ...models.people import ADMIN, EXECUTIVE, INTEGRITY
from ...models.plan import HALF, PERIODS, YEAR
from ...security.access import roles_required
from ...services import measure_reports, plans, summary_report
from ...services.report_periods import ReportPeriod
from ...services.summary_report import SummaryError
from ..downloads import file_response
from . import bp

READERS = (EXECUTIVE, INTEGRITY, ADMIN)
WRITERS = (INTEGRITY, ADMIN)
#: How many fiscal years back the pickers offer.
YEARS_BACK = 6


def _period() -> ReportPeriod:
    """The fiscal year and half/year asked for; anything malformed falls back to the current year's half."""
    now = utcnow()
    fy = request.values.get("fy", type=int) or thai.fiscal_year(now)
    if not 2500 <= fy <= 2700:
        fy = thai.fiscal_year(now)
    kind = request.values.get("period") or HALF
    return ReportPeriod.of(fy, kind if kind in PERIODS else HALF)


def _layout() -> int:
    layout = request.args.get("layout", type=int) or 5
    return layout if layout in measure_reports.LAYOUTS else 5


def _digits() -> str:
    return "thai" if request.args.get("digits") == "thai" else "arabic"


def _plan() -> Plan | None:
    """The plan asked for by id, else the active one."""
    plan_id = request.args.get("plan", type=int)
    if plan_id is not None:
        plan = db.session.get(Plan, plan_id)
        if plan is None:
            abort(404)
        return plan
    return plans.active_plan()


def _years() -> list[int]:
    current = thai.fiscal_year(utcnow())
    return list(range(current, current - YEARS_BACK, -1))


def _can_write() -> bool:
    return current_user.has_role(*WRITERS)


@bp.route("/reports")
@roles_required(*READERS)
def reports():
    """Pick a period and a report."""
    period = _period()
    return render_template("executive/reports.html", period=period, years=_years(), plan=plans.active_plan(),
                           HALF=HALF, YEAR=YEAR)


@bp.route("/reports/measures")
@roles_required(*READERS)
def measure_report():
    """The measure report on screen, with downloads."""
    period, plan = _period(), _plan()
    report = measure_reports.build(plan, period, utcnow()) if plan else None
    return render_template("executive/measure_report.html", report=report, plan=plan, period=period,
                           layout=_layout(), digits=_digits(), years=_years(), can_write=_can_write(),
                           headings=measure_reports.HEADINGS, HALF=HALF, YEAR=YEAR)


@bp.route("/reports/measures.<fmt>")
@roles_required(*READERS)
def measure_report_file(fmt: str):
    """The measure report as PDF or XLSX."""
    if fmt not in measure_reports.FORMATS:
        abort(404)
    plan = _plan()
    if plan is None:
        abort(404)
    layout = _layout()
    report = measure_reports.build(plan, _period(), utcnow())
    return file_response(measure_files.render_file(report, fmt, layout, _digits()),
                         measure_reports.filename(report, fmt, layout), private=True)


@bp.route("/reports/measures/results", methods=["GET", "POST"])
@roles_required(*WRITERS)
def measure_results():
    """Enter the period's result text of each measure (computed rows show their figures alongside)."""
    period, plan = _period(), _plan()
    if plan is None:
        return render_template("executive/measure_results.html", plan=None, period=period, years=_years(),
                               report=None, HALF=HALF, YEAR=YEAR)
    if request.method == "POST":
        texts = {}
        for key, value in request.form.items():
            if key.startswith("result-"):
                try:
                    texts[int(key[7:])] = value
                except ValueError:
                    continue
        too_long = [k for k, v in texts.items() if len(v.strip()) > measure_reports.MAX_RESULT]
        if too_long:
            flash(_("ผลการดำเนินการยาวเกิน %(n)s ตัวอักษร ไม่ได้บันทึก", n=f"{measure_reports.MAX_RESULT:,}"), "error")
            report = measure_reports.build(plan, period, utcnow())
            return render_template("executive/measure_results.html", plan=plan, period=period, years=_years(),
                                   report=report, texts=texts, HALF=HALF, YEAR=YEAR), 400
        changed = measure_reports.save_results(plan, period, texts, actor=current_user._get_current_object(),
                                               now=utcnow())
        db.session.commit()
        flash(_("บันทึกผลการดำเนินการแล้ว %(n)s รายการ", n=changed), "success")
        return redirect(url_for("executive.measure_results", fy=period.fiscal_year, period=period.kind,
                                plan=plan.id), code=303)
    report = measure_reports.build(plan, period, utcnow())
    texts = {row.measure_id: row.entered for row in report.rows}
    return render_template("executive/measure_results.html", plan=plan, period=period, years=_years(),
                           report=report, texts=texts, HALF=HALF, YEAR=YEAR)


@bp.route("/reports/summary", methods=["GET", "POST"])
@roles_required(*READERS)
def summary():
    """The complaint summary: figures, repeat categories, the cases' notes, problems and solutions."""
    period = _period()
    now = utcnow()
    error = None
    status = 200
    if request.method == "POST":
        if not _can_write():
            abort(403)
        publish = {"publish": True, "withdraw": False}.get(request.form.get("action") or "")
        try:
            summary_report.save(period, problems=request.form.get("problems", ""),
                                solutions=request.form.get("solutions", ""), publish=publish,
                                actor=current_user._get_current_object(), now=now)
        except SummaryError as exc:
            db.session.rollback()
            error, status = str(exc), 400
        else:
            db.session.commit()
            flash(_("บันทึกรายงานสรุปแล้ว"), "success")
            return redirect(url_for("executive.summary", fy=period.fiscal_year, period=period.kind), code=303)
    data = summary_report.build(period, now)
    if error:
        problems, solutions = request.form.get("problems"), request.form.get("solutions")
    elif data.saved:
        problems, solutions = data.saved.problems, data.saved.solutions
    else:  # nothing written yet: offer the draft from the repeat categories and the cases' notes
        problems, solutions = summary_report.draft(data) if _can_write() else ("", "")
    return render_template("executive/summary.html", data=data, period=period, years=_years(),
                           can_write=_can_write(), problems=problems, solutions=solutions,
                           error=error, CHANNEL_LABELS=CHANNEL_LABELS, HALF=HALF, YEAR=YEAR,
                           count=lambda _channel, value: f"{value:,}"), status


@bp.route("/reports/summary.pdf")
@roles_required(*READERS)
def summary_pdf():
    """The summary as PDF (the same content the public sees once it is published)."""
    period = _period()
    data = summary_report.build(period, utcnow())
    return file_response(summary_files.to_pdf(data, _digits()), f"summary-{period.fiscal_year}-{period.kind}.pdf",
                         private=True)
