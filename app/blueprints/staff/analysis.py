"""Root-cause and prevention notes on a general complaint: the raw material of the summary report."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...models.base import utcnow
from ...models.case import GENERAL
from ...models.people import INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER
from ...security.access import roles_required
from ...services import casework, summary_report
from ...services.summary_report import SummaryError
from . import bp
from .routes import _case_or_404


@bp.route("/cases/<uid>/analysis", methods=["POST"])
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, OVERSIGHT, hide=True)
def analysis(uid: str):
    """Save the notes; only staff who may add notes to this general complaint."""
    item = _case_or_404(uid)
    if item.channel != GENERAL or "note" not in casework.allowed_actions(current_user, item):
        abort(404 if item.channel != GENERAL else 403)
    try:
        summary_report.record_notes(item, root_cause=request.form.get("root_cause", ""),
                                    prevention=request.form.get("prevention", ""),
                                    actor=current_user._get_current_object(), now=utcnow())
    except SummaryError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("staff.case", uid=item.uid) + "#analysis", code=303)
    db.session.commit()
    flash(_("บันทึกสาเหตุและแนวทางป้องกันแล้ว"), "success")
    return redirect(url_for("staff.case", uid=item.uid) + "#analysis", code=303)
