"""The protected channel's second person and its watchers: requests and approvals, and the access log."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...models import AccountRequest
from ...models.base import utcnow
from ...models.people import EXECUTIVE, INTEGRITY, OVERSIGHT
from ...security.access import roles_required
from ...services.cases import access_log as access_logs
from ...services.cases import approvals
from ...services.casework import CaseworkError
from ...services.people import roles as role_rules
from . import bp
from .forms import ButtonForm
from .labels import ACCESS_LOG_LABELS, REQUEST_LABELS

APPROVERS = (INTEGRITY, OVERSIGHT, EXECUTIVE)


@bp.route("/requests/<uid>/<decision>", methods=["POST"])
@roles_required(INTEGRITY, OVERSIGHT, hide=True)
def decide_request(uid: str, decision: str):
    """Approve, refuse or (the requester) cancel a request on a report; nothing else changes on a refusal."""
    item = approvals.by_uid(uid)
    if item is None or decision not in ("approve", "refuse", "cancel"):
        abort(404)
    case = item.case
    from .routes import _case_or_404

    _case_or_404(case.uid)  # a report the user may not open is not found, whatever the request
    if not ButtonForm().validate_on_submit():
        abort(400)
    user, now = current_user._get_current_object(), utcnow()
    try:
        if decision == "cancel":
            approvals.cancel(item, user, now=now)
        else:
            approvals.decide(item, user, approve=decision == "approve", now=now)
    except CaseworkError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("staff.case", uid=case.uid), code=303)
    db.session.commit()
    flash({"approve": _("อนุมัติแล้ว"), "refuse": _("ไม่อนุมัติคำขอแล้ว"), "cancel": _("ยกเลิกคำขอแล้ว")}[decision],
          "success")
    return redirect(url_for("staff.case", uid=case.uid) if approvals.approvers(item) or decision == "cancel"
                    else url_for("staff.approvals"), code=303)


@bp.route("/approvals", endpoint="approvals")
@roles_required(*APPROVERS)
def approvals_page():
    """Every request waiting for this person: actions on reports and changes to approvers' accounts."""
    now = utcnow()
    user = current_user._get_current_object()
    response = make_response(render_template(
        "staff/approvals.html", case_requests=approvals.for_approver(user, now),
        account_requests=role_rules.waiting_for(user, now), form=ButtonForm(), REQUEST_LABELS=REQUEST_LABELS))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/approvals/accounts/<int:request_id>/<decision>", methods=["POST"])
@roles_required(*APPROVERS, hide=True)
def decide_account(request_id: int, decision: str):
    """Approve or refuse a change to an approver's account; a link to hand over is shown here, once."""
    item = db.session.get(AccountRequest, request_id)
    if item is None or decision not in ("approve", "refuse"):
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        handover = role_rules.decide(item, current_user._get_current_object(), approve=decision == "approve",
                                     now=utcnow())
    except role_rules.RoleError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("staff.approvals"), code=303)
    db.session.commit()
    if handover:
        response = make_response(render_template("staff/handover.html", user=item.user, link=handover))
        response.headers["Cache-Control"] = "no-store"
        return response
    flash(_("อนุมัติแล้ว") if decision == "approve" else _("ไม่อนุมัติคำขอแล้ว"), "success")
    return redirect(url_for("staff.approvals"), code=303)


@bp.route("/access-log")
@roles_required(*access_logs.READERS)
def access_log():
    """Read-only: who opened, revealed, downloaded, requested and approved in the protected channel, and when."""
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, older = access_logs.page(current_user._get_current_object(), number)
    response = make_response(render_template("staff/access_log.html", rows=rows, page=number, older=older,
                                             labels=ACCESS_LOG_LABELS))
    response.headers["Cache-Control"] = "no-store"
    return response
