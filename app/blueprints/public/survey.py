"""The satisfaction survey by link (completion e-mail, QR code of the printed notice): no sign-in, no case details.

The token in the link answers one case's survey and nothing else. The page shows the organisation's
name and the survey, never the case, so a forwarded or photographed link reveals nothing.
"""
from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ...extensions import db, limiter
from ...models.base import utcnow
from ...security.access import public
from ...services import surveys
from ...services.surveys import SurveyError
from . import bp

RATING_CHOICES = [SelectChoice(str(rating), label) for rating, label in surveys.RATING_LABELS.items()]


class SurveyForm(FlaskForm):
    """The 5-point rating and an optional comment; the service checks the values (Thai errors)."""

    # validate_choice=False: an invalid value gets the service's Thai message, not WTForms' English one.
    rating = RadioField(surveys.QUESTION, choices=RATING_CHOICES, validate_choice=False)
    comment = TextAreaField(_l("ข้อเสนอแนะเพิ่มเติม (ถ้ามี)"), render_kw={"maxlength": surveys.MAX_COMMENT, "rows": 4})


def show_survey_error(form: SurveyForm, error: SurveyError) -> str | None:
    """Put the error next to its field; return it when it belongs to no field (shown above the form)."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        return str(error)
    target.errors = list(target.errors) + [str(error)]
    return None


def survey_limit() -> str:
    """The same per-address limit as tracking lookups: a token is as guessable as a tracking code."""
    return current_app.config.get("TRACKING_RATE_LIMIT", "20 per minute; 300 per day")


@bp.route("/survey/<path:token>", methods=["GET", "POST"])
@public
@limiter.limit(survey_limit)
def survey(token: str):
    """Rate the handling of a completed case once; any unknown token gets the same 404."""
    case = surveys.find_case_by_token(token)
    if case is None:
        abort(404)
    form = SurveyForm()
    error = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                surveys.submit(case, rating=form.rating.data, comment=form.comment.data, via="link", now=utcnow())
            except SurveyError as exc:
                db.session.rollback()
                error, status = show_survey_error(form, exc), 400
            else:
                db.session.commit()
                # Back to the same page (now the thank-you), so a reload does not send the form again.
                return redirect(url_for("public.survey", token=token), code=303)
        else:
            status = 400
    answered = surveys.has_response(case)
    response = make_response(render_template(
        "public/survey.html", form=form, error=error, answered=answered,
        open=not answered and surveys.can_answer(case)), status)
    response.headers["Cache-Control"] = "no-store"
    return response
