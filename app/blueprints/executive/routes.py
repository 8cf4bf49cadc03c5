"""Executive views."""
from __future__ import annotations

from flask import render_template, request

from ... import thai
from ...models.base import utcnow
from ...models.people import EXECUTIVE
from ...security.access import roles_required
from ...services import stats
from . import bp


@bp.route("/")
@roles_required(EXECUTIVE)
def overview():
    """This fiscal year at a glance: cases by channel and status."""
    current_fy = thai.fiscal_year(utcnow())
    fy = request.args.get("fy", type=int) or current_fy
    if not 2500 <= fy <= 2700:
        fy = current_fy
    summary = stats.status_summary(fy)
    return render_template("executive/overview.html", fy=fy, current_fy=current_fy, summary=summary)
