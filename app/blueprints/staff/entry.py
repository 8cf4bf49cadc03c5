"""Offline entry (phone, letter, box, walk-in, social media, referral) and the staff copy of its receipt.

The receipt's tracking code is held on the server (services/cases/receipt_holds.py); the officer's session
holds only a random receipt id, never the code.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from flask import abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ... import thai
from ...documents import receipt as receipt_document
from ...extensions import db
from ...labels import CHANNEL_LABELS, SOURCE_LABELS
from ...models.base import utcnow
from ...models.case import CORRUPTION, GENERAL, SOURCES
from ...models.people import INTAKE, INTEGRITY
from ...security.access import roles_required
from ...services import case_access, categories, intake, receipts_view
from ...services.attachments import Upload
from ...services.cases import receipt_holds
from ...services.intake import Accused, ComplaintInput, IntakeError, Reporter, ReportInput
from ..downloads import file_response
from ..form_helpers import commit_submission, directory_choices, show_errors
from . import bp
from .forms import ButtonForm, NewCaseForm, choices

RECEIPT_KEY = "staff_receipt"
#: Offline sources: everything except the citizen's own web form and the API.
OFFLINE_SOURCES = tuple(s for s in SOURCES if s not in ("web", "api"))
#: A letter or box item received on an earlier day is counted from the start of office hours.
OFFICE_OPENS = time(8, 30)


def _entry_channels() -> list[str]:
    """Intake officers enter general complaints; integrity officers corruption reports."""
    return [c for c, role in ((GENERAL, INTAKE), (CORRUPTION, INTEGRITY)) if current_user.has_role(role)]


def _received_at(day: date | None, now: datetime) -> datetime | None:
    """The moment counted as receipt: now for today; an earlier day from the start of office hours.

    Counting an earlier letter from the opening of that day is the earliest it can have arrived,
    so the 15 days are never stretched by the delay in typing it in. A future day stays in the
    future, and the service refuses it.
    """
    if day is None:
        return None
    if day == thai.to_local(now).date():
        return now
    return datetime.combine(day, OFFICE_OPENS, tzinfo=thai.BANGKOK).astimezone(timezone.utc)


def _new_case_form() -> NewCaseForm:
    form = NewCaseForm()
    channels = _entry_channels()
    form.channel.choices = choices([(c, str(CHANNEL_LABELS[c])) for c in channels])
    form.source.choices = choices([("", _("— เลือกช่องทาง —"))] + [(s, str(SOURCE_LABELS[s])) for s in OFFLINE_SOURCES])
    if not form.is_submitted():
        form.channel.data = channels[0]
    rows = categories.for_channels(channels, active_only=True)
    # An officer who enters both kinds sees which categories belong to which channel.
    form.category.choices = choices([("", _("— เลือกประเภท (ถ้ามี) —"))]) + [
        SelectChoice(c.code, c.name, optgroup=str(CHANNEL_LABELS.get(c.channel, _("ทั้งสองช่องทาง")))
                     if len(channels) > 1 else None) for c in rows]
    form.accused_directory.choices = directory_choices()
    return form


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(INTAKE, INTEGRITY)
def new_case():
    """Enter a complaint or report that arrived by phone, letter, box, walk-in, social media or referral."""
    form = _new_case_form()
    channels = _entry_channels()
    now = utcnow()
    if form.validate_on_submit():
        errors = {}
        if form.channel.data not in channels:
            errors["channel"] = _("กรุณาเลือกประเภทเรื่องที่ท่านมีหน้าที่รับ")
        if form.source.data not in OFFLINE_SOURCES:
            errors["source"] = _("กรุณาเลือกช่องทางที่รับเรื่อง")
        if form.received_at.data is None:
            errors["received_at"] = _("กรุณาระบุวันที่รับเรื่อง")
        if errors:
            show_errors(form, errors)
            return _render_new_case(form, channels, now), 400
        reporter = Reporter(name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or "",
                            address=form.address.data or "", national_id=form.national_id.data or "")
        files = [Upload(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]
        options = dict(now=now, source=form.source.data, received_at=_received_at(form.received_at.data, now),
                       actor_id=current_user.id)
        try:
            if form.channel.data == CORRUPTION:
                submission = intake.submit_report(ReportInput(
                    subject=form.subject.data or "", details=form.details.data or "",
                    category_code=form.category.data or "",
                    accused=Accused(form.accused_name.data or "", form.accused_position.data or "",
                                    form.accused_unit.data or "", form.accused_directory.data or ""),
                    incident_date=form.incident_date.data or "", location=form.location.data or "",
                    evidence=form.evidence.data or "", witnesses=form.witnesses.data or "",
                    reporter=reporter, files=files), **options)
            else:
                submission = intake.submit_complaint(ComplaintInput(
                    subject=form.subject.data or "", details=form.details.data or "",
                    category_code=form.category.data or "", location=form.location.data or "",
                    reporter=reporter, files=files), **options)
        except IntakeError as exc:
            db.session.rollback()
            show_errors(form, exc.fields)
            return _render_new_case(form, channels, now), 400
        session[RECEIPT_KEY] = receipt_holds.hold(submission.case, submission.tracking_code, now=now)
        commit_submission(submission)
        flash(_("บันทึกเรื่องแล้ว เลขที่ %(number)s", number=submission.case.case_number), "success")
        return redirect(url_for("staff.receipt"), code=303)
    if form.errors:
        if "received_at" in form.errors:
            form.received_at.errors = [_("วันที่ไม่ถูกต้อง กรุณาเลือกจากปฏิทิน")]
        return _render_new_case(form, channels, now), 400
    return _render_new_case(form, channels, now)


def _render_new_case(form: NewCaseForm, channels: list[str], now: datetime) -> str:
    if not form.is_submitted():
        form.received_at.data = thai.to_local(now).date()
    form.received_at.render_kw = {"max": thai.to_local(now).date().isoformat()}
    return render_template("staff/new_case.html", form=form, channels=channels, today=thai.to_local(now).date())


def _held_receipt():
    """The receipt of a case this officer just entered, while the server still holds its tracking code; else 404.

    Not the case page's access check: an officer who entered a report that names them may still hand the
    citizen the receipt (code and dates only, nothing of the report).
    """
    held = receipt_holds.read(session.get(RECEIPT_KEY), now=utcnow())
    if held is None:
        session.pop(RECEIPT_KEY, None)
        abort(404)
    item, code = held
    return item, receipts_view.build(item, code)


@bp.route("/receipt")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt():
    """The staff copy of the receipt: the tracking code to hand to the complainant, shown only now."""
    item, data = _held_receipt()
    response = make_response(render_template("staff/receipt.html", case=item, r=data, form=ButtonForm(),
                                             can_open=case_access.can_view(current_user, item)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/receipt/print")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_print():
    """A print-friendly receipt to hand or post to the complainant (the same document as the PDF)."""
    _item, data = _held_receipt()
    response = make_response(receipt_document.html(data, toolbar=[
        (_("กลับ"), url_for("staff.receipt")), (_("ดาวน์โหลด PDF"), url_for("staff.receipt_pdf"))]))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/receipt.pdf")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_pdf():
    """The receipt as a PDF (Thai font, QR code to the tracking page)."""
    with force_locale("th"):  # a Thai document whatever the screen language
        _item, data = _held_receipt()
    return file_response(receipt_document.pdf(data), "receipt.pdf", private=True)


@bp.route("/receipt/done", methods=["POST"])
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_done():
    """Forget the tracking code: after this nobody, staff included, can show it again."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    receipt_holds.drop(session.pop(RECEIPT_KEY, None))
    db.session.commit()
    flash(_("ลบรหัสติดตามเรื่องออกจากหน้าจอแล้ว"), "info")
    return redirect(url_for("staff.home"), code=303)
