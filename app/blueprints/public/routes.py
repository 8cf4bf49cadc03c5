"""Public views: home page, the two intake forms and the receipt."""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from ...documents import receipt as receipt_document
from ...extensions import db, limiter
from ...models import Category
from ...models.base import utcnow
from ...security.access import public
from ...services import intake, receipts_view, sla
from ...services.cases import receipt_holds
from ...services.attachments import Upload
from ...services.intake import Accused, ComplaintInput, IntakeError, Reporter, ReportInput
from ..downloads import file_response
from ..form_helpers import commit_submission, directory_choices, show_errors
from . import bp
from .forms import ComplaintForm, ReportForm

log = logging.getLogger(__name__)

#: The session key of the random receipt id (the tracking code itself stays on the server).
RECEIPT_KEY = "receipt"


def _intake_limit() -> str:
    return current_app.config.get("INTAKE_RATE_LIMIT", "5 per minute; 30 per hour")



def general_time_frame() -> tuple[int, str]:
    """The general channel's time frame as set now (days, "วัน" or "วันทำการ"), so no page promises stale days."""
    rule = sla.policy("general")
    return rule.days, _("วันทำการ") if rule.mode == sla.WORKING else _("วัน")


@bp.context_processor
def _time_frame() -> dict:
    # A function, not its value: only the pages that print the time frame read the setting.
    return {"general_time_frame": general_time_frame}


@bp.route("/")
@public
def home():
    """Explain the service and link the two channels."""
    return render_template("public/home.html")


def _categories(channel: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(Category).where(Category.active.is_(True), Category.channel.in_((channel, "both")))
        .order_by(Category.sort_order, Category.name)
    )
    return [("", _("— เลือกประเภท (ถ้ามี) —"))] + [(c.code, c.name) for c in rows]


def _uploads(form) -> list[Upload]:
    return [Upload(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]


def _reporter(form) -> Reporter:
    return Reporter(name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or "",
                    address=form.address.data or "",
                    national_id=getattr(form, "national_id", None) and form.national_id.data or "")




def _file(form, template: str, build_input, submit):
    """The shared flow of both intake forms: validate, refuse bots, submit, commit, show the receipt."""
    if form.validate_on_submit():
        if form.website.data:  # the honeypot: people never see this field
            flash(_("ไม่สามารถรับเรื่องได้ กรุณาลองใหม่"), "error")
            return render_template(template, form=form), 400
        try:
            submission = submit(build_input(form), now=utcnow(), source="web")
        except IntakeError as exc:
            db.session.rollback()
            show_errors(form, exc.fields)
            return render_template(template, form=form), 400
        # The browser keeps a random receipt id; the code is held encrypted on the server for the window.
        session[RECEIPT_KEY] = receipt_holds.hold(submission.case, submission.tracking_code, now=utcnow())
        commit_submission(submission)
        return redirect(url_for("public.receipt"), code=303)
    return render_template(template, form=form), 400 if form.errors else 200


def _complaint_input(form) -> ComplaintInput:
    return ComplaintInput(subject=form.subject.data or "", details=form.details.data or "",
                          category_code=form.category.data or "", location=form.location.data or "",
                          reporter=_reporter(form), files=_uploads(form))


def _report_input(form) -> ReportInput:
    return ReportInput(
        subject=form.subject.data or "", details=form.details.data or "",
        category_code=form.category.data or "",
        accused=Accused(form.accused_name.data or "", form.accused_position.data or "",
                        form.accused_unit.data or "", form.accused_directory.data or ""),
        incident_date=form.incident_date.data or "", location=form.location.data or "",
        evidence=form.evidence.data or "", witnesses=form.witnesses.data or "",
        reporter=_reporter(form), files=_uploads(form),
    )


@bp.route("/complaint", methods=["GET", "POST"])
@public
@limiter.limit(_intake_limit, methods=["POST"])
def complaint():
    """File a general complaint."""
    form = ComplaintForm()
    form.category.choices = _categories("general")
    return _file(form, "public/complaint.html", _complaint_input, intake.submit_complaint)


@bp.route("/report", methods=["GET", "POST"])
@public
@limiter.limit(_intake_limit, methods=["POST"])
def report():
    """File a corruption / misconduct report (no address or identity is required or kept)."""
    form = ReportForm()
    form.category.choices = _categories("corruption")
    form.accused_directory.choices = directory_choices()
    return _file(form, "public/report.html", _report_input, intake.submit_report)


def _current_receipt():
    """The receipt this browser may still see, or 404."""
    held = receipt_holds.read(session.get(RECEIPT_KEY), now=utcnow())
    if held is None:
        session.pop(RECEIPT_KEY, None)
        abort(404)
    return receipts_view.build(*held)


@bp.route("/receipt")
@public
def receipt():
    """The receipt: tracking code, dates and what happens next."""
    return render_template("public/receipt.html", r=_current_receipt())


@bp.route("/receipt/print")
@public
def receipt_print():
    """A print-friendly receipt (the same document as the PDF)."""
    return receipt_document.html(_current_receipt(), toolbar=[
        (_("กลับ"), url_for("public.receipt")), (_("ดาวน์โหลด PDF"), url_for("public.receipt_pdf"))])


@bp.route("/receipt.pdf")
@public
def receipt_pdf():
    """The receipt as a PDF with a Thai font and a QR code to the tracking page."""
    with force_locale("th"):  # the channel label is Thai in a Thai document whatever the screen language
        data = _current_receipt()
    return file_response(receipt_document.pdf(data), "receipt.pdf")


@bp.route("/receipt/done", methods=["POST"])
@public
def receipt_done():
    """Forget the receipt in this browser (for a shared phone): the server forgets the code too."""
    receipt_holds.drop(session.pop(RECEIPT_KEY, None))
    db.session.commit()
    flash(_("ลบใบรับเรื่องออกจากเบราว์เซอร์นี้แล้ว"), "info")
    return redirect(url_for("public.home"))
