"""Helpers shared by the views that accept cases: service errors onto form fields, commit-or-discard."""
from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from ..extensions import db
from ..services.attachments import discard_files


def show_errors(form: FlaskForm, errors: dict) -> None:
    """Put service errors next to the matching fields ("reporter.phone" -> the phone field)."""
    for key, message in errors.items():
        target = getattr(form, key.split(".", 1)[-1], None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + [str(message)]
        else:
            flash(str(message), "error")


def commit_submission(submission) -> None:
    """Commit an accepted case, or remove its already-stored files if the commit fails."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard_files(list(submission.case.attachments))
        raise


def directory_choices() -> list:
    """The organisation's positions by unit (never names), for naming the accused of a report."""
    from flask_babel import gettext as _
    from wtforms.fields.choices import SelectChoice

    from ..services.cases import accused

    return [SelectChoice("", _("— ไม่เลือก —"))] + [
        SelectChoice(e.key, e.position, optgroup=e.unit or _("ผู้บริหารและตำแหน่งที่ไม่สังกัดกอง"))
        for e in accused.directory()]
