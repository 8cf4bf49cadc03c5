"""Tracking views: enter a code (or open the QR link) and see status and public updates.

A reporter asked a follow-up question answers it here, and the complainant of a completed case rates
its handling here. Both forms carry the tracking code in their POST body, never in a URL, and every
answer is checked against the code again.
"""
from __future__ import annotations

from flask import current_app, make_response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, StringField, TextAreaField

from ...extensions import db, limiter
from ...models import Case
from ...models.case import COMPLETED
from ...models.base import utcnow
from ...security.access import public
from ...services import attachments as attachment_store
from ...services import casework, surveys, tracking
from ...services.attachments import AttachmentError, Upload
from ...services.casework import CaseworkError
from ...services.surveys import SurveyError
from ..public.survey import SurveyForm, show_survey_error
from . import bp


class LookupForm(FlaskForm):
    """The tracking code box."""

    code = StringField(_l("รหัสติดตามเรื่อง"))


class AnswerForm(FlaskForm):
    """The reporter's answer to the officer's question; the code rides along in the body."""

    code = HiddenField()
    answer = TextAreaField(_l("คำตอบของท่าน"))
    files = MultipleFileField(_l("ไฟล์ประกอบ (ถ้ามี)"))


class TrackingSurveyForm(SurveyForm):
    """The satisfaction survey of a completed case; the code rides along in the body."""

    code = HiddenField()


def _lookup_limit() -> str:
    return current_app.config.get("TRACKING_RATE_LIMIT", "20 per minute; 300 per day")


def _not_found(form: LookupForm):
    """The one answer for every unknown code, whatever it looks like and whichever form sent it."""
    return render_template("tracking/lookup.html", form=form, not_found=True), 404


def _status_page(case: Case, code: str, *, answer_form: AnswerForm | None = None, answered: bool = False,
                 error: str | None = None, status: int = 200, survey_form: TrackingSurveyForm | None = None,
                 survey_error: str | None = None, survey_sent: bool = False):
    view = tracking.public_view(case, utcnow())
    form = None
    if casework.has_open_question(case):
        form = answer_form or AnswerForm(formdata=None, code=code)
        form.code.data = code
    survey_answered = surveys.has_response(case)
    shown_survey = None
    if case.status == COMPLETED and not survey_answered:
        shown_survey = survey_form or TrackingSurveyForm(formdata=None, code=code)
        shown_survey.code.data = code
    response = make_response(render_template("tracking/status.html", view=view, answer_form=form,
                                             answered=answered, answer_error=error,
                                             survey_form=shown_survey, survey_error=survey_error,
                                             survey_answered=survey_answered, survey_sent=survey_sent,
                                             max_files=attachment_store.max_files(),
                                             max_mb=attachment_store.max_bytes() // (1024 * 1024)), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _result(code: str, form: LookupForm):
    """Same page, same status and the same work for every unknown code, whatever it looks like."""
    case = tracking.find_case(code)
    if case is None:
        return _not_found(form)
    return _status_page(case, code)


@bp.route("/", methods=["GET", "POST"])
@public
@limiter.limit(_lookup_limit, methods=["POST"])
def lookup():
    """Ask for the code; show the case on a valid POST (the code stays out of the URL)."""
    form = LookupForm()
    if form.validate_on_submit():
        return _result(form.code.data or "", form)
    return render_template("tracking/lookup.html", form=form, not_found=False)


def _stale_form():
    """A tracking-page form sent without a valid CSRF token: back to the lookup, nothing saved."""
    return render_template("tracking/lookup.html", form=LookupForm(formdata=None), not_found=False,
                           error=_("ส่งแบบฟอร์มไม่สำเร็จ กรุณาเปิดหน้าติดตามเรื่องแล้วลองใหม่อีกครั้ง")), 400


@bp.route("/answer", methods=["POST"])
@public
@limiter.limit(_lookup_limit)
def answer():
    """The reporter answers the open question, with optional files; nothing is saved on any refusal."""
    form = AnswerForm()
    if not form.validate_on_submit():  # CSRF token missing or stale
        return _stale_form()
    code = form.code.data or ""
    case = tracking.find_case(code)
    if case is None:
        # The lookup form reads the code field of this POST, exactly as an unknown lookup shows it.
        return _not_found(LookupForm())
    uploads = [Upload(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]
    uploads = [u for u in uploads if u.data]
    try:
        if len(uploads) > attachment_store.max_files():
            raise AttachmentError(_("แนบไฟล์ได้ไม่เกิน %(n)s ไฟล์", n=attachment_store.max_files()))
        budget = attachment_store.DecodeBudget()  # one for the whole answer
        cleaned = [attachment_store.clean(u, budget) for u in uploads]
    except AttachmentError as exc:
        return _status_page(case, code, answer_form=form, error=str(exc.args[0]), status=400)
    try:
        event = casework.answer_question(case, form.answer.data or "", cleaned, now=utcnow())
    except CaseworkError as exc:
        db.session.rollback()
        return _status_page(case, code, answer_form=form, error=str(exc), status=400)
    stored = [a for a in case.attachments if a.event_id == event.id]
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        attachment_store.discard_files(stored)
        raise
    return _status_page(case, code, answered=True)


@bp.route("/survey", methods=["POST"])
@public
@limiter.limit(_lookup_limit)
def survey():
    """The complainant rates a completed case once; an open, rejected or forwarded case is refused (400)."""
    form = TrackingSurveyForm()
    if not form.validate_on_submit():  # CSRF token missing or stale
        return _stale_form()
    code = form.code.data or ""
    case = tracking.find_case(code)
    if case is None:
        return _not_found(LookupForm())
    try:
        surveys.submit(case, rating=form.rating.data, comment=form.comment.data, via="tracking", now=utcnow())
    except SurveyError as exc:
        db.session.rollback()
        error = show_survey_error(form, exc)
        return _status_page(case, code, survey_form=form, survey_error=error, status=400)
    db.session.commit()
    return _status_page(case, code, survey_sent=True)


@bp.route("/<path:code>")
@public
@limiter.limit(_lookup_limit)
def by_link(code: str):
    """The QR-code link: the code is in the path."""
    return _result(code, LookupForm())
