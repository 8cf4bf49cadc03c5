"""The completion notice (หนังสือแจ้งผลการดำเนินการ): print view and PDF with a QR code to the survey.

Only staff who may open the case get its notice (the case page's own check, so a corruption report
is 404 to everyone but integrity officers), and only once the case is completed.
"""
from __future__ import annotations

import base64

from flask import abort, make_response, render_template, url_for
from flask_babel import force_locale
from flask_login import current_user

from ...extensions import db
from ...models import Case
from ...models.base import utcnow
from ...models.case import COMPLETED, CORRUPTION
from ...models.people import INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER
from ...security.access import roles_required
from ...services import audit
from ...services import completion_notice as notices
from ...services.pdf import qr_png
from . import bp
from .routes import _case_or_404


def _completed_case(uid: str) -> Case:
    """The case if the user may see it and it is completed; 404 otherwise (nothing confirmed)."""
    item = _case_or_404(uid)
    if item.status != COMPLETED:
        abort(404)
    return item


def _notice(item: Case, what: str) -> notices.CompletionNotice:
    """Build the notice; record the printing of a corruption report and commit a newly made invitation."""
    now = utcnow()
    notice = notices.completion_notice(item, now=now)
    if item.channel == CORRUPTION:
        audit.record_case(f"case.notice_{what}", item, actor=current_user, now=now)
    db.session.commit()
    return notice


@bp.route("/cases/<uid>/notice")
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, OVERSIGHT, hide=True)
def completion_notice(uid: str):
    """A print-friendly completion notice to hand or post to the complainant."""
    item = _completed_case(uid)
    notice = _notice(item, "print")
    qr = base64.b64encode(qr_png(notice.survey_url)).decode("ascii")
    response = make_response(render_template(
        "staff/completion_notice_print.html", n=notice, qr_data_uri=f"data:image/png;base64,{qr}", today=utcnow(),
        back_url=url_for("staff.case", uid=item.uid),
        pdf_url=url_for("staff.completion_notice_pdf", uid=item.uid)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cases/<uid>/notice.pdf")
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, OVERSIGHT, hide=True)
def completion_notice_pdf(uid: str):
    """The completion notice as a PDF (letterhead, Thai font, QR code to the survey)."""
    item = _completed_case(uid)
    notice = _notice(item, "pdf")
    with force_locale("th"):  # a Thai document whatever the screen language
        pdf = notices.notice_pdf(notice, today=utcnow())
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'attachment; filename="completion-notice.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
