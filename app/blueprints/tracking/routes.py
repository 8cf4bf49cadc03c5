"""Tracking views: enter a code (or open the QR link) and see status and public updates."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from ...extensions import limiter
from ...models.base import utcnow
from ...security.access import public
from ...services import tracking
from . import bp


class LookupForm(FlaskForm):
    """The tracking code box."""

    code = StringField(_l("รหัสติดตามเรื่อง"))


def _lookup_limit() -> str:
    return current_app.config.get("TRACKING_RATE_LIMIT", "20 per minute; 300 per day")


def _result(code: str, form: LookupForm):
    """Same page, same status and the same work for every unknown code, whatever it looks like."""
    case = tracking.find_case(code)
    if case is None:
        return render_template("tracking/lookup.html", form=form, not_found=True), 404
    view = tracking.public_view(case, utcnow())
    return render_template("tracking/status.html", view=view)


@bp.route("/", methods=["GET", "POST"])
@public
@limiter.limit(_lookup_limit, methods=["POST"])
def lookup():
    """Ask for the code; show the case on a valid POST (the code stays out of the URL)."""
    form = LookupForm()
    if form.validate_on_submit():
        return _result(form.code.data or "", form)
    return render_template("tracking/lookup.html", form=form, not_found=False)


@bp.route("/<path:code>")
@public
@limiter.limit(_lookup_limit)
def by_link(code: str):
    """The QR-code link: the code is in the path."""
    return _result(code, LookupForm())
